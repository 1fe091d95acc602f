"""`vinr-qual analyse` and `vinr-qual framework`: themes across cases, and agreement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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

    Only accepted codings count unless --suggested is given. Write a table with
    --out FILE.csv or FILE.xlsx; --json prints it for scripts.
    """


@analyse.command("matrix")
@click.option("--rows", default="code", show_default=True, help=DIMENSIONS_HELP)
@click.option("--columns", default="case", show_default=True, help=DIMENSIONS_HELP)
@click.option(
    "--measure",
    default="passages",
    show_default=True,
    type=click.Choice(["passages", "documents", "speakers", "words", "share", "presence"]),
)
@click.option("--suggested", is_flag=True, help="Count suggested codings too.")
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
    out: Path | None,
    as_json: bool,
    project_path: str | None,
) -> None:
    """A matrix, e.g. codes × cases, families × kommungrupp, codes × kind, codes × role.

    --columns case+kind puts each case's interviews beside its steering documents: the
    table has the case names over their kind columns, and "–" where a case has no
    documents of a kind; files have one column per case and kind ("Aby / steering").
    """
    from dataclasses import asdict

    from vinr_qual.analysis.facts import load_facts
    from vinr_qual.analysis.matrix import code_matrix

    with open_project(project_path) as project:
        # for scripts, every cell lists its codings: that needs one fact per coding
        facts = load_facts(project, include_suggested=suggested) if as_json else None
        found = code_matrix(
            project,
            rows=rows,
            columns=columns,
            measure=measure,
            include_suggested=suggested,
            facts=facts,
        )
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
    data = {
        **asdict(found),
        "values": [
            {"row": r, "column": c, "value": v, "codings": found.cells.get((r, c), [])}
            for (r, c), v in found.values.items()
        ],
        "cells": None,
    }
    if found.groups and not out and not as_json:
        _print_grouped_table(found, header, table)
        return
    _output(header, table, out, as_json, data)


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
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@project_option
def cooccurrence_command(
    mode: str,
    distance: int,
    coefficient: bool,
    pair: tuple[str, str] | None,
    suggested: bool,
    out: Path | None,
    as_json: bool,
    project_path: str | None,
) -> None:
    """How often codes occur together: overlapping, near, or in the same unit."""
    from vinr_qual.analysis.cooccurrence import cooccurrence
    from vinr_qual.cases.documents import places_with_text
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.codebook.project_codes import code_names

    with open_project(project_path) as project:
        wanted = (find_code(project, pair[0]), find_code(project, pair[1])) if pair else None
        found = cooccurrence(
            project, mode=mode, distance=distance, include_suggested=suggested, places_of=wanted
        )
        names = code_names(project)
        if wanted:
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
            return
    codes = found.codes
    header = ["code", "n", *[names.get(c, c) for c in codes]]
    table = [
        [
            names.get(a, a),
            found.totals[a],
            *[
                (f"{found.coefficient(a, b):.2f}" if coefficient else found.counts.get((a, b), 0))
                if a != b
                else ""
                for b in codes
            ],
        ]
        for a in codes
    ]
    data = {
        "mode": mode,
        "codes": [names.get(c, c) for c in codes],
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
    }
    _output(header, table, out, as_json, data)


@analyse.command("agreement")
@click.option("--coder", "coders", multiple=True, required=True, help="A coder (give two or more).")
@click.option(
    "--unit",
    default="sentence",
    show_default=True,
    type=click.Choice(["sentence", "turn", "paragraph", "character"]),
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
    to_review: bool,
    out: Path | None,
    as_json: bool,
    project_path: str | None,
) -> None:
    """Agreement between coders on the documents they all coded: percent agreement,
    Cohen's kappa (two coders), Krippendorff's alpha, per code and overall."""
    from dataclasses import asdict

    from vinr_qual.analysis.agreement import agreement, disagreements_to_review

    with open_project(project_path) as project:
        result = agreement(project, list(coders), unit=unit)
        added = disagreements_to_review(project, result) if to_review else 0

    def show(value: float | None) -> str:
        return "–" if value is None else f"{value:.3f}"

    header = ["code", "units", "agreement", "kappa", "alpha"]
    table = [
        [name, f"{f.units:g}", show(f.percent), show(f.kappa), show(f.alpha)]
        for name, f in [*result.per_code.items(), ("overall", result.overall)]
    ]
    _output(header, table, out, as_json, {**asdict(result), "added_to_review": added})
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
    """Cases × themes with each summary and the number of passages behind it."""
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


@click.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@project_option
def report(out: Path, project_path: str | None) -> None:
    """Write a report (OUT.html or OUT.md) with the main tables and PNG charts."""
    from vinr_qual.export.report import write_report

    with open_project(project_path) as project:
        written = write_report(project, out)
    for path in written:
        click.echo(f"wrote {path}")
