"""Turn the bytes of a plain-text file into text, telling the encoding from the bytes.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32) decides; UTF-16 without a mark is
recognised by its zero bytes; then UTF-8. A file that is UTF-8 but for a few bytes (a
name pasted from an old document) is read as UTF-8, each run of bad bytes read as
Windows-1252 and counted in the notes. Only a file without a single valid UTF-8
multibyte sequence is read wholly as Windows-1252 (which reads Latin-1 files the same
for å, ä and ö), and the notes say so. The text never holds a replacement character
that the file did not. A file with NUL bytes or many control characters is binary and
refused.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from vinr_qual.errors import ImportRefused

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
MAX_CONTROL_SHARE = 0.01
# one well-formed UTF-8 sequence of two to four bytes
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_ESCAPED = re.compile("[\udc80-\udcff]+")  # bytes that surrogateescape kept aside


@dataclass
class Decoded:
    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)


def decode(data: bytes, where: str) -> tuple[str, str]:
    """Return (text, encoding name) or raise ImportRefused naming `where`."""
    decoded = decode_text(data, where)
    return decoded.text, decoded.encoding


def decode_text(data: bytes, where: str) -> Decoded:
    """The text, its encoding and notes on what was not plain in it; or ImportRefused."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe\x00"):
        raise ImportRefused(f"{where}: the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding.removesuffix("-sig"), where)
            return Decoded(text, encoding)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return Decoded(_strict(data, utf16, where), utf16)
    if b"\x00" in data:
        raise ImportRefused(f"{where}: binary content (NUL bytes), not a text file")
    notes: list[str] = []
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        if _UTF8_MULTIBYTE.search(data):
            text, repaired = _utf8_repaired(data)
            encoding = "utf-8"
            were = "byte that was" if repaired == 1 else "bytes that were"
            notes.append(
                f"{repaired} {were} not UTF-8 read as cp1252 (first at byte {error.start})"
            )
        else:
            text, encoding = _cp1252(data), "cp1252"
            notes.append(
                "read as Windows-1252 (cp1252): the file is not UTF-8"
                f" (first non-UTF-8 byte at {error.start})"
            )
    controls = len(_CONTROL.findall(text))
    if controls > max(2, MAX_CONTROL_SHARE * len(text)):
        raise ImportRefused(
            f"{where}: binary content ({controls} control characters), not a text file"
        )
    return Decoded(text, encoding, notes)


def _utf8_repaired(data: bytes) -> tuple[str, int]:
    """UTF-8 text with each run of bytes that are not UTF-8 read as cp1252, and how many
    bytes were so read."""
    escaped = data.decode("utf-8", errors="surrogateescape")
    count = 0

    def repaired(run: re.Match[str]) -> str:
        nonlocal count
        raw = run.group().encode("utf-8", errors="surrogateescape")
        count += len(raw)
        return _cp1252(raw)

    return _ESCAPED.sub(repaired, escaped), count


def _cp1252(data: bytes) -> str:
    """Windows-1252, its five unassigned bytes read as Latin-1 (as control characters)."""
    return data.decode("cp1252", errors="vinr-latin-1")


def _latin1_for_unassigned(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("vinr-latin-1", _latin1_for_unassigned)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0) / len(sample[0::2])
    odd_zeros = sample[1::2].count(0) / len(sample[1::2])
    if odd_zeros > 0.4 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.4 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str, where: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ImportRefused(
            f"{where}: not valid {encoding.upper()} at byte {error.start} despite its"
            " byte-order mark"
        ) from error
