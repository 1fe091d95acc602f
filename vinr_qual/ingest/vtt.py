"""WebVTT captions and transcripts (.vtt), as Teams, Zoom and caption editors write them.

The file opens with `WEBVTT`; blocks between blank lines are cues (an optional id line,
`start --> end` with optional cue settings, then the words), `NOTE` comments, or `STYLE`
and `REGION` blocks. Speakers come from voice tags (`<v Anna Berg>…</v>`, Teams) or from
names opening the words (`Anna Berg: …`, Zoom); see `cues` for how cues become turns.
Inline markup (`<c>`, `<i>`, `<b>`, `<u>`, `<lang>`, `<ruby>`, time stamps, `</v>`) is
taken out of the words.

A cue whose time code is malformed (Teams has written `0:0:-6.-820`) is kept without a
time and named in the notes; a block with no time line is joined to the cue before it, or
kept as words without a time when it comes first, and named too.
"""

from __future__ import annotations

import re

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.cues import (
    Cue,
    Problems,
    add_untimed,
    build_transcript,
    clean_label,
    clean_words,
    cue_times,
    find_speakers_in_words,
    parse_clock,
    text_blocks,
    timing_line,
)
from vinr_qual.ingest.decode import decode
from vinr_qual.ingest.model import ParsedSource
from vinr_qual.ingest.normalise import normalise

_VOICE = re.compile(r"<v(?:\.[\w.-]+)*(?:[ \t]+([^>\n]*))?>", re.IGNORECASE)
_HEADER = re.compile(r"^WEBVTT(?:[ \t].*)?$")


def read_vtt(data: bytes, where: str) -> ParsedSource:
    raw, encoding = decode(data, where)
    text = normalise(raw)
    blocks = text_blocks(text)
    if not blocks or not _HEADER.match(blocks[0].lines[0].strip()):
        raise ImportRefused(f"{where}: line 1: not a WebVTT file (it should begin with WEBVTT)")
    problems = Problems()
    cues: list[Cue] = []
    comments = presentation = 0
    for block in blocks[1:]:
        first = block.lines[0].strip()
        if first == "NOTE" or first.startswith(("NOTE ", "NOTE\t")):
            comments += 1
            continue
        if first in ("STYLE", "REGION") and timing_line(block) is None:
            presentation += 1
            continue
        index = timing_line(block)
        if index is None:
            words = clean_words(" ".join(block.lines))
            add_untimed(cues, words, problems, block.line, "a block without a time line")
            continue
        start_code, end_code = cue_times(block.lines[index])
        start, end = parse_clock(start_code), parse_clock(end_code)
        line = block.line + index
        if start is None:
            problems.add(
                "malformed time codes",
                f"line {line}: malformed time code {start_code!r}; the cue is kept without a time",
            )
        cues.extend(_voices("\n".join(block.lines[index + 1 :]), start, end))
    notes = problems.notes()
    if comments:
        notes.append(f"{comments} NOTE blocks (comments in the file) skipped")
    if presentation:
        notes.append(f"{presentation} STYLE/REGION blocks (caption layout) skipped")
    if not cues:
        raise ImportRefused(f"{where}: a WebVTT file without cues")
    return build_transcript(
        find_speakers_in_words(cues), where, source_format="vtt", encoding=encoding, notes=notes
    )


def _voices(payload: str, start: float | None, end: float | None) -> list[Cue]:
    """The cue's words, split where a voice tag names another speaker."""
    found: list[Cue] = []
    speaker: str | None = None
    position = 0
    for match in _VOICE.finditer(payload):
        words = clean_words(payload[position : match.start()])
        if words or speaker:
            found.append(Cue(words, speaker, start, end))
        speaker = clean_label(match.group(1) or "")
        position = match.end()
    found.append(Cue(clean_words(payload[position:]), speaker, start, end))
    return [cue for cue in found if cue.words]
