"""The review queue: suggested codings decided one at a time, with their context.

Each decision (accept, reject, change the code, widen to the sentence or turn) is one
change of the coding row, logged with the whole row before and after and the name of who
decided, so the review is auditable and each decision can be undone. The person who
accepts a suggestion (as it is or with another code) becomes its coder; its origin keeps
the rule that proposed it. A coding a corrected transcript sent here (origin `realign`)
stays its coder's when accepted as it is: the reviewer confirms its place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vinr_qual.cases.documents import enclosing_span
from vinr_qual.coding.codings import REALIGN, coding_row, decide, realigned_from
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project


@dataclass
class ReviewItem:
    coding_id: int
    document_id: int
    document: str
    case: str | None
    code_id: str
    code: str
    origin: str
    start: int
    end: int
    passage: str
    before: str
    after: str
    speaker: str | None
    role: str | None
    coder: str | None = None
    # a coding a corrected transcript sent here (origin `realign`): its passage as coded
    old_passage: str | None = None


@dataclass
class Progress:
    decided: int
    pending: int

    @property
    def total(self) -> int:
        return self.decided + self.pending


def pending(
    project: Project, *, code_id: str | None = None, document_id: int | None = None
) -> list[int]:
    """Ids of suggested codings in reading order (document, then position)."""
    clauses: list[str] = ["g.status = 'suggested'"]
    params: list[object] = []
    if code_id:
        clauses.append("g.code_id = ?")
        params.append(code_id)
    if document_id:
        clauses.append("g.document_id = ?")
        params.append(document_id)
    return [
        row[0]
        for row in project.db.execute(
            "SELECT g.id FROM codings g JOIN documents d ON d.id = g.document_id"
            f" WHERE {' AND '.join(clauses)} ORDER BY d.name, g.start, g.id",
            params,
        )
    ]


def progress(project: Project) -> Progress:
    """Suggestions decided and still pending: those of rules, of imports and of corrected
    transcripts alike (whatever their origin, as in `pending`: a realigned coding accepted
    gets its origin back, often 'manual', and still counts as decided)."""
    rows = dict(
        project.db.execute(
            "SELECT status = 'suggested', count(*) FROM codings"
            " WHERE status = 'suggested' OR id IN (SELECT CAST(entity_id AS INTEGER) FROM changes"
            " WHERE entity = 'coding' AND action IN ('accept', 'reject'))"
            " GROUP BY 1"
        ).fetchall()
    )
    return Progress(decided=rows.get(0, 0), pending=rows.get(1, 0))


def item(project: Project, coding_id: int) -> ReviewItem:
    row = coding_row(project, coding_id)
    document, case, text = project.db.execute(
        "SELECT d.name, c.name, d.text FROM documents d LEFT JOIN cases c ON c.id = d.case_id"
        " WHERE d.id = ?",
        [row["document_id"]],
    ).fetchone()
    code = project.db.execute("SELECT name FROM codes WHERE id = ?", [row["code_id"]]).fetchone()[0]
    start, end = row["start"], row["end"]
    previous = project.db.execute(
        "SELECT start, \"end\" FROM segments WHERE document_id = ? AND kind = 'sentence'"
        ' AND "end" <= ? ORDER BY start DESC LIMIT 1',
        [row["document_id"], start],
    ).fetchone()
    following = project.db.execute(
        "SELECT start, \"end\" FROM segments WHERE document_id = ? AND kind = 'sentence'"
        " AND start >= ? ORDER BY start LIMIT 1",
        [row["document_id"], end],
    ).fetchone()
    speaker = project.db.execute(
        "SELECT sp.label, sp.role FROM segments s JOIN speakers sp ON sp.id = s.speaker_id"
        " WHERE s.document_id = ? AND s.kind = 'turn' AND s.start <= ? AND s.\"end\" > ?",
        [row["document_id"], start, start],
    ).fetchone()
    coder = project.db.execute("SELECT name FROM coders WHERE id = ?", [row["coder_id"]]).fetchone()
    realigned = realigned_from(project, coding_id) if row["origin"] == REALIGN else None
    return ReviewItem(
        coding_id,
        row["document_id"],
        document,
        case,
        row["code_id"],
        code,
        row["origin"],
        start,
        end,
        text[start:end],
        text[previous[0] : previous[1]] if previous else "",
        text[following[0] : following[1]] if following else "",
        speaker[0] if speaker else None,
        speaker[1] if speaker else None,
        coder[0] if coder else None,
        str(realigned.get("old_passage", "")) if realigned else None,
    )


def _change(
    project: Project, coding_id: int, action: str, decider: str | None, **values: Any
) -> None:
    before = coding_row(project, coding_id)
    if before["status"] != "suggested" and action in ("accept", "reject"):
        raise VinrQualError(f"coding {coding_id} is not a suggestion (it is {before['status']})")
    decide(project, coding_id, action, decider=decider, **values)


def accept(project: Project, coding_id: int, *, decider: str | None = None) -> None:
    """Accept a suggestion; one that, once accepted, would repeat a coding already there
    (a realigned coding placed on a neighbour coded the same) folds into it."""
    from vinr_qual.coding.codings import fold_into

    with project.transaction():
        _change(project, coding_id, "accept", decider, status="accepted")
        row = coding_row(project, coding_id)
        twin = project.db.execute(
            "SELECT id FROM codings WHERE code_id = ? AND document_id = ? AND start = ?"
            " AND \"end\" = ? AND coder_id = ? AND status = 'accepted' AND id != ?",
            [
                row["code_id"],
                row["document_id"],
                row["start"],
                row["end"],
                row["coder_id"],
                coding_id,
            ],
        ).fetchone()
        if twin:
            fold_into(project, coding_id, int(twin[0]), code_id=row["code_id"])


def reject(project: Project, coding_id: int, *, decider: str | None = None) -> None:
    _change(project, coding_id, "reject", decider, status="rejected")


def recode(project: Project, coding_id: int, code_id: str, *, decider: str | None = None) -> None:
    """Another code fits: the suggestion gets it and is accepted."""
    codable = project.db.execute("SELECT codable FROM codes WHERE id = ?", [code_id]).fetchone()
    if not codable or not codable[0]:
        raise VinrQualError("choose a code that can be coded")
    _change(project, coding_id, "accept", decider, code_id=code_id, status="accepted")


def widen(project: Project, coding_id: int, unit: str, *, decider: str | None = None) -> None:
    """Stretch a suggestion to the whole sentence or speaker turn around it."""
    row = coding_row(project, coding_id)
    span = enclosing_span(project, row["document_id"], unit, row["start"], row["end"])
    if span is None:
        raise VinrQualError(f"no {unit} around coding {coding_id}")
    start, end = min(span[0], row["start"]), max(span[1], row["end"])
    _change(project, coding_id, "widen", decider, start=start, end=end)
