"""Turn the bytes of a plain-text file into text, telling the encoding from the bytes.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32) decides; UTF-16 without a mark is
recognised by its zero bytes; then strict UTF-8; then Windows-1252, which reads Latin-1
files the same for å, ä and ö. A file with NUL bytes or many control characters is
binary and refused.
"""

from __future__ import annotations

import codecs
import re

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


def decode(data: bytes, where: str) -> tuple[str, str]:
    """Return (text, encoding name) or raise ImportRefused naming `where`."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe\x00"):
        raise ImportRefused(f"{where}: the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding.removesuffix("-sig"), where), encoding
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16, where), utf16
    if b"\x00" in data:
        raise ImportRefused(f"{where}: binary content (NUL bytes), not a text file")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "latin-1"
    controls = len(_CONTROL.findall(text))
    if controls > max(2, MAX_CONTROL_SHARE * len(text)):
        raise ImportRefused(
            f"{where}: binary content ({controls} control characters), not a text file"
        )
    return text, encoding


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
