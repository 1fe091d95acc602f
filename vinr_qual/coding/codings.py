"""Codings: a code applied to `[start, end)` of a document's text by a coder.

This module is the one writer of the `codings` table. The app, the command line, the
rules, the review queue, re-import and the codebook's merge all go through the functions
here, so every coding carries its coder, time, status, origin and GUID, and every change
lands in the change log with the whole row before and after (which is what undo reads).
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from vinr_qual.coding import memos
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project
from vinr_qual.store.clock import now

STATUSES = ("suggested", "accepted", "rejected")
# The origin, and the logged action, of a coding a corrected text sent to review.
REALIGN = "realign"

# The columns of a coding row, as the change log keeps them. `guid` came with schema 7:
# rows logged before it lack it, and are compared on the others.
CODING_COLUMNS = (
    "id",
    "guid",
    "document_id",
    "start",
    "end",
    "code_id",
    "coder_id",
    "created",
    "status",
    "origin",
)
LOGGED_BEFORE_GUIDS = tuple(name for name in CODING_COLUMNS if name != "guid")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Passage:
    """A passage to code: a document and `[start, end)` in its text."""

    document_id: int
    start: int
    end: int


def new_guid() -> str:
    return str(uuid.uuid4())


def find_phrase(
    text: str, phrase: str, occurrence: int | None = None, *, ignore_case: bool = False
) -> Span:
    """Where a quoted phrase stands: exactly, else ignoring case and runs of white space
    (`ignore_case`: always ignoring case, so that occurrences are counted alike).

    A phrase found more than once needs `occurrence` (1 for the first)."""
    phrase = unicodedata.normalize("NFC", phrase.strip())
    if not phrase:
        raise VinrQualError("the phrase is empty")
    pattern = r"\s+".join(re.escape(word) for word in phrase.split())
    flags = re.IGNORECASE if ignore_case else 0
    spans = [Span(m.start(), m.end()) for m in re.finditer(pattern, text, flags)]
    if not spans:
        spans = [Span(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]
    if not spans:
        raise VinrQualError(f"the phrase {phrase!r} is not in the document")
    if occurrence is None:
        if len(spans) > 1:
            raise VinrQualError(
                f"the phrase {phrase!r} stands {len(spans)} times in the document;"
                " choose one with --occurrence N"
            )
        return spans[0]
    if not 1 <= occurrence <= len(spans):
        raise VinrQualError(
            f"the phrase stands {len(spans)} times; --occurrence {occurrence} is out of range"
        )
    return spans[occurrence - 1]


# checks ------------------------------------------------------------------------------


def _check_codable(project: Project, code_id: str) -> None:
    code = project.db.execute("SELECT name, codable FROM codes WHERE id = ?", [code_id]).fetchone()
    if code is None:
        raise VinrQualError(f"no code with id {code_id}")
    if not code[1]:
        raise VinrQualError(f"{code[0]!r} is a folder of codes and cannot be coded")


def _check_inside(project: Project, document_id: int, start: int, end: int) -> None:
    row = project.db.execute(
        "SELECT length, name FROM documents WHERE id = ?", [document_id]
    ).fetchone()
    if row is None:
        raise VinrQualError(f"no document with id {document_id}")
    length, name = row
    if not 0 <= start < end <= length:
        raise VinrQualError(
            f"{name}: positions [{start}, {end}) are not inside the text (0 to {length})"
        )


# reading -----------------------------------------------------------------------------


def coding_row(project: Project, coding_id: int) -> dict[str, Any]:
    """The whole row of a coding, as the change log keeps it (so a change can be undone)."""
    rows = list(project.db.query("SELECT * FROM codings WHERE id = ?", [coding_id]))
    if not rows:
        raise VinrQualError(f"no coding with id {coding_id}")
    return rows[0]


def find_coding_row(project: Project, coding_id: int) -> dict[str, Any] | None:
    rows = list(project.db.query("SELECT * FROM codings WHERE id = ?", [coding_id]))
    return rows[0] if rows else None


def coding_snapshot(project: Project, coding_id: int) -> dict[str, Any]:
    """The coding's row and its memo: what the change log keeps of a removed coding, so
    that undoing the removal brings both back."""
    return {**coding_row(project, coding_id), "memo": memos.coding_memo(project, coding_id)}


def codings_of_document(project: Project, document_id: int) -> list[int]:
    return [
        row[0]
        for row in project.db.execute(
            "SELECT id FROM codings WHERE document_id = ? ORDER BY start, id", [document_id]
        )
    ]


def codings_of_code(project: Project, code_id: str) -> list[dict[str, Any]]:
    return list(project.db.query("SELECT * FROM codings WHERE code_id = ? ORDER BY id", [code_id]))


def coded_spans(
    project: Project, code_id: str, *, statuses: tuple[str, ...] = ("accepted",)
) -> set[tuple[int, int, int]]:
    """(document, start, end) of every coding of a code with one of these statuses."""
    marks = ", ".join("?" for _ in statuses)
    return {
        (row[0], row[1], row[2])
        for row in project.db.execute(
            f'SELECT document_id, start, "end" FROM codings'
            f" WHERE code_id = ? AND status IN ({marks})",
            [code_id, *statuses],
        )
    }


def has_codings(project: Project, code_id: str) -> bool:
    found = project.db.execute(
        "SELECT 1 FROM codings WHERE code_id = ? LIMIT 1", [code_id]
    ).fetchone()
    return found is not None


def known_rule_spans(project: Project) -> set[tuple[int, int, int, str]]:
    """(document, start, end, code) of every suggestion the rules ever made (whatever was
    decided about it) and of every accepted coding: what the rules must not suggest again."""
    return {
        (row[0], row[1], row[2], row[3])
        for row in project.db.execute(
            'SELECT document_id, start, "end", code_id FROM codings'
            " WHERE origin LIKE 'rule:%' OR status = 'accepted'"
        )
    }


def list_codings(
    project: Project,
    *,
    document_id: int | None = None,
    code_id: str | None = None,
    case: str | None = None,
    coder: str | None = None,
    status: str | None = None,
    coding_id: int | None = None,
) -> list[dict[str, Any]]:
    """Codings with their passage, code, coder, document and case, in reading order."""
    clauses, params = [], []
    for clause, value in (
        ("g.id = ?", coding_id),
        ("g.document_id = ?", document_id),
        ("g.code_id = ?", code_id),
        ("c.name = ? COLLATE NOCASE", case),
        ("coders.name = ?", coder),
        ("g.status = ?", status),
    ):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = project.db.query(
        'SELECT g.id, g.guid, g.document_id, d.name AS document, c.name AS "case", g.start,'
        ' g."end", substr(d.text, g.start + 1, g."end" - g.start) AS passage, g.code_id,'
        " codes.name AS code, codes.color AS color, g.coder_id, coders.name AS coder,"
        " g.created, g.status, g.origin"
        " FROM codings g JOIN documents d ON d.id = g.document_id"
        " JOIN codes ON codes.id = g.code_id JOIN coders ON coders.id = g.coder_id"
        f" LEFT JOIN cases c ON c.id = d.case_id {where}"
        ' ORDER BY d.name, g.start, g."end", g.id',
        params,
    )
    return list(rows)


def last_change_id(project: Project) -> int:
    return int(project.db.execute("SELECT max(id) FROM changes").fetchone()[0] or 0)


# writing -----------------------------------------------------------------------------


def _insert(
    project: Project,
    passage: Passage,
    code_id: str,
    coder_id: int,
    *,
    status: str,
    origin: str,
    created: str,
) -> int:
    cursor = project.db.execute(
        'INSERT INTO codings (guid, document_id, start, "end", code_id, coder_id, created,'
        " status, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            new_guid(),
            passage.document_id,
            passage.start,
            passage.end,
            code_id,
            coder_id,
            created,
            status,
            origin,
        ],
    )
    return int(cursor.lastrowid or 0)


def add_coding(
    project: Project,
    document_id: int,
    start: int,
    end: int,
    code_id: str,
    *,
    coder: str | None = None,
    status: str = "accepted",
    origin: str = "manual",
) -> int:
    _check_inside(project, document_id, start, end)
    _check_codable(project, code_id)
    if status not in STATUSES:
        raise VinrQualError(f"status {status!r} is not one of {', '.join(STATUSES)}")
    with project.transaction():
        coder_id = project.coder_id(coder)
        coding_id = _insert(
            project,
            Passage(document_id, start, end),
            code_id,
            coder_id,
            status=status,
            origin=origin,
            created=now(),
        )
        project.log_change(
            "create", "coding", coding_id, after=coding_row(project, coding_id), actor=coder
        )
    return coding_id


def code_passages(
    project: Project,
    passages: Iterable[Passage],
    code_id: str,
    *,
    coder: str | None = None,
    status: str = "accepted",
    origin: str = "manual",
    action: str = "code passages",
    details: dict[str, Any] | None = None,
) -> list[int]:
    """Code many passages as one action: one batch in the change log (undone as one step),
    each coding logged on its own. A passage this code already has (accepted, or with the
    same status) is left alone. Returns the new codings' ids."""
    _check_codable(project, code_id)
    if status not in STATUSES:
        raise VinrQualError(f"status {status!r} is not one of {', '.join(STATUSES)}")
    existing = coded_spans(project, code_id, statuses=tuple({"accepted", status}))
    wanted: list[Passage] = []
    for passage in passages:
        key = (passage.document_id, passage.start, passage.end)
        if key in existing or passage.end <= passage.start:
            continue
        existing.add(key)
        wanted.append(passage)
    if not wanted:
        return []
    for document_id in {passage.document_id for passage in wanted}:
        length = project.db.execute(
            "SELECT length FROM documents WHERE id = ?", [document_id]
        ).fetchone()
        if length is None:
            raise VinrQualError(f"no document with id {document_id}")
        for passage in wanted:
            if passage.document_id == document_id and not (
                0 <= passage.start < passage.end <= length[0]
            ):
                raise VinrQualError(
                    f"positions [{passage.start}, {passage.end}) are not inside document"
                    f" {document_id}; nothing was coded"
                )
    return _add_logged(
        project,
        [(passage, code_id, origin) for passage in wanted],
        coder=coder,
        status=status,
        action=action,
        details={"code_id": code_id, "count": len(wanted), **(details or {})},
    )


