"""Retrieval ("coded segments"): every passage coded with one or more codes, with where
it stands and who coded it.

`retrieve` lists the passages of codes (with their children, unless told not to),
narrowed by case, case attribute, document kind, speaker role, coder and status. Each
passage carries its document, case and the case's attributes, the speaker whose turn it
starts in and their role, the turn's time in the recording ("[00:12:31]") and the pages
it covers ("s. 12–13"), its code with the code's path, its coders and their memos.

A passage is listed once: codings of the same code whose spans overlap (by one coder or
several) are one passage naming each coder, with all their coding ids, GUIDs and memos,
shown by its longest coding, as the analyses count it (vinr_qual.analysis.facts).
`by_coder=True` merges only each coder's own and lists a passage once per coder.
Passages come in reading order (document name, then position), or grouped by case (case
name, then reading order).

One query reads the codings (with their memos), one the case attributes, and each
document's turns and pages are read once (`Places`): no query per passage.
`matrix_selection` turns a row, column or cell of a matrix into what to retrieve.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from vinr_qual.cases.places import Places, clock
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project

STATUSES = ("accepted", "suggested", "rejected", "any")
KINDS = ("interview", "steering", "other")


@dataclass(frozen=True)
class Memo:
    """A coding's memo and who wrote it."""

    coder: str | None
    text: str
    coding_id: int


@dataclass
class Retrieved:
    """One passage of a code, with its place, its coders and their memos."""

    document_id: int
    document: str
    case: str | None
    kind: str
    start: int
    end: int
    text: str  # as it stands in the document, hard line breaks and all
    code_id: str
    code: str
    code_path: list[str]  # names from the top of the codebook down to the code
    coders: list[str]
    coding_ids: list[int]
    coding_guids: list[str]
    statuses: list[str]
    memos: list[Memo] = field(default_factory=list)
    speaker: str | None = None
    role: str | None = None
    time: float | None = None  # seconds into the recording at which the turn starts
    pages: tuple[int, int] | None = None
    time_mark: str = ""  # "[00:12:31]"
    page_mark: str = ""  # "s. 12", "s. 12–13"
    attributes: dict[str, str] = field(default_factory=dict)  # the case's

    @property
    def passage(self) -> str:
        """The text with its line breaks (and every run of white space) folded to a space."""
        return fold(self.text)

    @property
    def marks(self) -> str:
        """The time and page marks that apply, as a quote is followed by them."""
        return " ".join(mark for mark in (self.time_mark, self.page_mark) if mark)

    def as_dict(self) -> dict[str, Any]:
        """For JSON: every field, and the folded passage beside the text as it stands."""
        data = asdict(self)
        data["passage"] = self.passage
        data["pages"] = list(self.pages) if self.pages else None
        return data


@dataclass(frozen=True)
class Selection:
    """What to retrieve, as `retrieve` takes it: for a front end to keep, change and run."""

    codes: tuple[str, ...] = ()  # code ids; none is every code
    with_children: bool = True
    case: str | None = None
    attribute: tuple[str, str] | None = None
    kind: str | None = None
    role: str | None = None
    coders: tuple[str, ...] = ()
    status: str = "accepted"
    by_coder: bool = False
    group_by_case: bool = False
    include_interviewer: bool = True
    # only passages with one of these codings (those a matrix counted behind a key)
    coding_ids: frozenset[int] | None = None

    def run(self, project: Project) -> list[Retrieved]:
        return retrieve(
            project,
            codes=list(self.codes),
            with_children=self.with_children,
            case=self.case,
            attribute=self.attribute,
            kind=self.kind,
            role=self.role,
            coders=list(self.coders) or None,
            status=self.status,
            by_coder=self.by_coder,
            group_by_case=self.group_by_case,
            include_interviewer=self.include_interviewer,
            coding_ids=self.coding_ids,
        )


def fold(text: str) -> str:
    """Text on one line: hard line breaks and runs of white space become one space."""
    return " ".join(text.split())


def code_paths(project: Project) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each code's path of names from the top, and each code's children's ids."""
    from vinr_qual.codebook.project_codes import read_codebook

    paths: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    for code, parent, _ in read_codebook(project).walk():
        paths[code.id] = [*paths[parent.id], code.name] if parent else [code.name]
        children[code.id] = [child.id for child in code.children]
    return paths, children


