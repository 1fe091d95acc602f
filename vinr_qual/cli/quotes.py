"""`vinr-qual quotes`: the quote basket, its attribution and case aliases, and its export."""

from __future__ import annotations

from pathlib import Path

import click

from vinr_qual.cli.options import json_option, open_project, print_json, project_option


@click.group()
def quotes() -> None:
    """The quote basket: passages picked for a report, ordered, grouped by theme, trimmed
    with "[…]", with notes, attributed ("Kommun B, socialchef") and exported to Word,
    Markdown or CSV with pseudonyms for real names.
    """


@quotes.command("add")
@click.argument("coding_ids", nargs=-1, type=int)
@click.option("--code", "code_ref", help="Every passage of this code (and its sub-codes).")
@click.option("--case", "case_name", help="With --code: only this case.")
@click.option("--kind", type=click.Choice(["interview", "steering", "other"]))
@click.option("--role", help="With --code: only what speakers of this role said.")
@click.option("--coder", "coders", multiple=True, help="With --code: only this coder's.")
@click.option("--document", help="A passage of this document (id or name), with --phrase.")
@click.option("--phrase", help="With --document: the passage's words.")
@click.option("--theme", help="The heading to group under (default: the code).")
@project_option
def add_command(
    coding_ids: tuple[int, ...],
    code_ref: str | None,
    case_name: str | None,
    kind: str | None,
    role: str | None,
    coders: tuple[str, ...],
    document: str | None,
    phrase: str | None,
    theme: str | None,
    project_path: str | None,
) -> None:
    """Put passages in the basket: codings by id, every passage of a code, or a phrase of
    a document. A passage already in the basket under the same theme is not added again."""
    from vinr_qual.errors import VinrQualError
    from vinr_qual.quoting import basket

    if bool(coding_ids) + bool(code_ref) + bool(document) != 1:
        raise click.UsageError("give coding ids, or --code, or --document with --phrase")
    with open_project(project_path) as project:
        project.require_writable()
        if coding_ids:
            added = basket.add_codings(project, list(coding_ids), theme=theme)
        elif code_ref:
            from vinr_qual.codebook.operations import find_code
            from vinr_qual.search.retrieval import retrieve

            found = retrieve(
                project,
                codes=[find_code(project, code_ref)],
                case=case_name,
                kind=kind,
                role=role,
                coders=list(coders) or None,
            )
            if not found:
                raise VinrQualError(f"no accepted passages of {code_ref!r} match")
            added = [
                basket.add_quote(
                    project,
                    passage.document_id,
                    passage.start,
                    passage.end,
                    code_id=passage.code_id,
                    coding_guid=passage.coding_guids[0] if passage.coding_guids else None,
                    theme=theme,
                )
                for passage in found
            ]
        else:
            from vinr_qual.cases.documents import get_document
            from vinr_qual.coding.codings import find_phrase

            if not phrase:
                raise click.UsageError("--document needs --phrase")
            info = get_document(project, str(document))
            span = find_phrase(info["text"], phrase)
            added = [basket.add_quote(project, info["id"], span.start, span.end, theme=theme)]
        total = len(basket.list_quotes(project))
    for quote in added:
        click.echo(f"{quote.label}  {quote.shown[:90]}")
    click.echo(f"{len(added)} in, the basket holds {total}")


