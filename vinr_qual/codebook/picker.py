"""Ranking codes for the code picker: a few typed letters against names, English names
and shortcuts (rapidfuzz), with the coder's recently used codes first."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from vinr_qual.codebook.model import Code, Codebook
from vinr_qual.project import Project

RECENT_BONUS = 15.0
MIN_SCORE = 45.0


@dataclass(frozen=True)
class Choice:
    code: Code
    path: str
    score: float


def rank_codes(codebook: Codebook, query: str, recent: list[str], limit: int = 30) -> list[Choice]:
    """Codable codes best first; with no query, the recent ones then the codebook order."""
    paths = codebook.paths()
    codable = [code for code, _, _ in codebook.walk() if code.codable]
    recent_rank = {code_id: index for index, code_id in enumerate(recent)}
    query = query.strip().casefold()
    if not query:
        ordered = sorted(codable, key=lambda code: recent_rank.get(code.id, len(recent) + 1))
        return [Choice(code, paths[code.id], 0.0) for code in ordered[:limit]]
    choices = []
    for code in codable:
        if code.shortcut and query == code.shortcut.casefold():
            score = 200.0
        else:
            labels = [code.name, code.name_en or "", paths[code.id]]
            score = max(
                max(fuzz.partial_ratio(query, label.casefold()) for label in labels if label),
                max(fuzz.WRatio(query, label.casefold()) for label in labels if label),
            )
            if any(label.casefold().startswith(query) for label in labels if label):
                score += 20
        if code.id in recent_rank:
            score += RECENT_BONUS - recent_rank[code.id]
        if score >= MIN_SCORE:
            choices.append(Choice(code, paths[code.id], score))
    choices.sort(key=lambda choice: -choice.score)
    return choices[:limit]


def recent_codes(project: Project, coder: str, limit: int = 10) -> list[str]:
    """The codes this coder used last, most recent first."""
    rows = project.db.execute(
        "SELECT g.code_id, max(g.id) AS last FROM codings g JOIN coders c ON c.id = g.coder_id"
        " WHERE c.name = ? GROUP BY g.code_id ORDER BY last DESC LIMIT ?",
        [coder, limit],
    )
    return [row[0] for row in rows]
