"""SubRip subtitles and transcripts (.srt), diarised output included.

Blocks between blank lines are cues: a number, `00:00:01,000 --> 00:00:04,000` (display
coordinates after it are left out), then the words. Diarisation tools put the speaker in
the words (`[SPEAKER_00]: …`, `SPEAKER_01: …`), transcription services a name
(`Anna Berg: …`); see `cues` for how speakers are found and cues become turns. Formatting
tags (`<i>`, `<font color=…>`) and override codes (`{\\an8}`) are taken out.

A cue whose time code is malformed is kept without a time and named in the notes; text
after a stray blank line inside a cue is joined to that cue, and named too.
"""

from __future__ import annotations

import re

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.cues import (
    Cue,
    Problems,
    add_untimed,
    build_transcript,
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

_OVERRIDE = re.compile(r"\{\\[^{}\n]*\}")


def read_srt(data: bytes, where: str) -> ParsedSource:
    raw, encoding = decode(data, where)
    blocks = text_blocks(normalise(raw))
    if not any(timing_line(block) is not None for block in blocks):
        raise ImportRefused(
            f"{where}: not a SubRip file (no time line such as 00:00:01,000 --> 00:00:04,000)"
        )
    problems = Problems()
    cues: list[Cue] = []
    for block in blocks:
        index = timing_line(block)
        if index is None:
            add_untimed(cues, _words(block.lines), problems, block.line, "text without a time line")
            continue
        start_code, end_code = cue_times(block.lines[index])
        start, end = parse_clock(start_code), parse_clock(end_code)
        if start is None:
            label = f"cue {block.lines[0].strip()}" if index == 1 else "a cue"
            problems.add(
                "malformed time codes",
                f"line {block.line + index} ({label}): malformed time code {start_code!r};"
                " the cue is kept without a time",
            )
        cues.append(Cue(_words(block.lines[index + 1 :]), None, start, end))
    return build_transcript(
        find_speakers_in_words(cues),
        where,
        source_format="srt",
        encoding=encoding,
        notes=problems.notes(),
    )


def _words(lines: list[str]) -> str:
    return clean_words(_OVERRIDE.sub("", "\n".join(lines)))