def _add_logged(
    project: Project,
    rows: list[tuple[Passage, str, str]],
    *,
    coder: str | None,
    status: str,
    action: str,
    details: dict[str, Any],
) -> list[int]:
    """Codings (passage, code, origin) added as one batch, each logged on its own."""
    ids: list[int] = []
    with project.transaction(), project.batch(action, "codings", after=details, actor=coder):
        coder_id = project.coder_id(coder)
        created = now()
        for passage, code_id, origin in rows:
            coding_id = _insert(
                project, passage, code_id, coder_id, status=status, origin=origin, created=created
            )
            project.log_change(
                "create", "coding", coding_id, after=coding_row(project, coding_id), actor=coder
            )
            ids.append(coding_id)
    return ids


def add_suggestions(
    project: Project,
    rows: list[tuple[int, int, int, str, str]],
    *,
    coder: str,
    action: str = "suggest",
    details: dict[str, Any] | None = None,
) -> list[int]:
    """Add suggested codings (document, start, end, code, origin) in bulk, made by a
    machine coder such as the rules: one batch in the change log, each suggestion logged
    on its own so it can be traced and restored. They count as coding only once someone
    accepts them in the review queue."""
    if not rows:
        return []
    return _add_logged(
        project,
        [(Passage(d, start, end), code, origin) for d, start, end, code, origin in rows],
        coder=coder,
        status="suggested",
        action=action,
        details={"suggested": len(rows), **(details or {})},
    )