@quotes.command("list")
@json_option
@project_option
def list_command(as_json: bool, project_path: str | None) -> None:
    """The basket in order, grouped by theme, each quote with its number, id, attribution,
    the words a report prints and the author's note; a quote whose source changed says so."""
    from vinr_qual.errors import VinrQualError
    from vinr_qual.quoting import basket
    from vinr_qual.quoting.attribution import Attributor

    with open_project(project_path) as project:
        found = basket.list_quotes(project)
        attributor = Attributor(project)
        rows = []
        for number, quote in enumerate(found, start=1):
            checked = basket.check(project, quote)
            try:
                by = (
                    attributor.of(quote.document_id, quote.start, quote.end)
                    if quote.document_id is not None
                    else ""
                )
            except VinrQualError as error:
                by = f"(no attribution: {error})"
            rows.append((number, quote, by, checked))
    if as_json:
        print_json(
            [
                {
                    "number": number,
                    "id": quote.label,
                    "guid": quote.guid,
                    "theme": quote.theme or quote.code,
                    "document": quote.document,
                    "case": quote.case,
                    "start": quote.start,
                    "end": quote.end,
                    "quote": quote.shown,
                    "attribution": by,
                    "note": quote.note,
                    "state": checked.state,
                }
                for number, quote, by, checked in rows
            ]
        )
        return
    if not rows:
        click.echo("the basket is empty: `vinr-qual quotes add` puts passages in it")
        return
    theme = None
    for number, quote, by, checked in rows:
        heading = quote.theme or quote.code or "(no theme)"
        if heading != theme:
            click.echo(f"\n{heading}")
            theme = heading
        click.echo(f"  {number:>3}. {quote.label}  {quote.document}  ({by})")
        click.echo(f"       “{quote.shown}”")
        if quote.note:
            click.echo(f"       note: {quote.note}")
        if checked.state != "ok":
            click.echo(f"       ! {checked.message}")


@quotes.command("trim")
@click.argument("quote")
@click.option("--keep", multiple=True, help="Words to keep, in order; the rest become […].")
@click.option("--whole", is_flag=True, help="Quote the whole passage again.")
@project_option
def trim_command(quote: str, keep: tuple[str, ...], whole: bool, project_path: str | None) -> None:
    """Shorten QUOTE (number or id) to the pieces given with --keep; the stored passage
    stays whole."""
    from vinr_qual.quoting import basket

    if not keep and not whole:
        raise click.UsageError("give --keep WORDS (one or more) or --whole")
    with open_project(project_path) as project:
        project.require_writable()
        found = basket.find_quote(project, quote)
        trimmed = basket.trim(project, found, [] if whole else list(keep))
    click.echo(f"{trimmed.label}  “{trimmed.shown}”")


@quotes.command("note")
@click.argument("quote")
@click.argument("text")
@project_option
def note_command(quote: str, text: str, project_path: str | None) -> None:
    """The author's note on QUOTE (empty text removes it)."""
    from vinr_qual.quoting import basket

    with open_project(project_path) as project:
        project.require_writable()
        noted = basket.set_note(project, basket.find_quote(project, quote), text)
    click.echo(f"{noted.label}  note: {noted.note or '(none)'}")


@quotes.command("theme")
@click.argument("quote")
@click.argument("theme", required=False)
@project_option
def theme_command(quote: str, theme: str | None, project_path: str | None) -> None:
    """Group QUOTE under THEME, a heading of yours (without THEME: under its code)."""
    from vinr_qual.quoting import basket

    with open_project(project_path) as project:
        project.require_writable()
        moved = basket.set_theme(project, basket.find_quote(project, quote), theme)
    click.echo(f"{moved.label}  theme: {moved.theme or moved.code or '(none)'}")


@quotes.command("move")
@click.argument("quote")
@click.argument("position", type=int)
@project_option
def move_command(quote: str, position: int, project_path: str | None) -> None:
    """Put QUOTE at POSITION in the basket's order (1 is the first)."""
    from vinr_qual.quoting import basket

    with open_project(project_path) as project:
        project.require_writable()
        moved = basket.move(project, basket.find_quote(project, quote), position)
    click.echo(f"{moved.label}  now number {position}")


@quotes.command("remove")
@click.argument("quote")
@project_option
def remove_command(quote: str, project_path: str | None) -> None:
    """Take QUOTE out of the basket (its passage and codings stay)."""
    from vinr_qual.quoting import basket

    with open_project(project_path) as project:
        project.require_writable()
        found = basket.find_quote(project, quote)
        basket.remove(project, found)
    click.echo(f"{found.label} removed")


