"""The codings an analysis counts, as passages, each with what it can be grouped by.

A *passage* is a stretch of one document coded with one code. Codings of the same code
whose spans overlap are one passage, whoever coded them: two coders who coded the same
sentence (or one a sentence, the other the turn around it) give one passage, not two; so
do two overlapping codings of a code by one coder. Spans that only touch (one ends where
the other starts) stay two passages, and codings of different codes are never merged.
`by_coder` merges only each coder's own codings: a passage two coders coded then counts
once for each, which is what per-coder figures (and the `coder` dimension) need.

Left out unless asked for: suggested codings (only accepted ones count), codings of
coders not chosen (`coders`), and the interviewer's speech: a coding lying inside a
speaker turn of a speaker flagged as interviewer is not counted, and a passage that
begins in the interviewer's question and runs on into the answer is said by the one who
answers (so `role` never shows the interviewer). `Counted` says what was counted, in a
line every front end prints beside its figures.

Each passage keeps its codings; its `coding_id` is the longest of them (the earliest of
equally long ones), the one a drill-down shows.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from vinr_qual.project import Project

_WORD = re.compile(r"\w+")


class Fact(NamedTuple):
    coding_id: int  # the passage's longest coding (-1 in a tally)
    code_id: str
    family_id: str
    document_id: int
    case_id: int | None
    kind: str
    start: int
    end: int
    coder: str  # the coder of `coding_id` (each coder's own, with `by_coder`)
    speaker_id: int | None
    role: str | None
    tally: int = 1  # passages this fact stands for (more than one in a tally)
    codings: tuple[int, ...] = ()  # every coding merged into the passage


@dataclass(frozen=True)
class Counting:
    """Which codings an analysis counts, and how."""

    include_suggested: bool = False
    coders: tuple[str, ...] = ()  # only these coders' codings (empty: everyone's)
    by_coder: bool = False  # merge only each coder's own codings
    include_interviewer: bool = False
    codes: tuple[str, ...] = ()  # only these codes' codings (empty: every code's)

    @classmethod
    def of(
        cls,
        *,
        include_suggested: bool = False,
        coders: Iterable[str] | None = None,
        by_coder: bool = False,
        include_interviewer: bool = False,
        codes: Iterable[str] | None = None,
    ) -> Counting:
        return cls(
            include_suggested,
            tuple(coders or ()),
            by_coder,
            include_interviewer,
            tuple(codes or ()),
        )

    @property
    def statuses(self) -> tuple[str, ...]:
        return ("accepted", "suggested") if self.include_suggested else ("accepted",)


@dataclass
class Counted:
    """What an analysis counted: said beside its figures, so a reader knows."""

    include_suggested: bool
    coders: list[str]  # the coders whose codings were counted
    chosen: bool  # the coders were chosen (--coder), not everyone
    by_coder: bool
    include_interviewer: bool
    codings: int = 0  # codings counted
    passages: int = 0  # the passages they make
    interviewer_codings: int = 0  # codings left out as the interviewer's speech

    def line(self) -> str:
        """E.g. "Counted: accepted codings, each passage once (2 coders: Anna, Bo),
        interviewer speech left out: 21 passages from 40 codings"."""
        what = "accepted and suggested codings" if self.include_suggested else "accepted codings"
        how = "each coder's passages on their own" if self.by_coder else "each passage once"
        who = _coders(
            self.coders,
            self.chosen,
            ("coder", "coders", "chosen coder", "chosen coders", "no coder"),
        )
        speech = (
            "interviewer speech included"
            if self.include_interviewer
            else "interviewer speech left out"
        )
        line = (
            f"Counted: {what}, {how} ({who}), {speech}:"
            f" {self.passages} {_plural(self.passages, 'passage', 'passages')}"
            f" from {self.codings} {_plural(self.codings, 'coding', 'codings')}"
        )
        if self.interviewer_codings:
            line += f"; {self.interviewer_codings} in interviewer speech not counted"
        return line

    def line_sv(self) -> str:
        """The line in Swedish, for the report."""
        what = (
            "godkända och föreslagna kodningar" if self.include_suggested else "godkända kodningar"
        )
        how = "varje kodares passager för sig" if self.by_coder else "varje passage en gång"
        who = _coders(
            self.coders,
            self.chosen,
            ("kodare", "kodare", "vald kodare", "valda kodare", "ingen kodare"),
        )
        speech = (
            "intervjuarens tal medräknat"
            if self.include_interviewer
            else "intervjuarens tal utelämnat"
        )
        line = (
            f"Räknat: {what}, {how} ({who}), {speech}:"
            f" {self.passages} {_plural(self.passages, 'passage', 'passager')}"
            f" av {self.codings} {_plural(self.codings, 'kodning', 'kodningar')}"
        )
        if self.interviewer_codings:
            line += f"; {self.interviewer_codings} i intervjuarens tal inte räknade"
        return line

    def as_dict(self) -> dict[str, Any]:
        return {
            "statuses": ["accepted", "suggested"] if self.include_suggested else ["accepted"],
            "coders": self.coders,
            "coders_chosen": self.chosen,
            "each_passage_once": not self.by_coder,
            "by_coder": self.by_coder,
            "interviewer_included": self.include_interviewer,
            "codings": self.codings,
            "passages": self.passages,
            "interviewer_codings_left_out": self.interviewer_codings,
            "line": self.line(),
        }


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _coders(names: list[str], chosen: bool, words: tuple[str, str, str, str, str]) -> str:
    """ "2 coders: Anna, Bo", or where they were chosen "chosen coder: Anna"."""
    one, many, picked_one, picked_many, none = words
    if not names:
        return none
    listed = ", ".join(names)
    if chosen:
        return f"{picked_one if len(names) == 1 else picked_many}: {listed}"
    return f"{len(names)} {one if len(names) == 1 else many}: {listed}"


