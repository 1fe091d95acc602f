"""The report as a Word file, for a draft that goes out: every table a Word table with a
header row, every chart a picture, and no real name.

In order: the project in figures with what was counted ("Räknat: …"), the codebook (name,
English name, definition, use when, not when), the matrices by case (code frequencies and
families × cases as charts, families and codes × cases as tables), by kommungrupp and by
population band (folkmängd) where the cases have those attributes, document kinds and
the codes that most often share a sentence, agreement between coders, the framework
matrix (the summaries per case and code), and the basket's quotes per theme with their
attribution and id (vinr_qual.quoting.outputs prepares them). With `by_coder` the
matrices come once per coder, each saying what it counted.

Cases are named by their aliases ("Kommun A", in the aliases' order) unless `real_names`;
every string that goes out, chart labels included, has the pseudonyms applied (with the
aliases, each case's real name counts as a real name too). What is still a real name, or
a form or close variant of one, refuses the report with where and the word: before
writing (chart labels are pictures, unreadable afterwards) and again in every XML part
of the written package. The file is written under a temporary name in its folder and
renamed at the end, readable by its owner only, so that a failed or refused report
leaves nothing; the charts are drawn in a temporary folder beside it, removed after.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from vinr_qual.analysis.facts import Facts, load_facts
from vinr_qual.analysis.framework import framework
from vinr_qual.analysis.matrix import MISSING, Matrix, code_matrix
from vinr_qual.codebook.project_codes import read_codebook
from vinr_qual.errors import VinrQualError
from vinr_qual.export.report import (
    Table,
    agreement_tables,
    bar_chart,
    figures_table,
    heat_map,
    kind_table,
    matrix_table,
    pairs_table,
)
from vinr_qual.project import Project
from vinr_qual.quoting import basket, outputs, pseudonyms
from vinr_qual.quoting.attribution import aliases

if TYPE_CHECKING:
    from docx.document import Document

GROUP_ATTRIBUTE = "kommungrupp"
BAND_ATTRIBUTE = "folkmängd"  # a number: in population bands (vinr_qual.analysis.matrix)
FRAMEWORK_COLUMNS = 3  # codes per framework table, beside the case column
_NUMBER = re.compile(r"^[\d\s.,%–-]+$")


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Text:
    text: str


@dataclass
class Chart:
    title: str
    matrix: Matrix
    heat: bool  # a heat map of the cells; else bars of the row totals


@dataclass
class Quoted:
    label: str
    text: str
    by: str


Item = Heading | Text | Table | Chart | Quoted


def write_docx(
    project: Project,
    path: Path,
    facts: Facts,
    *,
    coders: list[str] | None = None,
    by_coder: bool = False,
    include_interviewer: bool = False,
    real_names: bool = False,
) -> Path:
    """Write the report to `path` (.docx); `facts` are the passages counted for it."""
    table = _table(project, real_names)
    _refuse(table, [("the file name", path.name)])
    cases = _CaseNames(project, real_names)
    items = [
        Heading("Rapport", 0),
        Text(
            "Fallen heter här med sina riktiga namn."
            if real_names
            else "Fallen heter här med sina alias (Kommun A, Kommun B …); personers och"
            " platsers namn har sina pseudonymer."
        ),
        *_figures(project, facts),
        *_codebook(project),
    ]
    if by_coder:
        assert facts.counted is not None
        for coder in facts.counted.coders:
            own = load_facts(
                project, coders=[coder], by_coder=True, include_interviewer=include_interviewer
            )
            items.extend(_matrices(project, own, cases, f" – {coder}"))
    else:
        items.extend(_matrices(project, facts, cases, ""))
    items.extend(_agreement(project, coders, include_interviewer))
    items.extend(_framework(project, cases, coders, include_interviewer))
    items.extend(_quotes(project))
    items = [_pseudonymised(item, table) for item in items]
    _refuse(table, list(_texts(items)))

    try:
        handle, temporary = tempfile.mkstemp(prefix=".vinr-qual-", suffix=".docx", dir=path.parent)
    except OSError as error:
        raise VinrQualError(f"{path}: cannot write in {path.parent} ({error.strerror})") from error
    os.close(handle)
    scratch = Path(temporary)
    try:
        os.chmod(scratch, 0o600)
        with tempfile.TemporaryDirectory(prefix=".vinr-qual-", dir=path.parent) as folder:
            _write(scratch, items, Path(folder))
        # every XML part, runs joined as Word shows them (the file name is checked above)
        _refuse(table, pseudonyms.file_texts(scratch)[1:])
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)
    return path


# -- what must not go out ----------------------------------------------------------------


def _table(project: Project, real_names: bool) -> pseudonyms.Table:
    """The pseudonym table; with aliases, every case's real name is a real name too, and
    with real names no case's name is one."""
    table = pseudonyms.load_table(project)
    if real_names:
        names = {str(row[0]).casefold() for row in project.db.execute("SELECT name FROM cases")}
        kept = [entry for entry in table.entries if entry.real.casefold() not in names]
        return table if len(kept) == len(table) else pseudonyms.Table(kept)
    for case, alias in aliases(project).items():
        table = table.with_name(case, alias, kind="municipality")
    return table


