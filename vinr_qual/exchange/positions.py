"""Text positions in the countings other tools use, and back to ours.

Ours are Python string indices (code points) into the stored text, which is normalised
(no BOM, `\\n` line ends, NFC). The REFI-QDA standard counts code points over the plain
text file; real producers differ (NOTES.md §5): NVivo counts UTF-16 code units with CRLF
as two, ATLAS.ti counts a CRLF as one, some count a byte-order mark. A `Counting` names
one such way; `Ruler` maps a producer's positions over a raw text to raw indices, and
`choose_counting` picks the counting that fits a file's selections best.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class Counting:
    utf16: bool = False  # UTF-16 code units (a character beyond the BMP counts two)
    crlf_as_two: bool = True  # a CRLF line break counts as two positions
    bom_counted: bool = False  # a leading byte-order mark counts as one position

    def describe(self) -> str:
        unit = "UTF-16 code units" if self.utf16 else "code points"
        parts = [unit, "CRLF as two" if self.crlf_as_two else "CRLF as one"]
        if self.bom_counted:
            parts.append("the byte-order mark counted")
        return ", ".join(parts)


STANDARD = Counting()
# every counting, the likelier first: on a tie (selections that fit two countings
# equally) the earlier one is taken; a counted byte-order mark is the rarest
CANDIDATES = tuple(
    Counting(utf16, crlf, bom)
    for bom in (False, True)
    for utf16, crlf in ((False, True), (True, True), (False, False), (True, False))
)
# what each producer is known to write (NOTES.md §5), tried first and preferred on a tie
BY_ORIGIN = (
    ("nvivo", Counting(utf16=True, crlf_as_two=True)),
    ("atlas", Counting(utf16=False, crlf_as_two=False)),
    ("maxqda", Counting(utf16=False, crlf_as_two=False)),
    ("qualcoder", Counting(utf16=True, crlf_as_two=True)),
)


def preferred(origin: str | None) -> Counting:
    folded = (origin or "").casefold().replace(".", "")
    for prefix, counting in BY_ORIGIN:
        if folded.startswith(prefix):
            return counting
    return STANDARD


class Ruler:
    """Positions in one counting over one raw text, and the raw index of each."""

    def __init__(self, raw: str, counting: Counting) -> None:
        self.raw = raw
        self.counting = counting
        self.plain = _is_plain(raw)
        if self.plain:
            self.marks: list[int] = []
            return
        marks = [0]
        position = 0
        for index, char in enumerate(raw):
            uncounted_bom = index == 0 and char == "\ufeff" and not counting.bom_counted
            cr_of_one = (
                char == "\r" and not counting.crlf_as_two and raw[index + 1 : index + 2] == "\n"
            )
            if uncounted_bom or cr_of_one:
                width = 0
            elif counting.utf16 and ord(char) > 0xFFFF:
                width = 2
            else:
                width = 1
            position += width
            marks.append(position)
        self.marks = marks  # marks[i]: the producer's position of raw index i

    @property
    def length(self) -> int:
        return len(self.raw) if self.plain else self.marks[-1]

    def raw_index(self, position: int, *, end: bool = False) -> int | None:
        """The raw index at a producer's position; None where it falls inside a character
        (half a surrogate pair) or beyond the text. A start skips characters that count
        nothing (a BOM, the CR of a CRLF counted as one); an end stays before them."""
        if position < 0 or position > self.length:
            return None
        if self.plain:
            return position
        if end:
            index = bisect.bisect_left(self.marks, position)
        else:
            index = bisect.bisect_right(self.marks, position) - 1
        if self.marks[index] != position:
            return None
        return index

    def position(self, raw_index: int) -> int:
        return raw_index if self.plain else self.marks[raw_index]


def _is_plain(raw: str) -> bool:
    """Every counting agrees: no BOM, no CR, nothing beyond the BMP."""
    if raw.startswith("\ufeff") or "\r" in raw:
        return False
    return raw.isascii() or max(map(ord, raw), default=0) <= 0xFFFF


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    name: str | None = None  # ATLAS.ti puts the quoted text here, cut with "…"


def fit(raw: str, spans: Sequence[Span], counting: Counting) -> float:
    """How well a counting places a file's selections on its text: each selection that
    lands scores, one that splits a character, a CRLF or a word, or does not land, costs;
    a selection whose name is the text it covers scores more."""
    ruler = Ruler(raw, counting)
    score = 0.0
    for span in spans:
        start = ruler.raw_index(span.start)
        end = ruler.raw_index(span.end, end=True)
        if start is None or end is None or end < start:
            score -= 3
            continue
        score += 1
        if start > 0 and raw[start - 1] == "\r" and raw[start : start + 1] == "\n":
            score -= 1
        if end > 0 and raw[end - 1] == "\r" and raw[end : end + 1] == "\n":
            score -= 1
        if _splits_word(raw, start) or _splits_word(raw, end):
            score -= 0.5
        if span.name:
            quoted = span.name.strip().rstrip("…").rstrip(".").strip()
            if quoted and raw[start:end].strip().startswith(quoted):
                score += 2
    return score


def _splits_word(raw: str, index: int) -> bool:
    if index <= 0 or index >= len(raw):
        return False
    return bool(_WORD_CHAR.match(raw[index - 1]) and _WORD_CHAR.match(raw[index]))


def choose_counting(raw: str, spans: Sequence[Span], origin: str | None) -> tuple[Counting, bool]:
    """The counting to read a text's selections in, and whether it was chosen by fit
    rather than taken as the producer's known one (the import report says which)."""
    known = preferred(origin)
    if _is_plain(raw) or not spans:
        return known, False
    scores = {counting: fit(raw, spans, counting) for counting in _ordered(known)}
    best = max(scores.values())
    if scores[known] >= best:
        return known, False
    return next(c for c, s in scores.items() if s == best), True


def _ordered(first: Counting) -> Iterable[Counting]:
    yield first
    yield from (counting for counting in CANDIDATES if counting != first)


def export_text(text: str, *, crlf: bool, bom: bool) -> str:
    """The raw text a profile writes for a stored text."""
    raw = text.replace("\n", "\r\n") if crlf else text
    return "\ufeff" + raw if bom else raw


def export_index(text: str, index: int, *, crlf: bool, bom: bool) -> int:
    """The raw index in `export_text(text, ...)` of a stored index."""
    return index + (text.count("\n", 0, index) if crlf else 0) + (1 if bom else 0)
