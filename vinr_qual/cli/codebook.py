"""`vinr-qual codebook`: validate, load, export and change the codebook, keeping codings."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from vinr_qual.cli.options import json_option, open_project, print_json, project_option

FORMAT_CHOICE = click.Choice(["yaml", "qdc", "taguette", "qualcoder"])


@click.group()
def codebook() -> None:
    """The project's codes: load a codebook file, export it, and change codes one by one.

    Codebook files: YAML (our own format, see codebooks/README.md), REFI-QDA .qdc (NVivo,
    ATLAS.ti, MAXQDA, QualCoder), Taguette's CSV and QualCoder's plain-text list. Every
    change keeps the codings and lands in the change log.
    """


@codebook.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=FORMAT_CHOICE, help="The format (default: by suffix).")
@click.option("--separator", help="Taguette CSV: split names into a path at this text.")
@json_option
def validate(file: Path, fmt: str | None, separator: str | None, as_json: bool) -> None:
    """Check a codebook file and report every problem with its line; changes nothing."""
    from vinr_qual.exchange.codebook_files import read_codebook_file

    read = read_codebook_file(file, fmt=fmt, separator=separator)
    codes = list(read.codebook.walk())
    summary = {
        "file": str(file),
        "format": read.format,
        "codes": len(codes),
        "top_level": len(read.codebook.codes),
        "without_id": sum(1 for code, _, _ in codes if not code.id),
        "notes": read.notes,
    }
    if as_json:
        print_json(summary)
        return
    click.echo(
        f"{file}: valid {read.format} codebook, {summary['codes']} codes"
        f" ({summary['top_level']} at the top)"
    )
    if summary["without_id"]:
        click.echo(f"{summary['without_id']} codes have no id yet; loading writes them in")
    for note in read.notes:
        click.echo(f"note: {note}")


@codebook.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=FORMAT_CHOICE, help="The format (default: by suffix).")
@click.option("--separator", help="Taguette CSV: split names into a path at this text.")
@click.option("--keep-missing", is_flag=True, help="Keep project codes the file leaves out.")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option("--yes", "-y", is_flag=True, help="Apply without asking.")
@json_option
@project_option
def load(
    file: Path,
    fmt: str | None,
    separator: str | None,
    keep_missing: bool,
    dry_run: bool,
    yes: bool,
    as_json: bool,
    project_path: str | None,
) -> None:
    """Load a codebook file into the project, showing what changes before applying it.

    Codes are matched by id (or by their path of names where the file has none) and are
    added, renamed, moved, edited or removed to match the file. A code that still has
    codings is never removed: the load is refused and nothing changes. A YAML file gets
    ids written into it for codes that have none.
    """
    from vinr_qual.codebook.project_codes import apply_load, plan_load
    from vinr_qual.errors import VinrQualError
    from vinr_qual.exchange.codebook_files import read_codebook_file, write_ids_back

    read = read_codebook_file(file, fmt=fmt, separator=separator)
    with open_project(project_path) as project:
        plan = plan_load(
            project,
            read.codebook,
            keep_missing=keep_missing,
            with_sets=read.format == "qdc",
            carried=read.carried,
        )
        report: dict[str, Any] = {
            "file": str(file),
            "format": read.format,
            "ids_written": 0,
            "notes": read.notes,
            "changes": [asdict(change) for change in plan.changes],
            "counts": plan.counts(),
            "orphaned": [
                {"code_id": code_id, "path": path, "codings": count}
                for code_id, path, count in plan.orphaned
            ],
            "similar": [
                {"new": new, "existing": old, "score": score} for new, old, score in plan.similar
            ],
            "applied": False,
        }
        if not as_json:
            _print_plan(report)
        if plan.orphaned:
            apply_load(project, plan, source=str(file))  # raises, naming the codes
        if plan.empty:
            if as_json:
                print_json(report)
            else:
                click.echo("the project's codes already match the file")
            return
        if dry_run:
            if as_json:
                print_json(report)
            return
        if not yes:
            if not sys.stdin.isatty():
                raise VinrQualError("nothing applied: pass --yes to apply without a question")
            if not click.confirm("Apply these changes?", default=True):
                raise VinrQualError("nothing applied")
        apply_load(project, plan, source=str(file))
        report["applied"] = True
    report["ids_written"] = write_ids_back(read, file)
    if as_json:
        print_json(report)
    else:
        if report["ids_written"]:
            click.echo(f"{report['ids_written']} ids written into {file}")
        click.echo("applied")


def _print_plan(report: dict[str, Any]) -> None:
    for note in report["notes"]:
        click.echo(f"note: {note}")
    marks = {"added": "+", "renamed": "~", "moved": ">", "changed": "*", "removed": "-"}
    for change in report["changes"]:
        detail = f" ({change['detail']})" if change["detail"] else ""
        click.echo(f"{marks[change['kind']]} {change['kind']:<8} {change['path']}{detail}")
    for item in report["similar"]:
        click.echo(
            f"! {item['new']!r} is much like the existing {item['existing']!r}"
            f" ({item['score']:.0f}%)"
        )
    counts = report["counts"]
    if counts:
        click.echo(", ".join(f"{count} {kind}" for kind, count in counts.items()))


@codebook.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=FORMAT_CHOICE, help="The format (default: by suffix).")
@click.option("--separator", default="/", show_default=True, help="Taguette CSV: path separator.")
@project_option
def export(file: Path, fmt: str | None, separator: str, project_path: str | None) -> None:
    """Write the project's codebook to a file: .yaml, .qdc, .csv (Taguette) or .txt (QualCoder)."""
    from vinr_qual.codebook.project_codes import read_codebook
    from vinr_qual.coding.codings import coding_counts
    from vinr_qual.exchange.codebook_files import write_codebook_file

    with open_project(project_path) as project:
        book = read_codebook(project)
        counts = coding_counts(project)
    kind = write_codebook_file(book, file, fmt=fmt, counts=counts, separator=separator)
    click.echo(f"{file}: {sum(1 for _ in book.walk())} codes written as {kind}")


