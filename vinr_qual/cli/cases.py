"""`vinr-qual cases`: municipalities (or other cases) and their attributes."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from vinr_qual.cli.options import (
    json_option,
    open_project,
    print_json,
    print_table,
    project_option,
)


@click.group()
def cases() -> None:
    """Cases and their attributes (county, population, kommungrupp, anything).

    A case named after a real Swedish municipality gets its municipality code, county,
    population and SKR group from the shipped reference table; your own values win.
    """


@cases.command("list")
@json_option
@project_option
def list_command(as_json: bool, project_path: str | None) -> None:
    """List the cases with their number of documents and their attributes."""
    from vinr_qual.cases.cases import list_cases

    with open_project(project_path) as project:
        found = list_cases(project)
    if as_json:
        print_json([asdict(case) for case in found])
        return
    names = sorted({name for case in found for name in case.attributes})
    print_table(
        [
            [case.name, case.documents, *(case.attributes.get(n, "") for n in names)]
            for case in found
        ],
        ["case", "documents", *names],
    )


@cases.command("add")
@click.argument("names", nargs=-1, required=True)
@project_option
def add_command(names: tuple[str, ...], project_path: str | None) -> None:
    """Add cases by name (existing ones are left as they are)."""
    from vinr_qual.cases.cases import ensure_case, find_case

    with open_project(project_path) as project:
        for name in names:
            existed = find_case(project, name) is not None
            ensure_case(project, name)
            click.echo(f"{'=' if existed else '+'} {name}")


@cases.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
@project_option
def import_command(csv_file: Path, as_json: bool, project_path: str | None) -> None:
    """Import cases and attributes from a CSV with a case column (case, kommun or name).

    Every other column becomes an attribute. The whole file is checked first: on any
    problem nothing is imported and the line is named.
    """
    from vinr_qual.cases.cases import import_cases_csv

    with open_project(project_path) as project:
        result = import_cases_csv(project, csv_file)
    if as_json:
        print_json(asdict(result))
        return
    click.echo(
        f"{len(result.created)} cases created, {len(result.updated)} updated,"
        f" {len(result.unchanged)} unchanged"
    )


@cases.command("set")
@click.argument("case")
@click.argument("assignments", nargs=-1, required=True)
@project_option
def set_command(case: str, assignments: tuple[str, ...], project_path: str | None) -> None:
    """Set attributes of a case: NAME=VALUE ...; NAME= removes one.

    Example: vinr-qual cases set Älvhamn kommungrupp=A1 "samordning=separata spår"
    """
    from vinr_qual.cases.cases import set_attribute

    pairs: list[tuple[str, str | None]] = []
    for assignment in assignments:
        key, sep, value = assignment.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(
                f"{assignment!r} should read NAME=VALUE", param_hint="ASSIGNMENTS"
            )
        pairs.append((key.strip(), value.strip() or None))
    with open_project(project_path) as project, project.transaction():
        for name, new in pairs:
            set_attribute(project, case, name, new)
    for name, new in pairs:
        click.echo(f"{case}: {name} = {new}" if new is not None else f"{case}: {name} removed")