def _refuse(table: pseudonyms.Table, texts: list[tuple[str, str]]) -> None:
    for where, text in texts:
        for leak in table.leaks(text):
            raise VinrQualError(
                f"{where}: {leak.word!r} would go out in the report, a form of the real name"
                f" {leak.name!r}; add a pseudonym for it (`vinr-qual pseudonyms add`) or"
                " change the text; nothing was written"
            )


def _pseudonymised(item: Item, table: pseudonyms.Table) -> Item:
    fix = table.apply
    if isinstance(item, Heading):
        return Heading(fix(item.text), item.level)
    if isinstance(item, Text):
        return Text(fix(item.text))
    if isinstance(item, Table):
        return Table(
            fix(item.title),
            [fix(cell) for cell in item.header],
            [[fix(cell) for cell in row] for row in item.rows],
            fix(item.note) if item.note else None,
        )
    if isinstance(item, Chart):
        return Chart(fix(item.title), _relabelled(item.matrix, fix), item.heat)
    return item  # a quote: prepared with the pseudonyms applied


def _texts(items: list[Item]) -> Iterator[tuple[str, str]]:
    """(where, text) of every string the report holds, chart labels included."""
    where = "the report"
    for item in items:
        if isinstance(item, Heading):
            where = f"the section {item.text!r}"
            yield where, item.text
        elif isinstance(item, Text):
            yield where, item.text
        elif isinstance(item, Table):
            inside = f"{where}, table {item.title!r}" if item.title else where
            for text in [item.title, item.note or "", *item.header]:
                yield inside, text
            for row in item.rows:
                for text in row:
                    yield inside, text
        elif isinstance(item, Chart):
            inside = f"the chart {item.title!r}"
            yield inside, item.title
            for _, label in [*item.matrix.rows, *item.matrix.columns]:
                yield inside, label
        else:
            yield item.label, item.text
            yield item.label, item.by


def _relabelled(matrix: Matrix, fix: Callable[[str], str]) -> Matrix:
    return replace(
        matrix,
        rows=[(key, fix(label)) for key, label in matrix.rows],
        columns=[(key, fix(label)) for key, label in matrix.columns],
    )


class _CaseNames:
    """Cases as the report names them: their aliases, in the aliases' order, or with
    `real_names` their names, in the order of their names."""

    def __init__(self, project: Project, real_names: bool) -> None:
        cases = project.db.execute("SELECT id, name FROM cases ORDER BY name").fetchall()
        names = {str(case_id): str(name) for case_id, name in cases}
        if real_names:
            self.shown = names
            order = list(names.values())
        else:
            known = aliases(project)
            self.shown = {key: known.get(name, name) for key, name in names.items()}
            order = list(known.values())
        self.rank = {name: index for index, name in enumerate(order)}

    def key(self, label: str) -> tuple[int, str]:
        return (self.rank.get(label, len(self.rank)), label)

    def columns(self, matrix: Matrix) -> Matrix:
        """A matrix whose columns are cases, with them named and ordered so."""
        columns = [(key, self.shown.get(key, label)) for key, label in matrix.columns]
        named = sorted((c for c in columns if c[0] != MISSING), key=lambda c: self.key(c[1]))
        return replace(matrix, columns=named + [c for c in columns if c[0] == MISSING])


