"""Cues of caption and transcription formats, made into a transcript.

WebVTT, SubRip, Whisper JSON and transcript tables all come as a run of cues: a few words,
perhaps with a speaker and the time they start at. Here they become the text a person
would read: one paragraph per turn, `Name: words…`, so that the label stands in the text
and every turn is `text[start:end]`, label included.

- Consecutive cues of one speaker merge into one turn, which keeps the first cue's time.
- Cues with no speaker in a transcript that has speakers are paragraphs outside any turn
  (they are not given to the previous speaker by guesswork), and the notes say how many.
- Captions with no speakers at all are paragraphs: cues run on until a pause of
  `PARAGRAPH_PAUSE` seconds or more, or until a long paragraph reaches a sentence's end.

Speakers named inside a cue's words are found here too: machine labels of diarisation
(`[SPEAKER_00]: …`, `SPEAKER_01: …`) always, and names (`Anna Berg: …`, as Zoom writes
them) when at least half of the cues open with one, so that a caption that happens to
hold a colon is not taken for a speaker.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.model import Block, ParsedSource, Turn
from vinr_qual.ingest.normalise import normalise

PARAGRAPH_PAUSE = 2.0  # seconds of silence that end a paragraph of captions
LONG_PARAGRAPH = 1500  # characters after which captions break at the next sentence end
MAX_LABEL = 40
NOTES_LISTED = 10  # problems named one by one in the notes; the rest are counted

_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)$")
_MACHINE = re.compile(r"^(?:SPEAKER|Speaker|Talare|TALARE)[ _]?\d{1,3}$")
_BRACKETED = re.compile(r"^\[([^\]\n]{1,40})\][ \t]*(:?)[ \t]*(.*)$", re.DOTALL)
_NAMED = re.compile(r"^([^\W\d_][^:\n]{0,39}?)[ \t]*:[ \t]+(\S.*)$", re.DOTALL)
_NOT_IN_NAMES = re.compile(r"[.!?,;\"()\[\]{}<>/\\]|https?")
_TAG = re.compile(r"</?[A-Za-z][^>\n]*>|<\d[\d:.]*>")
_INTERVIEWER = re.compile(
    r"^(?:intervjuare[n]?|interviewer|int|i)(?:[ _-]?\d{1,2})?(?:[ \t]*\([^)]*\))?$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…][\"'”»)]*$")


@dataclass(frozen=True)
class Cue:
    """A few words as one cue gives them, with the speaker and times where known."""

    words: str
    speaker: str | None = None
    start: float | None = None
    end: float | None = None


def add_untimed(cues: list[Cue], words: str, problems: Problems, line: int, what: str) -> None:
    """A block of words without a time line: joined to the cue before it, or kept without
    a time when it comes first; named in the notes either way."""
    if cues:
        previous = cues[-1]
        cues[-1] = Cue(
            f"{previous.words} {words}".strip(), previous.speaker, previous.start, previous.end
        )
        problems.add(
            "blocks without a time line", f"line {line}: {what}, joined to the cue before it"
        )
    else:
        cues.append(Cue(words))
        problems.add("blocks without a time line", f"line {line}: {what}, kept without a time")


class Problems:
    """Problems met while reading (a malformed time code, a stray block), named one by one
    up to `NOTES_LISTED` and counted after that."""

    def __init__(self) -> None:
        self.named: list[str] = []
        self.more: dict[str, int] = {}

    def add(self, kind: str, message: str) -> None:
        if len(self.named) < NOTES_LISTED:
            self.named.append(message)
        else:
            self.more[kind] = self.more.get(kind, 0) + 1

    def notes(self) -> list[str]:
        return [*self.named, *(f"{count} more {kind}" for kind, count in self.more.items())]


def parse_clock(value: str) -> float | None:
    """Seconds of `hh:mm:ss.fff` or `mm:ss.fff` (a comma works as well as a point); None
    when the time code is malformed (negative parts, minutes or seconds of 60 or more)."""
    found = _CLOCK.match(value.strip())
    if not found:
        return None
    hours, minutes, seconds = found.groups()
    minutes_value = int(minutes)
    seconds_value = float(seconds.replace(",", "."))
    if minutes_value >= 60 or seconds_value >= 60:
        return None
    return int(hours or 0) * 3600 + minutes_value * 60 + seconds_value


def seconds_or_none(value: object) -> float | None:
    """A time given as a number of seconds or as a time code; None when it is neither, or
    negative, or not finite."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if ":" in text:
            return parse_clock(text)
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def clean_words(raw: str) -> str:
    """Caption markup taken out (tags, inline time stamps, entities) and the lines of a
    cue joined into one run of words."""
    without_tags = _TAG.sub("", raw)
    unescaped = html.unescape(without_tags).replace("\u200e", "").replace("\u200f", "")
    return " ".join(normalise(unescaped).split())


def clean_label(raw: str) -> str | None:
    label = " ".join(normalise(html.unescape(raw)).split()).strip(" :")
    return label or None


def machine_label(words: str) -> tuple[str, str] | None:
    """(label, rest) of words that open with a diarisation label: `[SPEAKER_00]: …`,
    `[SPEAKER_00] …`, `SPEAKER_00: …`, or any bracketed name followed by a colon."""
    bracketed = _BRACKETED.match(words)
    if bracketed:
        label, colon, rest = bracketed.groups()
        label = label.strip()
        if _MACHINE.match(label) or (colon and _is_name(label)):
            return label, rest.strip()
        return None
    named = _NAMED.match(words)
    if named and _MACHINE.match(named.group(1).strip()):
        return named.group(1).strip(), named.group(2).strip()
    return None