class Facts(list[Fact]):
    """The counted passages, with what was counted."""

    def __init__(self, facts: Iterable[Fact] = (), counted: Counted | None = None) -> None:
        super().__init__(facts)
        self.counted = counted


class _Passage:
    """A passage being gathered: its extent, its longest coding, all its codings (a
    plain class with slots: there may be a hundred thousand)."""

    __slots__ = ("code_id", "coder_id", "coding_id", "end", "length", "merged", "start")

    def __init__(self, start: int, end: int, code_id: str, coder_id: int, coding_id: int) -> None:
        self.start, self.end, self.code_id = start, end, code_id
        self.coder_id, self.coding_id, self.length = coder_id, coding_id, end - start
        self.merged: list[int] | None = None  # the other codings merged into it

    @property
    def codings(self) -> tuple[int, ...]:
        return (self.coding_id, *sorted(self.merged)) if self.merged else (self.coding_id,)


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


def coder_names(project: Project) -> dict[int, str]:
    return dict(project.db.execute("SELECT id, name FROM coders").fetchall())


def coders_with_codings(project: Project, *, include_suggested: bool = False) -> list[str]:
    """The coders who have accepted (or, with suggestions, suggested) codings, by name."""
    statuses = ("accepted", "suggested") if include_suggested else ("accepted",)
    return [
        row[0]
        for row in project.db.execute(
            "SELECT k.name FROM coders k WHERE EXISTS (SELECT 1 FROM codings g"
            f" WHERE g.coder_id = k.id AND g.status IN ({', '.join('?' for _ in statuses)}))"
            " ORDER BY k.name COLLATE NOCASE",
            list(statuses),
        )
    ]


def interviewer_turns(project: Project) -> dict[int, tuple[list[int], list[int]]]:
    """Each document's turns of speakers flagged as interviewer: (starts, ends), sorted."""
    turns: dict[int, tuple[list[int], list[int]]] = {}
    # the turns first (CROSS JOIN keeps that order): read in order from the index of turns
    # (m015) rather than one speaker at a time and sorted after
    for document_id, start, end in project.db.execute(
        'SELECT s.document_id, s.start, s."end" FROM segments s'
        " CROSS JOIN speakers sp ON sp.id = s.speaker_id"
        " WHERE s.kind = 'turn' AND sp.is_interviewer = 1"
        " ORDER BY s.document_id, s.start"
    ):
        starts, ends = turns.setdefault(document_id, ([], []))
        starts.append(start)
        ends.append(end)
    return turns


# beyond every position: where the next interviewer turn begins when there is none
_NEVER = math.inf


def in_interviewer_turn(turns: tuple[list[int], list[int]] | None, start: int, end: int) -> bool:
    """Whether [start, end) lies inside one of the interviewer's turns."""
    if not turns:
        return False
    starts, ends = turns
    index = bisect.bisect_right(starts, start) - 1
    return index >= 0 and end <= ends[index]


