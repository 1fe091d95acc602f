"""`vinr-qual analyse` and `vinr-qual framework`: themes across cases, and agreement."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from vinr_qual.cli.options import (
    attribute_pair,
    json_option,
    open_project,
    print_json,
    print_table,
    project_option,
)

DIMENSIONS_HELP = (
    "code, family, case, attr:NAME, band:NAME, kind, case+kind (each case's interviews"
    " beside its steering documents), role or coder"
)


def _number(value: float, measure: str) -> str:
    if measure == "share":
        return f"{value:.1%}"
    return f"{value:g}"


F = TypeVar("F", bound=Callable[..., Any])


def counting_options(*, by_coder: bool = True) -> Callable[[F], F]:
    """--coder (repeatable), --by-coder and --include-interviewer."""

    def decorate(function: F) -> F:
        function = click.option(
            "--include-interviewer",
            is_flag=True,
            help="Count codings in the interviewer's speech too (left out by default).",
        )(function)
        if by_coder:
            function = click.option(
                "--by-coder",
                is_flag=True,
                help="Each coder's passages on their own: one table per coder.",
            )(function)
        return click.option(
            "--coder",
            "coders",
            multiple=True,
            help="Count only this coder's codings; repeat for more.",
        )(function)

    return decorate


def _counted_coders(project: Any, suggested: bool, coders: tuple[str, ...]) -> list[str]:
    """The coders an analysis by coder shows: those chosen, or all with codings counted."""
    from vinr_qual.analysis.facts import coders_with_codings

    return list(coders) if coders else coders_with_codings(project, include_suggested=suggested)


def _output(
    header: list[str], rows: list[list[Any]], out: Path | None, as_json: bool, data: Any
) -> None:
    from vinr_qual.export.tables import write_table

    if out:
        write_table(out, header, rows)
        click.echo(f"{out}: {len(rows)} rows written")
    elif as_json:
        print_json(data)
    else:
        print_table(rows, header)


@click.group()
def analyse() -> None:
    """Matrices of codes by case (or any dimension), co-occurrence and agreement.

    Only accepted codings count unless --suggested is given. A passage counts once
    however many coders coded it (codings of the same code that overlap are one
    passage); --by-coder gives each coder's own figures, --coder NAME only some coders'.
    The interviewer's speech is left out unless --include-interviewer. Every output
    says what it counted. Write a table with --out FILE.csv or FILE.xlsx; --json
    prints it for scripts.
    """


@analyse.command("matrix")
@click.option("--rows", default="code", show_default=True, help=DIMENSIONS_HELP)
@click.option("--columns", default="case", show_default=True, help=DIMENSIONS_HELP)
@click.option(
    "--measure",
    default="passages",
    show_default=True,
    type=click.Choice(["passages", "documents", "speakers", "words", "share", "presence"]),
    help="presence: in how many cases (municipalities).",
)
@click.option("--suggested", is_flag=True, help="Count suggested codings too.")
@counting_options()
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="A .csv or .xlsx file."
)
@json_option
@project_option
def matrix_command(
    rows: str,
    columns: str,
    measure: str,
    suggested: bool,
    coders: tuple[str, ...],
    by_coder: bool,
    include_interviewer: bool,
    out: Path | None,
    as_json: bool,
    project_path: str | None,
) -> None:
    """A matrix, e.g. codes × cases, families × kommungrupp, codes × kind, codes × role.

    --columns case+kind puts each case's interviews beside its steering documents: the
    table has the case names over their kind columns, and "–" where a case has no
    documents of a kind; files have one column per case and kind ("Aby / steering").
    Rows of codes are named by the code; files and --json give each code's path too
    (path1, path2, …: the family first).
    """
    from vinr_qual.analysis.facts import load_facts
    from vinr_qual.analysis.matrix import code_matrix

    dimensions = {rows.partition(":")[0], columns.partition(":")[0]}
    split = by_coder and "coder" not in dimensions  # one matrix per coder
    with open_project(project_path) as project:
        groups: list[str | None] = [*_counted_coders(project, suggested, coders)] if split else []
        groups = groups or [None]
        found = []
        for coder in groups:
            chosen = [coder] if coder else list(coders) or None
            counting: dict[str, Any] = {
                "include_suggested": suggested,
                "coders": chosen,
                "by_coder": by_coder or "coder" in dimensions,
                "include_interviewer": include_interviewer,
            }
            # for scripts, every cell lists its passages: that needs one fact per passage
            facts = load_facts(project, **counting) if as_json else None
            found.append(
                (
                    coder,
                    code_matrix(
                        project,
                        rows=rows,
                        columns=columns,
                        measure=measure,
                        **counting,
                        facts=facts,
                    ),
                )
            )
    tables = [(coder, *_matrix_table(matrix, rows, measure)) for coder, matrix in found]
    if out:
        from vinr_qual.export.tables import write_table

        depth = max((len(p) for _, m in found for p in m.paths.values()), default=0)
        depth = depth if rows.partition(":")[0] == "code" else 0
        # one header over every coder's columns (coders may differ in roles, kinds, …)
        labels = list(dict.fromkeys(label for _, m in found for _, label in m.columns))
        header = _file_header([rows, *labels, "total", "share of cases"], depth, split)
        lines = [
            line
            for (coder, matrix), (_, _, table, keys) in zip(found, tables, strict=True)
            for line in _file_rows(
                matrix, _aligned(matrix, table, labels, measure), keys, depth, coder
            )
        ]
        write_table(out, header, lines)
        click.echo(f"{out}: {len(lines)} rows written")
        for _, matrix in found:
            click.echo(_counted_line(matrix.counted))
        return
    if as_json:
        data = [_matrix_data(matrix) for _, matrix in found]
        if split:
            print_json(
                {
                    "by_coder": True,
                    "matrices": [
                        {"coder": coder, **item}
                        for (coder, _), item in zip(found, data, strict=True)
                    ],
                }
            )
        else:
            print_json(data[0])
        return
    for index, ((coder, matrix), (_, header, table, _)) in enumerate(
        zip(found, tables, strict=True)
    ):
        if coder:
            click.echo(("\n" if index else "") + f"Coder: {coder}")
        if matrix.groups:
            _print_grouped_table(matrix, header, table)
        else:
            print_table(table, header)
        click.echo(_counted_line(matrix.counted))


def _counted_line(counted: Any) -> str:
    return counted.line() if counted is not None else "Counted: the passages given"


def _matrix_table(
    found: Any, rows: str, measure: str
) -> tuple[list[str], list[list[Any]], list[str | None]]:
    """The header and rows of a matrix as a table (the totals last), and each row's key
    (None for the totals)."""
    # in a case+kind matrix, a column without documents of its kind reads "–", not 0
    absent = {c for c, _ in found.columns if found.groups and not found.column_documents[c]}

    def cell(value: float, column: str) -> str:
        return "–" if column in absent else _number(value, measure)

    header = [rows, *[label for _, label in found.columns], "total", "share of cases"]
    table = [
        [
            label,
            *[cell(found.value(key, column), column) for column, _ in found.columns],
            _number(found.row_totals[key], measure),
            f"{found.case_share[key]:.0%}",
        ]
        for key, label in found.rows
    ]
    table.append(
        [
            "total",
            *[cell(found.column_totals[c], c) for c, _ in found.columns],
            _number(found.total, measure),
            "",
        ]
    )
    return header, table, [key for key, _ in found.rows] + [None]


def _aligned(
    found: Any, table: list[list[Any]], labels: list[str], measure: str
) -> list[list[Any]]:
    """A matrix's table rows with their cells under `labels` (0 where it has none)."""
    own = [label for _, label in found.columns]
    if own == labels:
        return table
    rows = []
    for row in table:
        values = dict(zip(own, row[1 : 1 + len(own)], strict=True))
        zero = _number(0.0, measure)
        rows.append([row[0], *[values.get(label, zero) for label in labels], *row[1 + len(own) :]])
    return rows


