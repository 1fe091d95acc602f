"""The `vinr-qual` command line: a thin layer of click over the core.

Every command imports the core it needs inside its own body, so `vinr-qual --help`
loads neither spaCy, Textual nor sqlite-utils and answers at once.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from vinr_qual import __version__
from vinr_qual.cli.analysing import analyse, framework, report
from vinr_qual.cli.cases import cases
from vinr_qual.cli.codebook import codebook
from vinr_qual.cli.coding import code_group
from vinr_qual.cli.comparing import compare
from vinr_qual.cli.documents import docs
from vinr_qual.cli.exchanging import export_command, merge_command
from vinr_qual.cli.finding import find, search
from vinr_qual.cli.importing import check, import_command
from vinr_qual.cli.learning import learn
from vinr_qual.cli.passages import passages_command
from vinr_qual.cli.projects import config, demo, init, stats, tui
from vinr_qual.cli.pseudonyms import pseudonyms
from vinr_qual.cli.quotes import quotes
from vinr_qual.cli.reviewing import autocode, review


class VinrQualGroup(click.Group):
    """Turns the core's user-facing errors into one line on stderr and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        from vinr_qual.errors import VinrQualError

        try:
            return super().invoke(ctx)
        except VinrQualError as error:
            click.echo(f"vinr-qual: error: {error}", err=True)
            sys.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("vinr-qual: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            # the reader went away (`| head`): nothing more to say, and nowhere to say it
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as error:  # a bug must still not show the user a traceback
            where = ctx.obj.get("project") if isinstance(ctx.obj, dict) else None
            about = f"{where}: " if where else ""
            click.echo(
                f"vinr-qual: error: {about}unexpected {type(error).__name__}: {error}"
                " (please report this)",
                err=True,
            )
            sys.exit(1)


@click.group(cls=VinrQualGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    "-p",
    envvar="VINR_QUAL_PROJECT",
    type=click.Path(dir_okay=False),
    help="The project file (or set VINR_QUAL_PROJECT).",
)
@click.pass_context
def cli(ctx: click.Context, project: str | None) -> None:
    """vinr-qual: code interviews and steering documents, in Swedish, in one project file.

    A project is one SQLite file. Create it with `init`, bring files in with `import`,
    attach cases (municipalities) and their attributes with `cases`, load and change the
    codebook with `codebook`, code passages with `code`, and look around with `docs` and
    `stats`. `demo` builds the demo project from the bundled corpus.
    """
    ctx.ensure_object(dict)
    ctx.obj["project"] = project


for command in (
    init,
    import_command,
    check,
    cases,
    docs,
    codebook,
    code_group,
    stats,
    config,
    demo,
    tui,
    search,
    find,
    autocode,
    review,
    learn,
    analyse,
    framework,
    compare,
    passages_command,
    quotes,
    pseudonyms,
    report,
    export_command,
    merge_command,
):
    cli.add_command(command)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"vinr-qual {__version__}")
        ctx.exit()


def _version_option() -> click.Option:
    """`--version`, eager like `--help`, so it answers before any argument is checked."""
    return click.Option(
        ["--version"],
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_print_version,
        help="Show the version and exit.",
    )


def _add_version_everywhere(command: click.Command) -> None:
    """Give COMMAND and every command under it `--version`, once each."""
    if not any("--version" in param.opts for param in command.params):
        command.params.append(_version_option())
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            _add_version_everywhere(subcommand)


_add_version_everywhere(cli)


def main() -> None:
    cli(prog_name="vinr-qual")
