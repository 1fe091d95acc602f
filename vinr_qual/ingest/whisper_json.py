"""Whisper and WhisperX transcripts (.json).

The file is an object with a `segments` list (or, as some tools write it, the list
itself); each segment has `start`, `end` and `text`, and after diarisation a `speaker`
(`SPEAKER_00`). Word lists (`words`, `word_segments`) are left out: the segment's text
holds the same words. A segment without a usable start time is kept without one and named
in the notes. A .json file that is not such a transcript is refused in one line.
"""

from __future__ import annotations

import json
from typing import Any

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.cues import (
    Cue,
    Problems,
    build_transcript,
    clean_label,
    clean_words,
    find_speakers_in_words,
    seconds_or_none,
)
from vinr_qual.ingest.decode import decode
from vinr_qual.ingest.model import ParsedSource


def read_whisper_json(data: bytes, where: str) -> ParsedSource:
    raw, encoding = decode(data, where)
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ImportRefused(
            f"{where}: line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"
        ) from error
    segments = _segments(document, where)
    problems = Problems()
    cues: list[Cue] = []
    for number, segment in enumerate(segments, start=1):
        words = _text(segment)
        if words is None:
            problems.add("segments without text", f"segment {number}: no text (nothing to import)")
            continue
        start = seconds_or_none(segment.get("start"))
        if start is None:
            found = segment.get("start")
            problems.add(
                "segments without a start time",
                f"segment {number}: "
                + ("no start time" if found is None else f"malformed start time {found!r}")
                + "; kept without a time",
            )
        speaker = segment.get("speaker")
        label = clean_label(str(speaker)) if speaker not in (None, "") else None
        cues.append(Cue(clean_words(words), label, start, seconds_or_none(segment.get("end"))))
    notes = problems.notes()
    if isinstance(document, dict) and isinstance(document.get("language"), str):
        notes.append(f"language of the transcription: {document['language']}")
    return build_transcript(
        find_speakers_in_words(cues),
        where,
        source_format="whisper-json",
        encoding=encoding,
        notes=notes,
    )


def _segments(document: Any, where: str) -> list[dict[str, Any]]:
    segments = document.get("segments") if isinstance(document, dict) else document
    if (
        not isinstance(segments, list)
        or not segments
        or not all(isinstance(segment, dict) for segment in segments)
        or not any("text" in segment or "words" in segment for segment in segments)
    ):
        raise ImportRefused(
            f'{where}: a JSON file but not a Whisper transcript (expected a "segments"'
            " list of objects with start, end and text)"
        )
    return segments


def _text(segment: dict[str, Any]) -> str | None:
    text = segment.get("text")
    if isinstance(text, str):
        return text
    words = segment.get("words")
    if isinstance(words, list):
        pieces = [
            str(word.get("word") or word.get("text") or "")
            for word in words
            if isinstance(word, dict)
        ]
        joined = " ".join(piece.strip() for piece in pieces if piece.strip())
        return joined or None
    return None