def _file_header(header: list[str], depth: int, by_coder: bool) -> list[str]:
    """A file's header: the coder first (by coder), the row label, the path columns."""
    paths = [f"path{level}" for level in range(1, depth + 1)]
    return [*(["coder"] if by_coder else []), header[0], *paths, *header[1:]]


def _file_rows(
    found: Any, table: list[list[Any]], keys: list[str | None], depth: int, coder: str | None
) -> list[list[Any]]:
    lines = []
    for row, key in zip(table, keys, strict=True):
        path = list(found.paths.get(key, [])) if key is not None else []
        path = (path + [""] * depth)[:depth]
        lines.append([*([coder] if coder else []), row[0], *path, *row[1:]])
    return lines


def _matrix_data(found: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return {
        **asdict(found),
        "values": [
            {"row": r, "column": c, "value": v, "codings": found.cells.get((r, c), [])}
            for (r, c), v in found.values.items()
        ],
        "cells": None,
        "counted": found.counted.as_dict() if found.counted is not None else None,
    }


def _print_grouped_table(found: Any, header: list[str], table: list[list[Any]]) -> None:
    """The text table of a case+kind matrix: the case names on a line over their kinds."""
    kinds = [header[0], *[kind for group in found.groups for _, kind in group.columns]]
    kinds += header[len(kinds) :]
    widths = [len(name) for name in kinds]
    for row in table:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], len(str(value)))
    spans = []  # each case's name and the columns it stands over
    first = 1
    for group in found.groups:
        last = first + len(group.columns) - 1
        span = sum(widths[first : last + 1]) + 2 * (last - first)
        widths[last] += max(0, len(group.label) - span)
        spans.append((group.label, first, last))
        first = last + 1

    def line(cells: list[str]) -> str:
        padded = [value.ljust(widths[index]) for index, value in enumerate(cells[:-1])]
        return "  ".join([*padded, cells[-1]]).rstrip()

    top = [" " * widths[0]]
    for label, first, last in spans:
        top.append(label.ljust(sum(widths[first : last + 1]) + 2 * (last - first)))
    click.echo("  ".join(top).rstrip())
    click.echo(line(kinds))
    for row in table:
        click.echo(line([str(value) for value in row]))