def _read(
    project: Project, counting: Counting, *, lean: bool = False
) -> tuple[Iterable[tuple[Any, ...]], dict[int, str]]:
    """The codings to count, document by document in reading order (by start, then
    end, then id), as (document, start, end, code, coder, coding) rows; `lean` leaves
    out the coding (one column less to turn into Python for each of many rows)."""
    from vinr_qual.errors import VinrQualError

    names = coder_names(project)
    statuses = counting.statuses
    clauses = [f"status IN ({', '.join('?' for _ in statuses)})"]
    params: list[object] = list(statuses)
    if counting.coders:
        known = {name: cid for cid, name in names.items()}
        missing = [name for name in counting.coders if name not in known]
        if missing:
            raise VinrQualError(f"no coder named {missing[0]!r}")
        clauses.append(f"coder_id IN ({', '.join('?' for _ in counting.coders)})")
        params.extend(known[name] for name in counting.coders)
    if counting.codes:
        clauses.append(f"code_id IN ({', '.join('?' for _ in counting.codes)})")
        params.extend(counting.codes)
    # read in this order from the index that holds every column read (m015): no sort
    rows = project.db.execute(
        f'SELECT document_id, start, "end", code_id, coder_id{"" if lean else ", id"}'
        f" FROM codings WHERE {' AND '.join(clauses)}"
        ' ORDER BY document_id, start, "end", id',
        params,
    )
    return rows, names


def _counted(counting: Counting, names: dict[int, str], coder_ids: set[int]) -> Counted:
    return Counted(
        counting.include_suggested,
        sorted((names[cid] for cid in coder_ids), key=str.casefold),
        bool(counting.coders),
        counting.by_coder,
        counting.include_interviewer,
    )


def gather_passages(
    project: Project, counting: Counting, *, each_coding: bool = False
) -> tuple[dict[int, list[_Passage]], Counted, dict[int, str]]:
    """The passages of each document, in reading order, with what was counted and the
    coders' names. `each_coding` keeps every coding a passage of its own (unmerged)."""
    interviewer = {} if counting.include_interviewer else interviewer_turns(project)
    rows, names = _read(project, counting)
    found: dict[int, list[_Passage]] = {}
    coder_ids: set[int] = set()
    counted_codings = left_out = 0
    by_coder = counting.by_coder
    right = bisect.bisect_right
    document = None
    starts: list[int] = []
    ends: list[int] = []
    turn_end, next_start = -1, _NEVER  # the interviewer's turn we are in, the next one's start
    passages: list[_Passage] = []
    current: dict[object, _Passage] = {}
    for document_id, start, end, code_id, coder_id, coding_id in rows:
        if document_id != document:
            document, current, passages = document_id, {}, []
            starts, ends = interviewer.get(document_id, ([], []))
            turn_end, next_start = -1, starts[0] if starts else _NEVER
        # rows come by start: look the interviewer's turn up only on passing the start of
        # the next one, not for every coding (the same test as `in_interviewer_turn`)
        if start >= next_start:
            index = right(starts, start)
            turn_end = ends[index - 1]
            next_start = starts[index] if index < len(starts) else _NEVER
        if end <= turn_end:  # inside the interviewer's turn
            left_out += 1
            continue
        counted_codings += 1
        coder_ids.add(coder_id)
        key = (code_id, coder_id) if by_coder else code_id
        passage = current.get(key)
        if passage is not None and start < passage.end and not each_coding:
            if end > passage.end:
                passage.end = end
            if passage.merged is None:
                passage.merged = []
            if end - start > passage.length:  # the longest coding shows the passage
                passage.merged.append(passage.coding_id)
                passage.coding_id, passage.coder_id = coding_id, coder_id
                passage.length = end - start
            else:
                passage.merged.append(coding_id)
            continue
        passage = _Passage(start, end, code_id, coder_id, coding_id)
        current[key] = passage
        if not passages:
            found[document_id] = passages
        passages.append(passage)
    counted = _counted(counting, names, coder_ids)
    counted.codings = counted_codings
    counted.passages = sum(len(passages) for passages in found.values())
    counted.interviewer_codings = left_out
    return found, counted, names


