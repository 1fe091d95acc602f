"""The interface's words, in English and Swedish: every string the app shows lives in
`en.py` and `sv.py` beside this module, under the same keys."""

from __future__ import annotations

import os
from typing import Any

from vinr_qual.tui.i18n import en, sv

LANGUAGES: dict[str, dict[str, str]] = {"en": en.STRINGS, "sv": sv.STRINGS}


def default_language() -> str:
    chosen = os.environ.get("VINR_QUAL_LANG") or os.environ.get("LANG", "")
    return "sv" if chosen.lower().startswith("sv") else "en"


class Strings:
    """Look up a string by key in the chosen language, formatted with keyword arguments."""

    def __init__(self, language: str = "en") -> None:
        self.language = language if language in LANGUAGES else "en"

    def __call__(self, key: str, **values: Any) -> str:
        table = LANGUAGES[self.language]
        text = table.get(key) or LANGUAGES["en"][key]
        return text.format(**values) if values else text

    def get(self, key: str, default: str) -> str:
        """The string for a key that may not exist (a name that comes from the core)."""
        return LANGUAGES[self.language].get(key) or LANGUAGES["en"].get(key) or default