def update_coding(
    project: Project,
    coding_id: int,
    action: str,
    *,
    actor: str | None = None,
    reason: str | None = None,
    extra: dict[str, Any] | None = None,
    **values: Any,
) -> dict[str, Any]:
    """Change columns of one coding (code, bounds, status, coder, origin), logged as
    `action` with the whole row before and after (and `reason` and `extra` beside the row
    after); returns the row after."""
    allowed = {"code_id", "start", "end", "status", "coder_id", "origin"}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"codings cannot change {', '.join(sorted(unknown))}")
    before = coding_row(project, coding_id)
    assignments = ", ".join(f'"{key}" = ?' for key in values)
    with project.transaction():
        project.db.execute(
            f"UPDATE codings SET {assignments} WHERE id = ?", [*values.values(), coding_id]
        )
        after = coding_row(project, coding_id)
        noted = {**({"reason": reason} if reason else {}), **(extra or {})}
        project.log_change(
            action, "coding", coding_id, before=before, after={**after, **noted}, actor=actor
        )
    return after


def change_code(
    project: Project,
    coding_id: int,
    code_id: str,
    *,
    coder: str | None = None,
    reason: str | None = None,
) -> None:
    """Give a coding another code, keeping its passage, coder and time."""
    coding_row(project, coding_id)
    _check_codable(project, code_id)
    update_coding(project, coding_id, "recode", actor=coder, reason=reason, code_id=code_id)


