"""`vinr-qual autocode` and `vinr-qual review`: suggestions from rules, and deciding them."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

import click

from vinr_qual.cli.options import (
    json_option,
    open_project,
    print_json,
    print_table,
    project_option,
)

if TYPE_CHECKING:
    from vinr_qual.suggest.model import Why
    from vinr_qual.suggest.review import ReviewItem


@click.group(invoke_without_command=True)
@click.option("--dry-run", is_flag=True, help="Count what the rules find; add nothing.")
@click.option("--code", "code_refs", multiple=True, help="Only these codes' rules (repeat).")
@click.option("--document", "documents", multiple=True, help="Only these documents (repeat).")
@json_option
@project_option
@click.pass_context
def autocode(
    ctx: click.Context,
    dry_run: bool,
    code_refs: tuple[str, ...],
    documents: tuple[str, ...],
    as_json: bool,
    project_path: str | None,
) -> None:
    """Suggest codings from the codebook's rules (review them with `vinr-qual review`).

    Suggestions never count as human coding until accepted; running again adds only what
    is new. `autocode speaker` codes speakers' turns; `autocode quality` reports how well
    each rule agrees with the people's coding.
    """
    if ctx.invoked_subcommand:
        return
    from vinr_qual.cases.documents import find_document
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.suggest.rules import autocode as run

    with open_project(project_path) as project:
        report = run(
            project,
            dry_run=dry_run,
            code_ids=[find_code(project, ref) for ref in code_refs] or None,
            document_ids=[find_document(project, ref) for ref in documents] or None,
        )
    if as_json:
        print_json({**asdict(report), "dry_run": dry_run})
        return
    rows = sorted(report.per_code.items(), key=lambda item: -item[1]["found"])
    print_table(
        [[name, c["found"], c["new"]] for name, c in rows if c["found"]], ["code", "found", "new"]
    )
    verb = "would be suggested" if dry_run else "suggested"
    click.echo(f"{report.found} units found, {report.added} new {verb}")


@autocode.command("speaker")
@click.option("--code", "code_ref", help="The code for their turns.")
@click.option("--role", help="Speakers with this role.")
@click.option("--label", help="Speakers with this label (I, IP, Respondent 2 …).")
@click.option("--set-role", help="Instead of coding, give the speakers with --label this role.")
@click.option("--document", help="With --set-role: only in this document.")
@project_option
def speaker(
    code_ref: str | None,
    role: str | None,
    label: str | None,
    set_role: str | None,
    document: str | None,
    project_path: str | None,
) -> None:
    """Code every turn of speakers with a role (or label), e.g. all kommundirektörer; or
    with --set-role, give speakers a role so analyses can split by it."""
    from vinr_qual.cases.documents import find_document
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.store.texts import set_role_of_speakers
    from vinr_qual.suggest.rules import code_speaker_turns

    with open_project(project_path) as project:
        if set_role:
            if not label:
                raise click.UsageError("--set-role needs --label")
            document_id = find_document(project, document) if document else None
            changed = set_role_of_speakers(project, set_role, label=label, document_id=document_id)
            click.echo(f"{changed} speakers now have the role {set_role!r}")
            return
        if not code_ref:
            raise click.UsageError("give --code (or --set-role)")
        added = code_speaker_turns(project, find_code(project, code_ref), role=role, label=label)
    click.echo(f"{added} turns coded")


@autocode.command("quality")
@json_option
@project_option
def quality(as_json: bool, project_path: str | None) -> None:
    """Per rule: precision over its decided suggestions (a rejected or recoded suggestion
    is a miss of the rule that made it), recall over the people's accepted codings of the
    code, and F1, each with the counts behind it."""
    from vinr_qual.suggest.rules import rule_quality

    with open_project(project_path) as project:
        report = rule_quality(project)
    if as_json:
        print_json([asdict(row) for row in report])
        return

    def share(value: float | None, part: int, whole: int) -> str:
        return "–" if value is None else f"{value:.0%} ({part}/{whole})"

    print_table(
        [
            [
                r.code,
                r.accepted,
                r.recoded,
                r.rejected,
                r.pending,
                share(r.precision, r.accepted, r.accepted + r.recoded + r.rejected),
                share(r.recall, r.found, r.human),
                "–" if r.f1 is None else f"{r.f1:.2f}",
            ]
            for r in report
        ],
        ["code", "accepted", "recoded", "rejected", "pending", "precision", "recall", "F1"],
    )


@click.group()
def review() -> None:
    """Decide suggested codings one at a time: accept, reject, change the code, widen."""


@review.command("status")
@json_option
@project_option
def status(as_json: bool, project_path: str | None) -> None:
    """How many suggestions are decided and how many wait."""
    from vinr_qual.suggest.review import progress

    with open_project(project_path) as project:
        found = progress(project)
    if as_json:
        print_json({"decided": found.decided, "pending": found.pending})
    else:
        click.echo(f"{found.decided} decided, {found.pending} pending")


@review.command("next")
@click.option("--code", "code_ref", help="Only suggestions of this code.")
@json_option
@project_option
def next_item(code_ref: str | None, as_json: bool, project_path: str | None) -> None:
    """Show the next suggestion with the sentence before and after and the speaker."""
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.suggest.model import explain
    from vinr_qual.suggest.review import item, pending

    with open_project(project_path) as project:
        ids = pending(project, code_id=find_code(project, code_ref) if code_ref else None)
        if not ids:
            click.echo("nothing to review")
            return
        found = item(project, ids[0])
        why = explain(project, ids[0])
    if as_json:
        print_json({**asdict(found), "why": asdict(why), "remaining": len(ids)})
        return
    click.echo(f"#{found.coding_id}  {found.code}  ({why.label()})  {len(ids)} waiting")
    click.echo(f"{found.document}" + (f", {found.speaker} ({found.role})" if found.speaker else ""))
    click.echo(f"  … {' '.join(found.before.split())}")
    click.echo(f"  » {' '.join(found.passage.split())}")
    click.echo(f"  … {' '.join(found.after.split())}")
    _echo_why(why, found)


def _echo_why(why: Why, found: ReviewItem | None = None) -> None:
    """The rule or model behind a suggestion, the words that fired, and the code's
    definition and "not when"; for a coding a corrected transcript sent to review, the
    passage as it was coded."""
    click.echo(f"  why: {why.label()}")
    if found is not None and found.old_passage is not None:
        coder = f" (coded by {found.coder})" if found.coder else ""
        click.echo(
            "  the transcript was corrected and this passage was not found again with"
            f" confidence; confirm the place (accept), widen it or reject it{coder}"
        )
        click.echo(f"  passage as coded: {' '.join(found.old_passage.split())}")
    if why.kind in ("rule", "model"):
        words = ", ".join(why.words) or "–"
        chance = f" (probability {why.probability:.2f})" if why.probability is not None else ""
        click.echo(f"  words that fired{chance}: {words}")
    if why.forced:
        click.echo("  a weak model, forced to suggest")
    if why.definition:
        click.echo(f"  definition: {' '.join(why.definition.split())}")
    if why.not_when:
        click.echo(f"  not when: {' '.join(why.not_when.split())}")


@review.command("why")
@click.argument("coding_id", type=int)
@json_option
@project_option
def why_command(coding_id: int, as_json: bool, project_path: str | None) -> None:
    """Why a coding was suggested: the rule or model, the words that fired, and the
    code's definition and "not when"."""
    from vinr_qual.suggest.model import explain
    from vinr_qual.suggest.review import item

    with open_project(project_path) as project:
        why = explain(project, coding_id)
        found = item(project, coding_id)
    if as_json:
        print_json({**asdict(why), "old_passage": found.old_passage, "coder": found.coder})
        return
    click.echo(f"#{coding_id}")
    _echo_why(why, found)