@quotes.command("check")
@click.option("--fix", is_flag=True, help="Let moved quotes follow their codings.")
@click.option(
    "--draft",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An author's draft (.docx, .md, .txt): find where each quotation in it stands.",
)
@project_option
def check_command(fix: bool, draft: Path | None, project_path: str | None) -> None:
    """Whether every quote still matches its source passage; with --draft, where each
    quotation of a draft stands in the project (fuzzy, so small changes are found)."""
    from vinr_qual.quoting import basket

    problems = 0
    with open_project(project_path) as project:
        if fix:
            project.require_writable()
        for quote in basket.list_quotes(project):
            checked = basket.check(project, quote)
            if checked.state == "moved" and fix:
                basket.follow(project, checked)
                click.echo(f"{quote.label}: followed its coding to its new place")
                continue
            if checked.state != "ok":
                problems += 1
            click.echo(checked.message)
        if draft is not None:
            from vinr_qual.quoting.drafts import locate_quotations

            for found in locate_quotations(project, draft):
                if found.where is None:
                    problems += 1
                click.echo(found.line())
    if problems:
        raise SystemExit(1)


@quotes.command("template")
@click.argument("kind", required=False, type=click.Choice(["interview", "steering", "other"]))
@click.argument("text", required=False)
@project_option
def template_command(kind: str | None, text: str | None, project_path: str | None) -> None:
    """Show the attribution templates, or set KIND's to TEXT, e.g.
    "{alias}, {role}", "Intervju {number}, {role}, {band:folkmängd}", "{title}, {page}"."""
    from vinr_qual.quoting.attribution import DEFAULT_TEMPLATES, set_template, template

    with open_project(project_path) as project:
        if kind and text is not None:
            project.require_writable()
            set_template(project, kind, text)
        for each in DEFAULT_TEMPLATES:
            click.echo(f"{each}: {template(project, each)}")


@quotes.command("aliases")
@click.option("--order", multiple=True, help="Cases in the order their letters go (A, B, …).")
@click.option("--set", "set_pair", nargs=2, help="CASE ALIAS: an alias of your own.")
@json_option
@project_option
def aliases_command(
    order: tuple[str, ...],
    set_pair: tuple[str, str] | None,
    as_json: bool,
    project_path: str | None,
) -> None:
    """The aliases cases are reported under (Kommun A, Kommun B, …)."""
    from vinr_qual.quoting import attribution

    with open_project(project_path) as project:
        if order or set_pair:
            project.require_writable()
        if order:
            attribution.reorder(project, list(order))
        if set_pair:
            attribution.set_alias(project, *set_pair)
        found = attribution.aliases(project)
    if as_json:
        print_json(found)
        return
    for case, alias in found.items():
        click.echo(f"{alias}  {case}")


@quotes.command("export")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sources", is_flag=True, help="Add an appendix of sources (kind, alias, date).")
@click.option("--notes", is_flag=True, help="Print the author's notes under their quotes.")
@click.option("--allow", "allowed", multiple=True, help="A word to let through (with --why).")
@click.option("--why", help="Why the allowed words may go out (logged with your name).")
@project_option
def export_command(
    out: Path,
    sources: bool,
    notes: bool,
    allowed: tuple[str, ...],
    why: str | None,
    project_path: str | None,
) -> None:
    """Write the basket to OUT.docx, OUT.md or OUT.csv: a section per theme, each quote
    with its attribution and id, pseudonyms for real names. Refused, naming the quote and
    the word, if a real name or a close variant would go out."""
    from vinr_qual.quoting.outputs import export

    if allowed and not (why or "").strip():
        raise click.UsageError("--allow needs --why: the reason is logged")
    with open_project(project_path) as project:
        written = export(
            project,
            out,
            sources=sources,
            notes=notes,
            allowed={word: str(why) for word in allowed},
        )
    click.echo(f"wrote {written}")