def with_descendants(codes: Collection[str], children: dict[str, list[str]]) -> set[str]:
    found: set[str] = set()
    waiting = list(codes)
    while waiting:
        code_id = waiting.pop()
        if code_id not in found:
            found.add(code_id)
            waiting.extend(children.get(code_id, []))
    return found


def retrieve(
    project: Project,
    *,
    codes: Sequence[str] | None = None,
    with_children: bool = True,
    case: str | None = None,
    attribute: tuple[str, str] | None = None,
    kind: str | None = None,
    role: str | None = None,
    coders: Sequence[str] | None = None,
    status: str = "accepted",
    by_coder: bool = False,
    group_by_case: bool = False,
    include_interviewer: bool = True,
    coding_ids: Collection[int] | None = None,
) -> list[Retrieved]:
    """The passages coded with `codes` (ids; with their children unless `with_children`
    is False; none or empty: every code), each listed once: the codings of one code whose
    spans overlap are merged into one passage naming each coder, with all their ids,
    GUIDs and memos, shown by its longest coding (`by_coder`: merged within each coder,
    once per coder). Spans that only touch stay two.

    Filters, each optional: `case` (a name, any letter case), `attribute` (NAME, VALUE of
    the case, any letter case), `kind` (of document), `role` (of the speaker whose turn
    the passage starts in), `coders` (names: only their codings count, so a passage
    names only the coders asked for), `status` ("accepted", "suggested", "rejected" or
    "any"), `include_interviewer=False` leaves out passages inside an interviewer's
    turn, and `coding_ids` keeps only passages with one of those codings. Reading order,
    or by case with `group_by_case`."""
    from vinr_qual.cases.cases import find_case

    if status not in STATUSES:
        raise VinrQualError(f"status {status!r} is not one of {', '.join(STATUSES)}")
    if kind is not None and kind not in KINDS:
        raise VinrQualError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    paths, children = code_paths(project)
    clauses: list[str] = []
    params: list[Any] = []
    if codes:
        unknown = [code_id for code_id in codes if code_id not in paths]
        if unknown:
            raise VinrQualError(f"no code with id {', '.join(unknown)}")
        wanted = with_descendants(codes, children) if with_children else set(codes)
        clauses.append(f"g.code_id IN ({', '.join('?' for _ in wanted)})")
        params.extend(sorted(wanted))
    if status != "any":
        clauses.append("g.status = ?")
        params.append(status)
    if coders:
        clauses.append(f"k.name COLLATE NOCASE IN ({', '.join('?' for _ in coders)})")
        params.extend(name.strip() for name in coders)
    if case is not None:
        case_id = find_case(project, case)
        if case_id is None:
            raise VinrQualError(f"no case {case!r}; see `vinr-qual cases list`")
        clauses.append("d.case_id = ?")
        params.append(case_id)
    attributes = _case_attributes(project)
    if attribute is not None:
        # as cases_with_attribute, but any letter case in Swedish too (Ä = ä)
        name, value = (part.strip().casefold() for part in attribute)
        with_attribute = {
            case_id
            for case_id, values in attributes.items()
            for key, found in values.items()
            if key.casefold() == name and found.strip().casefold() == value
        }
        if not with_attribute:
            return []
        clauses.append(f"d.case_id IN ({', '.join('?' for _ in with_attribute)})")
        params.extend(sorted(with_attribute))
    if kind is not None:
        clauses.append("d.kind = ?")
        params.append(kind)
    if coding_ids is not None and not coding_ids:
        return []
    only = set(coding_ids) if coding_ids is not None else None
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = project.db.execute(
        'SELECT g.id, g.guid, g.document_id, d.name, d.case_id, c.name, d.kind, g.start, g."end",'
        ' substr(d.text, g.start + 1, g."end" - g.start), g.code_id, k.name, g.status,'
        " m.text, mk.name"
        " FROM codings g JOIN documents d ON d.id = g.document_id"
        " JOIN coders k ON k.id = g.coder_id LEFT JOIN cases c ON c.id = d.case_id"
        " LEFT JOIN memos m ON m.coding_id = g.id LEFT JOIN coders mk ON mk.id = m.coder_id"
        f' {where} ORDER BY d.name, g.start, g."end", g.id, m.id',
        params,
    ).fetchall()
    from vinr_qual.analysis.facts import in_interviewer_turn, interviewer_turns

    interviewers = {} if include_interviewer else interviewer_turns(project)
    found: list[Retrieved] = []
    open_items: dict[tuple[Any, ...], Retrieved] = {}  # the latest passage of a code
    reaches: dict[tuple[Any, ...], int] = {}  # how far its codings reach
    case_ids: dict[int, int | None] = {}
    for (
        coding_id,
        guid,
        document_id,
        document,
        case_id,
        case_name,
        document_kind,
        start,
        end,
        text,
        code_id,
        coder,
        coding_status,
        memo,
        memo_coder,
    ) in rows:
        if in_interviewer_turn(interviewers.get(document_id), start, end):
            continue  # left out before merging, as the analyses count
        key: tuple[Any, ...] = (document_id, code_id)
        if by_coder:
            key += (coder,)
        item = open_items.get(key)
        if item is not None and start < reaches[key]:
            # overlapping codings of one code are one passage, shown by its longest coding
            reaches[key] = max(reaches[key], end)
            if end - start > item.end - item.start:
                item.start, item.end, item.text = start, end, text
        else:
            item = open_items[key] = Retrieved(
                document_id=document_id,
                document=document,
                case=case_name,
                kind=document_kind,
                start=start,
                end=end,
                text=text,
                code_id=code_id,
                code=paths[code_id][-1],
                code_path=list(paths[code_id]),
                coders=[],
                coding_ids=[],
                coding_guids=[],
                statuses=[],
                attributes=dict(attributes.get(case_id, {})),
            )
            found.append(item)
            reaches[key] = end
            case_ids[document_id] = case_id
        if coding_id not in item.coding_ids:
            item.coding_ids.append(coding_id)
            item.coding_guids.append(guid)
            if coding_status not in item.statuses:
                item.statuses.append(coding_status)
            if coder not in item.coders:
                item.coders.append(coder)
        if memo:
            item.memos.append(Memo(memo_coder, memo, coding_id))
    places = Places(project)
    passages: list[Retrieved] = []
    for item in found:
        place = places(item.document_id, item.start, item.end)
        if role is not None and (place.role or "").casefold() != role.strip().casefold():
            continue
        if only is not None and only.isdisjoint(item.coding_ids):
            continue
        item.speaker, item.role, item.time, item.pages = (
            place.speaker,
            place.role,
            place.time,
            place.pages,
        )
        item.time_mark, item.page_mark = place.time_mark, place.page_mark
        item.coders.sort(key=str.casefold)
        passages.append(item)
    order = {code_id: index for index, code_id in enumerate(paths)}

    def reading(item: Retrieved) -> tuple[Any, ...]:
        return (item.document, item.start, item.end, order[item.code_id], item.coders)

    passages.sort(key=reading)
    if group_by_case:
        passages.sort(key=lambda item: (item.case is None, (item.case or "").casefold()))
    return passages


