"""Transcripts as tables (.csv, .xlsx): a row per utterance, the columns found by name.

The first non-empty row is the header. The words are in a column named text, yttrande,
transcript(ion) or transkription (required); the speaker in speaker, talare, namn or name;
the start time in start, time, tid, starttid or timestamp (seconds, or a time code such
as 00:12:31, or an Excel time). Headers are matched without regard to case, a trailing
colon or a parenthesis (`Tid (s)`). Other columns are not read, and the notes name them.
CSV files may be separated by commas, semicolons (as Swedish Excel saves them) or tabs.
In a workbook the first sheet with a text column is read, and other sheets with content
are named in the notes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.cues import (
    Cue,
    Problems,
    build_transcript,
    clean_label,
    clean_words,
    seconds_or_none,
)
from vinr_qual.ingest.decode import decode
from vinr_qual.ingest.model import ParsedSource
from vinr_qual.ingest.safezip import check_archive

HEADERS: dict[str, tuple[str, ...]] = {
    "text": ("text", "yttrande", "transcript", "transcription", "transkription", "transkript"),
    "speaker": ("speaker", "talare", "namn", "name", "speaker name", "talarnamn"),
    "time": ("start", "time", "tid", "starttid", "start time", "timestamp", "tidskod"),
}
_PAREN = re.compile(r"\([^)]*\)")
Row = Sequence[object]


@dataclass(frozen=True)
class _Columns:
    text: int
    speaker: int | None
    time: int | None
    unread: list[str]


def read_csv_transcript(data: bytes, where: str) -> ParsedSource:
    raw, encoding = decode(data, where)
    sample = raw[:20000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(raw, newline=""), dialect)
    rows: list[tuple[int, Row]] = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as error:
        raise ImportRefused(
            f"{where}: line {reader.line_num}: not readable CSV ({error})"
        ) from error
    return _transcript(rows, where, "csv", encoding, "line")


def read_xlsx_transcript(path: Path, where: str) -> ParsedSource:
    check_archive(path, where, kind="an Excel workbook", required="xl/workbook.xml")
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on damaged workbooks
        raise ImportRefused(f"{where}: cannot read the workbook ({error})") from error
    try:
        chosen: tuple[str, list[tuple[int, Row]]] | None = None
        other: list[str] = []
        for sheet in workbook.worksheets:
            rows: list[tuple[int, Row]] = [
                (number, list(values))
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
            if chosen is None and _find_columns(rows) is not None:
                chosen = (sheet.title, rows)
            elif any(_filled(row) for _, row in rows):
                other.append(sheet.title)
    finally:
        workbook.close()
    if chosen is None:
        raise ImportRefused(f"{where}: {_no_text_column()}")
    title, sheet_rows = chosen
    parsed = _transcript(sheet_rows, where, "xlsx", None, "row", sheet=title)
    if other:
        parsed.notes.append(
            f"sheets not read (only the transcript sheet {title!r} is): "
            + ", ".join(repr(name) for name in other)
        )
    return parsed


def _no_text_column() -> str:
    return "no text column found in the header row (looked for " + ", ".join(HEADERS["text"]) + ")"


def _filled(row: Row) -> bool:
    return any(_cell(value) for value in row)


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def _header_name(value: object) -> str:
    return " ".join(_PAREN.sub("", _cell(value)).casefold().rstrip(":").split())


def _find_columns(rows: Iterable[tuple[int, Row]]) -> tuple[int, _Columns] | None:
    """The header row's index in `rows` and the columns it names, or None."""
    for index, (_, row) in enumerate(rows):
        if not _filled(row):
            continue
        names = [_header_name(value) for value in row]
        found: dict[str, int] = {}
        for role, wanted in HEADERS.items():
            for position, name in enumerate(names):
                if name in wanted and position not in found.values():
                    found[role] = position
                    break
        if "text" not in found:
            return None
        unread = [
            _cell(row[position])
            for position, name in enumerate(names)
            if name and position not in found.values()
        ]
        return index, _Columns(found["text"], found.get("speaker"), found.get("time"), unread)
    return None


def _transcript(
    rows: list[tuple[int, Row]],
    where: str,
    source_format: str,
    encoding: str | None,
    place: str,
    sheet: str | None = None,
) -> ParsedSource:
    header = _find_columns(rows)
    if header is None:
        raise ImportRefused(f"{where}: {_no_text_column()}")
    index, columns = header
    problems = Problems()
    cues: list[Cue] = []
    for number, row in rows[index + 1 :]:
        words = clean_words(_cell(_at(row, columns.text)))
        if not words:
            continue
        speaker = (
            clean_label(_cell(_at(row, columns.speaker))) if columns.speaker is not None else None
        )
        start = None
        if columns.time is not None:
            value = _at(row, columns.time)
            start = _seconds(value)
            if start is None and _cell(value):
                problems.add(
                    "malformed time codes",
                    f"{place} {number}: malformed time {_cell(value)!r}; kept without a time",
                )
        cues.append(Cue(words, speaker, start))
    notes = problems.notes()
    if columns.unread:
        notes.append("columns not read: " + ", ".join(repr(name) for name in columns.unread))
    if columns.time is None:
        notes.append("no time column: the turns have no times")
    if sheet is not None:
        notes.insert(0, f"read from sheet {sheet!r}")
    return build_transcript(
        cues,
        where,
        source_format=source_format,
        encoding=encoding,
        notes=notes,
        join_captions=False,
    )


def _at(row: Row, position: int | None) -> object:
    if position is None or position >= len(row):
        return None
    return row[position]


def _seconds(value: object) -> float | None:
    if isinstance(value, dt.datetime):
        value = value.time()
    if isinstance(value, dt.time):
        return value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    if isinstance(value, dt.timedelta):
        return value.total_seconds() if value.total_seconds() >= 0 else None
    return seconds_or_none(value)
