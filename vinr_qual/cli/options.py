"""What every command shares: naming the project, --json, and printing tables."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from vinr_qual.project import Project

F = TypeVar("F", bound=Callable[..., Any])


def project_option(function: F) -> F:
    """`--project` on a subcommand too, so it may stand before or after the command."""
    return click.option(
        "--project",
        "-p",
        "project_path",
        type=click.Path(dir_okay=False),
        help="The project file (or set VINR_QUAL_PROJECT).",
    )(function)


def json_option(function: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(function)


def project_path(project_path: str | None) -> str:
    path = project_path or click.get_current_context().find_root().obj.get("project")
    if not path:
        raise click.UsageError(
            "name the project file with --project PATH or the VINR_QUAL_PROJECT variable"
        )
    return str(path)


def open_project(project_path_value: str | None, *, create: bool = False) -> Project:
    from vinr_qual.project import Project

    return Project.open(project_path(project_path_value), create=create)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_table(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> None:
    """A plain aligned table; the last column is not padded."""
    text_rows = [[("" if cell is None else str(cell)) for cell in row] for row in rows]
    widths = [len(name) for name in header]
    for row in text_rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))

    def line(cells: Sequence[str]) -> str:
        padded = [cell.ljust(widths[index]) for index, cell in enumerate(cells[:-1])]
        return "  ".join([*padded, cells[-1]]).rstrip()

    click.echo(line(list(header)))
    for row in text_rows:
        click.echo(line(row))


def attribute_pair(value: str | None, option: str = "--attribute") -> tuple[str, str] | None:
    """NAME=VALUE of a case attribute, as options give it."""
    if not value:
        return None
    name, sep, found = value.partition("=")
    if not sep or not name.strip():
        raise click.BadParameter("should read NAME=VALUE", param_hint=option)
    return name.strip(), found.strip()