@codebook.command()
@click.option("--definitions", is_flag=True, help="Show each code's definition too.")
@json_option
@project_option
def show(definitions: bool, as_json: bool, project_path: str | None) -> None:
    """The code tree with shortcuts and the number of codings of each code."""
    from vinr_qual.codebook.project_codes import read_codebook
    from vinr_qual.coding.codings import coding_counts

    with open_project(project_path) as project:
        book = read_codebook(project)
        counts = {code_id: count for code_id, (count, _) in coding_counts(project).items()}
    if as_json:

        def tree(codes: list[Any]) -> list[dict[str, Any]]:
            return [
                {
                    **{k: v for k, v in asdict(code).items() if k != "children"},
                    "codings": counts.get(code.id, 0),
                    "codes": tree(code.children),
                }
                for code in codes
            ]

        print_json({"name": book.name, "codes": tree(book.codes)})
        return
    if not book.codes:
        click.echo("no codes yet: load a codebook with `vinr-qual codebook load FILE`")
    depth: dict[str, int] = {}
    for code, parent, _ in book.walk():
        depth[code.id] = depth[parent.id] + 1 if parent else 0
        key = f"[{code.shortcut}] " if code.shortcut else ""
        folder = "/" if not code.codable else ""
        english = f" ({code.name_en})" if code.name_en else ""
        count = counts.get(code.id, 0)
        click.echo(f"{'  ' * depth[code.id]}{key}{code.name}{folder}{english}  {count}")
        if definitions and code.definition:
            click.echo(f"{'  ' * depth[code.id]}    {' '.join(code.definition.split())}")


