"""`--help` and `--version` on every command, found by walking the click tree.

The walk is dynamic, so a command added anywhere under `vinr_qual.cli.cli` is covered
without touching this file.
"""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from vinr_qual import __version__
from vinr_qual.cli import cli

PROG = "vinr-qual"


def command_paths(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """PATH for COMMAND itself, then the path of every command beneath it, depth first."""
    found = [path]
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            found.extend(command_paths(command.commands[name], (*path, name)))
    return found


PATHS = command_paths(cli)
IDS = [" ".join(path) or "(root)" for path in PATHS]


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), prog_name=PROG, catch_exceptions=False)
    return result.exit_code, result.output


def test_the_walk_finds_every_command() -> None:
    assert len(PATHS) >= 30, PATHS
    assert len(set(PATHS)) == len(PATHS)
    for expected in [(), ("import",), ("codebook",), ("codebook", "load"), ("review", "next")]:
        assert expected in PATHS


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_help(path: tuple[str, ...]) -> None:
    code, out = invoke(*path, "--help")
    assert code == 0, out
    assert out.startswith(f"Usage: {' '.join((PROG, *path))} "), out
    assert "--version" in out and "--help" in out


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_version(path: tuple[str, ...]) -> None:
    code, out = invoke(*path, "--version")
    assert code == 0, out
    assert out == f"{PROG} {__version__}\n"
