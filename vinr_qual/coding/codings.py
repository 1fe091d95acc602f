"""Codings: a code applied to `[start, end)` of a document's text by a coder.

The app, the command line and scripts all code through `add_coding` and `remove_coding`,
so every coding carries its coder, time, status and origin and lands in the change log.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project
from vinr_qual.store.clock import now

STATUSES = ("suggested", "accepted", "rejected")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def find_phrase(text: str, phrase: str, occurrence: int | None = None) -> Span:
    """Where a quoted phrase stands: exactly, else ignoring case and runs of white space.

    A phrase found more than once needs `occurrence` (1 for the first)."""
    phrase = unicodedata.normalize("NFC", phrase.strip())
    if not phrase:
        raise VinrQualError("the phrase is empty")
    pattern = r"\s+".join(re.escape(word) for word in phrase.split())
    spans = [Span(m.start(), m.end()) for m in re.finditer(pattern, text)]
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
    code = project.db.execute("SELECT name, codable FROM codes WHERE id = ?", [code_id]).fetchone()
    if code is None:
        raise VinrQualError(f"no code with id {code_id}")
    if not code[1]:
        raise VinrQualError(f"{code[0]!r} is a folder of codes and cannot be coded")
    if status not in STATUSES:
        raise VinrQualError(f"status {status!r} is not one of {', '.join(STATUSES)}")
    with project.transaction():
        coder_id = project.coder_id(coder)
        created = now()
        cursor = project.db.execute(
            'INSERT INTO codings (document_id, start, "end", code_id, coder_id, created, status,'
            " origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [document_id, start, end, code_id, coder_id, created, status, origin],
        )
        coding_id = int(cursor.lastrowid or 0)
        project.log_change(
            "create", "coding", coding_id, after=coding_row(project, coding_id), actor=coder
        )
    return coding_id


def coding_row(project: Project, coding_id: int) -> dict[str, Any]:
    """The whole row of a coding, as the change log keeps it (so a change can be undone)."""
    rows = list(project.db.query("SELECT * FROM codings WHERE id = ?", [coding_id]))
    if not rows:
        raise VinrQualError(f"no coding with id {coding_id}")
    return rows[0]


def coding_snapshot(project: Project, coding_id: int) -> dict[str, Any]:
    """The coding's row and its memo: what the change log keeps of a removed coding, so
    that undoing the removal brings both back."""
    return {**coding_row(project, coding_id), "memo": coding_memo(project, coding_id)}


def last_change_id(project: Project) -> int:
    return int(project.db.execute("SELECT max(id) FROM changes").fetchone()[0] or 0)


def change_code(
    project: Project, coding_id: int, code_id: str, *, coder: str | None = None
) -> None:
    """Give a coding another code, keeping its passage, coder and time."""
    before = coding_row(project, coding_id)
    codable = project.db.execute(
        "SELECT codable, name FROM codes WHERE id = ?", [code_id]
    ).fetchone()
    if codable is None:
        raise VinrQualError(f"no code with id {code_id}")
    if not codable[0]:
        raise VinrQualError(f"{codable[1]!r} is a folder of codes and cannot be coded")
    with project.transaction():
        project.db.execute("UPDATE codings SET code_id = ? WHERE id = ?", [code_id, coding_id])
        project.log_change(
            "recode",
            "coding",
            coding_id,
            before=before,
            after=coding_row(project, coding_id),
            actor=coder,
        )


def adjust_coding(
    project: Project, coding_id: int, start: int, end: int, *, coder: str | None = None
) -> None:
    """Move a coding's boundaries to [start, end)."""
    before = coding_row(project, coding_id)
    length = project.db.execute(
        "SELECT length FROM documents WHERE id = ?", [before["document_id"]]
    ).fetchone()[0]
    if not 0 <= start < end <= length:
        raise VinrQualError(f"positions [{start}, {end}) are not inside the text (0 to {length})")
    with project.transaction():
        project.db.execute(
            'UPDATE codings SET start = ?, "end" = ? WHERE id = ?', [start, end, coding_id]
        )
        project.log_change(
            "adjust",
            "coding",
            coding_id,
            before=before,
            after=coding_row(project, coding_id),
            actor=coder,
        )


def coding_memo(project: Project, coding_id: int) -> str | None:
    row = project.db.execute(
        "SELECT text FROM memos WHERE coding_id = ? ORDER BY id LIMIT 1", [coding_id]
    ).fetchone()
    return row[0] if row else None


def set_coding_memo(
    project: Project, coding_id: int, text: str, *, coder: str | None = None
) -> None:
    """Write (or with empty text, remove) the memo of a coding."""
    coding_row(project, coding_id)
    text = text.strip()
    existing = project.db.execute(
        "SELECT id, text FROM memos WHERE coding_id = ? ORDER BY id LIMIT 1", [coding_id]
    ).fetchone()
    with project.transaction():
        if existing and not text:
            project.db.execute("DELETE FROM memos WHERE id = ?", [existing[0]])
        elif existing:
            project.db.execute(
                "UPDATE memos SET text = ?, updated = ? WHERE id = ?", [text, now(), existing[0]]
            )
        elif text:
            project.db.execute(
                "INSERT INTO memos (target, coding_id, coder_id, text, created, updated)"
                " VALUES ('coding', ?, ?, ?, ?, ?)",
                [coding_id, project.coder_id(coder), text, now(), now()],
            )
        else:
            return
        project.log_change(
            "memo",
            "coding",
            coding_id,
            before={"memo": existing[1] if existing else None},
            after={"memo": text or None},
            actor=coder,
        )


def remove_coding(project: Project, coding_id: int, *, coder: str | None = None) -> None:
    before = coding_snapshot(project, coding_id)
    with project.transaction():
        project.db.execute("DELETE FROM codings WHERE id = ?", [coding_id])
        project.log_change("remove", "coding", coding_id, before=before, actor=coder)


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
        'SELECT g.id, g.document_id, d.name AS document, c.name AS "case", g.start, g."end",'
        ' substr(d.text, g.start + 1, g."end" - g.start) AS passage, g.code_id,'
        " codes.name AS code, codes.color AS color, g.coder_id, coders.name AS coder,"
        " g.created, g.status, g.origin"
        " FROM codings g JOIN documents d ON d.id = g.document_id"
        " JOIN codes ON codes.id = g.code_id JOIN coders ON coders.id = g.coder_id"
        f" LEFT JOIN cases c ON c.id = d.case_id {where}"
        ' ORDER BY d.name, g.start, g."end", g.id',
        params,
    )
    return list(rows)


def add_suggestions(
    project: Project, rows: list[tuple[int, int, int, str, str]], *, coder: str
) -> None:
    """Add suggested codings (document, start, end, code, origin) in bulk, made by a
    machine coder such as the rules; the caller logs the batch. They count as coding only
    once someone accepts them in the review queue."""
    with project.transaction():
        coder_id = project.coder_id(coder)
        created = now()
        project.db.conn.executemany(
            'INSERT INTO codings (document_id, start, "end", code_id, coder_id, created, status,'
            " origin) VALUES (?, ?, ?, ?, ?, ?, 'suggested', ?)",
            [(d, s, e, code, coder_id, created, origin) for d, s, e, code, origin in rows],
        )
