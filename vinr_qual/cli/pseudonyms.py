"""`vinr-qual pseudonyms`: real names and the aliases that stand for them in reports."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from vinr_qual.cli.options import json_option, open_project, print_json, print_table, project_option

KIND_CHOICE = click.Choice(["person", "municipality", "place", "organisation"])


@click.group()
def pseudonyms() -> None:
    """Real names (people, municipalities, places, organisations) and their aliases.

    The aliases replace the real names, their genitives ("Lenas"), inflected place names
    ("Brovallas", "i Brovalla kommun", "Älvhamnshem") and close misspellings ("Lenna")
    wherever quotes are shown for export and exported; the stored text never changes.
    `suggest` proposes names from the texts, `check` looks for real names in a finished
    file.
    """


@pseudonyms.command("add")
@click.argument("real")
@click.argument("alias")
@click.option("--kind", type=KIND_CHOICE, default="person", show_default=True)
@click.option("--gender", help="Optional, free text (kvinna, man, …).")
@project_option
def add_command(
    real: str, alias: str, kind: str, gender: str | None, project_path: str | None
) -> None:
    """Add REAL, replaced by ALIAS in everything exported.

    Example: vinr-qual pseudonyms add "Lena Holm" "Anna Berg" --gender kvinna
    """
    from vinr_qual.quoting.pseudonyms import add_pseudonym

    with open_project(project_path) as project:
        added = add_pseudonym(project, real, alias, kind=kind, gender=gender)
    click.echo(f"+ {added.real} → {added.alias} ({_described(added.kind, added.gender)})")


@pseudonyms.command("change")
@click.argument("real")
@click.option("--alias", help="A new alias.")
@click.option("--real", "new_real", help="Correct the real name itself.")
@click.option("--kind", type=KIND_CHOICE)
@click.option("--gender", help='A new gender; "" clears it.')
@project_option
def change_command(
    real: str,
    alias: str | None,
    new_real: str | None,
    kind: str | None,
    gender: str | None,
    project_path: str | None,
) -> None:
    """Change the alias, real name, kind or gender of REAL."""
    from vinr_qual.quoting.pseudonyms import change_pseudonym

    if alias is None and new_real is None and kind is None and gender is None:
        raise click.UsageError("say what to change: --alias, --real, --kind or --gender")
    with open_project(project_path) as project:
        changed = change_pseudonym(
            project, real, new_real=new_real, alias=alias, kind=kind, gender=gender
        )
    click.echo(f"~ {changed.real} → {changed.alias} ({_described(changed.kind, changed.gender)})")


@pseudonyms.command("remove")
@click.argument("real")
@project_option
def remove_command(real: str, project_path: str | None) -> None:
    """Remove the pseudonym of REAL."""
    from vinr_qual.quoting.pseudonyms import remove_pseudonym

    with open_project(project_path) as project:
        removed = remove_pseudonym(project, real)
    click.echo(f"- {removed.real} (was {removed.alias})")


@pseudonyms.command("list")
@json_option
@project_option
def list_command(as_json: bool, project_path: str | None) -> None:
    """List the real names and their aliases."""
    from vinr_qual.quoting.pseudonyms import list_pseudonyms

    with open_project(project_path) as project:
        found = list_pseudonyms(project)
    if as_json:
        print_json([asdict(entry) for entry in found])
        return
    if not found:
        click.echo("no pseudonyms yet: `vinr-qual pseudonyms suggest` proposes names")
        return
    print_table(
        [[entry.real, entry.alias, entry.kind, entry.gender or ""] for entry in found],
        ["real", "alias", "kind", "gender"],
    )


@pseudonyms.command("suggest")
@click.option("--min-count", type=click.IntRange(min=1), default=1, show_default=True,
              help="Only names found at least this often.")  # fmt: skip
@click.option("--kind", type=KIND_CHOICE, help="Only names of this kind (as guessed).")
@click.option("--new", "only_new", is_flag=True, help="Only names the table does not cover.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many names.")
@json_option
@project_option
def suggest_command(
    min_count: int,
    kind: str | None,
    only_new: bool,
    limit: int | None,
    as_json: bool,
    project_path: str | None,
) -> None:
    """Propose real names from the documents, most frequent first.

    From speaker labels that are names, names after titles and roles ("socialsekreteraren
    Lena", "kommunchef Per Olsson"), capitalised words inside sentences, and municipality
    names (Sweden's 290 and the project's cases). Each comes with its count, a kind
    guess, where it is first found, its other forms (genitive, misspellings) and the
    real name in the table that already covers it. Nothing is added: give each an alias
    with `pseudonyms add`.
    """
    from vinr_qual.quoting.pseudonyms import suggest

    with open_project(project_path) as project:
        found = suggest(project, min_count=min_count)
    found = [
        c for c in found if (kind is None or c.kind == kind) and not (only_new and c.in_table)
    ][:limit]
    if as_json:
        print_json([asdict(candidate) for candidate in found])
        return
    if not found:
        click.echo("no names found")
        return
    print_table(
        [
            [
                c.count,
                c.text,
                c.kind,
                c.pseudonym or "",
                f"{c.example.document}:{c.example.start}" if c.example else "",
                ", ".join(c.variants),
            ]
            for c in found
        ],
        ["count", "name", "kind", "in table as", "first at", "other forms"],
    )


@pseudonyms.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--no-cases", is_flag=True, help="Do not count the cases' own names as real names.")
@json_option
@project_option
def check_command(file: Path, no_cases: bool, as_json: bool, project_path: str | None) -> None:
    """Look for real names, their forms and close variants in FILE (.txt, .md, .csv,
    .docx and other office files: every XML part, with headers, footers, comments and
    document properties, and the file's name). Exit code 1 when one is found."""
    from vinr_qual.quoting.pseudonyms import check_file, check_table

    with open_project(project_path) as project:
        table = check_table(project, cases=not no_cases)
    if not len(table):
        click.echo("the pseudonym table is empty: nothing to look for", err=True)
    found = check_file(file, table)
    if as_json:
        print_json(
            [
                {"part": f.part, "line": f.line, "column": f.column, **asdict(f.leak)}
                | {"alias": None if f.leak.alias.startswith("\0") else f.leak.alias}
                for f in found
            ]
        )
    else:
        for item in found:
            leak = item.leak
            also = "".join(f", {name!r}" for name in leak.also)
            click.echo(
                f"{file}: {item.part}:{item.line}:{item.column}: {leak.word!r} —"
                f" {_how(leak.how, leak.score)} {leak.name!r}{also}"
            )
        if found:
            click.echo(f"{len(found)} real names or variants found in {file}")
        else:
            click.echo(f"{file}: no real name found ({len(table)} names looked for)")
    if found:
        raise SystemExit(1)


def _described(kind: str, gender: str | None) -> str:
    return f"{kind}, {gender}" if gender else kind


def _how(how: str, score: float) -> str:
    return {
        "exact": "the real name",
        "genitive": "the genitive of the real name",
        "inflected": "a form of the real name",
        "part": "part of the real name",
        "ambiguous": "part or variant of more than one real name, first",
    }.get(how, f"a close variant (ratio {score:.0f}) of the real name")
