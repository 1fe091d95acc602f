"""Memos: a researcher's notes on a coding (and, by the schema, on a document, code, case
or the project). This module is the one writer of the `memos` table; every memo has a
GUID, so that it travels with REFI-QDA projects and merges by identity."""

from __future__ import annotations

import uuid

from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project
from vinr_qual.store.clock import now


def coding_memo(project: Project, coding_id: int) -> str | None:
    row = project.db.execute(
        "SELECT text FROM memos WHERE coding_id = ? ORDER BY id LIMIT 1", [coding_id]
    ).fetchone()
    return row[0] if row else None


def set_coding_memo(
    project: Project, coding_id: int, text: str, *, coder: str | None = None
) -> None:
    """Write (or with empty text, remove) the memo of a coding."""
    if project.db.execute("SELECT 1 FROM codings WHERE id = ?", [coding_id]).fetchone() is None:
        raise VinrQualError(f"no coding with id {coding_id}")
    text = text.strip()
    existing = project.db.execute(
        "SELECT id, text FROM memos WHERE coding_id = ? ORDER BY id LIMIT 1", [coding_id]
    ).fetchone()
    if not existing and not text:
        return
    with project.transaction():
        if existing and not text:
            project.db.execute("DELETE FROM memos WHERE id = ?", [existing[0]])
        elif existing:
            project.db.execute(
                "UPDATE memos SET text = ?, updated = ? WHERE id = ?", [text, now(), existing[0]]
            )
        else:
            set_coding_memo_row(project, coding_id, text, project.coder_id(coder))
        project.log_change(
            "memo",
            "coding",
            coding_id,
            before={"memo": existing[1] if existing else None},
            after={"memo": text or None},
            actor=coder,
        )


def set_coding_memo_row(project: Project, coding_id: int, text: str, coder_id: int) -> None:
    """A new memo on a coding, unlogged: the caller logs the action it belongs to."""
    stamp = now()
    project.db.execute(
        "INSERT INTO memos (guid, target, coding_id, coder_id, text, created, updated)"
        " VALUES (?, 'coding', ?, ?, ?, ?, ?)",
        [str(uuid.uuid4()), coding_id, coder_id, text, stamp, stamp],
    )


def remove_coding_memos(project: Project, coding_id: int) -> None:
    """Unlogged: the coding's removal, which logs its memo, is the action."""
    project.db.execute("DELETE FROM memos WHERE coding_id = ?", [coding_id])


def move_coding_memos(project: Project, from_coding: int, to_coding: int) -> None:
    project.db.execute(
        "UPDATE memos SET coding_id = ? WHERE coding_id = ?", [to_coding, from_coding]
    )


def move_code_memos(project: Project, from_code: str, to_code: str) -> None:
    project.db.execute("UPDATE memos SET code_id = ? WHERE code_id = ?", [to_code, from_code])


def add_memo(
    project: Project,
    target: str,
    text: str,
    *,
    guid: str | None = None,
    coder_id: int | None = None,
    created: str | None = None,
    document_id: int | None = None,
    code_id: str | None = None,
    case_id: int | None = None,
    coding_id: int | None = None,
) -> int:
    """A memo brought in from elsewhere (a REFI-QDA note, a coder's copy), with its own
    GUID, author and time where it has them; logged."""
    stamp = now()
    with project.transaction():
        cursor = project.db.execute(
            "INSERT INTO memos (guid, target, document_id, code_id, case_id, coding_id,"
            " coder_id, text, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                guid or str(uuid.uuid4()),
                target,
                document_id,
                code_id,
                case_id,
                coding_id,
                coder_id,
                text,
                created or stamp,
                created or stamp,
            ],
        )
        memo_id = int(cursor.lastrowid or 0)
        project.log_change(
            "create",
            "memo",
            memo_id,
            after={"target": target, "guid": guid, "text": text, "coding": coding_id},
        )
    return memo_id
