"""`vinr-qual learn`: suggestions learned from the team's own coding, and more like this."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TypeVar

import click

from vinr_qual.cli.options import (
    json_option,
    open_project,
    print_json,
    print_table,
    project_option,
)

if TYPE_CHECKING:
    from vinr_qual.suggest.model import Settings

F = TypeVar("F", bound=Callable[..., Any])


def training_options(function: F) -> F:
    """What a model and its figures depend on (the defaults are the core's)."""
    for option in reversed(
        [
            click.option(
                "--min-positives",
                type=click.IntRange(5),
                default=15,
                show_default=True,
                help="Positive sentences a code needs for a model.",
            ),
            click.option(
                "--weak-below",
                type=click.FloatRange(0, 1),
                default=0.6,
                show_default=True,
                help="A model with lower cross-validated precision is weak.",
            ),
            click.option(
                "--threshold",
                type=click.FloatRange(0, 1, min_open=True, max_open=True),
                default=0.5,
                show_default=True,
                help="Probability at which a sentence is suggested (and counted in the figures).",
            ),
            click.option(
                "--seed", type=int, default=None, help="Seed of the folds and samples (fixed)."
            ),
        ]
    ):
        function = option(function)
    return function


def _settings(
    min_positives: int, weak_below: float, threshold: float, seed: int | None
) -> Settings:
    from vinr_qual.suggest.model import SEED, Settings

    return Settings(
        min_positives=min_positives,
        weak_below=weak_below,
        threshold=threshold,
        seed=SEED if seed is None else seed,
    )


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


@click.group(invoke_without_command=True)
@training_options
@json_option
@project_option
@click.pass_context
def learn(
    ctx: click.Context,
    min_positives: int,
    weak_below: float,
    threshold: float,
    seed: int | None,
    as_json: bool,
    project_path: str | None,
) -> None:
    """Learn a model per code from the team's accepted coding, here on this machine, and
    show how good each is: cross-validated precision, recall and F1 per code.

    A code needs --min-positives sentences coded with it for a model. A model below
    --weak-below precision is weak and suggests nothing unless forced. `learn suggest`
    puts the models' suggestions in the review queue; `learn like` finds more passages
    like a coding or a code. Nothing is downloaded; the seed makes every run the same.
    """
    if ctx.invoked_subcommand:
        return
    from vinr_qual.suggest.model import learn as train
    from vinr_qual.suggest.model import report

    settings = _settings(min_positives, weak_below, threshold, seed)
    with open_project(project_path) as project:
        learned = train(project, settings)
        rows = report(project, learned)
    strong = sum(1 for model in learned.models.values() if not model.weak)
    if as_json:
        print_json(
            {
                "settings": asdict(settings),
                "sentences": learned.index.size,
                "seconds": round(learned.seconds, 3),
                "models": len(learned.models),
                "strong": strong,
                "codes": [asdict(row) for row in rows],
            }
        )
        return

    def verdict(weak: bool | None) -> str:
        if weak is None:
            return f"too few (< {settings.min_positives})"
        return "weak" if weak else "ok"

    print_table(
        [
            [
                r.code,
                r.positives,
                _share(r.precision),
                _share(r.recall),
                _share(r.f1),
                verdict(r.weak),
                f"{r.accepted}/{r.rejected}/{r.suggested}",
            ]
            for r in rows
        ],
        ["code", "positives", "precision", "recall", "F1", "model", "accepted/rejected/waiting"],
    )
    click.echo(
        f"{len(learned.models)} models ({strong} ok, {len(learned.models) - strong} weak) from"
        f" {learned.index.size} interviewee sentences; {len(learned.too_few)} codes have fewer"
        f" than {settings.min_positives} positive sentences. 5-fold cross-validated at"
        f" probability {settings.threshold:g}, weak below precision {settings.weak_below:g},"
        f" seed {settings.seed}; {learned.seconds:.1f} s"
    )


@learn.command("suggest")
@click.option("--code", "code_refs", multiple=True, help="Only these codes (repeat).")
@click.option(
    "--per-code",
    type=click.IntRange(1),
    default=5,
    show_default=True,
    help="Suggestions per code at most.",
)
@click.option("--force", is_flag=True, help="Let weak models suggest too.")
@click.option("--dry-run", is_flag=True, help="Show what would be suggested; add nothing.")
@training_options
@json_option
@project_option
def suggest_command(
    code_refs: tuple[str, ...],
    per_code: int,
    force: bool,
    dry_run: bool,
    min_positives: int,
    weak_below: float,
    threshold: float,
    seed: int | None,
    as_json: bool,
    project_path: str | None,
) -> None:
    """Put each model's best uncoded sentences in the review queue, as suggestions with
    the model as origin (they count only once accepted; human codings are never changed).
    Weak models suggest nothing unless --force."""
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.suggest.model import suggest

    settings = _settings(min_positives, weak_below, threshold, seed)
    with open_project(project_path) as project:
        code_ids = [find_code(project, ref) for ref in code_refs] or None
        found = suggest(
            project, settings, code_ids=code_ids, per_code=per_code, force=force, dry_run=dry_run
        )
    if as_json:
        print_json({**asdict(found), "dry_run": dry_run})
        return
    notes = {
        "weak": "weak model: nothing suggested (--force to suggest anyway)",
        "too few": f"fewer than {settings.min_positives} positive sentences: no model",
        "nothing above the threshold": f"nothing new at probability {settings.threshold:g}",
    }
    print_table(
        [
            [c.code, c.added, notes.get(c.skipped or "", "weak model, forced" if c.weak else "")]
            for c in found.per_code
            if c.added or c.skipped != "too few" or code_ids
        ],
        ["code", "suggested", "note"],
    )
    verb = "would be suggested" if dry_run else "suggested; review them with `vinr-qual review`"
    click.echo(f"{found.added} passages {verb}")


@learn.command("like")
@click.argument("coding_id", type=int, required=False)
@click.option("--code", "code_ref", help="More like the sentences coded with this code.")
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True)
@json_option
@project_option
def like(
    coding_id: int | None,
    code_ref: str | None,
    limit: int,
    as_json: bool,
    project_path: str | None,
) -> None:
    """More like this: the interviewees' sentences most like a coding's passage (or like
    a code's coded sentences), among those not coded with that code, with the words that
    made them similar."""
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.suggest.similar_passages import more_like_this

    if (coding_id is None) == (code_ref is None):
        raise click.UsageError("give a CODING_ID or --code, one of the two")
    with open_project(project_path) as project:
        code_id = find_code(project, code_ref) if code_ref else None
        found = more_like_this(project, coding_id=coding_id, code_id=code_id, limit=limit)
    if as_json:
        print_json(asdict(found))
        return
    about = found.source if found.source.startswith("code ") else f"{found.source} ({found.code})"
    click.echo(f"More like {about}: {len(found.passages)} passages not coded with it")
    for passage in found.passages:
        click.echo(
            f"{passage.similarity:.2f}  {passage.document} [{passage.start}–{passage.end}]"
            f"  {' '.join(passage.passage.split())}"
        )
        click.echo(f"      words: {', '.join(passage.words) or '–'}")
