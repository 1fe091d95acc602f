"""`vinr-qual search` and `vinr-qual find`: passages by words, or by a remembered quote."""

from __future__ import annotations

from dataclasses import asdict

import click

from vinr_qual.cli.options import (
    attribute_pair,
    json_option,
    open_project,
    print_json,
    project_option,
)


@click.command()
@click.argument("query")
@click.option("--lemma", "mode", flag_value="lemma", help="Match every form of each word.")
@click.option("--compound", "mode", flag_value="compound", help="Match inside compounds too.")
@click.option("--case", "case_name", help="Only this case.")
@click.option("--attribute", help="Only cases with this attribute, NAME=VALUE.")
@click.option("--kind", type=click.Choice(["interview", "steering", "other"]))
@click.option("--role", help="Only what speakers with this role said.")
@click.option("--code", "code_ref", help="Only inside passages coded with this code.")
@click.option("--not-coded", is_flag=True, help="Only passages no one has coded.")
@click.option("--limit", type=int, default=30, show_default=True)
@json_option
@project_option
def search(
    query: str,
    mode: str | None,
    case_name: str | None,
    attribute: str | None,
    kind: str | None,
    role: str | None,
    code_ref: str | None,
    not_coded: bool,
    limit: int,
    as_json: bool,
    project_path: str | None,
) -> None:
    """Search every sentence: words, "phrases", AND, OR, NOT, NEAR(a b, 5), prefix*.

    å, ä and ö are letters of their own (får does not find far). Hyphens and other
    punctuation need no quotes (BF-arbetet, 2019/2020), and filters may be typed among
    the words (case:Kvarnby samverkan). --lemma finds every form (samverka: samverkade,
    samverkar); --compound finds words inside compounds (samverkan: länssamverkan,
    samverkansavtal). Hits are ranked by relevance and shown in the text as it stands,
    the hit in brackets, with the number of hits per document and per case.
    """
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.search.query import Filters, on_one_line
    from vinr_qual.search.query import search as run_search

    pair = attribute_pair(attribute)
    with open_project(project_path) as project:
        filters = Filters(
            case=case_name,
            attribute=pair,
            kind=kind,
            role=role,
            code_id=find_code(project, code_ref) if code_ref else None,
            not_coded=not_coded,
        )
        result = run_search(project, query, mode=mode or "words", filters=filters, limit=limit)  # type: ignore[arg-type]
    if as_json:
        print_json(asdict(result))
        return
    width = 38
    for hit in result.hits:
        # the text exactly as it stands, the hit in brackets (inside a compound too:
        # `en [samverkan]söverenskommelse`); a line break shows as a space
        left, keyword, right = (on_one_line(part) for part in (hit.left, hit.keyword, hit.right))
        where = f"{hit.document}" + (f" {hit.speaker}" if hit.speaker else "")
        click.echo(f"{left[-width:]:>{width}}[{keyword}]{right[:width]:<{width}}  {where}")
    click.echo(f"{result.total} hits in {len(result.per_document)} documents")
    for case, count in result.per_case.items():  # every case, however many
        click.echo(f"  {case or '(no case)'}: {count}")


@click.command()
@click.argument("quote")
@click.option("--limit", type=int, default=5, show_default=True)
@json_option
@project_option
def find(quote: str, limit: int, as_json: bool, project_path: str | None) -> None:
    """Find where a remembered quote stands, typos and other wording allowed."""
    from vinr_qual.search.fuzzy import find_passage

    with open_project(project_path) as project:
        found = find_passage(project, quote, limit=limit)
    if as_json:
        print_json([asdict(item) for item in found])
        return
    if not found:
        click.echo("no passage is close enough")
    for item in found:
        click.echo(f"{item.score:5.1f}  {item.document} [{item.start}, {item.end})")
        click.echo(f"       {' '.join(item.passage.split())}")
