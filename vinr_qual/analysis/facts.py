"""The codings an analysis counts, each with what it can be grouped by.

One query reads every counted coding with its code, its code family (the top of its
tree), its document's case and kind, and the role of the speaker whose turn it starts
in. Only accepted codings count unless suggestions are asked for too.
"""

from __future__ import annotations

import bisect
import re
from typing import Any, NamedTuple

from vinr_qual.project import Project

_WORD = re.compile(r"\w+")


class Fact(NamedTuple):
    coding_id: int
    code_id: str
    family_id: str
    document_id: int
    case_id: int | None
    kind: str
    start: int
    end: int
    coder: str
    speaker_id: int | None
    role: str | None
    tally: int = 1  # codings this fact stands for (more than one in a tally)


def families(project: Project) -> dict[str, str]:
    """Each code's family: the code at the top of its tree."""
    parents = dict(project.db.execute("SELECT id, parent_id FROM codes").fetchall())
    found = {}
    for code_id in parents:
        top = code_id
        while parents.get(top):
            top = parents[top]
        found[code_id] = top
    return found


def codebook_order(project: Project) -> dict[str, int]:
    """Each code's place in the codebook, read top to bottom."""
    from vinr_qual.codebook.project_codes import read_codebook

    return {code.id: index for index, (code, _, _) in enumerate(read_codebook(project).walk())}


def load_facts(
    project: Project,
    *,
    include_suggested: bool = False,
    coders: list[str] | None = None,
    with_speakers: bool = True,
) -> list[Fact]:
    """The counted codings; `with_speakers=False` skips finding each one's speaker (the
    turns of a large project are many), for analyses that do not group by speaker."""
    statuses = ("accepted", "suggested") if include_suggested else ("accepted",)
    clauses = [f"g.status IN ({', '.join('?' for _ in statuses)})"]
    params: list[object] = list(statuses)
    coder_names = dict(project.db.execute("SELECT id, name FROM coders").fetchall())
    if coders:
        wanted = [cid for cid, name in coder_names.items() if name in coders]
        clauses.append(f"g.coder_id IN ({', '.join('?' for _ in wanted)})")
        params.extend(wanted)
    family_of = families(project)
    turns: dict[int, tuple[list[int], list[tuple[int, int | None, str | None]]]] = {}
    for document_id, start, end, speaker_id, role in (
        project.db.execute(
            'SELECT s.document_id, s.start, s."end", s.speaker_id, sp.role FROM segments s'
            " LEFT JOIN speakers sp ON sp.id = s.speaker_id WHERE s.kind = 'turn'"
            " ORDER BY s.document_id, s.start"
        )
        if with_speakers
        else []
    ):
        starts, info = turns.setdefault(document_id, ([], []))
        starts.append(start)
        info.append((end, speaker_id, role))
    facts = []
    documents = {
        row[0]: (row[1], row[2])
        for row in project.db.execute("SELECT id, case_id, kind FROM documents")
    }
    for coding_id, code_id, document_id, start, end, coder_id in project.db.execute(
        'SELECT g.id, g.code_id, g.document_id, g.start, g."end", g.coder_id FROM codings g'
        f" WHERE {' AND '.join(clauses)}",
        params,
    ):
        case_id, kind = documents[document_id]
        coder = coder_names[coder_id]
        speaker_id = role = None
        if document_id in turns:
            starts, info = turns[document_id]
            index = bisect.bisect_right(starts, start) - 1
            if index >= 0 and start < info[index][0]:
                _, speaker_id, role = info[index]
        facts.append(
            Fact(
                coding_id,
                code_id,
                family_of[code_id],
                document_id,
                case_id,
                kind,
                start,
                end,
                coder,
                speaker_id,
                role,
            )
        )
    return facts


def tally_facts(project: Project, *, include_suggested: bool = False) -> list[Fact]:
    """Codings counted per code, case, document kind and coder: enough for passages and
    presence by any of those, at a fraction of the cost of one fact per coding. The
    database counts per document (in the order of an index); positions, documents and
    speakers are not kept (coding_id is -1)."""
    statuses = ("accepted", "suggested") if include_suggested else ("accepted",)
    family_of = families(project)
    coder_names = dict(project.db.execute("SELECT id, name FROM coders").fetchall())
    documents = {
        row[0]: (row[1], row[2])
        for row in project.db.execute("SELECT id, case_id, kind FROM documents")
    }
    tallies: dict[tuple[str, int | None, str, int], int] = {}
    for status in statuses:
        for document_id, code_id, coder_id, count in project.db.execute(
            "SELECT document_id, code_id, coder_id, count(*) FROM codings WHERE status = ?"
            " GROUP BY document_id, code_id, coder_id",
            [status],
        ):
            case_id, kind = documents[document_id]
            key = (code_id, case_id, kind, coder_id)
            tallies[key] = tallies.get(key, 0) + count
    facts = []
    for (code_id, case_id, kind, coder_id), count in tallies.items():
        facts.append(
            Fact(
                -1,
                code_id,
                family_of[code_id],
                -1,
                case_id,
                kind,
                0,
                0,
                coder_names[coder_id],
                None,
                None,
                count,
            )
        )
    return facts


def words_in(text: str) -> int:
    return len(_WORD.findall(text))


def passages_of(
    project: Project,
    *,
    code_id: str | None = None,
    case: str | None = None,
    attribute: tuple[str, str] | None = None,
    kind: str | None = None,
    role: str | None = None,
    include_suggested: bool = False,
) -> list[dict[str, Any]]:
    """The codings behind a cell of a matrix, with their passages, in reading order: those
    of a code, in a case, in cases with an attribute, in documents of a kind, or said by
    speakers with a role (each filter optional). Each has its speaker, role, turn time
    and `where`, the marks a quote of it carries ("[00:12:31]", "s. 12")."""
    from vinr_qual.cases.cases import cases_with_attribute, find_case
    from vinr_qual.coding.codings import list_codings

    facts = load_facts(project, include_suggested=include_suggested)
    case_id = find_case(project, case) if case else None
    wanted_cases = cases_with_attribute(project, *attribute) if attribute else None
    ids = [
        f.coding_id
        for f in facts
        if (code_id is None or f.code_id == code_id)
        and (case is None or f.case_id == case_id)
        and (wanted_cases is None or f.case_id in wanted_cases)
        and (kind is None or f.kind == kind)
        and (role is None or (f.role or "").casefold() == role.casefold())
    ]
    from vinr_qual.cases.places import DocumentPlaces

    rows = [row for coding_id in ids for row in list_codings(project, coding_id=coding_id)]
    places: dict[int, DocumentPlaces] = {}
    for row in rows:
        if row["document_id"] not in places:
            places[row["document_id"]] = DocumentPlaces(project, row["document_id"])
        place = places[row["document_id"]].place(row["start"], row["end"])
        row.update(speaker=place.speaker, role=place.role, time=place.time, where=place.marks())
    return rows
