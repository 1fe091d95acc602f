"""The framework matrix: cases × themes, each cell a short summary written by the
researcher beside the passages it rests on. Every version of a summary is kept in the
change log. Passages are counted as the matrix counts them (vinr_qual.analysis.facts):
each once however many coders coded it, the interviewer's speech left out."""

from __future__ import annotations

from dataclasses import dataclass, field

from vinr_qual.analysis.facts import Counted, load_facts
from vinr_qual.cases.cases import find_case
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project
from vinr_qual.store.clock import now


@dataclass
class FrameworkCell:
    summary: str | None
    passages: int
    coding_ids: list[int] = field(default_factory=list)  # one per passage (its longest)


@dataclass
class Framework:
    cases: list[tuple[int, str]]
    codes: list[tuple[str, str]]
    cells: dict[tuple[int, str], FrameworkCell]
    counted: Counted | None = None


def set_summary(
    project: Project, case: str, code_id: str, summary: str, *, coder: str | None = None
) -> None:
    """Write (or with empty text, remove) the summary of a case and a code."""
    case_id = find_case(project, case)
    if case_id is None:
        raise VinrQualError(f"no case named {case!r}")
    row = project.db.execute(
        "SELECT summary FROM framework_cells WHERE case_id = ? AND code_id = ?", [case_id, code_id]
    ).fetchone()
    before = row[0] if row else None
    summary = summary.strip()
    with project.transaction():
        if summary:
            project.db.execute(
                "INSERT INTO framework_cells (case_id, code_id, summary, coder_id, updated)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (case_id, code_id) DO UPDATE SET"
                " summary = excluded.summary, coder_id = excluded.coder_id,"
                " updated = excluded.updated",
                [case_id, code_id, summary, project.coder_id(coder), now()],
            )
        else:
            project.db.execute(
                "DELETE FROM framework_cells WHERE case_id = ? AND code_id = ?", [case_id, code_id]
            )
        project.log_change(
            "summary",
            "framework_cell",
            f"{case_id}:{code_id}",
            before=before,
            after=summary or None,
            actor=coder,
        )


def summary_history(project: Project, case: str, code_id: str) -> list[tuple[str, str, str | None]]:
    """(time, who, text) of every version of a cell's summary, oldest first."""
    import json

    case_id = find_case(project, case)
    return [
        (at, actor, json.loads(after) if after else None)
        for at, actor, after in project.db.execute(
            "SELECT at, actor, after FROM changes WHERE entity = 'framework_cell'"
            " AND entity_id = ? ORDER BY id",
            [f"{case_id}:{code_id}"],
        )
    ]


def framework(
    project: Project,
    code_ids: list[str],
    *,
    coders: list[str] | None = None,
    include_interviewer: bool = False,
) -> Framework:
    cases = project.db.execute("SELECT id, name FROM cases ORDER BY name").fetchall()
    names = dict(project.db.execute("SELECT id, name FROM codes").fetchall())
    cells: dict[tuple[int, str], FrameworkCell] = {}
    for case_id, _ in cases:
        for code_id in code_ids:
            cells[(case_id, code_id)] = FrameworkCell(None, 0)
    marks = ", ".join("?" for _ in code_ids)
    facts = load_facts(
        project,
        coders=coders,
        include_interviewer=include_interviewer,
        with_speakers=False,
        codes=code_ids,
    )
    for fact in facts:  # by document, in reading order
        key = (fact.case_id or -1, fact.code_id)
        if key in cells:
            cells[key].passages += 1
            cells[key].coding_ids.append(fact.coding_id)
    for case_id, code_id, summary in project.db.execute(
        f"SELECT case_id, code_id, summary FROM framework_cells WHERE code_id IN ({marks})",
        code_ids,
    ):
        if (case_id, code_id) in cells:
            cells[(case_id, code_id)].summary = summary
    return Framework(
        [(row[0], row[1]) for row in cases],
        [(c, names.get(c, c)) for c in code_ids],
        cells,
        facts.counted,
    )
