"""The one normalisation every imported text gets, once: NFC, `\\n` line ends, no BOM."""

from __future__ import annotations

import re
import unicodedata

_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x0b|\x0c|\x85")
# C0 controls other than tab and newline carry no text; they are dropped.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def normalise(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def normalise_mapped(text: str) -> tuple[str, list[int] | None]:
    """`normalise(text)` and, for each index of `text` (and its end), the index in the
    result: positions given over a raw text (a REFI-QDA selection) follow it there.
    None as the map where nothing changes."""
    result = normalise(text)
    if result == text:
        return result, None
    pieces: list[str] = []
    mapping: list[int] = []
    length = 0
    index = 0
    while index < len(text):
        end = index + 1
        if text[index] == "\r" and text[end : end + 1] == "\n":
            end += 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1  # a character with its combining marks is composed as one
        if index == 0 and text[0] == "\ufeff":
            piece = ""
        else:
            piece = _CONTROL.sub("", _LINE_BREAKS.sub("\n", text[index:end]))
            piece = unicodedata.normalize("NFC", piece)
        mapping.extend([length] * (end - index))
        pieces.append(piece)
        length += len(piece)
        index = end
    mapping.append(length)
    joined = "".join(pieces)
    return joined, mapping