def adjust_coding(
    project: Project, coding_id: int, start: int, end: int, *, coder: str | None = None
) -> None:
    """Move a coding's boundaries to [start, end)."""
    before = coding_row(project, coding_id)
    _check_inside(project, before["document_id"], start, end)
    update_coding(project, coding_id, "adjust", actor=coder, start=start, end=end)


def move_coding(
    project: Project,
    coding_id: int,
    start: int,
    end: int,
    *,
    reason: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """Move a coding to where its passage now stands (a document replaced by a corrected
    version); the bounds are the caller's to check against the new text."""
    update_coding(project, coding_id, "move", reason=reason, extra=extra, start=start, end=end)


def send_to_review(
    project: Project,
    coding_id: int,
    start: int,
    end: int,
    *,
    old_passage: str,
    reason: str,
    details: dict[str, Any] | None = None,
) -> None:
    """A coding whose passage a corrected text no longer shows with confidence: it moves
    to the best guess `[start, end)` and waits in the review queue (status suggested,
    origin `realign`) until someone confirms the place.

    The change log keeps, beside the row, the passage as it was coded and the coding's
    status and origin before, so the review can show the one and an accept restore the
    others. Sent again (a second correction before the review), it keeps the first ones.
    """
    row = coding_row(project, coding_id)
    earlier = realigned_from(project, coding_id) if row["origin"] == REALIGN else None
    kept = {
        "old_passage": old_passage,
        "status_before": row["status"],
        "origin_before": row["origin"],
    }
    if earlier:
        kept.update({key: earlier[key] for key in kept if key in earlier})
    update_coding(
        project,
        coding_id,
        REALIGN,
        reason=reason,
        extra={**kept, **(details or {})},
        start=start,
        end=end,
        status="suggested",
        origin=REALIGN,
    )


def realigned_from(project: Project, coding_id: int) -> dict[str, Any] | None:
    """What the latest `send_to_review` of a coding logged: its row then, with
    old_passage, status_before and origin_before."""
    found = project.db.execute(
        "SELECT after FROM changes WHERE entity = 'coding' AND entity_id = ? AND action = ?"
        " ORDER BY id DESC LIMIT 1",
        [str(coding_id), REALIGN],
    ).fetchone()
    if found is None or not found[0]:
        return None
    logged = json.loads(found[0])
    return logged if isinstance(logged, dict) else None


def decide(
    project: Project,
    coding_id: int,
    action: str,
    *,
    decider: str | None = None,
    **values: Any,
) -> None:
    """A person's decision on a suggestion: the row changes as `values` say, and when the
    suggestion is accepted the person who decided becomes its coder (its origin keeps the
    rule or model that proposed it).

    A coding sent to review by a corrected text (origin `realign`) is someone's coding
    whose place is being confirmed: accepted as it is (or widened), it gets its status
    and origin back and keeps its coder. Given another code, the decider's judgement
    replaces the coder's, and the decider becomes the coder."""
    if values.get("status") == "accepted":
        row = coding_row(project, coding_id)
        earlier = realigned_from(project, coding_id) if row["origin"] == REALIGN else None
        if earlier is not None:
            values.setdefault("origin", earlier.get("origin_before") or "manual")
        same_code = values.get("code_id", row["code_id"]) == row["code_id"]
        confirmed = earlier is not None and earlier.get("status_before") == "accepted"
        if not (confirmed and same_code):
            values["coder_id"] = project.coder_id(decider)
    with project.transaction():
        update_coding(project, coding_id, action, actor=decider, **values)


def remove_coding(
    project: Project,
    coding_id: int,
    *,
    coder: str | None = None,
    reason: str | None = None,
    action: str = "remove",
    extra: dict[str, Any] | None = None,
) -> None:
    """Remove a coding (and its memo); the whole row and memo are logged so undo can bring
    both back with the same id and GUID."""
    before = coding_snapshot(project, coding_id)
    with project.transaction():
        memos.remove_coding_memos(project, coding_id)
        project.db.execute("DELETE FROM codings WHERE id = ?", [coding_id])
        after = {"reason": reason, **(extra or {})} if reason or extra else None
        project.log_change(action, "coding", coding_id, before=before, after=after, actor=coder)


def restore_state(project: Project, coding_id: int, state: dict[str, Any] | None) -> None:
    """Put a coding back to a logged state, unlogged (the caller logs the revert): None
    removes it; a state of a coding that is gone recreates it with its id, GUID and memo;
    otherwise its columns are set back."""
    current = find_coding_row(project, coding_id)
    if state is None:
        if current is not None:
            memos.remove_coding_memos(project, coding_id)
            project.db.execute("DELETE FROM codings WHERE id = ?", [coding_id])
        return
    columns = [name for name in CODING_COLUMNS if name in state]
    if current is None:
        names = ", ".join(f'"{name}"' for name in columns)
        marks = ", ".join("?" for _ in columns)
        project.db.execute(
            f"INSERT INTO codings ({names}) VALUES ({marks})", [state[name] for name in columns]
        )
        if state.get("memo"):
            memos.set_coding_memo_row(project, coding_id, state["memo"], state["coder_id"])
        return
    changing = [name for name in columns if name not in ("id", "guid")]
    assignments = ", ".join(f'"{name}" = ?' for name in changing)
    project.db.execute(
        f"UPDATE codings SET {assignments} WHERE id = ?",
        [*(state[name] for name in changing), coding_id],
    )


def same_state(row: dict[str, Any] | None, logged: dict[str, Any] | None) -> bool:
    """Whether a coding is still as the change log says it was left."""
    if row is None or logged is None:
        return row is logged
    names = CODING_COLUMNS if "guid" in logged else LOGGED_BEFORE_GUIDS
    return all(row.get(name) == logged.get(name) for name in names)


def fold_into(project: Project, coding_id: int, twin_id: int, *, code_id: str) -> None:
    """A coding that duplicates `twin_id` once its code is merged: its memo moves to the
    twin and it goes."""
    before = {**coding_row(project, coding_id), "code_id": code_id}
    with project.transaction():
        memos.move_coding_memos(project, coding_id, twin_id)
        project.db.execute("DELETE FROM codings WHERE id = ?", [coding_id])
        project.log_change("fold", "coding", coding_id, before=before, after={"into": twin_id})


def twin_of(project: Project, row: dict[str, Any], code_id: str) -> int | None:
    """The coding of `code_id` with the same passage and coder as `row`, if any."""
    twin = project.db.execute(
        "SELECT id FROM codings WHERE code_id = ? AND document_id = ? AND start = ?"
        ' AND "end" = ? AND coder_id = ?',
        [code_id, row["document_id"], row["start"], row["end"], row["coder_id"]],
    ).fetchone()
    return int(twin[0]) if twin else None


def coding_counts(project: Project) -> dict[str, tuple[int, int]]:
    """Per code, its accepted codings and the documents they are in."""
    return {
        row[0]: (int(row[1]), int(row[2]))
        for row in project.db.execute(
            "SELECT code_id, count(*), count(DISTINCT document_id) FROM codings"
            " WHERE status = 'accepted' GROUP BY code_id"
        )
    }


def coding_row_passage(project: Project, coding_id: int) -> str:
    """The text a coding covers."""
    row = project.db.execute(
        'SELECT substr(d.text, g.start + 1, g."end" - g.start) FROM codings g'
        " JOIN documents d ON d.id = g.document_id WHERE g.id = ?",
        [coding_id],
    ).fetchone()
    if row is None:
        raise VinrQualError(f"no coding with id {coding_id}")
    return str(row[0])


@dataclass(frozen=True)
class BroughtCoding:
    """A coding from another project or tool, with the identity it had there."""

    guid: str
    document_id: int
    start: int
    end: int
    code_id: str
    coder_id: int
    created: str | None


def add_brought_codings(
    project: Project, rows: Iterable[BroughtCoding], *, origin: str = "import"
) -> int:
    """Add codings brought in by a .qdpx import or a merge, each keeping its GUID, coder
    and time, each with its own change-log row; returns how many."""
    count = 0
    with project.transaction():
        for row in rows:
            cursor = project.db.execute(
                'INSERT INTO codings (guid, document_id, start, "end", code_id, coder_id,'
                " created, status, origin) VALUES (?, ?, ?, ?, ?, ?, ?, 'accepted', ?)",
                [
                    row.guid,
                    row.document_id,
                    row.start,
                    row.end,
                    row.code_id,
                    row.coder_id,
                    row.created or now(),
                    origin,
                ],
            )
            coding_id = int(cursor.lastrowid or 0)
            project.log_change("create", "coding", coding_id, after=coding_row(project, coding_id))
            count += 1
    return count
