"""Reading documents and their segments back out of a project."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project
from vinr_qual.search.filters import ParsedFilter

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
    """A document's segments of these kinds in text order, each with its passage; a turn
    from a timed source has `time`, the seconds into the recording it starts at, and a
    segment of a paged source its `page`."""
    text = project.db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()[
        0
    ]
    marks = ", ".join("?" for _ in kinds)
    rows = project.db.query(
        f'SELECT s.id, s.kind, s.start, s."end", s.level, s.content_start, s.lemmas, s."time",'
        f" s.page, sp.label AS speaker, sp.role AS speaker_role FROM segments s"
        f" LEFT JOIN speakers sp ON sp.id = s.speaker_id"
        f' WHERE s.document_id = ? AND s.kind IN ({marks}) ORDER BY s.start, s."end" DESC',
        [document_id, *kinds],
    )
    found = []
    for row in rows:
        row["text"] = text[row["start"] : row["end"]]
        found.append({key: value for key, value in row.items() if value is not None})
    return found


@dataclass
class DocumentRow:
    """A line of the documents list: a document with its case, size, codings and progress."""

    id: int
    name: str
    case: str
    kind: str
    words: int
    codings: int
    progress: float
    title: str
    attributes: dict[str, str] = field(default_factory=dict)


def document_rows(project: Project, *, coder: str | None = None) -> list[DocumentRow]:
    """Every document, by case and name, with its accepted codings and the coded share of
    its text (of one coder's codings if named)."""
    from vinr_qual.coding.progress import coverage

    shares = coverage(project, coder=coder)
    attributes: dict[int, dict[str, str]] = {}
    for case_id, name, value in project.db.execute(
        "SELECT case_id, name, value FROM case_attributes"
    ):
        attributes.setdefault(case_id, {})[name] = value
    rows = project.db.execute(
        "SELECT d.id, d.name, coalesce(c.name, ''), d.kind, d.words, coalesce(d.title, ''),"
        " d.case_id, (SELECT count(*) FROM codings g WHERE g.document_id = d.id"
        " AND g.status = 'accepted') FROM documents d LEFT JOIN cases c ON c.id = d.case_id"
        " ORDER BY c.name, d.name"
    ).fetchall()
    return [
        DocumentRow(
            id=row[0],
            name=row[1],
            case=row[2],
            kind=row[3],
            words=row[4],
            title=row[5],
            attributes=attributes.get(row[6], {}),
            codings=row[7],
            progress=shares.get(row[0], 0.0),
        )
        for row in rows
    ]


def filter_documents(rows: list[DocumentRow], wanted: ParsedFilter) -> list[DocumentRow]:
    """The rows a typed filter keeps: case and attributes by part of their value, kind
    exactly, free words anywhere in the name, title or case."""

    def keeps(row: DocumentRow) -> bool:
        if wanted.case and wanted.case.casefold() not in row.case.casefold():
            return False
        if wanted.kind and row.kind != wanted.kind:
            return False
        for key, value in wanted.attributes.items():
            found = next(
                (v for k, v in row.attributes.items() if k.casefold() == key.casefold()), ""
            )
            if value.casefold() not in found.casefold():
                return False
        haystack = f"{row.name} {row.title} {row.case}".casefold()
        return all(word in haystack for word in wanted.words)

    return [row for row in rows if keeps(row)]


def document_text(project: Project, document_id: int) -> tuple[str, str]:
    """A document's name and text."""
    row = project.db.execute(
        "SELECT name, text FROM documents WHERE id = ?", [document_id]
    ).fetchone()
    if row is None:
        raise VinrQualError(f"no document with id {document_id}")
    return str(row[0]), str(row[1])


def turn_labels(project: Project, document_id: int) -> list[tuple[int, int]]:
    """Where each speaker turn's label starts and where its words begin."""
    return [
        (int(row[0]), int(row[1]))
        for row in project.db.execute(
            "SELECT start, content_start FROM segments WHERE document_id = ?"
            " AND kind = 'turn' AND content_start IS NOT NULL ORDER BY start",
            [document_id],
        )
    ]


def places_with_text(
    project: Project, places: list[tuple[int, int, int]]
) -> list[tuple[str, int, int, str]]:
    """(document name, start, end, passage) for places given as (document, start, end)."""
    texts: dict[int, tuple[str, str]] = {}
    found = []
    for document_id, start, end in places:
        if document_id not in texts:
            texts[document_id] = document_text(project, document_id)
        name, text = texts[document_id]
        found.append((name, start, end, text[start:end]))
    return found


@dataclass(frozen=True)
class OutlineEntry:
    """A heading, goal or measure of a document's outline, with its depth in the tree."""

    depth: int
    kind: str  # heading, goal or measure
    start: int
    title: str
    page: int | None


def outline_of(project: Project, document_id: int) -> list[OutlineEntry]:
    """A document's headings nested by level, with its goals and measures under the
    heading they stand under, in reading order: what the document view's outline shows.
    A goal that is a heading itself ("Mål 2 Ökad kunskap") is one entry, of kind goal."""
    text = project.db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()
    if text is None:
        raise VinrQualError(f"no document with id {document_id}")
    rows = project.db.execute(
        'SELECT kind, start, "end", level, page FROM segments WHERE document_id = ?'
        " AND kind IN ('heading', 'goal', 'measure') ORDER BY start, kind = 'heading' DESC",
        [document_id],
    ).fetchall()
    entries: list[OutlineEntry] = []
    heading_starts: dict[int, int] = {}  # start of a heading → its entry's index
    levels: list[int] = []  # the levels of the headings open above this point
    for kind, start, end, level, page in rows:
        title = " ".join(text[0][start:end].split())
        if kind == "heading":
            level = level or 1
            while levels and levels[-1] >= level:
                levels.pop()
            heading_starts[start] = len(entries)
            entries.append(OutlineEntry(len(levels), kind, start, title, page))
            levels.append(level)
            continue
        if start in heading_starts:
            heading = entries[heading_starts[start]]
            entries[heading_starts[start]] = OutlineEntry(
                heading.depth, kind, start, heading.title, heading.page
            )
            continue
        if len(title) > _OUTLINE_TITLE:
            title = title[: _OUTLINE_TITLE - 1].rstrip() + "…"
        entries.append(OutlineEntry(len(levels), kind, start, title, page))
    return entries


_OUTLINE_TITLE = 60