def load_facts(
    project: Project,
    *,
    include_suggested: bool = False,
    coders: list[str] | None = None,
    by_coder: bool = False,
    include_interviewer: bool = False,
    with_speakers: bool = True,
    each_coding: bool = False,
    codes: list[str] | None = None,
) -> Facts:
    """The counted passages, one fact each (see the module's docstring); `each_coding`
    makes every coding a fact of its own instead. `with_speakers=False` skips finding
    each one's speaker (the turns of a large project are many), for analyses that do not
    group by speaker; `codes` counts only those codes' codings."""
    counting = Counting.of(
        include_suggested=include_suggested,
        coders=coders,
        by_coder=by_coder,
        include_interviewer=include_interviewer,
        codes=codes,
    )
    found, counted, names = gather_passages(project, counting, each_coding=each_coding)
    family_of = families(project)
    documents = {
        row[0]: (row[1], row[2])
        for row in project.db.execute("SELECT id, case_id, kind FROM documents")
    }
    # each document's turns: starts, and (end, speaker, role, is interviewer)
    turns: dict[int, tuple[list[int], list[tuple[int, int | None, str | None, int]]]] = {}
    for document_id, start, end, speaker_id, role, interviewer in (
        project.db.execute(
            'SELECT s.document_id, s.start, s."end", s.speaker_id, sp.role,'
            " coalesce(sp.is_interviewer, 0) FROM segments s"
            " LEFT JOIN speakers sp ON sp.id = s.speaker_id WHERE s.kind = 'turn'"
            " ORDER BY s.document_id, s.start"
        )
        if with_speakers
        else []
    ):
        starts, info = turns.setdefault(document_id, ([], []))
        starts.append(start)
        info.append((end, speaker_id, role, interviewer))
    facts = Facts(counted=counted)
    for document_id, passages in found.items():
        case_id, kind = documents[document_id]
        starts, info = turns.get(document_id, ([], []))
        for p in passages:
            speaker_id = role = None
            if starts:
                speaker_id, role = _speaker(starts, info, p.start, p.end, include_interviewer)
            facts.append(
                Fact(
                    p.coding_id,
                    p.code_id,
                    family_of[p.code_id],
                    document_id,
                    case_id,
                    kind,
                    p.start,
                    p.end,
                    names[p.coder_id],
                    speaker_id,
                    role,
                    1,
                    p.codings,
                )
            )
    return facts


def _speaker(
    starts: list[int],
    info: list[tuple[int, int | None, str | None, int]],
    start: int,
    end: int,
    include_interviewer: bool,
) -> tuple[int | None, str | None]:
    """The speaker (and role) of the turn a passage begins in; with the interviewer left
    out, a passage begun in the interviewer's turn is said by the next one it runs into."""
    index = bisect.bisect_right(starts, start) - 1
    if index < 0 or start >= info[index][0]:
        return None, None
    while not include_interviewer and info[index][3]:
        index += 1
        if index >= len(starts) or starts[index] >= end:
            return None, None
    _, speaker_id, role, _ = info[index]
    return speaker_id, role


# a passage where only its place matters: (start, end, code, coder of its first coding)
Span = tuple[int, int, str, int]


def passage_spans(project: Project, counting: Counting) -> tuple[dict[int, list[Span]], Counted]:
    """The passages of each document as plain tuples, in order of start, with what was
    counted: the lean `gather_passages` for analyses that need only where passages are
    (co-occurrence), with no coding ids and no object per passage. (`tally_facts` counts
    in its own loop: building these tuples only to count them costs it a tenth more.)"""
    interviewer = {} if counting.include_interviewer else interviewer_turns(project)
    rows, names = _read(project, counting, lean=True)
    found: dict[int, list[Span]] = {}
    coder_ids: set[int] = set()
    counted_codings = left_out = 0
    by_coder = counting.by_coder
    right = bisect.bisect_right
    document = None
    starts: list[int] = []
    ends: list[int] = []
    turn_end, next_start = -1, _NEVER  # the interviewer's turn we are in, the next one's start
    passages: list[Span] = []
    open_at: dict[object, int] = {}  # where in `passages` the last passage of a code is
    for document_id, start, end, code_id, coder_id in rows:
        if document_id != document:
            document, open_at, passages = document_id, {}, []
            starts, ends = interviewer.get(document_id, ([], []))
            turn_end, next_start = -1, starts[0] if starts else _NEVER
        if start >= next_start:  # into a later turn of the interviewer's (as above)
            index = right(starts, start)
            turn_end = ends[index - 1]
            next_start = starts[index] if index < len(starts) else _NEVER
        if end <= turn_end:  # inside the interviewer's turn
            left_out += 1
            continue
        counted_codings += 1
        coder_ids.add(coder_id)
        key = (code_id, coder_id) if by_coder else code_id
        at = open_at.get(key)
        if at is not None:
            passage = passages[at]
            if start < passage[1]:  # overlaps: one passage
                if end > passage[1]:
                    passages[at] = (passage[0], end, code_id, passage[3])
                continue
        if not passages:
            found[document_id] = passages
        open_at[key] = len(passages)
        passages.append((start, end, code_id, coder_id))
    counted = _counted(counting, names, coder_ids)
    counted.codings = counted_codings
    counted.passages = sum(len(passages) for passages in found.values())
    counted.interviewer_codings = left_out
    return found, counted


