"""How well codings survive a corrected transcript, on pairs the thresholds never saw.

The held-out set (tests/coding/heldout_realign/) is four interviews of our own, each as
coded (`<name>-old.txt`) and as corrected afterwards (`<name>-new.txt`), and gold.csv:
for each coding, the passage of the new text where it belongs, or REVIEW where a careful
person would not place it (its passage was removed or rewritten beyond recognition).
The set was written after, and apart from, the tuning of realign.py's thresholds.

This runs the alignment as a pure function, `realign(old, new, spans, units)`, on the
texts as the import stores them (`normalise`: NFC, LF line ends) and sorts every coding
into one of:

- exact: placed (kept, moved or edited) on the expected passage; white space and
  `.,;:!?…"'` at either edge do not count;
- wrong: placed with confidence, but not on the expected passage (the worst outcome:
  nobody is asked to look). Reported as `boundary` where the placement overlaps the
  expected passage, `elsewhere` where it does not;
- review: sent to review though it had a place (a cost: a reviewer confirms it), with
  whether the best guess it waits at is the expected passage;
- wrong review: expected REVIEW, placed with confidence (as bad as wrong);
- review ok: expected REVIEW and sent to review;
- lost: neither placed nor sent to review (no verdict, or a span outside the new text).

`units`, the new text's sentences, are what the import gives realign for a coding whose
passage is gone: here the new text's blocks (cut at blank lines, time stamp and speaker
label taken off) split by the import's own sentencizer (`vinr_qual.ingest.segment`).

It also prints, for information, the same figures over a small grid of the two
thresholds (`PASSAGE_MIN`, `WINDOW_MIN`, patched for the run, restored after);
realign.py is not changed. The grid is there to show how sensitive the figures are, not
to tune on: tuning on this set would end its use as a held-out measure.

    .venv/bin/python bench/realign_quality.py
    .venv/bin/python bench/realign_quality.py --no-grid

Writes bench/results/realign_quality.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: bench/realign_quality.py
    sys.path.insert(0, str(ROOT))

from vinr_qual.coding import realign as realign_module  # noqa: E402
from vinr_qual.ingest.normalise import normalise  # noqa: E402

HELDOUT = ROOT / "tests" / "coding" / "heldout_realign"
RESULTS = ROOT / "bench" / "results" / "realign_quality.json"
REVIEW = "REVIEW"
CONFIDENT = frozenset({"kept", "moved", "edited"})
OUTCOMES = ("exact", "wrong", "review", "wrong_review", "review_ok", "lost")
GRID_PASSAGE = (70.0, 75.0, 80.0, 85.0, 90.0)
GRID_WINDOW = (75.0, 80.0, 85.0, 90.0, 95.0)

_EDGE = frozenset(" \t\n.,;:!?…\"'")
_LABEL = re.compile(r"(?:\[\d{1,2}:\d{2}(?::\d{2})?\]\s*)?(?:I|IP):[ \t]*")
_BLOCK = re.compile(r"(?:[^\n]|\n(?![ \t]*(?:\n|$)))+")  # a run of non-blank lines


@dataclass(frozen=True)
class Coding:
    old_passage: str
    start: int  # in the normalised old text
    end: int
    expected: str  # REVIEW or the passage in the normalised new text
    expected_start: int = -1
    expected_end: int = -1


@dataclass
class Pair:
    name: str
    old: str  # normalised
    new: str  # normalised
    codings: list[Coding] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    pair: str
    coding: Coding
    outcome: str  # one of OUTCOMES
    verdict: str
    placed: str  # the new text at the placement
    similarity: float
    window: float
    detail: str = ""  # boundary/elsewhere for wrong; guess on/off expected for review


def _once(text: str, passage: str, what: str) -> int:
    count = text.count(passage)
    if count != 1:
        raise ValueError(f"{what}: {passage[:60]!r} occurs {count} times, not once")
    return text.index(passage)


def load_pairs(folder: Path = HELDOUT) -> list[Pair]:
    """The pairs of gold.csv, normalised as the import normalises, with every coding's
    old span and expected new span found (each passage must occur exactly once)."""
    pairs: dict[str, Pair] = {}
    with open(folder / "gold.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["pair"]
            if name not in pairs:
                old = normalise((folder / f"{name}-old.txt").read_bytes().decode("utf-8"))
                new = normalise((folder / f"{name}-new.txt").read_bytes().decode("utf-8"))
                pairs[name] = Pair(name, old, new)
            pair = pairs[name]
            passage, expected = row["old_passage"], row["expected"]
            start = _once(pair.old, passage, f"{name} old")
            if expected == REVIEW:
                coding = Coding(passage, start, start + len(passage), expected)
            else:
                at = _once(pair.new, expected, f"{name} new")
                coding = Coding(
                    passage, start, start + len(passage), expected, at, at + len(expected)
                )
            pair.codings.append(coding)
    return list(pairs.values())


def sentence_units(text: str) -> list[tuple[int, int]]:
    """The new text's sentences, as the import hands them to realign (near enough):
    blocks between blank lines, without a leading time stamp and speaker label, split
    by the import's sentencizer."""
    from vinr_qual.ingest.segment import sentences

    jobs: list[tuple[str, int]] = []
    for block in _BLOCK.finditer(text):
        begin, end = block.start(), block.end()
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        label = _LABEL.match(text, begin, end)
        if label:
            begin = label.end()
        if begin < end:
            jobs.append((text[begin:end], begin))
    return sorted((base + s.start, base + s.end) for base, found in sentences(jobs) for s in found)


