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

SEGMENT_KINDS = ("turn", "paragraph", "sentence", "heading", "note", "table", "goal", "measure")


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
    from vinr_qual.cases.places import Place

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
        place = Place(time=segment.get("time"), pages=_pages(segment.get("page")))
        when = f" {place.marks()}" if place.marks() else ""
        click.echo(
            f"{segment['kind']:<9} {segment['start']:>7}-{segment['end']:<7}{when}{who}  {passage}"
        )


def _pages(page: int | None) -> tuple[int, int] | None:
    return (page, page) if page is not None else None


@docs.group("speakers")
def speakers_group() -> None:
    """List a document's speakers, or rename one (SPEAKER_00 to a name).

    Renaming changes the speaker's label only: the document's text, and every position
    and coding in it, stays as it was imported.
    """


@speakers_group.command("list")
@click.argument("document")
@json_option
@project_option
def speakers_list_command(document: str, as_json: bool, project_path: str | None) -> None:
    """List the speakers of DOCUMENT (id or name): label, role, interviewer, turns."""
    from vinr_qual.cases.documents import find_document
    from vinr_qual.cases.places import clock
    from vinr_qual.store.texts import speakers_of_document

    with open_project(project_path) as project:
        found = speakers_of_document(project, find_document(project, document))
    if as_json:
        print_json(found)
        return
    print_table(
        [
            [
                s["id"],
                s["label"],
                s["role"],
                "yes" if s["is_interviewer"] else "",
                s["turns"],
                clock(s["first_time"]) if s["first_time"] is not None else "",
            ]
            for s in found
        ],
        ["id", "label", "role", "interviewer", "turns", "first turn"],
    )


@speakers_group.command("rename")
@click.argument("document")
@click.argument("old")
@click.argument("new")
@project_option
def speakers_rename_command(document: str, old: str, new: str, project_path: str | None) -> None:
    """Rename the speaker OLD of DOCUMENT (id or name) to NEW, e.g. SPEAKER_00 "Anna Berg".

    The text keeps its labels as imported; the speaker's label, which lists, filters,
    exports and analyses show, becomes NEW. Refused if NEW is already a speaker of it.
    """
    from vinr_qual.cases.documents import find_document
    from vinr_qual.store.texts import rename_speaker

    with open_project(project_path) as project:
        document_id = find_document(project, document)
        rename_speaker(project, document_id, old, new)
    click.echo(f"{old} is now {' '.join(new.split())} in document {document}")