# -- the sections ------------------------------------------------------------------------


def _figures(project: Project, facts: Facts) -> list[Item]:
    figures = figures_table(project, facts)
    return [Heading(figures.title), replace(figures, title="", header=["", "antal"])]


def _codebook(project: Project) -> list[Item]:
    book = read_codebook(project)
    paths = book.paths()
    rows = [
        [
            paths[code.id],
            code.name_en or "",
            code.definition or "",
            code.use_when or "",
            code.not_when or "",
        ]
        for code, _, _ in book.walk()
    ]
    if not rows:
        return [Heading("Kodbok"), Text("Kodboken har inga koder.")]
    header = ["kod", "engelskt namn", "definition", "används när", "används inte när"]
    return [Heading("Kodbok"), Table("", header, rows)]


def _matrices(project: Project, facts: Facts, cases: _CaseNames, suffix: str) -> list[Item]:
    by_code = cases.columns(code_matrix(project, rows="code", columns="case", facts=facts))
    by_family = cases.columns(code_matrix(project, rows="family", columns="case", facts=facts))
    items: list[Item] = [Heading(f"Matriser efter fall{suffix}")]
    if suffix and facts.counted is not None:  # a coder's own section
        items.append(Text(facts.counted.line_sv()))
    items += [
        Chart(f"Kodfrekvenser{suffix}", by_code, heat=False),
        matrix_table(f"Kodfamiljer × fall (antal passager){suffix}", by_family),
        Chart(f"Kodfamiljer × fall{suffix}", by_family, heat=True),
        matrix_table(f"Koder × fall (antal passager){suffix}", by_code),
    ]
    attributes = {row[0] for row in project.db.execute("SELECT DISTINCT name FROM case_attributes")}
    items.append(Heading(f"Matriser efter kommungrupp och folkmängd{suffix}"))
    groups = []  # (dimension, as the titles name it)
    if GROUP_ATTRIBUTE in attributes:
        groups.append((f"attr:{GROUP_ATTRIBUTE}", GROUP_ATTRIBUTE))
    if BAND_ATTRIBUTE in attributes:
        groups.append((f"band:{BAND_ATTRIBUTE}", f"{BAND_ATTRIBUTE} i band"))
    for columns, named in groups:
        matrix = code_matrix(project, rows="family", columns=columns, measure="share", facts=facts)
        items += [
            matrix_table(f"Kodfamiljer × {named} (andel av texten){suffix}", matrix),
            Chart(f"Kodfamiljer × {named}{suffix}", matrix, heat=True),
        ]
    if not groups:
        items.append(
            Text(
                f"Inga fall har attributen {GROUP_ATTRIBUTE} eller {BAND_ATTRIBUTE}"
                " (`vinr-qual cases set`)."
            )
        )
    items += [
        Heading(f"Dokumenttyper och koder som delar mening{suffix}"),
        kind_table(project, facts, suffix),
        pairs_table(project, facts, suffix),
    ]
    return items


def _agreement(project: Project, coders: list[str] | None, include_interviewer: bool) -> list[Item]:
    tables = agreement_tables(project, coders, include_interviewer)
    if not tables:
        return [
            Heading("Samstämmighet mellan kodare"),
            Text("Ingen samstämmighet att visa: den kräver två kodare som kodat samma dokument."),
        ]
    return [Heading("Samstämmighet mellan kodare"), *tables]


