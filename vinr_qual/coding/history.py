"""Undo and redo of coding actions, read from the change log.

Every coding action logs the whole coding row before and after (with its memo where a
coding goes away). Reverting a change puts the coding back as it was before it (deleting
it if it did not exist, recreating it with its id and memo if it was removed) and logs
that as a change of its own, `revert N`, which can be reverted in turn: undo is reverting
an action, redo is reverting the undo. A coding that has changed since the action, or
whose id another coding now has, is not touched: the undo is refused with a reason.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project
from vinr_qual.store.clock import now

CODING_COLUMNS = (
    "id",
    "document_id",
    "start",
    "end",
    "code_id",
    "coder_id",
    "created",
    "status",
    "origin",
)


def _row(value: str | None) -> dict[str, Any] | None:
    if value is None:
        return None
    data = json.loads(value)
    if not isinstance(data, dict) or not set(CODING_COLUMNS) <= set(data):
        raise VinrQualError("this change cannot be undone (it does not record whole codings)")
    return data


def _same(row: dict[str, Any] | None, logged: dict[str, Any] | None) -> bool:
    if row is None or logged is None:
        return row is logged
    return all(row[name] == logged[name] for name in CODING_COLUMNS)


def revert(project: Project, change_id: int, *, actor: str | None = None) -> int:
    """Undo one logged coding change; returns the id of the change that records the undo."""
    rows = list(project.db.query("SELECT * FROM changes WHERE id = ?", [change_id]))
    if not rows or rows[0]["entity"] != "coding":
        raise VinrQualError(f"change {change_id} is not a coding action")
    change = rows[0]
    before, after = _row(change["before"]), _row(change["after"])
    coding_id = int(change["entity_id"])
    current_rows = list(project.db.query("SELECT * FROM codings WHERE id = ?", [coding_id]))
    current = current_rows[0] if current_rows else None
    if not _same(current, after):
        raise VinrQualError(
            f"coding {coding_id} has changed since (or its id is now another coding's);"
            " this action cannot be undone"
        )
    from vinr_qual.coding.codings import coding_memo

    snapshot = {**current, "memo": coding_memo(project, coding_id)} if current else None
    try:
        with project.transaction():
            if before is None:
                project.db.execute("DELETE FROM codings WHERE id = ?", [coding_id])
            elif current is None:
                columns = ", ".join(f'"{name}"' for name in CODING_COLUMNS)
                marks = ", ".join("?" for _ in CODING_COLUMNS)
                project.db.execute(
                    f"INSERT INTO codings ({columns}) VALUES ({marks})",
                    [before[name] for name in CODING_COLUMNS],
                )
                if before.get("memo"):
                    project.db.execute(
                        "INSERT INTO memos (target, coding_id, coder_id, text, created, updated)"
                        " VALUES ('coding', ?, ?, ?, ?, ?)",
                        [coding_id, before["coder_id"], before["memo"], now(), now()],
                    )
            else:
                assignments = ", ".join(f'"{name}" = ?' for name in CODING_COLUMNS if name != "id")
                project.db.execute(
                    f"UPDATE codings SET {assignments} WHERE id = ?",
                    [*(before[name] for name in CODING_COLUMNS if name != "id"), coding_id],
                )
            project.log_change(
                f"revert {change_id}",
                "coding",
                coding_id,
                before=snapshot,
                after=before,
                actor=actor,
            )
            return int(project.db.execute("SELECT max(id) FROM changes").fetchone()[0])
    except sqlite3.IntegrityError as error:
        raise VinrQualError(
            f"cannot undo: the coding's code or document is gone ({error}); nothing changed"
        ) from error
