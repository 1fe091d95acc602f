"""`vinr-qual docs`: the documents of a project and their segments."""

from __future__ import annotations

import click

from vinr_qual.cli.options import (
    json_option,
    open_project,
    print_json,
    print_table,
    project_option,
)

SEGMENT_KINDS = ("turn", "paragraph", "sentence", "heading", "note", "table")


@click.group()
def docs() -> None:
    """List documents and show one with its segments."""


@docs.command("list")
@click.option("--case", "case_name", help="Only this case's documents.")
@click.option("--kind", type=click.Choice(["interview", "steering", "other"]))
@json_option
@project_option
def list_command(
    case_name: str | None, kind: str | None, as_json: bool, project_path: str | None
) -> None:
    """List documents with case, kind, words, turns and codings."""
    from vinr_qual.cases.documents import list_documents

    with open_project(project_path) as project:
        found = list_documents(project, case=case_name, kind=kind)
    if as_json:
        print_json(found)
        return
    print_table(
        [
            [
                d["id"],
                d["name"],
                d["case"],
                d["kind"],
                d["date"],
                d["words"],
                d["turns"],
                d["codings"],
            ]
            for d in found
        ],
        ["id", "name", "case", "kind", "date", "words", "turns", "codings"],
    )


@docs.command("show")
@click.argument("document")
@click.option(
    "--segments",
    "kinds",
    multiple=True,
    type=click.Choice([*SEGMENT_KINDS, "all"]),
    help="Which segments to list (default: turns, or paragraphs where there are none).",
)
@click.option("--text", "full_text", is_flag=True, help="Print the whole text instead.")
@json_option
@project_option
def show_command(
    document: str,
    kinds: tuple[str, ...],
    full_text: bool,
    as_json: bool,
    project_path: str | None,
) -> None:
    """Show one document (by id or name) with its segments: kind, [start, end), speaker, text."""
    from vinr_qual.cases.documents import get_document, segments_of

    with open_project(project_path) as project:
        info = get_document(project, document)
        wanted = list(SEGMENT_KINDS) if "all" in kinds else list(kinds)
        if not wanted:
            wanted = ["turn"] if info["turns"] else ["heading", "paragraph"]
        segments = segments_of(project, info["id"], wanted)
        text = info.pop("text")
    if as_json:
        print_json({**info, "segments": segments, **({"text": text} if full_text else {})})
        return
    for key in (
        "name",
        "case",
        "kind",
        "title",
        "date",
        "interviewee_role",
        "words",
        "source_format",
        "source_encoding",
        "sha256",
        "imported",
    ):
        if info.get(key) not in (None, ""):
            click.echo(f"{key}: {info[key]}")
    if info["speakers"]:
        click.echo(
            "speakers: "
            + ", ".join(f"{s['label']} ({s['role'] or 'role unknown'})" for s in info["speakers"])
        )
    for note in info["import_notes"]:
        click.echo(f"note: {note}")
    click.echo("")
    if full_text:
        click.echo(text)
        return
    for segment in segments:
        passage = " ".join(segment["text"].split())
        if len(passage) > 100:
            passage = passage[:99] + "…"
        who = f" {segment['speaker']}" if segment.get("speaker") else ""
        click.echo(
            f"{segment['kind']:<9} {segment['start']:>7}-{segment['end']:<7}{who}  {passage}"
        )