def tally_facts(
    project: Project,
    *,
    include_suggested: bool = False,
    coders: list[str] | None = None,
    by_coder: bool = False,
    include_interviewer: bool = False,
) -> Facts:
    """Passages counted per code, case, document kind and coder: enough for passages and
    presence by any of those, at a fraction of the cost of one fact per passage.
    Positions, documents and speakers are not kept (coding_id is -1)."""
    counting = Counting.of(
        include_suggested=include_suggested,
        coders=coders,
        by_coder=by_coder,
        include_interviewer=include_interviewer,
    )
    interviewer = {} if include_interviewer else interviewer_turns(project)
    documents = {
        row[0]: (row[1], row[2])
        for row in project.db.execute("SELECT id, case_id, kind FROM documents")
    }
    rows, names = _read(project, counting, lean=True)
    tallies: dict[tuple[str, int | None, str, int], int] = defaultdict(int)
    coder_ids: set[int] = set()
    counted_codings = left_out = 0
    right = bisect.bisect_right
    document = None
    case_id: int | None = None
    kind = ""
    starts: list[int] = []
    ends: list[int] = []
    turn_end, next_start = -1, _NEVER  # the interviewer's turn we are in, the next one's start
    reach: dict[object, int] = {}  # where the open passage of each code ends
    for document_id, start, end, code_id, coder_id in rows:
        if document_id != document:
            document, reach = document_id, {}
            case_id, kind = documents[document_id]
            starts, ends = interviewer.get(document_id, ([], []))
            turn_end, next_start = -1, starts[0] if starts else _NEVER
        if start >= next_start:  # into a later turn of the interviewer's (as above)
            index = right(starts, start)
            turn_end = ends[index - 1]
            next_start = starts[index] if index < len(starts) else _NEVER
        if end <= turn_end:  # inside the interviewer's turn
            left_out += 1
            continue
        counted_codings += 1
        coder_ids.add(coder_id)
        key = (code_id, coder_id) if by_coder else code_id
        open_end = reach.get(key)
        if open_end is not None and start < open_end:
            if end > open_end:
                reach[key] = end
            continue
        reach[key] = end
        tallies[(code_id, case_id, kind, coder_id)] += 1
    family_of = families(project)
    counted = _counted(counting, names, coder_ids)
    counted.codings = counted_codings
    counted.passages = sum(tallies.values())
    counted.interviewer_codings = left_out
    return Facts(
        (
            Fact(
                -1,
                code_id,
                family_of[code_id],
                -1,
                case_id,
                kind,
                0,
                0,
                names[coder_id],
                None,
                None,
                count,
            )
            for (code_id, case_id, kind, coder_id), count in tallies.items()
        ),
        counted,
    )


def words_in(text: str) -> int:
    return len(_WORD.findall(text))


def covered_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The stretches a set of spans cover, overlaps merged, in order."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


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
    and `where`, the marks a quote of it carries ("[00:12:31]", "s. 12"). Every coding
    is listed, each coder's and the interviewer's speech too."""
    from vinr_qual.cases.cases import cases_with_attribute, find_case
    from vinr_qual.coding.codings import list_codings

    facts = load_facts(
        project, include_suggested=include_suggested, include_interviewer=True, each_coding=True
    )
    facts.sort(key=lambda f: f.coding_id)  # as the codings were made
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
    from vinr_qual.cases.places import Places

    rows = [row for coding_id in ids for row in list_codings(project, coding_id=coding_id)]
    places = Places(project)
    for row in rows:
        place = places(row["document_id"], row["start"], row["end"])
        row.update(speaker=place.speaker, role=place.role, time=place.time, where=place.marks())
    return rows