def _core(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def _classify(pair: Pair, coding: Coding, placement: object) -> Outcome:
    new = pair.new
    verdict = getattr(placement, "verdict", None)
    start, end = getattr(placement, "start", -1), getattr(placement, "end", -1)
    sim = float(getattr(placement, "similarity", 0.0))
    win = float(getattr(placement, "window", 0.0))
    inside = isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(new)
    placed = new[start:end] if inside else ""

    def out(outcome: str, detail: str = "") -> Outcome:
        return Outcome(pair.name, coding, outcome, str(verdict), placed, sim, win, detail)

    if not inside or verdict not in CONFIDENT | {"review"}:
        return out("lost", "no verdict" if inside else "span outside the new text")
    if verdict in CONFIDENT and start == end:
        return out("lost", "empty placement")
    if coding.expected == REVIEW:
        return out("review_ok" if verdict == "review" else "wrong_review")
    on_expected = _core(new, start, end) == _core(new, coding.expected_start, coding.expected_end)
    if verdict == "review":
        return out("review", "guess on expected" if on_expected else "guess elsewhere")
    if on_expected:
        return out("exact")
    overlaps = start < coding.expected_end and coding.expected_start < end
    return out("wrong", "boundary" if overlaps else "elsewhere")


def measure(
    pairs: Sequence[Pair], units: dict[str, list[tuple[int, int]]] | None = None
) -> list[Outcome]:
    """Every coding of every pair through `realign`, classified."""
    outcomes: list[Outcome] = []
    for pair in pairs:
        pair_units = units[pair.name] if units is not None else sentence_units(pair.new)
        spans = [(c.start, c.end) for c in pair.codings]
        placed = realign_module.realign(pair.old, pair.new, spans, pair_units)
        if len(placed) != len(spans):
            raise AssertionError(f"{pair.name}: {len(spans)} codings, {len(placed)} placements")
        outcomes.extend(_classify(pair, c, p) for c, p in zip(pair.codings, placed, strict=True))
    return outcomes


def tally(outcomes: Sequence[Outcome]) -> dict[str, int]:
    counts = {"codings": len(outcomes)} | dict.fromkeys(OUTCOMES, 0)
    for o in outcomes:
        counts[o.outcome] += 1
    counts["wrong_confident"] = counts["wrong"] + counts["wrong_review"]
    return counts


@contextmanager
def thresholds(passage_min: float, window_min: float) -> Iterator[None]:
    """realign's two thresholds set for the block, restored after."""
    saved = realign_module.PASSAGE_MIN, realign_module.WINDOW_MIN
    realign_module.PASSAGE_MIN, realign_module.WINDOW_MIN = passage_min, window_min
    try:
        yield
    finally:
        realign_module.PASSAGE_MIN, realign_module.WINDOW_MIN = saved


def grid(pairs: Sequence[Pair], units: dict[str, list[tuple[int, int]]]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for passage_min in GRID_PASSAGE:
        for window_min in GRID_WINDOW:
            with thresholds(passage_min, window_min):
                counts = tally(measure(pairs, units))
            rows.append({"passage_min": passage_min, "window_min": window_min, **counts})
    return rows


def _short(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def case(o: Outcome) -> dict[str, object]:
    return {
        "pair": o.pair,
        "outcome": o.outcome,
        "detail": o.detail,
        "verdict": o.verdict,
        "old_passage": o.coding.old_passage,
        "expected": o.coding.expected,
        "placed": o.placed,
        "similarity": round(o.similarity, 1),
        "window": round(o.window, 1),
    }


HEADERS = ("pair", "codings", "exact", "WRONG", "review", "WRONG(rev)", "review ok", "lost")


def table(per_pair: dict[str, dict[str, int]], overall: dict[str, int]) -> str:
    keys = ("codings", "exact", "wrong", "review", "wrong_review", "review_ok", "lost")
    rows = [(name, *(str(c[k]) for k in keys)) for name, c in per_pair.items()]
    rows.append(("overall", *(str(overall[k]) for k in keys)))
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(HEADERS)]

    def cells(values: Sequence[str]) -> str:
        first, *rest = zip(values, widths, strict=True)
        return "  ".join([first[0].ljust(first[1]), *(v.rjust(w) for v, w in rest)])

    line = cells(HEADERS)
    return "\n".join([line, "-" * len(line), *(cells(r) for r in rows)])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-grid", action="store_true", help="skip the threshold grid")
    args = parser.parse_args(argv)

    pairs = load_pairs()
    units = {p.name: sentence_units(p.new) for p in pairs}
    outcomes = measure(pairs, units)
    per_pair = {p.name: tally([o for o in outcomes if o.pair == p.name]) for p in pairs}
    overall = tally(outcomes)
    current = {"PASSAGE_MIN": realign_module.PASSAGE_MIN, "WINDOW_MIN": realign_module.WINDOW_MIN}

    print(
        f"Held-out realignment, current thresholds PASSAGE_MIN={current['PASSAGE_MIN']:g} "
        f"WINDOW_MIN={current['WINDOW_MIN']:g}"
    )
    print(table(per_pair, overall))
    n = overall["codings"]
    expected_place = n - overall["wrong_review"] - overall["review_ok"]
    print(
        f"\nplaced on the expected passage: {overall['exact']}/{expected_place}; "
        f"wrong with confidence: {overall['wrong_confident']}/{n}; "
        f"sent to review though placeable: {overall['review']}; lost: {overall['lost']}"
    )
    verdicts: dict[str, int] = {}
    for o in outcomes:
        verdicts[o.verdict] = verdicts.get(o.verdict, 0) + 1
    print("verdicts:", ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))

    wrong = [o for o in outcomes if o.outcome in ("wrong", "wrong_review", "lost")]
    print(f"\nWRONG and lost cases ({len(wrong)}):")
    for o in wrong:
        scores = f"sim {o.similarity:.0f}, window {o.window:.0f}"
        print(f"- [{o.pair}] {o.outcome} {o.detail} ({o.verdict}, {scores})")
        print(f"    old:      {_short(o.coding.old_passage)}")
        print(f"    expected: {_short(o.coding.expected)}")
        print(f"    placed:   {_short(o.placed)}")
    reviewed = [o for o in outcomes if o.outcome == "review"]
    print(f"\nSent to review though placeable ({len(reviewed)}):")
    for o in reviewed:
        scores = f"sim {o.similarity:.0f}, window {o.window:.0f}"
        print(f"- [{o.pair}] {o.detail} ({scores}): {_short(o.coding.old_passage, 80)}")

    grid_rows: list[dict[str, object]] = []
    if not args.no_grid:
        grid_rows = grid(pairs, units)
        print("\nThreshold grid (for information; do not tune on this set):")
        print("PASSAGE_MIN  WINDOW_MIN  exact  WRONG  WRONG(rev)  review  review ok  lost")
        for r in grid_rows:
            is_current = (r["passage_min"], r["window_min"]) == tuple(current.values())
            print(
                f"{r['passage_min']:>11g}  {r['window_min']:>10g}  {r['exact']:>5}"
                f"  {r['wrong']:>5}  {r['wrong_review']:>10}  {r['review']:>6}"
                f"  {r['review_ok']:>9}  {r['lost']:>4}{' <- current' if is_current else ''}"
            )

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "set": str(HELDOUT.relative_to(ROOT)),
        "thresholds": current,
        "pairs": per_pair,
        "overall": overall,
        "verdicts": verdicts,
        "wrong": [case(o) for o in wrong],
        "review_cost": [case(o) for o in reviewed],
        "grid": grid_rows,
    }
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