def _decide(
    action: str, coding_ids: tuple[int, ...], project_path: str | None, **extra: str
) -> None:
    from vinr_qual.suggest import review as queue

    with open_project(project_path) as project, project.transaction():
        for coding_id in coding_ids:
            if action == "recode":
                queue.recode(project, coding_id, extra["code_id"])
            elif action == "widen":
                queue.widen(project, coding_id, extra["unit"])
            else:
                getattr(queue, action)(project, coding_id)
    click.echo(f"{action}: {len(coding_ids)}")


@review.command("accept")
@click.argument("coding_ids", nargs=-1, type=int, required=True)
@project_option
def accept(coding_ids: tuple[int, ...], project_path: str | None) -> None:
    """Accept suggestions: they count as coding from now on."""
    _decide("accept", coding_ids, project_path)


@review.command("reject")
@click.argument("coding_ids", nargs=-1, type=int, required=True)
@project_option
def reject(coding_ids: tuple[int, ...], project_path: str | None) -> None:
    """Reject suggestions (they stay recorded, and are not suggested again)."""
    _decide("reject", coding_ids, project_path)


@review.command("recode")
@click.argument("coding_id", type=int)
@click.argument("code")
@project_option
def recode(coding_id: int, code: str, project_path: str | None) -> None:
    """Give a suggestion another code, and accept it."""
    from vinr_qual.codebook.operations import find_code

    with open_project(project_path) as project:
        code_id = find_code(project, code)
    _decide("recode", (coding_id,), project_path, code_id=code_id)


@review.command("widen")
@click.argument("coding_id", type=int)
@click.option(
    "--to",
    "unit",
    type=click.Choice(["sentence", "turn", "paragraph"]),
    default="turn",
    show_default=True,
)
@project_option
def widen(coding_id: int, unit: str, project_path: str | None) -> None:
    """Stretch a suggestion to the whole sentence, speaker turn or paragraph around it."""
    _decide("widen", (coding_id,), project_path, unit=unit)
