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
