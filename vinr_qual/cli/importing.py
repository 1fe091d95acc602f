"""`vinr-qual import` and `vinr-qual check`: bring files in, or only try reading them."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vinr_qual.cli.options import json_option, open_project, print_json, project_option

if TYPE_CHECKING:
    from vinr_qual.ingest.pipeline import ImportRequest, Outcome


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--case", "case_name", help="Attach every file to this case.")
@click.option(
    "--case-pattern",
    help=r"A regular expression on the file name with a group (?P<case>…),"
    r" e.g. '^(?P<case>[^-]+)-'.",
)
@click.option(
    "--metadata",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A CSV with columns file, case, kind, date, interviewee_role, title, speaker_roles.",
)
@click.option(
    "--kind",
    type=click.Choice(["interview", "steering", "other"]),
    help="The kind of every file (default: interview, or the metadata's).",
)
@click.option("--date", help="The date of every file (YYYY-MM-DD).")
@click.option("--role", "interviewee_role", help="The interviewee's role, for every file.")
@click.option(
    "--replace",
    is_flag=True,
    help="Replace documents whose file has changed; codings move with their passages.",
)
@click.option(
    "--plan",
    "plan_only",
    is_flag=True,
    help="For a .qdpx package: show what would be added; change nothing.",
)
@json_option
@project_option
def import_command(
    paths: tuple[Path, ...],
    case_name: str | None,
    case_pattern: str | None,
    metadata: Path | None,
    kind: str | None,
    date: str | None,
    interviewee_role: str | None,
    replace: bool,
    plan_only: bool,
    as_json: bool,
    project_path: str | None,
) -> None:
    """Import transcripts and documents (.txt .md .docx .odt .rtf .html .pdf .vtt .srt .json
    .csv .xlsx, .doc with LibreOffice), or every such file under a folder.

    Each file is one transaction: a file that cannot be read is reported with the reason
    and nothing of it is written, while the rest go on. A file imported before and
    unchanged is left alone. Exit code 1 if any file failed.

    A REFI-QDA project (.qdpx from NVivo, ATLAS.ti, MAXQDA, QualCoder, qc or vinr-qual)
    brings its texts, codes, codings, coders, cases, variables, notes and sets; it is
    imported whole or not at all, with a report of what could not be carried and of
    every problem (exit code 1 if anything was left out).
    """
    packages = [path for path in paths if path.suffix.lower() == ".qdpx" and path.is_file()]
    if packages:
        from vinr_qual.cli.exchanging import import_packages
        from vinr_qual.errors import VinrQualError

        if len(packages) != len(paths):
            raise VinrQualError("import .qdpx packages on their own, not together with other files")
        import_packages(packages, plan_only=plan_only, as_json=as_json, project_path=project_path)
        return
    if plan_only:
        from vinr_qual.errors import VinrQualError

        raise VinrQualError(
            "--plan is for .qdpx packages; to try files without importing, use `vinr-qual check`"
        )
    from vinr_qual.ingest.options import ImportOptions, plan_import

    plan = plan_import(
        list(paths),
        ImportOptions(
            metadata=metadata,
            case_pattern=case_pattern,
            case=case_name,
            kind=kind,
            date=date,
            interviewee_role=interviewee_role,
            replace=replace,
        ),
    )
    with open_project(project_path) as project:
        project.require_writable()
        outcomes = _run_with_progress(project, plan.requests, replace, quiet=as_json)
    skipped = _Skipped(paths, [request.path for request in plan.requests], plan.skipped)
    if as_json:
        print_json(
            {
                "outcomes": [
                    {**asdict(outcome), "path": str(outcome.path)} for outcome in outcomes
                ],
                "skipped": [str(path) for path in plan.skipped],
                "skipped_reasons": skipped.reasons(),
                "folders_without_sources": [str(folder) for folder in skipped.barren()],
                "metadata_rows_unused": plan.unused_metadata,
            }
        )
    else:
        _print_summary(outcomes, skipped, plan.unused_metadata)
    if any(outcome.status == "failed" for outcome in outcomes) or skipped.barren():
        sys.exit(1)


def _run_with_progress(
    project: object, requests: list[ImportRequest], replace: bool, quiet: bool
) -> list[Outcome]:
    from vinr_qual.ingest.pipeline import import_sources

    if quiet or not requests:
        return import_sources(project, requests, replace=replace)  # type: ignore[arg-type]
    with click.progressbar(
        length=len(requests),
        label="Importing",
        file=sys.stderr,
        show_pos=True,
        item_show_func=lambda name: name or "",
    ) as bar:

        def advance(outcome: Outcome) -> None:
            bar.update(1, outcome.name)

        return import_sources(
            project,  # type: ignore[arg-type]
            requests,
            replace=replace,
            on_outcome=advance,
        )


class _Skipped:
    """The files a folder import left out, each with its reason, and the named folders
    in which there was nothing to read at all."""

    def __init__(self, named: Iterable[Path], read: list[Path], skipped: list[Path]) -> None:
        from vinr_qual.ingest.readers import SUFFIXES

        self.suffixes = SUFFIXES
        self.folders = [path for path in named if path.is_dir()]
        self.read = read
        self.skipped = skipped

    def reasons(self) -> dict[str, str]:
        from vinr_qual.ingest.pipeline import skip_reason

        return {str(path): skip_reason(path, self.suffixes) for path in self.skipped}

    def barren(self) -> list[Path]:
        return [
            folder
            for folder in self.folders
            if not any(path.is_relative_to(folder) for path in self.read)
        ]

    def lines(self) -> list[str]:
        """One line per barren folder, then every other skipped file with its reason."""
        from vinr_qual.ingest.pipeline import skip_reason

        lines = []
        covered: set[Path] = set()
        for folder in self.barren():
            inside = [path for path in self.skipped if path.is_relative_to(folder)]
            covered.update(inside)
            if not inside:
                what = "the folder is empty"
            else:
                names = [path.relative_to(folder).as_posix() for path in inside]
                shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
                files = "file" if len(inside) == 1 else "files"
                what = f"{len(inside)} {files} of other formats: {shown}"
            lines.append(f"{folder.as_posix().rstrip('/')}/: no file vinr-qual reads here ({what})")
        rest = [path for path in self.skipped if path not in covered]
        if rest:
            files = "file" if len(rest) == 1 else "files"
            lines.append(
                f"{len(rest)} {files} skipped (vinr-qual reads {', '.join(self.suffixes)}):"
            )
            lines += [f"  {path}: {skip_reason(path, self.suffixes)}" for path in rest]
        return lines


def _print_summary(outcomes: list[Outcome], skipped: _Skipped, unused: list[str]) -> None:
    marks = {"imported": "+", "replaced": "~", "unchanged": "=", "changed": "!", "failed": "x"}
    for outcome in outcomes:
        if outcome.status == "failed":
            click.echo(f"x {outcome.message}")
        else:
            click.echo(f"{marks[outcome.status]} {outcome.name}: {outcome.message}")
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    order = ["imported", "replaced", "unchanged", "changed", "failed"]
    click.echo(", ".join(f"{counts.get(status, 0)} {status}" for status in order))
    failed = [outcome for outcome in outcomes if outcome.status == "failed"]
    if failed:
        click.echo("Failed:", err=True)
        for outcome in failed:
            click.echo(f"  {outcome.message}", err=True)
    for line in skipped.lines():
        click.echo(line)
    if unused:
        click.echo(f"metadata rows that matched no file: {', '.join(unused)}", err=True)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@json_option
def check(paths: tuple[Path, ...], as_json: bool) -> None:
    """Try the importers on files or folders without touching any project.

    Reports per file what would be imported (words, paragraphs, turns, what was skipped)
    or why it is refused. Use it on a folder of Word files before a real import. Exit
    code 1 if any file crashed the reader (a bug to report); refusals are not errors.
    """
    from vinr_qual.ingest.check import check_sources
    from vinr_qual.ingest.pipeline import collect_sources
    from vinr_qual.ingest.readers import SUFFIXES

    collected = collect_sources(paths, SUFFIXES)
    reports = check_sources(request.path for request in collected.requests)
    skipped = _Skipped(paths, [request.path for request in collected.requests], collected.skipped)
    if as_json:
        found = [{**asdict(report), "path": str(report.path)} for report in reports]
        found += [
            {"path": path, "status": "skipped", "message": reason}
            for path, reason in skipped.reasons().items()
        ]
        print_json(found)
    else:
        for report in reports:
            if report.status == "ok":
                extra = f"; {'; '.join(report.notes)}" if report.notes else ""
                click.echo(
                    f"ok       {report.path}: {report.words} words, {report.paragraphs}"
                    f" paragraphs, {report.headings} headings, {report.tables} tables,"
                    f" {report.turns} turns{extra}"
                )
            else:
                click.echo(f"{report.status:<8} {report.message}")
        for line in skipped.lines():
            click.echo(line)
        counts = {
            status: sum(1 for report in reports if report.status == status)
            for status in ("ok", "refused", "crashed")
        }
        counts["skipped"] = len(collected.skipped)
        click.echo(", ".join(f"{count} {status}" for status, count in counts.items()))
    if any(report.status == "crashed" for report in reports):
        sys.exit(1)