def _is_name(label: str) -> bool:
    return (
        0 < len(label) <= MAX_LABEL
        and len(label.split()) <= 4
        and not _NOT_IN_NAMES.search(label)
        and not label[:1].isdigit()
    )


def named_label(words: str) -> tuple[str, str] | None:
    """(name, rest) of words that open with `Name: `."""
    named = _NAMED.match(words)
    if named and _is_name(named.group(1).strip()):
        return named.group(1).strip(), named.group(2).strip()
    return None


def find_speakers_in_words(cues: Sequence[Cue]) -> list[Cue]:
    """Speakers named in the words of cues that have none: machine labels always, names
    when at least half of the cues with words open with one."""
    found: list[Cue] = []
    for cue in cues:
        if cue.speaker is None:
            label = machine_label(cue.words)
            if label:
                cue = replace(cue, speaker=label[0], words=label[1])
        found.append(cue)
    open_cues = [cue for cue in found if cue.speaker is None and cue.words]
    with_words = [cue for cue in found if cue.words]
    named = [cue for cue in open_cues if named_label(cue.words)]
    if not named or len(named) * 2 < len(with_words):
        return found
    result = []
    for cue in found:
        label = named_label(cue.words) if cue.speaker is None else None
        result.append(replace(cue, speaker=label[0], words=label[1]) if label else cue)
    return result


def is_interviewer(label: str) -> bool | None:
    """True for labels that name the interviewer (Intervjuare, Interviewer, I 2…); None
    otherwise, which leaves the decision to the import."""
    return True if _INTERVIEWER.match(label.strip()) else None


@dataclass
class _Piece:
    speaker: str | None
    words: list[str]
    time: float | None
    end: float | None


def _pieces(cues: Iterable[Cue], has_speakers: bool, join_captions: bool) -> list[_Piece]:
    pieces: list[_Piece] = []
    for cue in cues:
        if not cue.words:
            continue
        last = pieces[-1] if pieces else None
        if (
            last is not None
            and last.speaker == cue.speaker
            and (cue.speaker is not None or (join_captions and _runs_on(last, cue, has_speakers)))
        ):
            last.words.append(cue.words)
            last.end = cue.end if cue.end is not None else last.end
            continue
        pieces.append(_Piece(cue.speaker, [cue.words], cue.start, cue.end))
    return pieces


def _runs_on(paragraph: _Piece, cue: Cue, has_speakers: bool) -> bool:
    """Whether a cue without a speaker continues the paragraph of captions before it."""
    if has_speakers:
        return True
    paused = paragraph.end is not None and cue.start is not None
    if paused and cue.start - paragraph.end >= PARAGRAPH_PAUSE:  # type: ignore[operator]
        return False
    length = sum(len(words) + 1 for words in paragraph.words)
    return not (length >= LONG_PARAGRAPH and _SENTENCE_END.search(paragraph.words[-1]))


def build_transcript(
    cues: Sequence[Cue],
    where: str,
    *,
    source_format: str,
    encoding: str | None = None,
    notes: Sequence[str] = (),
    join_captions: bool = True,
) -> ParsedSource:
    """The transcript's text, one paragraph per turn, with its blocks and turns.

    Turns are given (a list, empty for captions without speakers), so the import does not
    look for labels in the text. With `join_captions` false, every cue without a speaker
    is a paragraph of its own (a table's rows), else captions run on as described above."""
    has_speakers = any(cue.speaker for cue in cues if cue.words)
    pieces = _pieces(cues, has_speakers, join_captions)
    if not pieces:
        raise ImportRefused(f"{where}: no cue with any words in it")
    parts: list[str] = []
    length = 0
    blocks: list[Block] = []
    turns: list[Turn] = []
    for piece in pieces:
        words = " ".join(piece.words)
        line = f"{piece.speaker}: {words}" if piece.speaker else words
        if parts:
            parts.append("\n\n")
            length += 2
        start, end = length, length + len(line)
        parts.append(line)
        length = end
        blocks.append(Block(start, end, "paragraph"))
        if piece.speaker:
            turns.append(
                Turn(
                    start,
                    end,
                    piece.speaker,
                    start + len(piece.speaker) + 2,
                    time=piece.time,
                    interviewer=is_interviewer(piece.speaker),
                )
            )
    all_notes = list(notes)
    outside = sum(1 for piece in pieces if piece.speaker is None)
    if has_speakers and outside:
        all_notes.append(
            f"{outside} passages without a speaker kept as paragraphs outside the turns"
        )
    return ParsedSource(
        text="".join(parts),
        blocks=blocks,
        source_format=source_format,
        encoding=encoding,
        notes=all_notes,
        turns=turns,
    )


# the blocks of the text caption formats (WebVTT, SubRip) -------------------------------


@dataclass(frozen=True)
class TextBlock:
    """Lines between blank lines, with the number of the first line (from 1)."""

    line: int
    lines: list[str]


def text_blocks(text: str) -> list[TextBlock]:
    blocks: list[TextBlock] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                first = number
            current.append(line)
        elif current:
            blocks.append(TextBlock(first, current))
            current = []
    if current:
        blocks.append(TextBlock(first, current))
    return blocks


def timing_line(block: TextBlock) -> int | None:
    """Which of the block's first two lines holds the times (`start --> end`)."""
    for index, line in enumerate(block.lines[:2]):
        if "-->" in line:
            return index
    return None


def cue_times(line: str) -> tuple[str, str]:
    """The start and end time codes of a timing line as written; cue settings after the
    end time (`align:start position:10%`) are left out."""
    left, _, right = line.partition("-->")
    end = right.split()
    return left.strip(), end[0] if end else ""