def _case_attributes(project: Project) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    for case_id, name, value in project.db.execute(
        "SELECT case_id, name, value FROM case_attributes ORDER BY case_id, name"
    ):
        found.setdefault(case_id, {})[name] = value
    return found


def count_cases(passages: Sequence[Retrieved]) -> int:
    """How many cases the passages come from (documents without a case not counted)."""
    return len({item.case.casefold() for item in passages if item.case})


# a matrix's rows, columns and cells --------------------------------------------------


@dataclass(frozen=True)
class MatrixPick:
    """A row, a column, a cell, or (neither) the whole of a matrix of `rows` × `columns`
    (dimension specs, as vinr_qual.analysis.matrix takes them; keys as its matrix has
    them)."""

    rows: str
    columns: str
    row: str | None = None
    column: str | None = None

    def selection(self, project: Project) -> Selection:
        return matrix_selection(
            project, rows=self.rows, columns=self.columns, row=self.row, column=self.column
        )


def matrix_selection(
    project: Project,
    *,
    rows: str,
    columns: str,
    row: str | None = None,
    column: str | None = None,
    include_interviewer: bool = False,
) -> Selection:
    """What to retrieve for a row, column or cell of a matrix: its code (a family with
    its children), case, attribute, kind, role or coder as filters. A key that no filter
    says (no case, no role, a population band) is kept as the codings behind it, found
    as the matrix finds a cell's (vinr_qual.analysis.matrix.cell_codings). Interviewers'
    speech is left out, as a matrix leaves it out, unless `include_interviewer`."""
    from vinr_qual.analysis.matrix import cell_codings

    values: dict[str, Any] = {}
    unsaid: list[tuple[str, str]] = []
    for spec, key in ((rows, row), (columns, column)):
        if key is None:
            continue
        said = _filters_of(project, spec, key)
        if said is None or any(values.get(name, value) != value for name, value in said.items()):
            unsaid.append((spec, key))
        else:
            values.update(said)
    if len(unsaid) == 2 and row is not None and column is not None:
        values["coding_ids"] = frozenset(
            cell_codings(project, rows=rows, columns=columns, row=row, column=column)
        )
    elif unsaid:
        # a dimension against itself: the codings whose key in it is `key`
        spec, key = unsaid[0]
        values["coding_ids"] = frozenset(
            cell_codings(project, rows=spec, columns=spec, row=key, column=key)
        )
    values.setdefault("with_children", False)
    return Selection(**values, include_interviewer=include_interviewer)


