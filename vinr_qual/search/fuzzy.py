"""Finding where a remembered quote stands, typos and rewordings allowed (rapidfuzz).

Candidates are runs of one to three consecutive sentences of the same document; each is
scored against the quote with a ratio that forgives small differences, and the best are
returned with their exact positions, so an author can check a quote against its source.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project

MAX_RUN = 3


@dataclass
class Found:
    document_id: int
    document: str
    case: str | None
    start: int
    end: int
    score: float
    passage: str


def find_passage(
    project: Project, quote: str, *, limit: int = 5, min_score: float = 60.0
) -> list[Found]:
    quote = " ".join(quote.split())
    if len(quote) < 8:
        raise VinrQualError("find: give at least a few words of the quote")
    words = len(quote.split())
    candidates: list[str] = []
    places: list[tuple[int, int, int]] = []
    texts: dict[int, str] = {}
    previous: list[tuple[int, int]] = []
    current_document = None
    for document_id, text, start, end in project.db.execute(
        'SELECT s.document_id, d.text, s.start, s."end" FROM segments s'
        " JOIN documents d ON d.id = s.document_id WHERE s.kind = 'sentence'"
        " ORDER BY s.document_id, s.start"
    ):
        if document_id != current_document:
            current_document, previous = document_id, []
            texts[document_id] = text
        previous = [*previous[-(MAX_RUN - 1) :], (start, end)]
        for first in range(len(previous)):
            run_start, run_end = previous[first][0], previous[-1][1]
            span_words = len(text[run_start:run_end].split())
            if span_words <= max(4, words * 3):
                candidates.append(" ".join(text[run_start:run_end].split()))
                places.append((document_id, run_start, run_end))
    if not candidates:
        return []
    best = process.extract(
        quote, candidates, scorer=fuzz.token_set_ratio, limit=limit * 6, score_cutoff=min_score
    )
    ranked = sorted(
        ((fuzz.ratio(quote, candidates[index]) + score) / 2, index) for _, score, index in best
    )[::-1]
    names = dict(
        project.db.execute(
            "SELECT d.id, d.name || char(9) || coalesce(c.name, '') FROM documents d"
            " LEFT JOIN cases c ON c.id = d.case_id"
        ).fetchall()
    )
    found: list[Found] = []
    taken: list[tuple[int, int, int]] = []
    for score, index in ranked:
        document_id, start, end = places[index]
        if any(d == document_id and s < end and start < e for d, s, e in taken):
            continue
        taken.append((document_id, start, end))
        name, _, case = names[document_id].partition("\t")
        found.append(
            Found(
                document_id,
                name,
                case or None,
                start,
                end,
                round(score, 1),
                texts[document_id][start:end],
            )
        )
        if len(found) == limit:
            break
    return found
