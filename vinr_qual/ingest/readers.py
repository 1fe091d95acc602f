"""Pick the reader for a source file by its suffix.

Each reader module is imported only when a file of its format is read, so that a
command that reads no such file loads none of them.
"""

from __future__ import annotations

import importlib
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

# suffix: (module, function). Archives and binary formats are read from their path, with
# their own size checks; text formats whole, up to MAX_TEXT_BYTES (RTF, which carries
# pictures, to more).
PATH_READERS: dict[str, tuple[str, str]] = {
    ".docx": ("docx_reader", "read_docx"),
    ".doc": ("doc_reader", "read_doc"),
    ".odt": ("odt_reader", "read_odt"),
    ".xlsx": ("table_transcript", "read_xlsx_transcript"),
    ".pdf": ("pdf_reader", "read_pdf"),
}
BYTES_READERS: dict[str, tuple[str, str]] = {
    ".txt": ("plaintext", "read_plain_text"),
    ".md": ("plaintext", "read_markdown"),
    ".rtf": ("rtf_reader", "read_rtf"),
    ".html": ("html_reader", "read_html"),
    ".htm": ("html_reader", "read_html"),
    ".vtt": ("vtt", "read_vtt"),
    ".srt": ("srt", "read_srt"),
    ".json": ("whisper_json", "read_whisper_json"),
    ".csv": ("table_transcript", "read_csv_transcript"),
}
LARGER_FILES = {".rtf": 100 * 1024 * 1024}


def _reader(entry: tuple[str, str]) -> Callable[..., ParsedSource]:
    module, function = entry
    found: Callable[..., ParsedSource] = getattr(
        importlib.import_module(f"vinr_qual.ingest.{module}"), function
    )
    return found


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
            return _reader(PATH_READERS[suffix])(path, where)
        size = path.stat().st_size
        limit = LARGER_FILES.get(suffix, MAX_TEXT_BYTES)
        if size > limit:
            raise ImportRefused(f"{where}: {size} bytes is more than a {suffix} file may have")
        return _reader(BYTES_READERS[suffix])(path.read_bytes(), where)
    except OSError as error:
        raise ImportRefused(f"{where}: cannot read the file ({error.strerror})") from error