def _framework(
    project: Project, cases: _CaseNames, coders: list[str] | None, include_interviewer: bool
) -> list[Item]:
    items: list[Item] = [Heading("Ramverksmatris")]
    summarised = {str(row[0]) for row in project.db.execute(
        "SELECT DISTINCT code_id FROM framework_cells WHERE trim(summary) != ''"
    )}  # fmt: skip
    codes = [code.id for code, _, _ in read_codebook(project).walk() if code.id in summarised]
    if not codes:
        items.append(
            Text("Ramverksmatrisen har inga sammanfattningar än (`vinr-qual framework set`).")
        )
        return items
    found = framework(project, codes, coders=coders, include_interviewer=include_interviewer)
    if found.counted is not None:
        items.append(Text(found.counted.line_sv()))
    rows = sorted(found.cases, key=lambda case: cases.key(cases.shown.get(str(case[0]), case[1])))
    parts = [
        found.codes[start : start + FRAMEWORK_COLUMNS]
        for start in range(0, len(found.codes), FRAMEWORK_COLUMNS)
    ]
    for number, part in enumerate(parts, start=1):
        cells = []
        for case_id, name in rows:
            row = [cases.shown.get(str(case_id), name)]
            for code_id, _ in part:
                cell = found.cells[(case_id, code_id)]
                passages = f"{cell.passages} {'passage' if cell.passages == 1 else 'passager'}"
                row.append(f"{cell.summary or '–'}\n({passages})")
            cells.append(row)
        title = f"Del {number} av {len(parts)}" if len(parts) > 1 else ""
        items.append(Table(title, ["fall", *[label for _, label in part]], cells))
    return items


def _quotes(project: Project) -> list[Item]:
    items: list[Item] = [Heading("Citat ur korgen")]
    if not basket.list_quotes(project):
        items.append(Text("Korgen är tom (`vinr-qual quotes add` lägger passager i den)."))
        return items
    for theme, quotes in outputs.by_theme(outputs.prepare(project, notes=False)):
        items.append(Heading(theme, 2))
        items.extend(
            Quoted(quote.label, quote.text, f"({quote.attribution}) [{quote.label}]")
            for quote in quotes
        )
    return items


# -- Word --------------------------------------------------------------------------------


def _write(path: Path, items: list[Item], charts: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = docx.Document()
    properties = document.core_properties
    properties.title = "Rapport"
    properties.author = "vinr-qual"
    properties.last_modified_by = "vinr-qual"
    properties.comments = ""
    properties.keywords = ""
    level = 1
    for number, item in enumerate(items):
        if isinstance(item, Heading):
            document.add_heading(item.text, level=item.level)
            level = item.level
        elif isinstance(item, Text):
            document.add_paragraph(item.text)
        elif isinstance(item, Table):
            if item.title:
                document.add_heading(item.title, level=min(level + 1, 9))
            if item.note:
                document.add_paragraph(item.note)
            _word_table(document, item)
        elif isinstance(item, Chart):
            document.add_heading(item.title, level=min(level + 1, 9))
            picture = charts / f"diagram-{number}.png"
            (heat_map if item.heat else bar_chart)(item.matrix, picture)
            document.add_picture(str(picture), width=Cm(16))
        else:
            quote = document.add_paragraph(item.text, style="Quote")
            quote.paragraph_format.left_indent = Cm(1)
            quote.paragraph_format.right_indent = Cm(1)
            by = document.add_paragraph(item.by)
            by.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in by.runs:
                run.font.size = Pt(9)
    document.save(str(path))


def _word_table(document: Document, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    header = grid.rows[0]
    repeat = OxmlElement("w:tblHeader")  # the header row again on every page
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header.cells, table.header, strict=True):
        cell.text = text
    for row in table.rows:
        for index, (cell, text) in enumerate(zip(grid.add_row().cells, row, strict=True)):
            cell.text = text
            if index and _NUMBER.match(text):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for index, row in enumerate(grid.rows):
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
                    run.bold = index == 0 or None
    if not table.rows:
        document.add_paragraph("Inga rader.")
