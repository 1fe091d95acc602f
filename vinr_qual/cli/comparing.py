"""`vinr-qual compare`: a case's steering documents beside its interviews, on one code."""

from __future__ import annotations

from dataclasses import asdict

import click

from vinr_qual.cli.options import json_option, open_project, print_json, project_option

WIDTH = 100


@click.command("compare")
@click.argument("case")
@click.option("--code", "code_ref", required=True, help="The code (its sub-codes count too).")
@click.option(
    "--wording",
    type=int,
    default=3,
    show_default=True,
    help="Also show this many uncoded sentences per side closest in wording to the other.",
)
@json_option
@project_option
def compare(
    case: str, code_ref: str, wording: int, as_json: bool, project_path: str | None
) -> None:
    """Policy beside practice: what CASE's steering documents say on a code, and what its
    interviews say, each passage with its document, page or time and speaker."""
    from vinr_qual.analysis.policy_practice import compare_case
    from vinr_qual.codebook.operations import find_code

    with open_project(project_path) as project:
        found = compare_case(project, case, find_code(project, code_ref), wording=wording)
    if as_json:
        print_json(asdict(found))
        return
    click.echo(f"{found.case} · {found.code}")
    for title, coded, close in (
        ("Steering documents", found.steering, found.steering_by_wording),
        ("Interviews", found.interviews, found.interviews_by_wording),
    ):
        click.echo("")
        click.echo(f"{title}: {len(coded)} coded passage{'s' if len(coded) != 1 else ''}")
        for passage in coded:
            _echo_passage(passage)
        if not coded:
            click.echo("  (none coded with this code)")
        if close:
            click.echo(f"  close in wording, not coded with {found.code}:")
            for passage in close:
                _echo_passage(passage, indent="    ")


def _echo_passage(passage: object, indent: str = "  ") -> None:
    from vinr_qual.analysis.policy_practice import Passage

    assert isinstance(passage, Passage)
    place = passage.place
    who = ""
    if place.speaker:
        who = f" {place.speaker}" + (f" ({place.role})" if place.role else "")
    coders = f" · {', '.join(passage.coders)}" if passage.coders else ""
    marks = f" {place.marks()}" if place.marks() else ""
    click.echo(f"{indent}{passage.document}{marks}{who}{coders}")
    words = " ".join(passage.text.split())
    if len(words) > WIDTH * 3:
        words = words[: WIDTH * 3 - 1] + "…"
    click.echo(f"{indent}  {words}")
