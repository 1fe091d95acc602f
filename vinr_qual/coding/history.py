"""Undo and redo of coding actions, read from the change log.

Every coding action logs the whole coding row before and after (with its memo where a
coding goes away). Reverting a change puts the coding back as it was before it (deleting
it if it did not exist, recreating it with its id, GUID and memo if it was removed) and
logs that as a change of its own, `revert N`, which can be reverted in turn: undo is
reverting an action, redo is reverting the undo. An action that codes many passages at
once (every hit of a search, a run of the rules) is a batch in the log and is reverted as
one. A coding that has changed since the action, or whose id another coding now has, is
not touched: the undo is refused with a reason.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from vinr_qual.coding.codings import (
    LOGGED_BEFORE_GUIDS,
    find_coding_row,
    memos,
    restore_state,
    same_state,
)
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project


@dataclass(frozen=True)
class Action:
    """One undoable action as a person would name it."""

    change_id: int
    action: str
    document_id: int | None
    codings: int
    code: str | None
    passage: str | None


def _row(value: str | None) -> dict[str, Any] | None:
    if value is None:
        return None
    data = json.loads(value)
    if not isinstance(data, dict) or not set(LOGGED_BEFORE_GUIDS) <= set(data):
        raise VinrQualError("this change cannot be undone (it does not record whole codings)")
    return data


def _change(project: Project, change_id: int) -> dict[str, Any]:
    rows = list(project.db.query("SELECT * FROM changes WHERE id = ?", [change_id]))
    if not rows:
        raise VinrQualError(f"no change {change_id} in the change log")
    return rows[0]


def _members(project: Project, change_id: int) -> list[dict[str, Any]]:
    return list(
        project.db.query(
            "SELECT * FROM changes WHERE batch = ? AND entity = 'coding' ORDER BY id DESC",
            [change_id],
        )
    )


def revert(project: Project, change_id: int, *, actor: str | None = None) -> int:
    """Undo one logged coding action (a single change or a whole batch); returns the id of
    the change that records the undo."""
    change = _change(project, change_id)
    members = _members(project, change_id) if change["entity"] != "coding" else []
    if change["entity"] != "coding" and not members:
        raise VinrQualError(f"change {change_id} is not a coding action")
    try:
        with project.transaction():
            if not members:
                return _revert_one(project, change, actor)
            with project.batch(
                f"revert {change_id}", "codings", after={"count": len(members)}, actor=actor
            ) as batch_id:
                for member in members:
                    _revert_one(project, member, actor)
            return batch_id
    except sqlite3.IntegrityError as error:
        raise VinrQualError(
            f"cannot undo: the coding's code or document is gone ({error}); nothing changed"
        ) from error


def _revert_one(project: Project, change: dict[str, Any], actor: str | None) -> int:
    before, after = _row(change["before"]), _row(change["after"])
    coding_id = int(change["entity_id"])
    current = find_coding_row(project, coding_id)
    if not same_state(current, after):
        raise VinrQualError(
            f"coding {coding_id} has changed since (or its id is now another coding's);"
            " this action cannot be undone"
        )
    snapshot = {**current, "memo": memos.coding_memo(project, coding_id)} if current else None
    restore_state(project, coding_id, before)
    project.log_change(
        f"revert {change['id']}", "coding", coding_id, before=snapshot, after=before, actor=actor
    )
    return int(project.db.execute("SELECT max(id) FROM changes").fetchone()[0])


def last_action(project: Project, *, actor: str) -> int | None:
    """The newest action of this person: a change that is not part of a batch (a batch's
    own row stands for all of it)."""
    row = project.db.execute(
        "SELECT max(id) FROM changes WHERE batch IS NULL AND actor = ?", [actor]
    ).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def describe(project: Project, change_id: int) -> Action:
    """What an action did, for a message that says what was undone."""
    change = _change(project, change_id)
    rows = [change] if change["entity"] == "coding" else _members(project, change_id)
    state: dict[str, Any] = {}
    for row in rows[:1]:
        for value in (row["after"], row["before"]):
            data = json.loads(value) if value else None
            if isinstance(data, dict) and "document_id" in data:
                state = data
                break
    code = passage = None
    document_id = state.get("document_id")
    if state:
        found = project.db.execute(
            "SELECT name FROM codes WHERE id = ?", [state.get("code_id")]
        ).fetchone()
        code = found[0] if found else state.get("code_id")
        text = project.db.execute(
            "SELECT substr(text, ? + 1, ?) FROM documents WHERE id = ?",
            [state["start"], state["end"] - state["start"], document_id],
        ).fetchone()
        passage = text[0] if text else None
    return Action(change_id, str(change["action"]), document_id, len(rows), code, passage)
