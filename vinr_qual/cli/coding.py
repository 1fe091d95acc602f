"""`vinr-qual code`: code passages from the command line, list and remove codings."""

from __future__ import annotations

import click

from vinr_qual.cli.options import (
    json_option,
    open_project,
    print_json,
    print_table,
    project_option,
)


@click.group("code")
def code_group() -> None:
    """Add, list and remove codings (a code on a passage, by a coder)."""


@code_group.command("add")
@click.argument("document")
@click.option("--code", "code_ref", required=True, help="Code id, name, path or shortcut.")
@click.option("--start", type=int, help="Start position (a string index into the text).")
@click.option("--end", type=int, help="End position (exclusive).")
@click.option("--phrase", help="A quoted passage to find in the document instead.")
@click.option("--occurrence", type=int, help="Which occurrence of the phrase (1 = first).")
@click.option("--coder", help="Who codes (default: the project's coder).")
@click.option(
    "--status",
    type=click.Choice(["accepted", "suggested", "rejected"]),
    default="accepted",
    show_default=True,
)
@json_option
@project_option
def add_command(
    document: str,
    code_ref: str,
    start: int | None,
    end: int | None,
    phrase: str | None,
    occurrence: int | None,
    coder: str | None,
    status: str,
    as_json: bool,
    project_path: str | None,
) -> None:
    """Code a passage of DOCUMENT (id or name), by positions or by a phrase in it."""
    from vinr_qual.cases.documents import document_text, find_document
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.coding.codings import add_coding, coding_row_passage, find_phrase

    if phrase is None and (start is None or end is None):
        raise click.UsageError("give --start and --end, or --phrase")
    if phrase is not None and (start is not None or end is not None):
        raise click.UsageError("give either positions or a phrase, not both")
    with open_project(project_path) as project:
        document_id = find_document(project, document)
        code_id = find_code(project, code_ref)
        if phrase is not None:
            _, text = document_text(project, document_id)
            span = find_phrase(text, phrase, occurrence)
            start, end = span.start, span.end
        assert start is not None and end is not None
        coding_id = add_coding(
            project, document_id, start, end, code_id, coder=coder, status=status
        )
        passage = coding_row_passage(project, coding_id)
    if as_json:
        print_json(
            {
                "id": coding_id,
                "document_id": document_id,
                "start": start,
                "end": end,
                "code_id": code_id,
                "passage": passage,
            }
        )
    else:
        click.echo(f"+ coding {coding_id} [{start}, {end}): {' '.join(passage.split())[:80]}")


@code_group.command("list")
@click.option("--document", help="Only this document (id or name).")
@click.option("--code", "code_ref", help="Only this code.")
@click.option("--case", "case_name", help="Only documents of this case.")
@click.option("--coder", help="Only this coder's codings.")
@click.option("--status", type=click.Choice(["accepted", "suggested", "rejected"]))
@json_option
@project_option
def list_command(
    document: str | None,
    code_ref: str | None,
    case_name: str | None,
    coder: str | None,
    status: str | None,
    as_json: bool,
    project_path: str | None,
) -> None:
    """List codings with their passage, code, coder and status."""
    from vinr_qual.cases.documents import find_document
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.coding.codings import list_codings

    with open_project(project_path) as project:
        rows = list_codings(
            project,
            document_id=find_document(project, document) if document else None,
            code_id=find_code(project, code_ref) if code_ref else None,
            case=case_name,
            coder=coder,
            status=status,
        )
    if as_json:
        print_json(rows)
        return
    print_table(
        [
            [
                r["id"],
                r["document"],
                f"{r['start']}-{r['end']}",
                r["code"],
                r["coder"],
                r["status"],
                " ".join(r["passage"].split())[:60],
            ]
            for r in rows
        ],
        ["id", "document", "span", "code", "coder", "status", "passage"],
    )


@code_group.command("remove")
@click.argument("coding_ids", nargs=-1, type=int, required=True)
@project_option
def remove_command(coding_ids: tuple[int, ...], project_path: str | None) -> None:
    """Remove codings by id (each removal is in the change log)."""
    from vinr_qual.coding.codings import remove_coding

    with open_project(project_path) as project, project.transaction():
        for coding_id in coding_ids:
            remove_coding(project, coding_id)
    click.echo(f"- {len(coding_ids)} coding{'s' if len(coding_ids) != 1 else ''} removed")


@code_group.command("field")
@click.argument("coding_ids", nargs=-1, type=int, required=True)
@click.option(
    "--field",
    "fields",
    multiple=True,
    required=True,
    help="A field code (BF, VINR, ANDTS: by name, id or shortcut); repeat for several.",
)
@project_option
def field_command(
    coding_ids: tuple[int, ...], fields: tuple[str, ...], project_path: str | None
) -> None:
    """Say which field the passages of these codings are about: each passage is coded
    with the field codes as well (`analyse matrix --columns field` crosses them)."""
    from vinr_qual.codebook.fields import code_field
    from vinr_qual.codebook.operations import find_code

    with open_project(project_path) as project:
        project.require_writable()
        wanted = [find_code(project, field) for field in fields]
        added = 0
        for coding_id in coding_ids:
            added += len(code_field(project, coding_id, wanted))
    click.echo(f"+ {added} field coding{'s' if added != 1 else ''}")
