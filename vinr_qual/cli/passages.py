"""`vinr-qual passages`: every passage of one or more codes (retrieval, "coded segments")."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vinr_qual.cli.options import (
    attribute_pair,
    json_option,
    open_project,
    print_json,
    project_option,
)

if TYPE_CHECKING:
    from vinr_qual.search.retrieval import Retrieved

WIDTH = 100
INDENT = "    "
MOST_LINES = 8  # of one passage in the text output; --full, --json and --out show it all


@click.command("passages")
@click.option(
    "--code",
    "code_refs",
    multiple=True,
    help="A code: name, id, shortcut or path (repeatable; none: every code).",
)
@click.option("--no-children", is_flag=True, help="Only the codes named, not their children.")
@click.option("--case", "case_name", help="Only this case.")
@click.option("--attribute", help="Only cases with this attribute, NAME=VALUE.")
@click.option("--kind", type=click.Choice(["interview", "steering", "other"]))
@click.option("--role", help="Only passages in turns of speakers with this role.")
@click.option("--coder", "coders", multiple=True, help="Only this coder's codings (repeatable).")
@click.option(
    "--status",
    default="accepted",
    show_default=True,
    type=click.Choice(["accepted", "suggested", "rejected", "any"]),
)
@click.option("--no-interviewer", is_flag=True, help="Leave out what interviewers said.")
@click.option("--by-coder", is_flag=True, help="A passage coded by several coders once each.")
@click.option("--by-case", is_flag=True, help="Grouped by case (else in reading order).")
@click.option("--full", is_flag=True, help="Show long passages whole (files always have them).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A .csv or .xlsx file: one row per passage.",
)
@json_option
@project_option
def passages_command(
    code_refs: tuple[str, ...],
    no_children: bool,
    case_name: str | None,
    attribute: str | None,
    kind: str | None,
    role: str | None,
    coders: tuple[str, ...],
    status: str,
    no_interviewer: bool,
    by_coder: bool,
    by_case: bool,
    full: bool,
    out: Path | None,
    as_json: bool,
    project_path: str | None,
) -> None:
    """Every passage of one or more codes (with their children), with its document, case,
    speaker and role, time or page, coders and memos.

    A passage that several coders coded alike (the same span and code) is listed once,
    naming each of them; --by-coder lists it once per coder. Passages come in reading
    order (document, then position), or with --by-case case by case. --out writes a
    .csv or .xlsx file with one row per passage, every case attribute a column and the
    code's path in path_1, path_2…; --json prints a list of objects.
    """
    from vinr_qual.cases.cases import attribute_names
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.search.retrieval import retrieve

    pair = attribute_pair(attribute)
    with open_project(project_path) as project:
        codes = [find_code(project, reference) for reference in code_refs]
        found = retrieve(
            project,
            codes=codes,
            with_children=not no_children,
            case=case_name,
            attribute=pair,
            kind=kind,
            role=role,
            coders=list(coders) or None,
            status=status,
            by_coder=by_coder,
            group_by_case=by_case,
            include_interviewer=not no_interviewer,
        )
        names = attribute_names(project) if out else []
    if out:
        from vinr_qual.export.tables import write_table
        from vinr_qual.search.retrieval import passage_table

        header, table = passage_table(found, names)
        write_table(out, header, table, sheet="passages")
        click.echo(f"wrote {len(found)} passages to {out}")
        return
    if as_json:
        print_json([item.as_dict() for item in found])
        return
    print_passages(found, grouped=by_case, full=full, show_status=status == "any")


def print_passages(
    found: Sequence[Retrieved], *, grouped: bool, full: bool, show_status: bool
) -> None:
    from vinr_qual.search.retrieval import count_cases

    if not found:
        click.echo("no passages")
        return
    several_codes = len({item.code_id for item in found}) > 1
    shortened = 0
    case: object = object()
    for item in found:
        if grouped and item.case != case:
            case = item.case
            count = sum(1 for other in found if other.case == item.case)
            click.echo(f"── {item.case or '(no case)'} ({count}) ──")
            click.echo()
        header = _header(
            item, with_case=not grouped, with_code=several_codes, show_status=show_status
        )
        click.echo(header)
        lines = textwrap.wrap(
            item.passage, WIDTH, initial_indent=INDENT, subsequent_indent=INDENT
        ) or [INDENT]
        if not full and len(lines) > MOST_LINES:
            lines = _shorten(lines)
            shortened += 1
        click.echo("\n".join(lines))
        for memo in item.memos:
            who = f"memo ({memo.coder}): " if memo.coder else "memo: "
            click.echo(
                textwrap.fill(
                    " ".join(memo.text.split()),
                    WIDTH,
                    initial_indent=f"{INDENT}{who}",
                    subsequent_indent=INDENT + "  ",
                )
            )
        click.echo()
    codings = sum(len(item.coding_ids) for item in found)
    cases = count_cases(found)
    summary = f"{_count(len(found), 'passage')} in {_count(cases, 'case')}"
    if codings != len(found):
        summary += f" ({_count(codings, 'coding')})"
    click.echo(summary)
    if shortened:
        click.echo(
            f"{_count(shortened, 'passage')} shortened (ending in …): --full shows"
            " them whole, and --out or --json always has every passage whole"
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _header(item: Retrieved, *, with_case: bool, with_code: bool, show_status: bool) -> str:
    """document · case · speaker (role) · time/page · coders, folded at the width."""
    parts = [item.document]
    if with_case:
        parts.append(item.case or "(no case)")
    if item.speaker:
        same = (item.role or "").casefold() == item.speaker.casefold()
        parts.append(f"{item.speaker} ({item.role})" if item.role and not same else item.speaker)
    if item.marks:
        parts.append(item.marks)
    parts.append(", ".join(item.coders))
    if with_code:
        parts.append(f"«{item.code}»")
    if show_status:
        parts.append("/".join(item.statuses))
    lines = [parts[0]]
    for part in parts[1:]:  # folded between parts, never inside a name
        if len(lines[-1]) + 3 + len(part) > WIDTH:
            lines.append(f"  {part}")
        else:
            lines[-1] += f" · {part}"
    return "\n".join(lines)


def _shorten(lines: list[str]) -> list[str]:
    """The first lines of a long passage, the last of them ending in "…"."""
    kept = lines[:MOST_LINES]
    last = kept[-1]
    if len(last) + 2 > WIDTH:
        last = last[: last.rstrip().rfind(" ")] if " " in last.strip() else last[: WIDTH - 2]
    kept[-1] = f"{last.rstrip()} …"
    return kept
