"""Pick the reader for a source file by its suffix.

Each reader module is imported only when a file of its format is read, so that a
command that reads no such file loads none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.model import ParsedSource

MAX_TEXT_BYTES = 50 * 1024 * 1024
SUFFIXES = (
    ".txt",
    ".md",
    ".docx",
    ".doc",
    ".odt",
    ".rtf",
    ".html",
    ".htm",
    ".vtt",
    ".srt",
    ".json",
    ".csv",
    ".xlsx",
    ".pdf",
)

PathReader = Callable[[Path, str], ParsedSource]
BytesReader = Callable[[bytes, str], ParsedSource]


def _docx(path: Path, where: str) -> ParsedSource:
    from vinr_qual.ingest.docx_reader import read_docx

    return read_docx(path, where)


def _doc(path: Path, where: str) -> ParsedSource:
    from vinr_qual.ingest.doc_reader import read_doc

    return read_doc(path, where)


def _odt(path: Path, where: str) -> ParsedSource:
    from vinr_qual.ingest.odt_reader import read_odt

    return read_odt(path, where)


def _pdf(path: Path, where: str) -> ParsedSource:
    from vinr_qual.ingest.pdf_reader import read_pdf

    return read_pdf(path, where)


def _xlsx(path: Path, where: str) -> ParsedSource:
    from vinr_qual.ingest.table_transcript import read_xlsx_transcript

    return read_xlsx_transcript(path, where)


def _txt(data: bytes, where: str) -> ParsedSource:
    from vinr_qual.ingest.plaintext import read_plain_text

    return read_plain_text(data, where)


def _md(data: bytes, where: str) -> ParsedSource:
    from vinr_qual.ingest.plaintext import read_plain_text

    return read_plain_text(data, where, markdown=True)


def _rtf(data: bytes, where: str) -> ParsedSource:
    from vinr_qual.ingest.rtf_reader import read_rtf

    return read_rtf(data, where)


def _html(data: bytes, where: str) -> ParsedSource:
    from vinr_qual.ingest.html_reader import read_html

    return read_html(data, where)


def _vtt(data: bytes, where: str) -> ParsedSource:
    from vinr_qual.ingest.vtt import read_vtt

    return read_vtt(data, where)


def _srt(data: bytes, where: str) -> ParsedSource:
    from vinr_qual.ingest.srt import read_srt

    return read_srt(data, where)


def _json(data: bytes, where: str) -> ParsedSource:
    from vinr_qual.ingest.whisper_json import read_whisper_json

    return read_whisper_json(data, where)


def _csv(data: bytes, where: str) -> ParsedSource:
    from vinr_qual.ingest.table_transcript import read_csv_transcript

    return read_csv_transcript(data, where)


# archives and binary formats are read from their path, with their own size checks
PATH_READERS: dict[str, PathReader] = {
    ".docx": _docx,
    ".doc": _doc,
    ".odt": _odt,
    ".xlsx": _xlsx,
    ".pdf": _pdf,
}
# text formats are read whole, up to MAX_TEXT_BYTES (RTF, which carries pictures, to more)
BYTES_READERS: dict[str, BytesReader] = {
    ".txt": _txt,
    ".md": _md,
    ".rtf": _rtf,
    ".html": _html,
    ".htm": _html,
    ".vtt": _vtt,
    ".srt": _srt,
    ".json": _json,
    ".csv": _csv,
}
LARGER_FILES = {".rtf": 100 * 1024 * 1024}


def read_source(path: Path, where: str | None = None) -> ParsedSource:
    """Read one file into normalised text and blocks, or raise ImportRefused."""
    where = where or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportRefused(
            f"{where}: {suffix or 'no suffix'} is not a format vinr-qual reads"
            f" ({', '.join(SUFFIXES)})"
        )
    try:
        if suffix in PATH_READERS:
            return PATH_READERS[suffix](path, where)
        size = path.stat().st_size
        limit = LARGER_FILES.get(suffix, MAX_TEXT_BYTES)
        if size > limit:
            raise ImportRefused(f"{where}: {size} bytes is more than a {suffix} file may have")
        return BYTES_READERS[suffix](path.read_bytes(), where)
    except OSError as error:
        raise ImportRefused(f"{where}: cannot read the file ({error.strerror})") from error
