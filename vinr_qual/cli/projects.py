"""`vinr-qual init`, `stats`, `config` and `demo`: the project as a whole."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from vinr_qual.cli.options import (
    json_option,
    open_project,
    print_json,
    project_option,
)

SETTINGS = {
    "coder": "Your name as a coder: every coding and change is stamped with it.",
    "speaker_patterns": 'Speaker-label patterns as JSON, e.g. {"known": "I|IP|Intervjuare"}.',
    "speaker_min_repeats": "How many lines a name or initials must open to count as a speaker.",
    "project.description": "What the study is; carried in .qdpx exports.",
}


@click.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("--coder", help="Your name as a coder in this project.")
@project_option
def init(path: str | None, coder: str | None, project_path: str | None) -> None:
    """Create a project file (or bring an existing one up to date)."""
    with open_project(path or project_path, create=True) as project:
        if coder:
            project.set_setting("coder", coder)
        click.echo(f"project {project.path} ready (schema version {project.schema_version})")


@click.command()
@json_option
@project_option
def stats(as_json: bool, project_path: str | None) -> None:
    """Counts of documents, words, cases, speakers, segments, codes and codings."""
    from vinr_qual.analysis.stats import project_stats

    with open_project(project_path) as project:
        found = project_stats(project)
    if as_json:
        print_json(found)
        return
    _print_stats(found)


def _print_stats(found: dict) -> None:  # type: ignore[type-arg]
    for key, value in found.items():
        if isinstance(value, dict):
            shown = ", ".join(f"{name} {count}" for name, count in value.items()) or "none"
            click.echo(f"{key.replace('_', ' ')}: {shown}")
        else:
            click.echo(f"{key.replace('_', ' ')}: {value}")


@click.command()
@click.argument("key", required=False, type=click.Choice(sorted(SETTINGS)))
@click.argument("value", required=False)
@json_option
@project_option
def config(key: str | None, value: str | None, as_json: bool, project_path: str | None) -> None:
    """Show the project's settings, or set KEY to VALUE.

    \b
    coder                the name stamped on your codings
    speaker_patterns     JSON object of label patterns (known, initials, names)
    speaker_min_repeats  how often initials or a name must open a line to be a speaker
    project.description  what the study is (travels in .qdpx exports)
    """
    from vinr_qual.errors import VinrQualError
    from vinr_qual.ingest.turns import validate_patterns

    with open_project(project_path) as project:
        if key and value is not None:
            if key == "speaker_patterns":
                try:
                    validate_patterns(value)
                except ValueError as error:
                    raise VinrQualError(f"speaker_patterns: {error}") from error
            if key == "speaker_min_repeats" and not (value.isdigit() and int(value) >= 1):
                raise VinrQualError("speaker_min_repeats: a whole number of at least 1")
            project.set_setting(key, value)
        shown = {name: project.setting(name) for name in sorted(SETTINGS) if not key or name == key}
    if as_json:
        print_json(shown)
    else:
        for name, current in shown.items():
            click.echo(f"{name} = {current if current is not None else '(default)'}")


@click.command()
@click.option("--language", type=click.Choice(["sv", "en"]), help="The interface language.")
@project_option
def tui(language: str | None, project_path: str | None) -> None:
    """Open the terminal app on the project: read, select and code passages."""
    from vinr_qual.cli.options import project_path as resolve

    path = Path(resolve(project_path))
    with open_project(str(path)):
        pass  # a missing or broken project is reported here, before the screen changes
    from vinr_qual.tui.app import make_app

    make_app(path, language=language).run()


@click.command()
@click.option(
    "--corpus",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The corpus folder (default: the bundled demo corpus).",
)
@click.option("--open", "open_app", is_flag=True, help="Open the terminal app afterwards.")
@project_option
def demo(corpus: Path | None, open_app: bool, project_path: str | None) -> None:
    """Build the demo project from the bundled corpus and show its summary.

    Safe to run again: unchanged files are left alone. With --open, the terminal app
    opens on it (when the terminal is interactive).
    """
    from vinr_qual.analysis.stats import project_stats
    from vinr_qual.ingest.demo import DEFAULT_CORPUS, build_demo, demo_requests

    corpus = corpus or DEFAULT_CORPUS
    files = len(demo_requests(corpus)) if (corpus / "documents.csv").is_file() else 0
    with open_project(project_path, create=True) as project:
        project.require_writable()
        with click.progressbar(
            length=files, label="Importing the demo corpus", file=sys.stderr, show_pos=True
        ) as bar:
            cases, outcomes = build_demo(project, corpus, on_outcome=lambda outcome: bar.update(1))
        failed = [outcome for outcome in outcomes if outcome.status == "failed"]
        imported = sum(1 for outcome in outcomes if outcome.status == "imported")
        click.echo(
            f"{len(cases.created)} cases created; {imported} documents imported,"
            f" {len(outcomes) - imported - len(failed)} already there, {len(failed)} failed"
        )
        for outcome in failed:
            click.echo(f"x {outcome.message}", err=True)
        click.echo("")
        _print_stats(project_stats(project))
        path = project.path
    if failed:
        sys.exit(1)
    if open_app and sys.stdin.isatty() and sys.stdout.isatty():
        from vinr_qual.tui.app import make_app

        make_app(path).run()
