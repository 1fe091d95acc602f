"""One report an author can drop into a draft: tables and charts, as HTML, Markdown or Word.

For .html and .md the charts are PNG files (matplotlib, drawn without a screen) in a
folder beside the report, named after it. The report holds: the project in figures, code
frequencies (chart), families × cases (heat map), codes × cases, families × kommungrupp
and × document kind where those exist, the pairs of codes that most often share a
sentence, and intercoder agreement when two or more people coded the same documents. A
.docx holds its charts as pictures, and more besides, for a draft that goes out: the
codebook, the framework matrix, the basket's quotes, cases by their aliases and no real
name (see vinr_qual.export.report_docx).

Counted as every analysis counts (vinr_qual.analysis.facts): each passage once however
many coders coded it, the interviewer's speech left out unless asked for, only some
coders' codings if chosen; `by_coder` gives the tables once per coder. The report says
what it counted, above its tables.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from vinr_qual.analysis.cooccurrence import cooccurrence
from vinr_qual.analysis.facts import Facts, load_facts
from vinr_qual.analysis.matrix import Matrix, code_matrix
from vinr_qual.analysis.stats import project_stats
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project

FORMATS = (".docx", ".html", ".md")


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[str]]
    note: str | None = None  # a line under the title: what was counted


def matrix_table(title: str, matrix: Matrix) -> Table:
    def show(value: float) -> str:
        return f"{value:.1%}" if matrix.measure == "share" else f"{value:g}"

    header = ["", *[label for _, label in matrix.columns], "totalt"]
    rows = [
        [
            label,
            *[show(matrix.value(key, column)) for column, _ in matrix.columns],
            show(matrix.row_totals[key]),
        ]
        for key, label in matrix.rows
    ]
    return Table(title, header, rows)


def bar_chart(matrix: Matrix, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [label.split(" > ")[-1] for _, label in matrix.rows]
    values = [matrix.row_totals[key] for key, _ in matrix.rows]
    height = max(3.0, 0.28 * len(labels) + 1)
    figure, axes = plt.subplots(figsize=(8, height))
    axes.barh(labels[::-1], values[::-1], color="#2a9d8f")
    axes.set_xlabel("kodade passager (varje passage en gång)")
    if labels:
        figure.tight_layout()
    else:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "inga passager räknade", ha="center", va="center")
    figure.savefig(path, dpi=120)
    plt.close(figure)


def heat_map(matrix: Matrix, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def show(value: float) -> str:
        return f"{value:.0%}" if matrix.measure == "share" else f"{value:g}"

    data = [[matrix.value(r, c) for c, _ in matrix.columns] for r, _ in matrix.rows]
    if not data or not data[0]:
        figure, axes = plt.subplots(figsize=(4.0, 2.5))
        axes.text(0.5, 0.5, "inga passager räknade", ha="center", va="center")
        axes.set_axis_off()
        figure.savefig(path, dpi=120)
        plt.close(figure)
        return
    # room below for the column labels, slanted: long ones (a kommungrupp) need more
    longest = max(len(label) for _, label in matrix.columns)
    below = 0.07 * max(0, longest - 12)
    figure, axes = plt.subplots(
        figsize=(
            max(4.0, 0.6 * len(matrix.columns) + 3),
            max(2.5, 0.5 * len(matrix.rows) + 1.5) + below,
        )
    )
    image = axes.imshow(data, cmap="YlGnBu", aspect="auto")
    axes.set_xticks(
        range(len(matrix.columns)), [label for _, label in matrix.columns], rotation=45, ha="right"
    )
    axes.set_yticks(range(len(matrix.rows)), [label for _, label in matrix.rows])
    for i, row in enumerate(data):
        for j, value in enumerate(row):
            axes.text(j, i, show(value), ha="center", va="center", fontsize=7)
    if matrix.measure == "share":
        from matplotlib.ticker import PercentFormatter

        figure.colorbar(image, ax=axes, format=PercentFormatter(1.0, decimals=0))
    else:
        figure.colorbar(image, ax=axes)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def write_report(
    project: Project,
    path: Path,
    *,
    coders: list[str] | None = None,
    by_coder: bool = False,
    include_interviewer: bool = False,
    real_names: bool = False,
) -> list[Path]:
    """Write the report; returns the files written (the report and its charts; a .docx
    alone, its charts inside). A .docx names the cases by their aliases unless
    `real_names`; .html and .md name them by their names."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise VinrQualError(f"{path}: write the report as .docx, .html or .md")
    if not path.parent.is_dir():
        raise VinrQualError(f"{path}: the folder {path.parent} does not exist")
    facts = load_facts(project, coders=coders, include_interviewer=include_interviewer)
    counted = facts.counted
    assert counted is not None
    if not facts and not counted.interviewer_codings:
        raise VinrQualError("nothing is coded yet: a report needs accepted codings")
    if suffix == ".docx":
        from vinr_qual.export.report_docx import write_docx

        return [
            write_docx(
                project,
                path,
                facts,
                coders=coders,
                by_coder=by_coder,
                include_interviewer=include_interviewer,
                real_names=real_names,
            )
        ]
    charts = path.with_name(f"{path.stem}_filer")
    charts.mkdir(exist_ok=True)
    by_code = code_matrix(project, rows="code", columns="case", facts=facts)
    by_family = code_matrix(project, rows="family", columns="case", facts=facts)
    tables = [figures_table(project, facts)]
    if by_coder:
        for coder in counted.coders:
            own = load_facts(
                project, coders=[coder], by_coder=True, include_interviewer=include_interviewer
            )
            tables.extend(_passage_tables(project, own, f" – {coder}"))
    else:
        tables.extend(_passage_tables(project, facts, "", by_code, by_family))
    tables.extend(agreement_tables(project, coders, include_interviewer))
    bar, heat = charts / "kodfrekvenser.png", charts / "familjer-fall.png"
    bar_chart(by_code, bar)
    heat_map(by_family, heat)
    images = [("Kodfrekvenser", bar), ("Kodfamiljer × fall", heat)]
    if suffix == ".html":
        path.write_text(_html(tables, images, path), encoding="utf-8")
    else:
        path.write_text(_markdown(tables, images, path), encoding="utf-8")
    return [path, bar, heat]


