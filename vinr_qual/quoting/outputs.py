"""The basket's quotes out to Word, Markdown or CSV, with pseudonyms, and never a real name.

Each quote is checked against its source first (a changed source is refused, naming the
quote), attributed from the project's templates, and every string that goes out (quote,
attribution, note, theme, sources, file name) has the pseudonyms applied: the table's
real names, and the real names of the cases, which are replaced by their aliases. Then
the whole output is searched for any real name or close variant; one found refuses the
export with the quote and the word, unless the author allowed that word (the allowance
is logged with who and why). A .docx is checked after it is written, in every XML part
of the package (body, tables, headers, footers, notes, document properties), and is
written under a temporary name first, so that a refused or failed export leaves nothing.
The file is readable by its owner only: quotes are sensitive data.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project
from vinr_qual.quoting import basket, pseudonyms
from vinr_qual.quoting.attribution import KINDS_SV, Attributor, aliases

FORMATS = (".docx", ".md", ".csv")
NO_THEME = "Övrigt"


@dataclass
class Prepared:
    """One quote as it goes out, pseudonyms applied."""

    label: str
    theme: str
    text: str
    attribution: str
    note: str | None
    source: str  # "Intervju 3, Kommun A, 2025-11-05": never the file name
    kind: str


def prepare(project: Project, *, notes: bool = True) -> list[Prepared]:
    """The basket in order, checked against its sources and attributed."""
    quotes = basket.list_quotes(project)
    if not quotes:
        raise VinrQualError("the basket is empty: `vinr-qual quotes add` puts passages in it")
    attributor = Attributor(project)
    table = _table(project)
    prepared = []
    for quote in quotes:
        checked = basket.check(project, quote)
        if checked.state != "ok":
            raise VinrQualError(f"{checked.message}; run `vinr-qual quotes check` first")
        assert quote.document_id is not None
        source = attributor.source(quote.document_id, quote.start, quote.end)
        by = attributor.line(source)
        number = attributor.numbers.get(quote.document_id, 0)
        alias = attributor.aliases.get(source.case or "", "")
        described = ", ".join(
            part
            for part in (f"{KINDS_SV.get(source.kind, source.kind).capitalize()} {number}",
                         alias, source.date or "")
            if part
        )  # fmt: skip
        prepared.append(
            Prepared(
                quote.label,
                table.apply(quote.theme or quote.code or NO_THEME),
                table.apply(quote.shown),
                table.apply(by),
                table.apply(quote.note) if notes and quote.note else None,
                table.apply(described),
                source.kind,
            )
        )
    return prepared


def _table(project: Project) -> pseudonyms.Table:
    """The pseudonym table, with every case's real name mapped to its alias as well."""
    table = pseudonyms.load_table(project)
    for case, alias in aliases(project).items():
        table = table.with_name(case, alias, kind="municipality")
    return table


def by_theme(prepared: list[Prepared]) -> list[tuple[str, list[Prepared]]]:
    """Themes in the order their first quote stands in the basket."""
    groups: dict[str, list[Prepared]] = {}
    for quote in prepared:
        groups.setdefault(quote.theme, []).append(quote)
    return list(groups.items())


def export(
    project: Project,
    path: Path,
    *,
    sources: bool = False,
    notes: bool = False,
    allowed: dict[str, str] | None = None,
) -> Path:
    """Write the basket to `path` (.docx, .md or .csv). `allowed` maps words the author
    lets through to the reason, each logged."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise VinrQualError(f"{path}: quotes go out as {', '.join(FORMATS)}")
    prepared = prepare(project, notes=notes)
    table = _table(project)
    allowed = {word.casefold(): why for word, why in (allowed or {}).items()}
    _refuse_leaks(table, [("the file name", path.name)], allowed)
    _refuse_leaks(
        table,
        [
            (quote.label, text)
            for quote in prepared
            for text in (quote.theme, quote.text, quote.attribution, quote.note or "", quote.source)
        ],
        allowed,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".vinr-qual-", suffix=suffix, dir=path.parent)
    os.close(handle)
    scratch = Path(temporary)
    try:
        os.chmod(scratch, 0o600)
        if suffix == ".docx":
            _write_docx(scratch, prepared, sources)
            # every XML part, runs joined as Word shows them
            _refuse_leaks(table, pseudonyms.file_texts(scratch), allowed)
        elif suffix == ".md":
            scratch.write_text(_markdown(prepared, sources), encoding="utf-8")
        else:
            scratch.write_text(_csv(prepared), encoding="utf-8-sig")
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)
    for word, why in allowed.items():
        pseudonyms.record_override(project, str(path), word, why)
    return path


def _refuse_leaks(
    table: pseudonyms.Table, texts: list[tuple[str, str]], allowed: dict[str, str]
) -> None:
    for where, text in texts:
        for leak in table.leaks(text):
            if leak.word.casefold() in allowed or leak.name.casefold() in allowed:
                continue
            raise VinrQualError(
                f"{where}: {leak.word!r} would go out, a variant of the real name"
                f" {leak.name!r}; add a pseudonym, trim the quote, or let it through with"
                f" --allow {leak.word!r} --why REASON"
            )


def _write_docx(path: Path, prepared: list[Prepared], sources: bool) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = docx.Document()
    properties = document.core_properties
    properties.title = "Citat"
    properties.author = "vinr-qual"
    properties.last_modified_by = "vinr-qual"
    properties.comments = ""
    properties.keywords = ""
    document.add_heading("Citat", level=0)
    for theme, quotes in by_theme(prepared):
        document.add_heading(theme, level=1)
        for quote in quotes:
            paragraph = document.add_paragraph(quote.text, style="Quote")
            paragraph.paragraph_format.left_indent = Cm(1)
            paragraph.paragraph_format.right_indent = Cm(1)
            by = document.add_paragraph(f"({quote.attribution}) [{quote.label}]")
            by.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in by.runs:
                run.font.size = Pt(9)
            if quote.note:
                note = document.add_paragraph(quote.note)
                for run in note.runs:
                    run.italic = True
                    run.font.size = Pt(9)
    if sources:
        document.add_heading("Källor", level=1)
        rows = sorted({quote.source for quote in prepared})
        table = document.add_table(rows=1, cols=1)
        table.style = "Table Grid"
        table.rows[0].cells[0].text = "Källa"
        for row in rows:
            table.add_row().cells[0].text = row
    document.save(str(path))


def _markdown(prepared: list[Prepared], sources: bool) -> str:
    lines = ["# Citat", ""]
    for theme, quotes in by_theme(prepared):
        lines += [f"## {theme}", ""]
        for quote in quotes:
            lines += [f"> {quote.text}", ">", f"> — {quote.attribution} [{quote.label}]", ""]
            if quote.note:
                lines += [f"*{quote.note}*", ""]
    if sources:
        lines += ["## Källor", ""]
        lines += [f"- {row}" for row in sorted({quote.source for quote in prepared})]
        lines.append("")
    return "\n".join(lines)


def _csv(prepared: list[Prepared]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "theme", "quote", "attribution", "note", "source", "kind"])
    for quote in prepared:
        writer.writerow(
            [
                quote.label,
                _safe_cell(quote.theme),
                _safe_cell(quote.text),
                _safe_cell(quote.attribution),
                _safe_cell(quote.note or ""),
                _safe_cell(quote.source),
                quote.kind,
            ]
        )
    return out.getvalue()


def _safe_cell(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
