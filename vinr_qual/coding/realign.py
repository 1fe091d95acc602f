"""Carry codings across a corrected version of a document's text.

The old and the new text are aligned word by word, white space ignored, so that line
breaks, CRLF and re-split speaker turns do not count as changes. To stay fast on long
transcripts the alignment is made in two steps: sentences (token runs ending at
sentence punctuation or a blank line) are matched whole with difflib, and only the runs of
sentences that differ are aligned token by token with rapidfuzz. A boundary that falls
inside changed words is placed by a character alignment of those words alone.

Each coding then gets one verdict:

- kept / moved: its passage stands unchanged where the alignment puts it (or, for a
  paragraph that was moved, at the one occurrence in the new text that no other old
  occurrence accounts for);
- edited: the alignment's place reads like the old passage, in itself and with the text
  around it (`PASSAGE_MIN`, `WINDOW_MIN`);
- review: anything else. The coding is never dropped: it goes to the best guess (the
  mapped place, or the sentence nearest to it) and waits for a person in the review queue.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from vinr_qual.coding.codings import (
    coding_row,
    codings_of_document,
    move_coding,
    send_to_review,
)
from vinr_qual.project import Project

Verdict = Literal["kept", "moved", "edited", "review"]

TOKEN = re.compile(r"\w+|[^\w\s]")
SENTENCE_END = frozenset({".", "!", "?", "…"})
# Characters of text on each side of a passage that take part in confirming its place.
CONTEXT = 60
# Similarity (rapidfuzz's ratio, 0-100, white space squeezed) that a passage moved with
# edits must keep, by itself (PASSAGE_MIN) and with CONTEXT characters on either side
# (WINDOW_MIN). Measured on THRESHOLD_CASES in tests/coding/test_realign.py: a fixed typo,
# a name replaced by "[namn]", a re-split turn and a clause added inside a passage score
# 87.5-99.5 on the passage and 93-99.7 with context; half a passage deleted scores 73, a
# short sentence reworded 63 and a name coded alone and then replaced 27, while a typo
# fix whose surroundings were rewritten scores 96 alone but 81 with context. Each bar
# sits in its gap (73 < 80 < 87.5; 81 < 85 < 93): a coding in doubt costs a reviewer one
# key, one put in the wrong place costs trust.
PASSAGE_MIN = 80.0
WINDOW_MIN = 85.0
# A passage found elsewhere (a paragraph moved) is trusted only when it is long enough not
# to stand there by chance.
MOVE_MIN_LENGTH = 25
# Above this many token pairs a changed region is aligned by difflib (quick on long runs
# thanks to its heuristics for frequent words) instead of rapidfuzz's exact alignment,
# whose time and memory grow with the product of the lengths.
EXACT_PAIRS = 100_000_000


@dataclass(frozen=True)
class Placement:
    """Where a coding goes in the new text, and how sure that is."""

    start: int
    end: int
    verdict: Verdict
    similarity: float  # the old passage against the new one, 0-100
    window: float  # the same with CONTEXT characters on either side


class Alignment:
    """Where positions of an old text stand in a new one."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        self._old, self._new = _Tokens.of(old), _Tokens.of(new)
        self._match = [-1] * len(self._old.words)
        for i, j in _matched_tokens(self._old, self._new):
            self._match[i] = j
        self._matched = [i for i, j in enumerate(self._match) if j >= 0]
        self._inner: dict[tuple[int, int], list[_Op]] = {}

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The new place of old `[start, end)`; empty when the passage was deleted."""
        passage = self.old[start:end]
        lead = len(passage) - len(passage.lstrip())
        trail = len(passage) - len(passage.rstrip())
        first, last = start + lead, end - trail
        if first >= last:  # white space only: wherever the next word went
            following = _WORD_CHAR.search(self.old, start)
            point = self._start(following.start()) if following else len(self.new)
            return point, point
        new_start = self._start(first)
        new_end = max(new_start, self._end(last))
        # the white space the passage had at its edges, where the new text has it too
        while lead and new_start > 0 and self.new[new_start - 1].isspace():
            new_start, lead = new_start - 1, lead - 1
        while trail and new_end < len(self.new) and self.new[new_end].isspace():
            new_end, trail = new_end + 1, trail - 1
        return new_start, new_end

    def before(self, position: int) -> int:
        """Where the text before old `position` ends in the new text."""
        part = self.old[:position].rstrip()
        return self._end(len(part)) if part else 0

    def unchanged_at(self, start: int, end: int) -> int | None:
        """Where old `[start, end)` stands unchanged in the new text, if it does."""
        new_start = self.span(start, end)[0]
        same = self.new[new_start : new_start + end - start] == self.old[start:end]
        return new_start if same else None

    def _run(self, token: int) -> tuple[int, int, int, int]:
        """The unmatched old tokens around `token` and the new tokens between the same
        matched neighbours, as first and last index (last < first when there are none)."""
        index = bisect.bisect_right(self._matched, token)
        before = self._matched[index - 1] if index else -1
        after = self._matched[index] if index < len(self._matched) else len(self._match)
        new_before = self._match[before] if before >= 0 else -1
        new_after = self._match[after] if after < len(self._match) else len(self._new.words)
        return before + 1, after - 1, new_before + 1, new_after - 1

    def _start(self, position: int) -> int:
        old, new = self._old, self._new
        token = bisect.bisect_right(old.starts, position) - 1
        matched = self._match[token]
        if matched >= 0:
            return new.starts[matched] + position - old.starts[token]
        first, last, new_first, new_last = self._run(token)
        if new_last < new_first:  # deleted: where the text after it went
            return new.starts[new_first] if new_first < len(new.starts) else len(self.new)
        offset = position - old.starts[first]
        if offset == 0:  # a replacement belongs to the passage from its first character
            return new.starts[new_first]
        ops = self._inner_ops(first, last, new_first, new_last)
        return new.starts[new_first] + _inner_map(ops, offset, end=False)

    def _end(self, position: int) -> int:
        old, new = self._old, self._new
        token = bisect.bisect_right(old.starts, position - 1) - 1
        matched = self._match[token]
        if matched >= 0:
            return new.starts[matched] + position - old.starts[token]
        first, last, new_first, new_last = self._run(token)
        if new_last < new_first:  # deleted: where the text before it went
            return new.ends[new_first - 1] if new_first > 0 else 0
        if position == old.ends[last]:
            return new.ends[new_last]
        ops = self._inner_ops(first, last, new_first, new_last)
        return new.starts[new_first] + _inner_map(ops, position - old.starts[first], end=True)

    def _inner_ops(self, first: int, last: int, new_first: int, new_last: int) -> list[_Op]:
        """The character alignment of one run of changed words, made when first needed."""
        key = (first, new_first)
        if key not in self._inner:
            old_part = self.old[self._old.starts[first] : self._old.ends[last]]
            new_part = self.new[self._new.starts[new_first] : self._new.ends[new_last]]
            self._inner[key] = [
                (op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
                for op in Indel.opcodes(old_part, new_part)
            ]
        return self._inner[key]


_Op = tuple[str, int, int, int, int]
_WORD_CHAR = re.compile(r"\S")


@dataclass
class _Tokens:
    """The words and punctuation marks of a text (white space is not a token)."""

    text: str
    starts: list[int]
    ends: list[int]
    words: list[str]

    @classmethod
    def of(cls, text: str) -> _Tokens:
        found = list(TOKEN.finditer(text))
        return cls(
            text, [m.start() for m in found], [m.end() for m in found], [m.group() for m in found]
        )

    def sentence_bounds(self) -> list[int]:
        """The first token of each sentence (a run ending at sentence punctuation or a
        blank line), and the number of tokens at the end."""
        bounds = [0] if self.words else []
        for index, word in enumerate(self.words[:-1]):
            gap = self.text.count("\n", self.ends[index], self.starts[index + 1])
            if word in SENTENCE_END or gap >= 2:
                bounds.append(index + 1)
        return [*bounds, len(self.words)]


def _matched_tokens(old: _Tokens, new: _Tokens) -> list[tuple[int, int]]:
    """Pairs (old token, new token) the alignment holds to be the same word, in order:
    whole sentences first (difflib), then the words of the sentences that differ."""
    old_bounds, new_bounds = old.sentence_bounds(), new.sentence_bounds()
    old_keys = [tuple(old.words[a:b]) for a, b in itertools.pairwise(old_bounds)]
    new_keys = [tuple(new.words[a:b]) for a, b in itertools.pairwise(new_bounds)]
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    pairs: list[tuple[int, int]] = []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        first, last = old_bounds[a0], old_bounds[a1]
        new_first, new_last = new_bounds[b0], new_bounds[b1]
        if tag == "equal":
            pairs.extend(zip(range(first, last), range(new_first, new_last), strict=True))
        elif first < last and new_first < new_last:
            pairs.extend(
                (first + i, new_first + j)
                for i, j in _equal_pairs(old.words[first:last], new.words[new_first:new_last])
            )
    return pairs


def _equal_pairs(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    if len(old) * len(new) <= EXACT_PAIRS:
        ops = [(op.tag, op.src_start, op.src_end, op.dest_start) for op in Indel.opcodes(old, new)]
    else:
        matcher = difflib.SequenceMatcher(None, old, new)
        ops = [(tag, a0, a1, b0) for tag, a0, a1, b0, _ in matcher.get_opcodes()]
    return [(a0 + k, b0 + k) for tag, a0, a1, b0 in ops if tag == "equal" for k in range(a1 - a0)]


def _inner_map(ops: list[_Op], offset: int, *, end: bool) -> int:
    """A position inside changed words, by their character alignment: a start goes to the
    first character it maps to, an end after the last."""
    for tag, a0, a1, b0, _ in ops:
        inside = a0 < offset <= a1 if end else a0 <= offset < a1
        if tag != "insert" and inside:
            return b0 + offset - a0 if tag == "equal" else b0
    return ops[-1][4] if ops else 0


def align(old: str, new: str) -> Alignment:
    return Alignment(old, new)


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def similarity(old: str, new: str) -> float:
    """0-100: how alike two passages read, white space aside."""
    return float(fuzz.ratio(_squeezed(old), _squeezed(new)))


def place(
    alignment: Alignment, start: int, end: int, units: Sequence[tuple[int, int]] = ()
) -> Placement:
    """The new place of the coding on old `[start, end)`. `units` are the new text's
    sentences (sorted), for a coding whose passage is gone."""
    old, new = alignment.old, alignment.new
    passage = old[start:end]
    new_start, new_end = alignment.span(start, end)
    if new[new_start : new_start + len(passage)] == passage:
        verdict: Verdict = "kept" if new_start == start else "moved"
        return Placement(new_start, new_start + len(passage), verdict, 100.0, 100.0)
    alike = similarity(passage, new[new_start:new_end])
    window = _window(alignment, start, end, new_start, new_end)
    if new_end > new_start and alike >= PASSAGE_MIN and window >= WINDOW_MIN:
        return Placement(new_start, new_end, "edited", alike, window)
    elsewhere = _moved_to(alignment, start, end)
    if elsewhere is not None:
        moved_end = elsewhere + len(passage)
        window = _window(alignment, start, end, elsewhere, moved_end)
        return Placement(elsewhere, moved_end, "moved", 100.0, window)
    guess = (new_start, new_end)
    if not new[new_start:new_end].strip():  # deleted: it stood between these two places
        guess = _unit_near(new, alignment.before(start), new_start, units)
    elif new_end - new_start > 2 * len(passage) + 200:
        guess = _unit_near(new, new_start, new_start, units)
    return Placement(guess[0], guess[1], "review", alike, window)


def _window(alignment: Alignment, start: int, end: int, new_start: int, new_end: int) -> float:
    """The similarity of a passage with CONTEXT characters on either side, old and new."""
    return similarity(
        alignment.old[max(0, start - CONTEXT) : end + CONTEXT],
        alignment.new[max(0, new_start - CONTEXT) : new_end + CONTEXT],
    )


def _moved_to(alignment: Alignment, start: int, end: int) -> int | None:
    """The one place in the new text where the passage stands unchanged and that no other
    occurrence in the old text accounts for: a paragraph moved."""
    old, new = alignment.old, alignment.new
    passage = old[start:end]
    if len(passage.strip()) < MOVE_MIN_LENGTH:
        return None
    found = _occurrences(new, passage)
    if not found or len(found) > 20:
        return None
    claimed = {
        alignment.unchanged_at(other, other + len(passage))
        for other in _occurrences(old, passage)
        if other != start
    }
    free = [position for position in found if position not in claimed]
    return free[0] if len(free) == 1 else None


def _occurrences(text: str, passage: str) -> list[int]:
    found, at = [], text.find(passage)
    while at != -1:
        found.append(at)
        at = text.find(passage, at + 1)
    return found


def _unit_near(
    text: str, before: int, after: int, units: Sequence[tuple[int, int]]
) -> tuple[int, int]:
    """A passage for a coding whose own is gone from between `before` and `after`: the
    sentence there, or else the one before it in the same paragraph, or else the one after
    it in the same paragraph, or else the nearer. Without sentences, lines stand in for
    them. Never empty, and inside any text that is not empty."""
    before, after = min(before, after), max(before, after)
    if units:
        index = bisect.bisect_right(units, (before, len(text) + 1))
        if index and units[index - 1][1] > before:
            return units[index - 1]
        if index < len(units) and units[index][0] < after:
            return units[index]
        previous = units[index - 1] if index else None
        following = units[index] if index < len(units) else None
    else:
        previous = _line_of(text, text[:before].rstrip(), backwards=True)
        following = _line_of(text, text[after:], backwards=False, at=after)
        if previous and previous[1] > before:
            return previous
    if previous and "\n" not in text[previous[1] : before]:
        return previous
    if following and "\n" not in text[after : following[0]]:
        return following
    if previous and following:
        return min((previous, following), key=lambda u: max(u[0] - after, before - u[1]))
    return previous or following or (0, max(1, len(text)))


def _line_of(text: str, part: str, *, backwards: bool, at: int = 0) -> tuple[int, int] | None:
    """The line (trimmed) with the last non-space character of `part` (the text up to a
    place) or the first one of it (the text from `at`)."""
    if backwards:
        if not part:
            return None
        char = len(part) - 1
    else:
        found = _WORD_CHAR.search(part)
        if found is None:
            return None
        char = at + found.start()
    line_start = text.rfind("\n", 0, char) + 1
    line_end = text.find("\n", char)
    line_end = len(text) if line_end == -1 else line_end
    line = text[line_start:line_end]
    return line_start + len(line) - len(line.lstrip()), line_start + len(line.rstrip())


def realign(
    old: str,
    new: str,
    spans: Sequence[tuple[int, int]],
    units: Sequence[tuple[int, int]] = (),
) -> list[Placement]:
    """The new place of each old `[start, end)`, in the order given."""
    alignment = align(old, new)
    return [place(alignment, start, end, units) for start, end in spans]


def realign_codings(
    project: Project,
    document_id: int,
    old_text: str,
    new_text: str,
    *,
    units: Sequence[tuple[int, int]] = (),
) -> dict[str, int]:
    """Move every coding of a replaced document to its passage in the new text; a coding
    that cannot be placed with confidence goes to the review queue at the best guess
    (a rejected suggestion is only moved there: nobody needs to decide it again).

    Returns the counts: kept, moved, edited, review and guessed (rejected, at a guess)."""
    alignment = align(old_text, new_text)
    counts = {"kept": 0, "moved": 0, "edited": 0, "review": 0, "guessed": 0}
    ordered = sorted(units)
    for coding_id in codings_of_document(project, document_id):
        row = coding_row(project, coding_id)
        passage = old_text[row["start"] : row["end"]]
        placed = place(alignment, row["start"], row["end"], ordered)
        figures = {"similarity": round(placed.similarity, 1), "window": round(placed.window, 1)}
        if placed.verdict == "kept":
            counts["kept"] += 1
        elif placed.verdict in ("moved", "edited"):
            how = "moved exactly" if placed.verdict == "moved" else "moved with edits"
            move_coding(
                project,
                coding_id,
                placed.start,
                placed.end,
                reason=f"document replaced: {how}",
                extra={"passage_before": passage, **figures},
            )
            counts[placed.verdict] += 1
        elif row["status"] == "rejected":
            move_coding(
                project,
                coding_id,
                placed.start,
                placed.end,
                reason="document replaced: passage not found; a rejected suggestion, at a guess",
                extra={"passage_before": passage, **figures},
            )
            counts["guessed"] += 1
        else:
            send_to_review(
                project,
                coding_id,
                placed.start,
                placed.end,
                old_passage=passage,
                reason="document replaced: passage not found with confidence",
                details=figures,
            )
            counts["review"] += 1
    return counts


def summary(counts: dict[str, int]) -> str:
    """ "codings: 40 moved exactly, 3 moved with edits, 2 wait for review"."""
    text = (
        f"codings: {counts['kept'] + counts['moved']} moved exactly,"
        f" {counts['edited']} moved with edits, {counts['review']} wait for review"
    )
    if counts.get("guessed"):
        text += f", {counts['guessed']} rejected suggestions placed at a guess"
    return text