def figures_table(project: Project, facts: Facts) -> Table:
    """The project in figures, with what was counted as its note."""
    counted = facts.counted
    assert counted is not None
    stats = project_stats(project)
    return Table(
        "Projektet i siffror",
        ["", ""],
        [
            ["dokument", str(stats["documents"])],
            ["ord", str(stats["words"])],
            ["fall", str(stats["cases"])],
            ["kodade passager (varje en gång)", str(len(facts))],
            ["kodningar bakom dem", str(counted.codings)],
            ["kodare", str(len(counted.coders))],
        ],
        counted.line_sv(),
    )


def _passage_tables(
    project: Project,
    facts: Facts,
    suffix: str,
    by_code: Matrix | None = None,
    by_family: Matrix | None = None,
) -> list[Table]:
    """The matrices and the codes sharing sentences, counted from `facts`; the first
    table says what was counted."""
    by_code = by_code or code_matrix(project, rows="code", columns="case", facts=facts)
    by_family = by_family or code_matrix(project, rows="family", columns="case", facts=facts)
    tables = [
        matrix_table(f"Kodfamiljer × fall (antal passager){suffix}", by_family),
        matrix_table(f"Koder × fall (antal passager){suffix}", by_code),
    ]
    if facts.counted is not None and suffix:  # a coder's own section
        tables[0].note = facts.counted.line_sv()
    attributes = {row[0] for row in project.db.execute("SELECT DISTINCT name FROM case_attributes")}
    if "kommungrupp" in attributes:
        tables.append(
            matrix_table(
                f"Kodfamiljer × kommungrupp (andel av texten){suffix}",
                code_matrix(
                    project, rows="family", columns="attr:kommungrupp", measure="share", facts=facts
                ),
            )
        )
    tables.append(kind_table(project, facts, suffix))
    tables.append(pairs_table(project, facts, suffix))
    return tables


def kind_table(project: Project, facts: Facts, suffix: str = "") -> Table:
    return matrix_table(
        f"Kodfamiljer × dokumenttyp (antal passager){suffix}",
        code_matrix(project, rows="family", columns="kind", facts=facts),
    )


