"""`vinr-qual export OUT.qdpx`, `import X.qdpx` and `merge OTHER`: projects between tools
and between the coders of a team."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vinr_qual.cli.options import json_option, open_project, print_json, project_option

if TYPE_CHECKING:
    from vinr_qual.exchange.bring_in import Plan
    from vinr_qual.project import Project


@click.command("export")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--profile",
    type=click.Choice(["standard", "nvivo", "maxqda"]),
    default="standard",
    show_default=True,
    help="How positions are counted: the standard's (code points, LF text); NVivo's"
    " (UTF-16 units over CRLF text); MAXQDA's and ATLAS.ti's (CRLF text, a line break"
    " counted once).",
)
@json_option
@project_option
def export_command(out: Path, profile: str, as_json: bool, project_path: str | None) -> None:
    """Export the whole project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA,
    QualCoder and others: coders, codebook, texts, accepted codings with coder and time,
    cases and their attributes, memos, framework summaries, code sets.

    Suggestions and rejected codings stay here (they are not codings yet); the export
    says how many. The file is readable by you only."""
    from vinr_qual.errors import VinrQualError
    from vinr_qual.exchange.from_project import package_of
    from vinr_qual.exchange.qdpx_write import write_qdpx

    if out.suffix.lower() != ".qdpx":
        raise VinrQualError(f"{out}: a REFI-QDA project is written to a .qdpx file")
    with open_project(project_path) as project:
        package = package_of(project)
    write_qdpx(package, out, profile=profile)
    counts = {
        "coders": len(package.users),
        "codes": sum(1 for _ in package.codebook.walk()),
        "documents": len(package.sources),
        "codings": package.coding_count(),
        "cases": len(package.cases),
        "notes": len(package.notes),
        "code sets": len(package.codebook.sets),
    }
    if as_json:
        print_json(
            {
                "out": str(out),
                "profile": profile,
                "written": counts,
                "left": dict(package.not_carried),
            }
        )
        return
    click.echo(f"{out}: " + ", ".join(f"{count} {what}" for what, count in counts.items()))
    if package.not_carried:
        left = ", ".join(f"{count} {what}" for what, count in sorted(package.not_carried.items()))
        click.echo(f"not in the export (the standard has no place for them): {left}")


def print_plan(plan: Plan) -> None:
    for line in plan.lines():
        click.echo(line)


def import_packages(
    paths: list[Path], *, plan_only: bool, as_json: bool, project_path: str | None
) -> None:
    """`vinr-qual import X.qdpx`: each package read, planned and (unless --plan) brought
    in whole or not at all."""
    from vinr_qual.exchange.bring_in import apply, plan, plan_as_json, read_other

    reports = []
    problems = False
    with open_project(project_path) as project:
        if not plan_only:
            project.require_writable()
        for path in paths:
            package = read_other(path)
            found = plan(project, package, label=str(path))
            problems = problems or bool(package.problems)
            if not as_json:
                print_plan(found)
            if plan_only:
                reports.append(plan_as_json(found))
                continue
            applied = apply(project, found, action="import")
            reports.append({**plan_as_json(found), "imported": applied.counts})
            if not as_json:
                added = ", ".join(f"{n} {what}" for what, n in applied.counts.items() if n)
                click.echo(f"imported from {path.name}: {added or 'nothing new'}")
    if as_json:
        print_json(reports)
    if problems:
        sys.exit(1)


@click.command("merge")
@click.argument("other", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--plan", "plan_only", is_flag=True, help="Show what would be added; change nothing.")
@click.option("--yes", "-y", is_flag=True, help="Apply without asking.")
@click.option(
    "--unit",
    type=click.Choice(["sentence", "turn", "paragraph", "character"]),
    default="sentence",
    show_default=True,
    help="The unit of the agreement shown after the merge.",
)
@json_option
@project_option
def merge_command(
    other: Path,
    plan_only: bool,
    yes: bool,
    unit: str,
    as_json: bool,
    project_path: str | None,
) -> None:
    """Merge a coder's copy of the project (OTHER.sqlite) or a .qdpx into this project.

    Brings in the other's codings, memos, new codes, cases, attributes and framework
    summaries, each coder keeping their name; documents are matched by their text and
    codes by GUID (then by their path of names, listed), and no coding is added twice.
    Conflicts (a code named otherwise, a framework cell summarised in both) are listed
    and this project's version is kept. The plan is shown first; after the merge, the
    agreement between the coders of the common documents is shown."""
    from vinr_qual.exchange.bring_in import apply, plan, plan_as_json, read_other

    package = read_other(other)
    with open_project(project_path) as project:
        if not plan_only:
            project.require_writable()
        found = plan(project, package, label=str(other))
        if as_json and (plan_only or not yes):
            print_json(plan_as_json(found))
            return
        if not as_json:
            print_plan(found)
        if plan_only:
            return
        if not any(found.counts().values()):
            click.echo("nothing to merge: the project already holds all of it")
            return
        if not yes and not click.confirm("Merge?", default=False):
            click.echo("nothing was changed")
            return
        applied = apply(project, found, action="merge")
        if not as_json:
            click.echo(
                "merged: " + ", ".join(f"{n} {what}" for what, n in applied.counts.items() if n)
            )
        shown = _agreement_after(project, found, unit)
    if as_json:
        print_json({**plan_as_json(found), "merged": applied.counts, "agreement": shown})
    elif shown:
        click.echo(shown)


def _agreement_after(project: Project, plan: Plan, unit: str) -> str | None:
    """The agreement between the coders the merge brought codings of and the project's
    own coders, on the documents they all coded; None where there is nothing to compare."""
    from vinr_qual.analysis.agreement import agreement
    from vinr_qual.errors import VinrQualError
    from vinr_qual.exchange.bring_in import coders_to_compare

    ours, theirs = coders_to_compare(project, plan)
    if not theirs or not ours:
        return None
    lines = []
    for mine in ours:
        for other in theirs:
            try:
                result = agreement(project, [mine, other], unit=unit)
            except VinrQualError:
                continue
            figures = result.overall
            kappa = "–" if figures.kappa is None else f"{figures.kappa:.3f}"
            alpha = "–" if figures.alpha is None else f"{figures.alpha:.3f}"
            percent = "–" if figures.coded_percent is None else f"{figures.coded_percent:.3f}"
            lines.append(
                f"agreement {mine} – {other} on {len(result.documents)} documents by {unit}:"
                f" agreement (coded) {percent}, kappa {kappa}, alpha {alpha}"
            )
    if not lines:
        return "agreement: the coders have no document in common to compare"
    return "\n".join([*lines, "(details: vinr-qual analyse agreement --coder … --coder …)"])
