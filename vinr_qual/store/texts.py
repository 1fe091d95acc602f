"""The store of ingested text: documents, their speakers and segments, and the full-text
indexes. This module is the one writer of the `documents`, `speakers`, `segments` and
`search_*` tables; the import pipeline decides what to write and calls it.

Every sentence segment is one row in each of the three FTS5 tables (words, lemmas,
trigrams), with the segment's id as row id. A document is indexed right after its
segments are written, in the same transaction, and unindexed before they are replaced.
Sentences are cut from the text here in Python: SQLite's substr would read the whole
document once per sentence.
"""

from __future__ import annotations

import bisect
import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from vinr_qual.errors import VinrQualError

if TYPE_CHECKING:
    from vinr_qual.project import Project

TABLES = ("search_text", "search_lemmas", "search_trigrams")

# One segment row: document, kind, start, end, speaker, content start, level, lemmas, and
# the time (seconds into the recording) a turn starts at.
SegmentRow = tuple[int, str, int, int, int | None, int | None, int | None, str | None, float | None]


def insert_document(project: Project, row: dict[str, Any]) -> int:
    """A new document (the row's columns as named); it gets a GUID of its own."""
    row = {"guid": str(uuid.uuid4()), **row}
    columns = ", ".join(f'"{key}"' for key in row)
    marks = ", ".join("?" for _ in row)
    cursor = project.db.execute(
        f"INSERT INTO documents ({columns}) VALUES ({marks})", list(row.values())
    )
    return int(cursor.lastrowid or 0)


def replace_document(project: Project, document_id: int, row: dict[str, Any]) -> str:
    """A corrected version of a document: its speakers, segments and index go, its row
    takes the new values, and it keeps its id and GUID. Returns the old text, so that the
    caller can move the codings."""
    found = project.db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()
    if found is None:
        raise VinrQualError(f"no document with id {document_id}")
    unindex_document(project, document_id)
    project.db.execute("DELETE FROM segments WHERE document_id = ?", [document_id])
    project.db.execute("DELETE FROM speakers WHERE document_id = ?", [document_id])
    assignments = ", ".join(f'"{key}" = ?' for key in row if key != "guid")
    project.db.execute(
        f"UPDATE documents SET {assignments} WHERE id = ?",
        [*(value for key, value in row.items() if key != "guid"), document_id],
    )
    return str(found[0])


def add_speaker(
    project: Project,
    document_id: int,
    case_id: int | None,
    label: str,
    role: str | None,
    *,
    is_interviewer: bool,
) -> int:
    cursor = project.db.execute(
        "INSERT INTO speakers (document_id, case_id, label, role, is_interviewer)"
        " VALUES (?, ?, ?, ?, ?)",
        [document_id, case_id, label, role, int(is_interviewer)],
    )
    return int(cursor.lastrowid or 0)


def add_segments(
    project: Project, rows: Sequence[SegmentRow], *, page_starts: list[int] | None = None
) -> None:
    """Write a document's segments; with the page starts of a paged source, each segment
    is given the page it begins on."""
    pages: list[int | None] = (
        [bisect.bisect_right(page_starts, row[2]) or 1 for row in rows]
        if page_starts
        else [None] * len(rows)
    )
    project.db.conn.executemany(
        'INSERT INTO segments (document_id, kind, start, "end", speaker_id, content_start,'
        ' level, lemmas, "time", page) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [(*row, page) for row, page in zip(rows, pages, strict=True)],
    )


def set_role_of_speakers(
    project: Project, role: str, *, label: str, document_id: int | None = None
) -> int:
    """Give the speakers with this label (in one document, or in all) a role, so analyses
    can split by it; returns how many speakers changed."""
    clauses, params = ["label = ?"], [label]
    if document_id is not None:
        clauses.append("document_id = ?")
        params.append(document_id)  # type: ignore[arg-type]
    rows = project.db.execute(
        f"SELECT id, role FROM speakers WHERE {' AND '.join(clauses)}", params
    ).fetchall()
    if not rows:
        raise VinrQualError(f"no speaker labelled {label!r}")
    changed = 0
    with project.transaction():
        for speaker_id, before in rows:
            if before == role:
                continue
            project.db.execute("UPDATE speakers SET role = ? WHERE id = ?", [role, speaker_id])
            project.log_change("set", "speaker_role", speaker_id, before=before, after=role)
            changed += 1
    return changed


def speakers_of_document(project: Project, document_id: int) -> list[dict[str, Any]]:
    """A document's speakers in the order they were met: id, label, role, whether the
    interviewer, how many turns they have and when their first turn starts."""
    if project.db.execute("SELECT 1 FROM documents WHERE id = ?", [document_id]).fetchone() is None:
        raise VinrQualError(f"no document with id {document_id}")
    return list(
        project.db.query(
            "SELECT sp.id, sp.label, sp.role, sp.is_interviewer,"
            " (SELECT count(*) FROM segments s WHERE s.speaker_id = sp.id AND s.kind = 'turn')"
            " AS turns,"
            ' (SELECT min(s."time") FROM segments s WHERE s.speaker_id = sp.id'
            " AND s.kind = 'turn') AS first_time"
            " FROM speakers sp WHERE sp.document_id = ? ORDER BY sp.id",
            [document_id],
        )
    )


