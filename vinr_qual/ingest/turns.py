"""Speaker turns in interview transcripts.

A turn starts at the beginning of a line with a speaker label and a colon, optionally
after a time stamp (`[00:12:31] IP: …`) or followed by one (`IP: [00:12:31] …`); time
stamps are kept out of the label. It runs until the next turn or heading.

Labels come in three families, each a regular expression a project may replace
(setting `speaker_patterns`, a JSON object of name to pattern):

- `known`: the usual words and abbreviations (I, IP, Intervjuare, Respondent 2, R, Int);
- `initials`: two or three capitals (`MK:`), optionally with a digit;
- `names`: one or two capitalised words (`Karin:`, `Karin Holm:`).

A known label counts once it opens two lines, or one line after the dialogue has begun;
initials and names must open at least `min_repeats` lines (default 3) or stand in bold
at the start of a Word paragraph. So header lines such as `Intervjuare: AL` or
`Datum: 12 mars` are not taken for speakers.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

from vinr_qual.ingest.model import Block, Turn

DEFAULT_PATTERNS: dict[str, str] = {
    "known": (
        r"(?:Intervjuare[n]?|Interviewer|Respondent(?:en)?|Informant(?:en)?|Deltagare"
        r"|Intervjuperson(?:en)?|IP|Int|I|R|F|S)(?:[ ]?\d{1,2})?"
    ),
    "initials": r"[A-ZÅÄÖ]{2,3}\d?",
    "names": r"[A-ZÅÄÖ][a-zåäöéü]+(?:[ -][A-ZÅÄÖ][a-zåäöéü]+)?",
}
INTERVIEWER_LABELS = {"i", "int", "intervjuare", "intervjuaren", "interviewer", "f"}
DEFAULT_MIN_REPEATS = 3
_TIMESTAMP = r"[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]"


@dataclass(frozen=True)
class TurnRules:
    patterns: dict[str, str]
    min_repeats: int = DEFAULT_MIN_REPEATS

    @classmethod
    def from_settings(cls, patterns_json: str | None, min_repeats: str | None) -> TurnRules:
        patterns = dict(DEFAULT_PATTERNS)
        if patterns_json:
            patterns.update(json.loads(patterns_json))
        return cls(patterns, int(min_repeats) if min_repeats else DEFAULT_MIN_REPEATS)

    def line_pattern(self) -> re.Pattern[str]:
        alternatives = "|".join(
            f"(?P<{name}>{pattern})" for name, pattern in self.patterns.items() if pattern
        )
        return re.compile(
            rf"^[ \t]*(?:{_TIMESTAMP}[ \t]*)?(?:\*\*)?(?:{alternatives})(?:\*\*)?[ \t]*:"
            rf"(?:\*\*)?[ \t]*(?:{_TIMESTAMP}[ \t]*)?",
            re.MULTILINE,
        )


def validate_patterns(patterns_json: str) -> dict[str, str]:
    """Check a `speaker_patterns` setting; raises ValueError naming the bad pattern."""
    try:
        patterns = json.loads(patterns_json)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON: {error}") from error
    if not isinstance(patterns, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in patterns.items()
    ):
        raise ValueError('expected a JSON object of names to patterns, e.g. {"known": "I|IP"}')
    for name, pattern in patterns.items():
        if not name.isidentifier():
            raise ValueError(f"pattern name {name!r} must be a plain word")
        try:
            compiled = re.compile(pattern)
        except re.error as error:
            raise ValueError(f"pattern {name!r}: {error}") from error
        if compiled.groupindex:
            raise ValueError(f"pattern {name!r}: named groups (?P<…>) are not allowed in it")
    try:
        TurnRules({**DEFAULT_PATTERNS, **patterns}).line_pattern()
    except re.error as error:
        raise ValueError(f"the patterns do not combine: {error}") from error
    return patterns


def detect_turns(text: str, blocks: list[Block], rules: TurnRules) -> list[Turn]:
    pattern = rules.line_pattern()
    bold_labels = {block.bold_label for block in blocks if block.bold_label}
    candidates: list[tuple[int, int, str, str]] = []
    families = [name for name, family_pattern in rules.patterns.items() if family_pattern]
    for match in pattern.finditer(text):
        family = next(name for name in families if match.group(name) is not None)
        label = match.group(family)
        candidates.append((match.start(), match.end(), label, family))
    counts = Counter(label for _, _, label, _ in candidates)

    def recurs(label: str, family: str) -> bool:
        needed = 2 if family == "known" else rules.min_repeats
        return counts[label] >= needed or label in bold_labels

    first_dialogue = min(
        (start for start, _, label, family in candidates if recurs(label, family)),
        default=len(text),
    )
    # A usual label seen once is a turn once the dialogue has begun (one answer from a
    # second respondent); before that it is a header line such as "Intervjuare: AL".
    accepted = [
        (start, content, label)
        for start, content, label, family in candidates
        if recurs(label, family) or (family == "known" and start > first_dialogue)
    ]
    # a turn starts at its line's first non-blank character
    starts = [
        (start + _leading_blank(text, start), content, label) for start, content, label in accepted
    ]
    boundaries = sorted(
        [block.start for block in blocks if block.kind in ("heading", "note")] + [len(text)]
    )
    turns = []
    for index, (start, content, label) in enumerate(starts):
        limit = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        limit = min([limit, *(b for b in boundaries if b > start)])
        end = start + len(text[start:limit].rstrip())
        if end > start:
            turns.append(Turn(start, end, label, min(content, end)))
    return turns


def _leading_blank(text: str, start: int) -> int:
    index = start
    while index < len(text) and text[index] in " \t":
        index += 1
    return index - start


def interviewer_labels(text: str, turns: list[Turn]) -> set[str]:
    """Which labels are the interviewer's: the usual words, a header line, or who spoke first."""
    labels = {turn.label for turn in turns}
    known = {label for label in labels if label.lower() in INTERVIEWER_LABELS}
    if known:
        return known
    header = text[: turns[0].start] if turns else ""
    named = re.search(r"(?:Intervjuare[n]?|genomförd av)\s*:\s*([A-ZÅÄÖ][\wÅÄÖåäö]*)", header)
    if named and named.group(1) in labels:
        return {named.group(1)}
    if len(labels) >= 2 and turns:
        return {turns[0].label}
    return set()