@analyse.command("passages")
@click.option("--code", "code_ref", help="The code (row of a code matrix).")
@click.option("--case", "case_name", help="The case (column of a case matrix).")
@click.option("--attribute", help="NAME=VALUE of the case.")
@click.option("--kind", type=click.Choice(["interview", "steering", "other"]))
@click.option("--role", help="The speaker's role.")
@click.option("--suggested", is_flag=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@project_option
def passages(
    code_ref: str | None,
    case_name: str | None,
    attribute: str | None,
    kind: str | None,
    role: str | None,
    suggested: bool,
    out: Path | None,
    as_json: bool,
    project_path: str | None,
) -> None:
    """The passages behind a cell: the codings of a code in a case (or by attribute, kind
    or speaker role)."""
    from vinr_qual.analysis.facts import passages_of
    from vinr_qual.codebook.operations import find_code

    pair = attribute_pair(attribute)
    with open_project(project_path) as project:
        rows = passages_of(
            project,
            code_id=find_code(project, code_ref) if code_ref else None,
            case=case_name,
            attribute=pair,
            kind=kind,
            role=role,
            include_suggested=suggested,
        )
    header = ["case", "document", "start", "end", "speaker", "where", "code", "coder", "passage"]
    table = [
        [
            r["case"],
            r["document"],
            r["start"],
            r["end"],
            r["speaker"] or "",
            r["where"],
            r["code"],
            r["coder"],
            " ".join(r["passage"].split()),
        ]
        for r in rows
    ]
    _output(header, table, out, as_json, rows)


@analyse.command("cooccurrence")
@click.option(
    "--mode",
    default="overlap",
    show_default=True,
    type=click.Choice(["overlap", "near", "sentence", "turn", "paragraph"]),
)
@click.option("--distance", type=int, default=200, show_default=True, help="For --mode near.")
@click.option("--coefficient", is_flag=True, help="Show n_ab / (n_a + n_b − n_ab) instead.")
@click.option("--pair", nargs=2, help="Show the passages where these two codes meet.")
@click.option("--suggested", is_flag=True)
@counting_options()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@project_option
def cooccurrence_command(
    mode: str,
    distance: int,
    coefficient: bool,
    pair: tuple[str, str] | None,
    suggested: bool,
    coders: tuple[str, ...],
    by_coder: bool,
    include_interviewer: bool,
    out: Path | None,
    as_json: bool,
    project_path: str | None,
) -> None:
    """How often codes occur together: overlapping, near, or in the same unit.

    n is each code's passages (overlap, near) or units; a passage counts once however
    many coders coded it, and two codes meet only in one coder's passages with
    --by-coder (one table per coder)."""
    from vinr_qual.analysis.cooccurrence import Cooccurrence, cooccurrence
    from vinr_qual.analysis.facts import codebook_order
    from vinr_qual.cases.documents import places_with_text
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.codebook.project_codes import code_names

    counting: dict[str, Any] = {
        "include_suggested": suggested,
        "coders": list(coders) or None,
        "by_coder": by_coder,
        "include_interviewer": include_interviewer,
    }
    with open_project(project_path) as project:
        wanted = (find_code(project, pair[0]), find_code(project, pair[1])) if pair else None
        names = code_names(project)
        order = codebook_order(project)
        if wanted:
            found = cooccurrence(
                project, mode=mode, distance=distance, places_of=wanted, **counting
            )
            rows = [
                [name, start, end, " ".join(passage.split())]
                for name, start, end, passage in places_with_text(
                    project, found.places.get(wanted, [])
                )
            ]
            _output(
                ["document", "start", "end", "passage"],
                rows,
                out,
                as_json,
                [dict(zip(["document", "start", "end", "passage"], r, strict=True)) for r in rows],
            )
            if not as_json:
                click.echo(_counted_line(found.counted))
            return
        groups: list[str | None] = (
            [*_counted_coders(project, suggested, coders)] if by_coder else []
        )
        groups = groups or [None]
        results = [
            (
                coder,
                cooccurrence(
                    project,
                    mode=mode,
                    distance=distance,
                    **{**counting, "coders": [coder] if coder else counting["coders"]},
                ),
            )
            for coder in groups
        ]

    def table_of(found: Any) -> tuple[list[str], list[list[Any]]]:
        codes = found.codes
        header = ["code", "n", *[names.get(c, c) for c in codes]]
        return header, [
            [
                names.get(a, a),
                found.totals.get(a, 0),
                *[
                    (
                        f"{found.coefficient(a, b):.2f}"
                        if coefficient
                        else found.counts.get((a, b), 0)
                    )
                    if a != b
                    else ""
                    for b in codes
                ],
            ]
            for a in codes
        ]

    def data_of(found: Any) -> dict[str, Any]:
        return {
            "mode": mode,
            "codes": [names.get(c, c) for c in found.codes],
            "totals": found.totals,
            "pairs": [
                {
                    "a": names.get(a, a),
                    "b": names.get(b, b),
                    "count": n,
                    "coefficient": found.coefficient(a, b),
                }
                for (a, b), n in found.counts.items()
            ],
            "counted": found.counted.as_dict() if found.counted is not None else None,
        }

    if as_json:
        if by_coder:
            print_json(
                {
                    "by_coder": True,
                    "tables": [{"coder": coder, **data_of(found)} for coder, found in results],
                }
            )
        else:
            print_json(data_of(results[0][1]))
        return
    if out:
        from vinr_qual.export.tables import write_table

        if by_coder:  # each coder's rows with the coder's name, over every coder's codes
            every = list(dict.fromkeys(code for _, found in results for code in found.codes))
            every.sort(key=lambda code: order.get(code, 10**9))
            header = ["coder", *table_of(Cooccurrence("", every, {}, {}))[0]]
            lines = [
                [coder, *row]
                for coder, found in results
                for row in table_of(Cooccurrence(found.mode, every, found.totals, found.counts))[1]
                if row[1]
            ]
        else:
            header, lines = table_of(results[0][1])
        write_table(out, header, lines)
        click.echo(f"{out}: {len(lines)} rows written")
        for _, found in results:
            click.echo(_counted_line(found.counted))
        return
    for index, (coder, found) in enumerate(results):
        if coder:
            click.echo(("\n" if index else "") + f"Coder: {coder}")
        print_table(*reversed(table_of(found)))
        click.echo(_counted_line(found.counted))


@analyse.command("agreement")
@click.option("--coder", "coders", multiple=True, required=True, help="A coder (give two or more).")
@click.option(
    "--unit",
    default="sentence",
    show_default=True,
    type=click.Choice(["sentence", "turn", "paragraph", "character"]),
)
@click.option(
    "--include-interviewer",
    is_flag=True,
    help="Compare units in the interviewer's speech too (left out by default).",
)
@click.option(
    "--to-review", is_flag=True, help="Put the units they disagree on in the review queue."
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@project_option
def agreement_command(
    coders: tuple[str, ...],
    unit: str,
    include_interviewer: bool,
    to_review: bool,
    out: Path | None,
    as_json: bool,
    project_path: str | None,
) -> None:
    """Agreement between coders on the documents they all coded: percent agreement,
    Cohen's kappa (two coders), Krippendorff's alpha, per code and overall.

    "agreement (coded)" is over the units at least one coder coded with the code: the
    figure to quote. "agreement (all)" is over all units, and rises with every unit
    nobody coded; kappa and alpha are over all units too, correcting for chance."""
    from dataclasses import asdict

    from vinr_qual.analysis.agreement import agreement, disagreements_to_review

    with open_project(project_path) as project:
        result = agreement(
            project, list(coders), unit=unit, include_interviewer=include_interviewer
        )
        added = disagreements_to_review(project, result) if to_review else 0

    def show(value: float | None) -> str:
        return "–" if value is None else f"{value:.3f}"

    header = [
        "code",
        "coded units",
        "agreement (coded)",
        "all units",
        "agreement (all)",
        "kappa",
        "alpha",
    ]
    table = [
        [
            name,
            f"{f.coded_units:g}",
            show(f.coded_percent),
            f"{f.units:g}",
            show(f.percent),
            show(f.kappa),
            show(f.alpha),
        ]
        for name, f in [*result.per_code.items(), ("overall", result.overall)]
    ]
    _output(
        header,
        table,
        out,
        as_json,
        {**asdict(result), "added_to_review": added, "line": result.line()},
    )
    if not as_json:
        click.echo(result.line())
    if not as_json and not out:
        click.echo(f"{len(result.documents)} documents coded by all of {', '.join(coders)}")
        if to_review:
            click.echo(f"{added} disagreements put in the review queue")


@click.group()
def framework() -> None:
    """The framework matrix: a summary per case and theme, beside its passages."""


@framework.command("set")
@click.argument("case")
@click.argument("code")
@click.argument("summary")
@project_option
def framework_set(case: str, code: str, summary: str, project_path: str | None) -> None:
    """Write the summary of CASE for CODE (an empty one removes it); versions are logged."""
    from vinr_qual.analysis.framework import set_summary
    from vinr_qual.codebook.operations import find_code

    with open_project(project_path) as project:
        set_summary(project, case, find_code(project, code), summary)
    click.echo(f"{case} × {code}: saved")


def _framework_cell(cell: Any) -> str:
    return f"{cell.summary or ''} ({cell.passages})".strip()


@framework.command("show")
@click.option("--code", "code_refs", multiple=True, help="Codes (themes) to show; repeat.")
@click.option("--family", help="All codes under this family.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@project_option
def framework_show(
    code_refs: tuple[str, ...],
    family: str | None,
    out: Path | None,
    as_json: bool,
    project_path: str | None,
) -> None:
    """Cases × themes with each summary and the number of passages behind it (each
    passage once however many coders coded it, the interviewer's speech left out)."""
    from vinr_qual.analysis.framework import framework as build
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.codebook.project_codes import read_codebook

    with open_project(project_path) as project:
        code_ids = [find_code(project, ref) for ref in code_refs]
        if family:
            family_id = find_code(project, family)
            book = read_codebook(project)
            root = book.by_id()[family_id]
            stack = list(root.children)
            while stack:
                code = stack.pop(0)
                if code.codable:
                    code_ids.append(code.id)
                stack[:0] = code.children
        if not code_ids:
            raise click.UsageError("name the themes with --code or --family")
        found = build(project, code_ids)
    header = ["case", *[name for _, name in found.codes]]
    table = [
        [
            case_name,
            *[_framework_cell(found.cells[(case_id, code_id)]) for code_id, _ in found.codes],
        ]
        for case_id, case_name in found.cases
    ]
    data = [
        {
            "case": case_name,
            "code": code_name,
            "summary": found.cells[(cid, code_id)].summary,
            "passages": found.cells[(cid, code_id)].passages,
            "codings": found.cells[(cid, code_id)].coding_ids,
        }
        for cid, case_name in found.cases
        for code_id, code_name in found.codes
    ]
    _output(header, table, out, as_json, data)
    if not as_json:
        click.echo(_counted_line(found.counted))


@click.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@counting_options()
@click.option(
    "--real-names",
    is_flag=True,
    help="In a .docx, name the cases by their real names, not their aliases (Kommun A, …).",
)
@project_option
def report(
    out: Path,
    coders: tuple[str, ...],
    by_coder: bool,
    include_interviewer: bool,
    real_names: bool,
    project_path: str | None,
) -> None:
    """Write a report (OUT.docx, OUT.html or OUT.md) with the main tables and PNG charts.

    Each passage counts once however many coders coded it, the interviewer's speech left
    out; --by-coder gives the tables once per coder. The report says what it counted.
    A .docx holds its charts, the codebook, the framework matrix and the basket's quotes
    too, names the cases by their aliases (unless --real-names) and is refused, leaving
    nothing, where a real name from the pseudonym table would go out."""
    from vinr_qual.export.report import write_report

    with open_project(project_path) as project:
        written = write_report(
            project,
            out,
            coders=list(coders) or None,
            by_coder=by_coder,
            include_interviewer=include_interviewer,
            real_names=real_names,
        )
    for path in written:
        click.echo(f"wrote {path}")
    if out.suffix.lower() == ".docx":
        named = "their real names" if real_names else "their aliases"
        click.echo(f"cases named by {named}; checked for real names from the pseudonym table")
