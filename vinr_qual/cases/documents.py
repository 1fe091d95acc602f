"""Reading documents and their segments back out of a project."""

from __future__ import annotations

import json
from typing import Any

from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project

_LIST = """
SELECT d.id, d.name, c.name AS "case", d.kind, d.date, d.title, d.interviewee_role,
       d.words, d.length, d.source_format,
       (SELECT count(*) FROM segments s WHERE s.document_id = d.id AND s.kind = 'turn') AS turns,
       (SELECT count(*) FROM codings g WHERE g.document_id = d.id) AS codings
FROM documents d LEFT JOIN cases c ON c.id = d.case_id
"""


def list_documents(
    project: Project, *, case: str | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    clauses, params = [], []
    if case:
        clauses.append("c.name = ?")
        params.append(case)
    if kind:
        clauses.append("d.kind = ?")
        params.append(kind)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return list(project.db.query(_LIST + where + " ORDER BY c.name, d.name", params))


def find_document(project: Project, reference: str) -> int:
    """A document's id from its id or its name."""
    if reference.isdigit():
        row = project.db.execute(
            "SELECT id FROM documents WHERE id = ?", [int(reference)]
        ).fetchone()
        if row:
            return int(row[0])
    row = project.db.execute("SELECT id FROM documents WHERE name = ?", [reference]).fetchone()
    if not row:
        raise VinrQualError(f"no document {reference!r}; see `vinr-qual docs list`")
    return int(row[0])


def get_document(project: Project, reference: str) -> dict[str, Any]:
    document_id = find_document(project, reference)
    row = next(
        project.db.query(
            'SELECT d.*, c.name AS "case",'
            " (SELECT count(*) FROM segments s WHERE s.document_id = d.id AND s.kind = 'turn')"
            " AS turns FROM documents d LEFT JOIN cases c ON c.id = d.case_id WHERE d.id = ?",
            [document_id],
        )
    )
    row["import_notes"] = json.loads(row["import_notes"])
    row["speakers"] = list(
        project.db.query(
            "SELECT id, label, role, is_interviewer FROM speakers WHERE document_id = ?"
            " ORDER BY id",
            [document_id],
        )
    )
    return row


def enclosing_span(
    project: Project, document_id: int, kind: str, start: int, end: int
) -> tuple[int, int] | None:
    """The stretch of whole segments of `kind` (sentence, turn, paragraph) that overlap
    [start, end), or the one at `start` when nothing is selected; a turn counts from where
    its words begin. None where there is no such segment."""
    rows = project.db.execute(
        'SELECT start, "end", content_start FROM segments WHERE document_id = ? AND kind = ?'
        ' AND start < ? AND "end" > ? ORDER BY start',
        [document_id, kind, max(end, start + 1), start],
    ).fetchall()
    if not rows:
        return None
    first_start, _, content_start = rows[0]
    if kind == "turn" and content_start is not None:
        first_start = content_start
    return first_start, rows[-1][1]


def segments_of(project: Project, document_id: int, kinds: list[str]) -> list[dict[str, Any]]:
    text = project.db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()[
        0
    ]
    marks = ", ".join("?" for _ in kinds)
    rows = project.db.query(
        f'SELECT s.id, s.kind, s.start, s."end", s.level, s.content_start, s.lemmas,'
        f" sp.label AS speaker, sp.role AS speaker_role FROM segments s"
        f" LEFT JOIN speakers sp ON sp.id = s.speaker_id"
        f' WHERE s.document_id = ? AND s.kind IN ({marks}) ORDER BY s.start, s."end" DESC',
        [document_id, *kinds],
    )
    found = []
    for row in rows:
        row["text"] = text[row["start"] : row["end"]]
        found.append({key: value for key, value in row.items() if value is not None})
    return found
