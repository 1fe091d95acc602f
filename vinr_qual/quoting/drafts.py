"""Quotations in an author's draft, found again in the project.

An author pastes quotes into a report draft and edits around them; before the report
goes out, each quotation in the draft is looked up in the project (rapidfuzz, so a
changed word or two is forgiven) and reported with where it stands and how close it is.
A quotation is a run of at least `MIN_WORDS` words between quotation marks („…”, "…",
”…”, «…», “…”) or, in a .docx, a paragraph in a quote style; "[…]" in a quotation splits
it into pieces, each looked up on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project
from vinr_qual.search.fuzzy import Found, find_passage

MIN_WORDS = 5
GOOD_SCORE = 90.0
_QUOTED = re.compile(r"[„“”\"«»]([^„“”\"«»]{12,})[“”\"»«]")
_LEFT_OUT = re.compile(r"\s*\[(?:…|\.\.\.)\]\s*")


@dataclass
class Located:
    quotation: str
    where: Found | None

    def line(self) -> str:
        short = self.quotation if len(self.quotation) <= 70 else self.quotation[:69] + "…"
        if self.where is None:
            return f"not found: “{short}”"
        found = self.where
        close = "exact" if found.score >= 99.5 else f"{found.score:.0f} % alike"
        mark = "" if found.score >= GOOD_SCORE else "  ! check the wording"
        return f"{found.document} [{found.start}, {found.end}) ({close}): “{short}”{mark}"


def quotations(path: Path) -> list[str]:
    """The quotations of a draft, in order, each piece of a "[…]" on its own."""
    if path.suffix.lower() == ".docx":
        paragraphs = _docx_paragraphs(path)
    else:
        try:
            paragraphs = [(p, False) for p in path.read_text(encoding="utf-8").split("\n\n")]
        except (OSError, UnicodeDecodeError) as error:
            raise VinrQualError(f"{path}: cannot read the draft ({error})") from error
    found: list[str] = []
    for text, quote_style in paragraphs:
        runs = [m.group(1) for m in _QUOTED.finditer(text)]
        if quote_style and not runs:
            runs = [text]
        for run in runs:
            for piece in _LEFT_OUT.split(run):
                piece = " ".join(piece.split())
                if len(piece.split()) >= MIN_WORDS:
                    found.append(piece)
    return found


def _docx_paragraphs(path: Path) -> list[tuple[str, bool]]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises many kinds for a broken package
        raise VinrQualError(f"{path}: not a Word .docx file ({error})") from error
    found = []
    for paragraph in document.paragraphs:
        style = (paragraph.style.name or "").casefold() if paragraph.style is not None else ""
        found.append((paragraph.text, "quote" in style or "citat" in style))
    return found


def locate_quotations(project: Project, path: Path) -> list[Located]:
    located = []
    for quotation in quotations(path):
        best = find_passage(project, quotation, limit=1)
        located.append(Located(quotation, best[0] if best else None))
    return located