def pairs_table(project: Project, facts: Facts, suffix: str = "") -> Table:
    """The pairs of codes that most often share a sentence."""
    together = cooccurrence(project, mode="sentence", facts=facts)
    names = dict(project.db.execute("SELECT id, name FROM codes").fetchall())
    pairs = sorted(((n, a, b) for (a, b), n in together.counts.items() if a < b), reverse=True)[:15]
    return Table(
        f"Koder som oftast delar mening{suffix}",
        ["kod", "kod", "meningar", "koefficient"],
        [[names[a], names[b], str(n), f"{together.coefficient(a, b):.2f}"] for n, a, b in pairs],
    )


def agreement_tables(
    project: Project, chosen: list[str] | None = None, include_interviewer: bool = False
) -> list[Table]:
    from vinr_qual.analysis.agreement import agreement

    coders = [
        row[0]
        for row in project.db.execute(
            "SELECT k.name FROM codings g JOIN coders k ON k.id = g.coder_id"
            " WHERE g.status = 'accepted' AND g.origin = 'manual' GROUP BY k.id"
        )
    ]
    if chosen:
        coders = [name for name in coders if name in chosen]
    if len(coders) < 2:
        return []
    try:
        result = agreement(
            project, coders, unit="sentence", include_interviewer=include_interviewer
        )
    except VinrQualError:
        return []

    def show(value: float | None) -> str:
        return "–" if value is None else f"{value:.2f}"

    rows = [
        [
            name,
            f"{f.coded_units:g}",
            show(f.coded_percent),
            f"{f.units:g}",
            show(f.percent),
            show(f.kappa),
            show(f.alpha),
        ]
        for name, f in [*result.per_code.items(), ("totalt", result.overall)]
    ]
    speech = (
        "intervjuarens tal medräknat"
        if include_interviewer
        else f"intervjuarens tal utelämnat ({result.left_out:g} meningar)"
    )
    return [
        Table(
            f"Samstämmighet mellan kodare ({', '.join(coders)}; meningar)",
            [
                "kod",
                "kodade meningar",
                "överensstämmelse (kodade)",
                "alla meningar",
                "överensstämmelse (alla)",
                "kappa",
                "alfa",
            ],
            rows,
            f"Jämfört: {len(result.documents)} dokument som alla kodat, {speech}."
            " Överensstämmelsen att citera är den över meningar som någon av kodarna kodat;"
            " den över alla meningar stiger med varje mening ingen kodat. Kappa och alfa"
            " räknas över alla meningar.",
        )
    ]


def _html(tables: list[Table], images: list[tuple[str, Path]], path: Path) -> str:
    parts = [
        "<!doctype html><html lang='sv'><meta charset='utf-8'><title>vinr-qual</title>",
        "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
        "padding:2px 6px;text-align:right}td:first-child{text-align:left}</style>",
        "<h1>Rapport</h1>",
    ]
    for title, image in images:
        parts.append(
            f"<h2>{html.escape(title)}</h2><img src='{image.parent.name}/{image.name}'"
            f" alt='{html.escape(title)}'>"
        )
    for table in tables:
        parts.append(f"<h2>{html.escape(table.title)}</h2>")
        if table.note:
            parts.append(f"<p>{html.escape(table.note)}</p>")
        parts.append("<table><tr>")
        parts.extend(f"<th>{html.escape(cell)}</th>" for cell in table.header)
        parts.append("</tr>")
        for row in table.rows:
            parts.append(
                "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
            )
        parts.append("</table>")
    return "\n".join(parts) + "\n</html>\n"


def _markdown(tables: list[Table], images: list[tuple[str, Path]], path: Path) -> str:
    parts = ["# Rapport", ""]
    for title, image in images:
        parts += [f"## {title}", "", f"![{title}]({image.parent.name}/{image.name})", ""]
    for table in tables:
        parts += [f"## {table.title}", ""]
        if table.note:
            parts += [table.note, ""]
        parts.append("| " + " | ".join(cell.replace("|", "\\|") for cell in table.header) + " |")
        parts.append("|" + "|".join("---" for _ in table.header) + "|")
        for row in table.rows:
            parts.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
        parts.append("")
    return "\n".join(parts)