def _filters_of(project: Project, spec: str, key: str) -> dict[str, Any] | None:
    """The filters that say a matrix key of dimension `spec`, or None if none can."""
    from vinr_qual.analysis.matrix import CASE_KIND, MISSING, split_case_kind

    kind, _, name = spec.partition(":")
    if kind == "code":
        return {"codes": (key,), "with_children": False}
    if kind == "family":
        return {"codes": (key,), "with_children": True}
    if kind == "coder":
        return {"coders": (key,)}
    if key == MISSING:
        return None
    if kind == "role":
        return {"role": key}
    if kind == "kind":
        return {"kind": key}
    if kind == "attr":
        return {"attribute": (name, key)}
    if kind in ("case", CASE_KIND):
        case, document_kind = split_case_kind(key) if kind == CASE_KIND else (key, "")
        if case == MISSING:
            return None
        found = project.db.execute("SELECT name FROM cases WHERE id = ?", [int(case)]).fetchone()
        if found is None:
            return None
        return {"case": found[0], **({"kind": document_kind} if document_kind else {})}
    return None  # a band of a number attribute: the codings behind it


# files --------------------------------------------------------------------------------


def passage_table(
    passages: Sequence[Retrieved], attribute_names: Sequence[str]
) -> tuple[list[str], list[list[str | int | float | None]]]:
    """One row per passage, whole and folded: its case and every case attribute, its
    place, its code with the code's path split into path_1, path_2…, its coders and
    memos. For vinr_qual.export.tables.write_table."""
    depth = max((len(item.code_path) for item in passages), default=1)
    header = [
        "case",
        *attribute_names,
        "document",
        "kind",
        "start",
        "end",
        "speaker",
        "role",
        "time",
        "pages",
        "code",
        *(f"path_{level}" for level in range(1, depth + 1)),
        "coders",
        "status",
        "memos",
        "passage",
        "coding_ids",
        "coding_guids",
    ]
    table: list[list[str | int | float | None]] = []
    for item in passages:
        path: list[str | None] = [*item.code_path, *([None] * (depth - len(item.code_path)))]
        first, last = item.pages or (None, None)
        pages = None if first is None else str(first) if first == last else f"{first}–{last}"
        table.append(
            [
                item.case,
                *(item.attributes.get(name) for name in attribute_names),
                item.document,
                item.kind,
                item.start,
                item.end,
                item.speaker,
                item.role,
                clock(item.time) if item.time is not None else None,
                pages,
                item.code,
                *path,
                "; ".join(item.coders),
                "; ".join(item.statuses),
                "\n".join(
                    f"{memo.coder}: {memo.text}" if memo.coder else memo.text for memo in item.memos
                ),
                item.passage,
                "; ".join(str(coding_id) for coding_id in item.coding_ids),
                "; ".join(item.coding_guids),
            ]
        )
    return header, table
