"""How much of each document is coded: the share of its characters inside any coding."""

from __future__ import annotations

from vinr_qual.project import Project


def coverage(project: Project, *, coder: str | None = None) -> dict[int, float]:
    """Per document id, the coded share of its text (0 to 1), counting accepted codings
    (of one coder if named). One pass over the codings in document order."""
    params: list[object] = []
    clause = "g.status = 'accepted'"
    if coder:
        clause += " AND g.coder_id = (SELECT id FROM coders WHERE name = ?)"
        params.append(coder)
    rows = project.db.execute(
        f'SELECT g.document_id, g.start, g."end", d.length FROM codings g'
        f" JOIN documents d ON d.id = g.document_id WHERE {clause}"
        f" ORDER BY g.document_id, g.start",
        params,
    )
    found: dict[int, float] = {}
    current: int | None = None
    covered = reach = length = 0
    for document_id, start, end, doc_length in rows:
        if document_id != current:
            if current is not None:
                found[current] = covered / length if length else 0.0
            current, covered, reach, length = document_id, 0, 0, doc_length
        if end > reach:
            covered += end - max(start, reach)
            reach = end
    if current is not None:
        found[current] = covered / length if length else 0.0
    return found