@codebook.command()
@click.argument("name")
@click.option("--parent", help="The code to put it under (id, name or path).")
@click.option("--name-en", help="The English label.")
@click.option("--definition", help="What the code means.")
@click.option("--color", help="#RRGGBB")
@click.option("--shortcut", help="One key that codes a selection in the app.")
@click.option("--folder", is_flag=True, help="A folder that only groups codes.")
@project_option
def add(
    name: str,
    parent: str | None,
    name_en: str | None,
    definition: str | None,
    color: str | None,
    shortcut: str | None,
    folder: bool,
    project_path: str | None,
) -> None:
    """Add a code; codes with a near-identical name are flagged."""
    from vinr_qual.codebook.operations import add_code

    with open_project(project_path) as project:
        added = add_code(
            project,
            name,
            parent=parent,
            name_en=name_en,
            definition=definition,
            color=color,
            shortcut=shortcut,
            codable=not folder,
        )
    click.echo(f"+ {name} ({added.code_id})")
    for other, score in added.similar:
        click.echo(f"! much like the existing code {other!r} ({score:.0f}%)")


@codebook.command()
@click.argument("code")
@click.argument("new_name")
@click.option("--name-en", help="A new English label too.")
@project_option
def rename(code: str, new_name: str, name_en: str | None, project_path: str | None) -> None:
    """Rename a code; its id and codings stay."""
    from vinr_qual.codebook.operations import rename_code

    with open_project(project_path) as project:
        similar = rename_code(project, code, new_name, name_en=name_en)
    click.echo(f"~ {code} → {new_name}")
    for other, score in similar:
        click.echo(f"! much like the existing code {other!r} ({score:.0f}%)")


@codebook.command()
@click.argument("code")
@click.option("--parent", help="The new parent code.")
@click.option("--top", is_flag=True, help="Move it to the top level.")
@project_option
def move(code: str, parent: str | None, top: bool, project_path: str | None) -> None:
    """Move a code under another code, or to the top level."""
    from vinr_qual.codebook.operations import move_code

    if bool(parent) == top:
        raise click.UsageError("give either --parent CODE or --top")
    with open_project(project_path) as project:
        move_code(project, code, parent)
    click.echo(f"> {code} moved {'to the top' if top else f'under {parent}'}")


@codebook.command()
@click.argument("source")
@click.argument("target")
@project_option
def merge(source: str, target: str, project_path: str | None) -> None:
    """Merge SOURCE into TARGET: codings combined, duplicates folded, SOURCE removed."""
    from vinr_qual.codebook.operations import merge_codes

    with open_project(project_path) as project:
        merged = merge_codes(project, source, target)
    click.echo(
        f"merged {source} into {target}: {merged.moved} codings moved,"
        f" {merged.folded} duplicates folded"
    )


@codebook.command()
@click.argument("code")
@click.argument("new_name")
@click.option(
    "--coding",
    "codings",
    type=int,
    multiple=True,
    required=True,
    help="A coding to move to the new code (repeat; ids from `vinr-qual code list`).",
)
@project_option
def split(code: str, new_name: str, codings: tuple[int, ...], project_path: str | None) -> None:
    """Split a code: make NEW_NAME beside it and move the chosen codings there."""
    from vinr_qual.codebook.operations import split_code

    with open_project(project_path) as project:
        new_id = split_code(project, code, new_name, list(codings))
    click.echo(f"+ {new_name} ({new_id}) with {len(codings)} codings from {code}")


@codebook.command()
@click.argument("code")
@click.option("--yes", "-y", is_flag=True, help="Also delete the code's codings.")
@project_option
def delete(code: str, yes: bool, project_path: str | None) -> None:
    """Delete a code. If it has codings, they go too, and only with --yes."""
    from vinr_qual.codebook.operations import delete_code

    with open_project(project_path) as project:
        removed = delete_code(project, code, confirm=yes)
    click.echo(f"- {code} deleted" + (f" with {removed} codings" if removed else ""))
