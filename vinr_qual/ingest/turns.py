"""Speaker turns in interview transcripts.

A turn starts at the beginning of a line with a speaker label and runs until the next
turn or heading. The label lines we meet:

- `Name: words`, the colon followed by white space or the end of the line (so `S:t
  Eriks`, `EG:s`, `Maj:t` and `kl. 10:30` are never labels), a space before the colon
  allowed (`Interviewer 1 : …`), bold in Markdown (`**Name:**`, `**Name**:`);
- with a time stamp before the label, in brackets or not (`[00:12:31] IP: …`,
  `00:12:31 Name: …`), or in brackets after it (`IP: [00:12:31] …`);
- a speaker tag in brackets (`[id1] …`, `[IP]: …`);
- Otter exports: a line `Name  0:18` (two or more spaces or a tab, or one space after a
  bold name) with the words in the paragraphs after it;
- Zoom's saved closed captions: `[Name] 00:12:31` lines, each followed by the words;
  consecutive lines of one speaker are one turn.

Every time stamp goes into the turn's `time`, in seconds. Labels come in three families,
each a regular expression a project may replace (setting `speaker_patterns`, a JSON
object of name to pattern):

- `known`: the usual words, in any case (Intervjuare, Interviewer 1, Respondent 2,
  Moderator, Fråga, Svar…) and abbreviations (I, I1, IP, Int, R, F, Q…);
- `initials`: two or three capitals (`MK:`), optionally with a digit;
- `names`: one to four capitalised words, hyphens, apostrophes and particles allowed
  (`Kristin:`, `KRISTIN:`, `Per Olof Håkansson:`, `Lars-Ove Hagberg:`, `Anna af Klint:`,
  `O'Brien:`, `Zoë:`, `Person 2:`).

One speaker written several ways (`Interviewer1`, `Interviewer 1`, `interviewer 1`) is
one label, shown as it is most often written. A known label counts once it opens two
lines; initials, names and tags once they open `min_repeats` lines (default 3) or stand
in bold at the start of a Word paragraph; Otter and Zoom lines always. A label seen less
often is still a turn when the dialogue has begun and the transcript is clearly
turn-structured (an interviewer's label speaks, or most paragraphs open with a label),
provided it opens a paragraph, is not a header word (Datum, Plats, Date…) and is followed
by more than a short value. So header lines such as `Intervjuare: AL`, `Datum: 12 mars`
or `Plats: Kommunhuset` are not taken for speakers; every line that looks like a label
but is not taken is counted in a note, so that nothing merges into a turn unseen.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

from vinr_qual.ingest.model import Block, Turn

# Upper-case letters of the Latin scripts, for the first letter of a name.
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
_NAME_WORD = rf"[{_UPPER}](?:[^\W\d_]|['’](?=[^\W\d_]))+(?:-[^\W\d_]+)*"
_PARTICLE = r"(?:von|van|der|den|de|af|du|da|di|del|della|dos|das|la|le|ten|ter|zu|bin|ibn|al)"
DEFAULT_PATTERNS: dict[str, str] = {
    "known": (
        r"(?:(?i:Intervjuare[n]?|Interviewer|Interviewee|Intervjuperson(?:en)?"
        r"|Respondent(?:en)?|Informant(?:en)?|Deltagare[n]?|Participant|Moderator[n]?"
        r"|Samtalsledare[n]?|Facilitator|Speaker|Talare[n]?|Fråga|Svar|Question|Answer)"
        r"|IP|Int|INT|I|R|F|S|Q|A)(?:[ ]?\d{1,2})?"
    ),
    "initials": rf"[{_UPPER}]{{2,3}}\d?",
    "names": rf"{_NAME_WORD}(?:[ ](?:{_PARTICLE}[ ])*{_NAME_WORD}){{0,3}}(?:[ ]?\d{{1,2}})?",
}
# label words (lower case, without their number) that are the interviewer's
INTERVIEWER_LABELS = {
    "i",
    "int",
    "intervjuare",
    "intervjuaren",
    "interviewer",
    "f",
    "fråga",
    "q",
    "question",
    "moderator",
    "moderatorn",
    "samtalsledare",
    "samtalsledaren",
    "facilitator",
}
# words that open header lines (`Datum: 12 mars`), never a speaker's name
HEADER_WORDS = {
    "datum",
    "date",
    "plats",
    "place",
    "tid",
    "tidpunkt",
    "time",
    "ort",
    "kommun",
    "län",
    "region",
    "location",
    "lokal",
    "deltagare",
    "deltagarna",
    "närvarande",
    "participants",
    "attendees",
    "intervju",
    "intervjun",
    "interview",
    "transkriberad",
    "transkribering",
    "transkription",
    "transkriptör",
    "transcribed",
    "transcript",
    "transcriber",
    "inspelning",
    "recording",
    "längd",
    "duration",
    "length",
    "ämne",
    "subject",
    "topic",
    "tema",
    "projekt",
    "project",
    "fil",
    "filnamn",
    "file",
    "kod",
    "code",
    "id",
    "titel",
    "title",
    "rubrik",
    "version",
    "källa",
    "source",
    "anteckningar",
    "notes",
    "kommentar",
    "comment",
    "obs",
    "sida",
    "page",
    "bilaga",
    "språk",
    "language",
}
# marks of transcription in brackets, never a speaker tag
_MARKS = {
    "skratt",
    "skrattar",
    "paus",
    "ohörbart",
    "ohörbar",
    "otydligt",
    "oklart",
    "hostar",
    "suckar",
    "suck",
    "tystnad",
    "avbrott",
    "inaudible",
    "laughter",
    "laughs",
    "pause",
    "crosstalk",
    "silence",
    "music",
    "unclear",
}
DEFAULT_MIN_REPEATS = 3
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"
_BRACKETED_TIME = rf"[\[(]{_TIME}[\])]"
_LEAD = rf"(?:(?P<lead>{_BRACKETED_TIME}|{_TIME}(?=[ \t]))[ \t]*)?"
_TRAIL = rf"(?:(?P<trail>{_BRACKETED_TIME})[ \t]*)?"
_ZOOM = re.compile(
    r"^[ \t]*\[(?P<label>[^\[\]\n]{1,60}?)\][ \t]+(?P<time>\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?)"
    r"[ \t]*$"
)
_TAG = re.compile(
    rf"^[ \t]*{_LEAD}\[(?P<label>[^\[\]\n]{{1,40}})\](?:[ \t]*:)?(?=[ \t]|$)[ \t]*{_TRAIL}"
)
_ID_TAG = re.compile(r"[A-Za-z]{1,12}[ _-]?\d{1,3}")
_ONLY_TIME = re.compile(rf"{_TIME}")
# a line of a header, `Transkriberad av: Johanna`: a few words, a colon, a value
_FIELD_LINE = re.compile(r"[ \t]*[^\W\d_][^:\n]{0,40}:(?=\s|$)")
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)\]]*$")


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

    def families(self) -> list[str]:
        return [name for name, pattern in self.patterns.items() if pattern]

    def label_pattern(self) -> str:
        """The families as one alternation, each in a group named after it."""
        return "|".join(f"(?P<{name}>{self.patterns[name]})" for name in self.families())

    def line_pattern(self) -> re.Pattern[str]:
        """A line opening with `label:`, time stamps and Markdown bold around it allowed."""
        return re.compile(
            rf"^[ \t]*{_LEAD}(?:\*\*)?(?:{self.label_pattern()})(?:\*\*)?[ \t]*(?:\*\*)?:"
            rf"(?:\*\*)?(?=[ \t]|$)[ \t]*{_TRAIL}"
        )

    def otter_pattern(self) -> re.Pattern[str]:
        """A line `Name  0:18`: the name alone, then its time after a wide gap."""
        return re.compile(
            rf"^[ \t]*(?P<bold>\*\*)?(?:{self.label_pattern()})"
            rf"(?(bold)\*\*[ \t]+|(?:[ \t]*\t[ \t]*|[ \t]{{2,}}))(?P<time>{_TIME})[ \t]*$"
        )

    def label_only(self) -> re.Pattern[str]:
        return re.compile(rf"(?:{self.label_pattern()})")


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
        rules = TurnRules({**DEFAULT_PATTERNS, **patterns})
        rules.line_pattern()
        rules.otter_pattern()
    except re.error as error:
        raise ValueError(f"the patterns do not combine: {error}") from error
    return patterns


@dataclass(frozen=True)
class _Candidate:
    """A line that looks like a speaker label."""

    start: int  # the line's first non-blank character
    content: int  # where the words begin on the line, after label and time stamps
    line_end: int
    label: str  # as written, without bold marks
    key: str  # the same speaker however written
    family: str
    form: str  # "colon", "tag", "otter" or "zoom"
    time: float | None
    line: int  # 1-based


@dataclass
class FoundTurns:
    turns: list[Turn]
    notes: list[str] = field(default_factory=list)


def detect_turns(text: str, blocks: list[Block], rules: TurnRules) -> list[Turn]:
    return find_turns(text, blocks, rules).turns


def find_turns(text: str, blocks: list[Block], rules: TurnRules) -> FoundTurns:
    """The turns of a transcript, and notes on label-like lines that were not taken."""
    # headings and the notes a reader adds ("[Fotnot 1] …") are nobody's turn
    apart = {block.start for block in blocks if block.kind != "paragraph"}
    candidates = [c for c in _candidates(text, rules) if c.start not in apart]
    accepted = _accept(text, candidates, blocks, rules)
    taken = {id(candidate) for candidate in accepted}
    left = [candidate for candidate in candidates if id(candidate) not in taken]
    return FoundTurns(_turns(text, blocks, accepted), _notes(text, left))


def _candidates(text: str, rules: TurnRules) -> list[_Candidate]:
    colon = rules.line_pattern()
    otter = rules.otter_pattern()
    label_only = rules.label_only()
    families = rules.families()
    found: list[_Candidate] = []
    position = 0
    for number, line in enumerate(text.split("\n"), start=1):
        candidate = _parse_line(line, position, number, colon, otter, label_only, families)
        if candidate:
            found.append(candidate)
        position += len(line) + 1
    return found


def _parse_line(
    line: str,
    position: int,
    number: int,
    colon: re.Pattern[str],
    otter: re.Pattern[str],
    label_only: re.Pattern[str],
    families: list[str],
) -> _Candidate | None:
    if not line.strip() or len(line) - len(line.lstrip()) > 12:
        return None
    start = position + len(line) - len(line.lstrip())
    end = position + len(line.rstrip())

    def made(label: str, family: str, form: str, content: int, time: float | None) -> _Candidate:
        label = " ".join(label.replace("*", " ").split())
        return _Candidate(
            start, position + content, end, label, _key(label), family, form, time, number
        )

    zoom = _ZOOM.match(line)
    if zoom and not _ONLY_TIME.fullmatch(zoom.group("label").strip()):
        label = zoom.group("label").strip()
        if label.lower() not in _MARKS:
            return made(label, "zoom", "zoom", len(line), _seconds(zoom.group("time")))
    tag = _TAG.match(line)
    if tag:
        label = tag.group("label").strip()
        family = _family_of(label, label_only, families)
        if family is None and _ID_TAG.fullmatch(label):
            family = "tag"
        if family and label.lower() not in _MARKS and not _ONLY_TIME.fullmatch(label):
            time = _seconds(tag.group("lead") or tag.group("trail"))
            return made(label, family, "tag", tag.end(), time)
    match = colon.match(line)
    if match:
        family = next(name for name in families if match.group(name) is not None)
        time = _seconds(match.group("lead") or match.group("trail"))
        return made(match.group(family), family, "colon", match.end(), time)
    match = otter.match(line)
    if match:
        family = next(name for name in families if match.group(name) is not None)
        return made(match.group(family), family, "otter", len(line), _seconds(match["time"]))
    return None


def _family_of(label: str, label_only: re.Pattern[str], families: list[str]) -> str | None:
    match = label_only.fullmatch(label)
    if not match:
        return None
    return next((name for name in families if match.group(name) is not None), None)


def _seconds(stamp: str | None) -> float | None:
    """`[00:12:31]` → 751.0; two parts are minutes and seconds, three hours too."""
    if not stamp:
        return None
    parts = stamp.strip("[]() ").replace(",", ".").split(":")
    try:
        values = [float(part) for part in parts]
    except ValueError:
        return None
    seconds = 0.0
    for value in values:
        seconds = seconds * 60 + value
    return seconds


def _key(label: str) -> str:
    """One spelling for a speaker: `Interviewer 1`, `interviewer1` → `interviewer1`."""
    return re.sub(r"\s+(?=\d)", "", " ".join(label.replace("*", " ").lower().split()))


def _base(key: str) -> str:
    return re.sub(r"\d+$", "", key).strip()


def _is_header(candidate: _Candidate) -> bool:
    return candidate.key in HEADER_WORDS or candidate.key.split(" ")[0] in {
        "transkriberad",
        "transcribed",
    }


def _short_value(text: str, candidate: _Candidate) -> bool:
    """`Datum: 12 mars`, `Intervjuare: AL`: a few words without a sentence's end, on a
    line of its own (not running on into the next line, which is not a label's)."""
    if candidate.form in ("otter", "zoom") or any(c.isdigit() for c in candidate.key):
        return False
    value = text[candidate.content : candidate.line_end].strip()
    if len(value.split()) > 3 or _SENTENCE_END.search(value):
        return False
    following = candidate.line_end
    while following < len(text) and text[following] in " \t":
        following += 1
    if text.startswith("\n", following):
        next_start = following + 1
        while next_start < len(text) and text[next_start] in " \t":
            next_start += 1
        runs_on = next_start < len(text) and text[next_start] != "\n"
        if runs_on and value and not _FIELD_LINE.match(text, next_start):
            return False
    return True


def _accept(
    text: str, candidates: list[_Candidate], blocks: list[Block], rules: TurnRules
) -> list[_Candidate]:
    if not candidates:
        return []
    counts = Counter(candidate.key for candidate in candidates)
    forms = Counter(candidate.form for candidate in candidates)
    bold = {_key(block.bold_label) for block in blocks if block.bold_label}
    label_lines = {candidate.start for candidate in candidates}

    def short(candidate: _Candidate) -> bool:
        return _short_value(text, candidate)

    def recurs(candidate: _Candidate) -> bool:
        if candidate.family != "known" and _is_header(candidate):
            return False
        if candidate.form in ("otter", "zoom"):
            return forms[candidate.form] >= 2
        # the usual words and `[id1]` tags are speakers' labels once they come back
        needed = 2 if candidate.family in ("known", "tag") else rules.min_repeats
        return counts[candidate.key] >= needed or candidate.key in bold

    recurring = [candidate for candidate in candidates if recurs(candidate)]
    # The dialogue begins at the first recurring label that says more than a short value;
    # before it, `Intervjuare: AL` is a header line even though Intervjuare speaks later.
    first_dialogue = min(
        (c.start for c in recurring if not short(c)),
        default=len(text),
    )
    speaking = [c for c in recurring if c.start >= first_dialogue]
    block_starts = {block.start for block in blocks}
    paragraphs = [b for b in blocks if b.kind == "paragraph" and b.start >= first_dialogue]
    structured = any(_base(c.key) in INTERVIEWER_LABELS for c in speaking) or (
        bool(paragraphs) and sum(b.start in label_lines for b in paragraphs) * 2 > len(paragraphs)
    )

    def once(candidate: _Candidate) -> bool:
        """A label seen too rarely to recur, taken when the dialogue speaks around it."""
        if candidate.start <= first_dialogue or _is_header(candidate):
            return False
        if short(candidate):
            return False
        if candidate.family in ("known", "tag"):
            return True
        return structured and candidate.start in block_starts

    chosen = {id(c) for c in speaking}
    return [c for c in candidates if id(c) in chosen or (not recurs(c) and once(c))]


_SERVICE_FOOTER = re.compile(
    r"^[ \t]*(?:Transcribed by|Transkriberat av|Transkriberad av)[ \t]+"
    r"https?://\S*otter\.ai\S*[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)


def _turns(text: str, blocks: list[Block], accepted: list[_Candidate]) -> list[Turn]:
    shown = _shown_labels(accepted)
    # the services' own footers ("Transcribed by https://otter.ai") are nobody's words
    footers = [match.start() for match in _SERVICE_FOOTER.finditer(text)]
    boundaries = sorted(
        [block.start for block in blocks if block.kind in ("heading", "note")]
        + footers
        + [len(text)]
    )
    turns: list[Turn] = []
    previous: _Candidate | None = None
    for index, candidate in enumerate(accepted):
        limit = accepted[index + 1].start if index + 1 < len(accepted) else len(text)
        limit = min([limit, *(b for b in boundaries if b > candidate.start)])
        end = candidate.start + len(text[candidate.start : limit].rstrip())
        if end <= candidate.start:
            continue
        content = candidate.content
        while content < end and text[content].isspace():
            content += 1
        label = shown[candidate.key]
        if (
            previous is not None
            and candidate.form == "zoom"
            and previous.form == "zoom"
            and previous.key == candidate.key
            and turns
            and turns[-1].label == label
        ):
            # captions: one speaker's consecutive lines are one turn
            last = turns[-1]
            turns[-1] = Turn(last.start, end, last.label, last.content_start, last.time)
        else:
            turns.append(Turn(candidate.start, end, label, min(content, end), candidate.time))
        previous = candidate
    return turns


def _shown_labels(accepted: list[_Candidate]) -> dict[str, str]:
    """For each speaker, the spelling written most often (the first of equals)."""
    spellings: dict[str, Counter[str]] = {}
    for candidate in accepted:
        spellings.setdefault(candidate.key, Counter())[candidate.label] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in spellings.items()}


def _notes(text: str, left: list[_Candidate]) -> list[str]:
    if not left:
        return []
    first = left[0]
    shown = " ".join(text[first.start : first.line_end].split())
    if len(shown) > 60:
        shown = shown[:59] + "…"
    if len(left) == 1:
        return [
            f'1 line looks like a speaker label but was not taken as a turn: "{shown}"'
            f" (line {first.line})"
        ]
    return [
        f"{len(left)} lines look like speaker labels but were not taken as turns"
        f' (first: "{shown}", line {first.line})'
    ]


def interviewer_labels(text: str, turns: list[Turn]) -> set[str]:
    """Which labels are the interviewer's: every label that is an interviewer's word
    (I, I1, Int, Intervjuare 2, Interviewer1, Moderator, Fråga, Q…), else those a header
    line names (`Intervju genomförd av: MK`), else who spoke first."""
    labels = list(dict.fromkeys(turn.label for turn in turns))
    known = {label for label in labels if _base(_key(label)) in INTERVIEWER_LABELS}
    if known:
        return known
    header = text[: turns[0].start] if turns else ""
    by_key = {_key(label): label for label in labels}
    named: set[str] = set()
    for match in _INTERVIEWER_HEADER.finditer(header):
        value = match.group(1)
        names = _NAME_LIST.split(re.sub(r"\(.*?\)", "", value))
        names += re.findall(r"\(([^()]*)\)", value)  # "Sara Berg (SB)"
        keys = [_key(name.strip(" .")) for name in names]
        named.update(by_key[key] for key in keys if key in by_key)
    if named:
        return named
    if len(labels) >= 2 and turns:
        return {turns[0].label}
    return set()


_INTERVIEWER_HEADER = re.compile(
    r"^[ \t]*(?:\*\*)?(?i:intervjuare[n]?|intervju(?:n)? genomförd av|genomförd av"
    r"|intervjuad av|intervjuande forskare|intervjuare och forskare|interviewer[s]?"
    r"|interviewed by|moderator[n]?)(?:\*\*)?[ \t]*:(?:\*\*)?[ \t]*(.+)$",
    re.MULTILINE,
)
_NAME_LIST = re.compile(r"\s*(?:,|;|/|&|\boch\b|\band\b)\s*")
