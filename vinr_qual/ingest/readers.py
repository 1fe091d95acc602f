"""Pick the reader for a source file by its suffix."""

from __future__ import annotations

from pathlib import Path

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.model import ParsedSource

MAX_TEXT_BYTES = 50 * 1024 * 1024
SUFFIXES = (".txt", ".md", ".docx")


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
        if suffix == ".docx":
            from vinr_qual.ingest.docx_reader import read_docx

            return read_docx(path, where)
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise ImportRefused(f"{where}: {size} bytes is more than a text file may have")
        from vinr_qual.ingest.plaintext import read_plain_text

        return read_plain_text(path.read_bytes(), where, markdown=suffix == ".md")
    except OSError as error:
        raise ImportRefused(f"{where}: cannot read the file ({error.strerror})") from error