def rename_speaker(project: Project, document_id: int, label: str, new_label: str) -> int:
    """Give a document's speaker another label (`SPEAKER_00` → `Anna Berg`); returns the
    speaker's id.

    Only the speakers row changes: the document's text, and so every position in it, stays
    as imported, and the turns keep pointing to the same speaker. A label another speaker
    of the document already has is refused (merging two speakers is another matter)."""
    new_label = " ".join(new_label.split())
    if not new_label:
        raise VinrQualError("the new speaker label is empty")
    rows = project.db.execute(
        "SELECT id, label FROM speakers WHERE document_id = ?", [document_id]
    ).fetchall()
    if (
        not rows
        and not project.db.execute("SELECT 1 FROM documents WHERE id = ?", [document_id]).fetchone()
    ):
        raise VinrQualError(f"no document with id {document_id}")
    labels = {str(found): int(speaker_id) for speaker_id, found in rows}
    if label not in labels:
        known = ", ".join(sorted(labels)) or "none"
        raise VinrQualError(f"no speaker labelled {label!r} in this document (speakers: {known})")
    if new_label == label:
        raise VinrQualError(f"the speaker is already labelled {label!r}")
    if new_label in labels:
        raise VinrQualError(
            f"this document already has a speaker labelled {new_label!r}; choose another label"
        )
    speaker_id = labels[label]
    with project.transaction():
        project.db.execute("UPDATE speakers SET label = ? WHERE id = ?", [new_label, speaker_id])
        project.log_change(
            "rename",
            "speaker",
            speaker_id,
            before={"document_id": document_id, "label": label},
            after={"document_id": document_id, "label": new_label},
        )
    return speaker_id


# the full-text indexes ----------------------------------------------------------------


def index_document(project: Project, document_id: int) -> None:
    db = project.db
    text = db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()[0]
    rows = db.execute(
        "SELECT id, start, \"end\", coalesce(lemmas, '') FROM segments"
        " WHERE document_id = ? AND kind = 'sentence' ORDER BY id",
        [document_id],
    ).fetchall()
    connection = db.conn
    sentences = [(row[0], text[row[1] : row[2]]) for row in rows]
    connection.executemany("INSERT INTO search_text (rowid, text) VALUES (?, ?)", sentences)
    connection.executemany("INSERT INTO search_trigrams (rowid, text) VALUES (?, ?)", sentences)
    connection.executemany(
        "INSERT INTO search_lemmas (rowid, lemmas) VALUES (?, ?)",
        [(row[0], row[3]) for row in rows],
    )
    # search maps a hit to its document by these ranges instead of a join per hit
    db.execute(
        "UPDATE documents SET (first_sentence, last_sentence) = (SELECT min(id), max(id)"
        " FROM segments WHERE document_id = ? AND kind = 'sentence') WHERE id = ?",
        [document_id, document_id],
    )


def unindex_document(project: Project, document_id: int) -> None:
    for table in TABLES:
        project.db.execute(
            f"DELETE FROM {table} WHERE rowid IN"
            " (SELECT id FROM segments WHERE document_id = ? AND kind = 'sentence')",
            [document_id],
        )


# the lemmas ---------------------------------------------------------------------------


def relemmatise(project: Project, lemmas_of: Callable[[str], str]) -> int:
    """Every sentence's lemmas anew, `lemmas_of` of its text, in `segments.lemmas` and in
    `search_lemmas`, one document at a time, each in a transaction of its own (memory and
    the write-ahead log stay the size of one document). Only sentences whose lemmas change
    are written. Returns how many did."""
    db = project.db
    connection = db.conn
    changed = 0
    documents = [row[0] for row in db.execute("SELECT id FROM documents ORDER BY id")]
    for document_id in documents:
        with project.transaction():
            [text] = db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()
            rows = db.execute(
                "SELECT id, start, \"end\", coalesce(lemmas, '') FROM segments"
                " WHERE document_id = ? AND kind = 'sentence' ORDER BY id",
                [document_id],
            ).fetchall()
            updates = []
            for segment_id, start, end, before in rows:
                lemmas = lemmas_of(text[start:end])
                if lemmas != before:
                    updates.append((lemmas, segment_id))
            connection.executemany("UPDATE segments SET lemmas = ? WHERE id = ?", updates)
            connection.executemany("UPDATE search_lemmas SET lemmas = ? WHERE rowid = ?", updates)
            changed += len(updates)
    return changed
