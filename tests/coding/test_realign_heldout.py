"""Codings carried to a corrected transcript, on held-out pairs the thresholds never saw.

The material (tests/coding/heldout_realign/, see its README) was written after, and
apart from, the tuning of realign.py; the measurement is bench/realign_quality.py's.
What a user would notice: a coding that vanished, and a coding confidently put on the
wrong passage (nobody is asked to look at it). Sending a coding to review when it had a
place only costs a reviewer a key, so it is reported by the bench, not held here.
"""

from __future__ import annotations

from bench.realign_quality import load_pairs, measure, tally


def _describe(outcomes: list) -> str:
    return "\n".join(
        f"[{o.pair}] {o.outcome} {o.detail} ({o.verdict}): {o.coding.old_passage!r}"
        f" -> expected {o.coding.expected!r}, placed {o.placed!r}"
        for o in outcomes
    )


def test_heldout_corrections_lose_nothing_and_place_at_most_one_wrongly() -> None:
    pairs = load_pairs()
    outcomes = measure(pairs)
    counts = tally(outcomes)

    assert counts["codings"] == sum(len(p.codings) for p in pairs) >= 100
    lost = [o for o in outcomes if o.outcome == "lost"]
    assert not lost, "codings neither placed nor sent to review:\n" + _describe(lost)
    wrong = [o for o in outcomes if o.outcome in ("wrong", "wrong_review")]
    assert len(wrong) <= 1, (
        f"{len(wrong)} of {counts['codings']} codings placed with confidence on the wrong "
        "passage:\n" + _describe(wrong)
    )
