"""Goals and measures of steering documents, found as segments of their own.

Plans and programmes state what the municipality commits to as numbered goals and
measures. Each becomes a `goal` or `measure` segment, so that a team can code and count
them ("how many plans name a coordinator", "how many set a measurable goal"):

- a paragraph or table row that opens with a numbered label: "Mål 2.1", "Delmål 3:",
  "Effektmål 1 –", "Åtgärd 4.", "Insats 2)", "Aktivitet 1.3" (and the English "Goal",
  "Objective", "Action", "Measure"), or with the label and a colon ("Mål: Alla …");
  or a plural label with a colon and the measures after it ("Insatser: …"); the label
  decides the kind. Numbers have at most three digits: "Mål 2030" is a year;
- a heading with such a label ("Mål 1 Ökad kunskap"), which spans its section up to the
  next heading;
- an item of a list (numbered "1.", "2.3", "a)", "(4)" or bulleted "•", "–"; a Word list
  item, whose number is not in the text, is one too), or a table
  row numbered in its first cell ("3 | Inrätta en samordningsfunktion | Socialchef"), under a
  heading about goals or measures ("Mål och delmål", "Åtgärder", "Prioriterade
  insatser", "Åtgärdsplan"), or under a short line ending in a colon that names them
  ("Åtgärder för att nå målet:"): the first such word decides the kind. A heading on
  "Målgrupp" is about whom the work is for, not a goal.

Only documents that are not interviews are searched: in talk, "mål" and a number are
nothing of the kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Literal

from vinr_qual.ingest.model import Block

ProvisionKind = Literal["goal", "measure"]

_GOAL_LABELS = "delmål|effektmål|etappmål|mål|målsättning|goal|objective"
_MEASURE_LABELS = "åtgärd|insats|aktivitet|action|measure"
_LABELLED = re.compile(
    rf"(?P<word>{_GOAL_LABELS}|{_MEASURE_LABELS})"
    r"(?:\s*(?:nr\.?\s*)?\d{1,3}(?:\.\d{1,3})*[a-z]?(?:\s*[.:)–—-]|\s+\S|\s*\||\s*$)"
    r"|\s*:\s*\S)"
    r"|(?P<plural>mål|delmål|åtgärder|insatser|aktiviteter)\s*:\s*\S",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(
    r"(?:\(?\d{1,3}(?:\.\d{1,3})*[.)]|\(?[a-zåäö][.)]|[•●▪◦‣*–—-])\s+\S"
    r"|\d{1,3}(?:\.\d{1,3})*\.?\s*\|\s*\S"  # a table row numbered in its first cell
)
_GOAL_WORD = re.compile(r"(?:\w*mål(?:et|en|s)?|målsättning\w*|mål-)$", re.IGNORECASE)
_MEASURE_WORD = re.compile(r"\w*(?:åtgärd|insats|aktivitet)\w*$", re.IGNORECASE)
_WORD = re.compile(r"[\wÅÄÖåäö-]+")
_LEAD_IN_LENGTH = 80


def labelled_kind(text: str) -> ProvisionKind | None:
    """The kind of a passage that opens with a numbered goal or measure label."""
    match = _LABELLED.match(text)
    if not match:
        return None
    word = (match["word"] or match["plural"]).casefold()
    return "goal" if word in ("mål", "delmål") or re.fullmatch(_GOAL_LABELS, word) else "measure"


def heading_kind(text: str) -> ProvisionKind | None:
    """The kind of the items under a heading that names goals or measures, if it does."""
    for word in _WORD.findall(text):
        if _GOAL_WORD.match(word):
            return "goal"
        if _MEASURE_WORD.match(word):
            return "measure"
    return None


def find_provisions(text: str, blocks: Iterable[Block]) -> Iterator[tuple[int, int, ProvisionKind]]:
    """(start, end, kind) of every goal and measure, in text order of their starts; a
    labelled heading's section may hold goals and measures of its own."""
    found: list[tuple[int, int, ProvisionKind]] = []
    section: ProvisionKind | None = None
    open_heading: list[int] | None = None  # [start, end, index in found] of its section
    for block in sorted(blocks, key=lambda block: block.start):
        passage = text[block.start : block.end]
        if block.kind == "heading":
            open_heading = None
            labelled = labelled_kind(passage)
            if labelled is not None:
                open_heading = [block.start, block.end, len(found)]
                found.append((block.start, block.end, labelled))
                section = None
            else:
                section = heading_kind(passage)
            continue
        if block.kind != "paragraph":
            continue
        if open_heading is not None:
            start, _, index = open_heading
            found[index] = (start, block.end, found[index][2])
        for start, end in _items(text, block.start, block.end):
            piece = text[start:end]
            labelled = labelled_kind(piece)
            if labelled is not None:
                found.append((start, end, labelled))
            elif section is not None and (block.list_item or _LIST_ITEM.match(piece)):
                found.append((start, end, section))
            elif len(piece) <= _LEAD_IN_LENGTH and piece.rstrip().endswith(":"):
                # "Åtgärder:" on a line of its own leads a list as a heading would
                section = heading_kind(piece) or section
    yield from found


def _items(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A paragraph cut where a line opens a list item or a label: a list written without
    blank lines between its items is one paragraph to the readers."""
    begin = start
    position = start
    for line in text[start:end].splitlines(keepends=True):
        stripped = line.lstrip()
        if position > begin and (_LIST_ITEM.match(stripped) or labelled_kind(stripped)):
            yield begin, _trimmed_end(text, begin, position)
            begin = position + len(line) - len(stripped)
        position += len(line)
    yield begin, end


def _trimmed_end(text: str, start: int, end: int) -> int:
    return start + len(text[start:end].rstrip())
