"""The code × case matrix, and any other pair of dimensions.

Rows and columns are each one of: `code`, `family` (the top of the code's tree), `case`,
`attr:NAME` (a case attribute's value), `band:NAME` (a number attribute in population
bands), `kind` (interview or steering document), `case+kind` (each case split into its
document kinds), `role` (the speaker's), `coder`.
Cells hold one measure: `passages` (each passage once however many coders coded it:
see vinr_qual.analysis.facts), `documents`, `speakers`, `words` coded and `share`
(coded characters over the characters of the documents the cell covers; text coded
twice counts once in both), or `presence`: how many cases (municipalities) the cell
occurs in. Totals are computed afresh, not summed (the total presence is the number of
distinct cases); `case_share` gives per row the share of all cases in which it occurs.
What was counted is in `counted` (its `line()` says it).

Rows and columns of codes are labelled with the code's name (its path where two codes
share a name); `paths` gives each code's path from the top of its tree, for files.

`case+kind` sets what people say beside what the documents promise: one column per case
and document kind ("Aby / interview", "Aby / steering"), case by case, interview before
steering before other. Every case gets a column for every kind that some case has
documents of, so a case without steering documents shows an empty steering column;
`column_documents` says how many documents each column covers (0: none of that kind),
and `groups` gives each case's columns with the case's own totals, for front ends to
draw a header over them.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter

from vinr_qual.analysis.facts import Counted, Fact, Facts, covered_spans, load_facts, words_in
from vinr_qual.codebook.project_codes import read_codebook
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project

MEASURES = ("passages", "documents", "speakers", "words", "share", "presence")
BANDS = [
    (0, "under 10 000"),
    (10_000, "10 000–49 999"),
    (50_000, "50 000–199 999"),
    (200_000, "200 000 och fler"),
]
MISSING = "–"
DOCUMENT_LEVEL = ("case", "attr", "band", "kind", "case+kind")
DIMENSIONS = (
    "code", "family", "case", "attr", "band", "kind", "case+kind", "role", "coder", "field",
)  # fmt: skip
KIND_ORDER = ("interview", "steering", "other")
CASE_KIND = "case+kind"

Key = str
_TALLY = attrgetter("tally")  # for sum(map(...)) over a cell's facts, not a Python loop


@dataclass
class ColumnGroup:
    """The columns of one case in a `case+kind` matrix, with the case's own totals (over
    all its kinds, counted afresh like every total)."""

    key: Key  # the case, keyed as in a `case` matrix (its id, or "–" for no case)
    label: str  # the case's name
    columns: list[tuple[Key, str]]  # each column's key and its document kind
    row_totals: dict[Key, float]
    total: float


@dataclass
class Matrix:
    rows: list[tuple[Key, str]]
    columns: list[tuple[Key, str]]
    measure: str
    values: dict[tuple[Key, Key], float]
    row_totals: dict[Key, float]
    column_totals: dict[Key, float]
    total: float
    case_share: dict[Key, float]
    # coding ids per cell; empty where the matrix was counted from a tally (see
    # `cell_codings` for the passages behind a cell)
    cells: dict[tuple[Key, Key], list[int]] = field(default_factory=dict)
    # by case, where the columns are `case+kind`; else empty
    groups: list[ColumnGroup] = field(default_factory=list)
    # documents each column covers, where the columns are about documents
    column_documents: dict[Key, int] = field(default_factory=dict)
    # what was counted: which codings, how, and how many
    counted: Counted | None = None
    # each code row's (and column's) path of names from the top of its tree
    paths: dict[Key, list[str]] = field(default_factory=dict)

    def value(self, row: Key, column: Key) -> float:
        return self.values.get((row, column), 0.0)


class _Dimension:
    """How one dimension keys a fact (and a document, where it is about documents)."""

    def __init__(self, project: Project, spec: str) -> None:
        self.spec = spec
        self.kind, _, self.name = spec.partition(":")
        if self.kind not in DIMENSIONS:
            raise VinrQualError(
                f"unknown dimension {spec!r}; use code, family, case, attr:NAME, band:NAME,"
                " kind, case+kind, role, coder or field"
            )
        if self.kind in ("attr", "band") and not self.name:
            raise VinrQualError(f"{spec!r} needs an attribute name, e.g. {self.kind}:län")
        self.case_names = dict(project.db.execute("SELECT id, name FROM cases").fetchall())
        self.attributes: dict[int, str] = {}
        if self.name:
            self.attributes = dict(
                project.db.execute(
                    "SELECT case_id, value FROM case_attributes WHERE name = ?", [self.name]
                ).fetchall()
            )
        book = read_codebook(project)
        self.code_paths: dict[str, list[str]] = {}
        for code, parent, _ in book.walk():
            self.code_paths[code.id] = (
                [*self.code_paths.get(parent.id, []), code.name] if parent else [code.name]
            )
        named = Counter(path[-1] for path in self.code_paths.values())
        self.shared_names = {name for name, count in named.items() if count > 1}
        self.code_order = {code.id: index for index, (code, _, _) in enumerate(book.walk())}
        self.fields: dict[str, str] = {}
        if self.kind == "field":
            self._load_fields(project)

    def _load_fields(self, project: Project) -> None:
        """The field codings of every document, to find each passage's fields by overlap
        (vinr_qual.codebook.fields): their starts sorted, and the longest, so that only
        the few near a passage are looked at."""
        from vinr_qual.codebook.fields import require_field_codes

        self.fields = require_field_codes(project)
        marks = ", ".join("?" for _ in self.fields)
        spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        for document_id, start, end, code_id in project.db.execute(
            'SELECT document_id, start, "end", code_id FROM codings'
            f" WHERE status = 'accepted' AND code_id IN ({marks}) ORDER BY document_id, start",
            list(self.fields),
        ):
            spans[document_id].append((start, end, code_id))
        self.field_spans = dict(spans)
        self.field_starts = {doc: [span[0] for span in found] for doc, found in spans.items()}
        self.field_longest = {
            doc: max(end - start for start, end, _ in found) for doc, found in spans.items()
        }
        self.field_rank = {code_id: index for index, code_id in enumerate(self.fields)}

    def field_of(self, fact: Fact) -> Key:
        """The fields whose codings overlap the passage ("BF", "BF + VINR"), or MISSING."""
        found = self.field_spans.get(fact.document_id)
        if not found:
            return MISSING
        starts = self.field_starts[fact.document_id]
        index = bisect.bisect_left(starts, fact.end) - 1
        floor = fact.start - self.field_longest[fact.document_id]
        hits: set[str] = set()
        while index >= 0 and starts[index] > floor:
            start, end, code_id = found[index]
            if start < fact.end and end > fact.start:
                hits.add(code_id)
            index -= 1
        if not hits:
            return MISSING
        return " + ".join(self.fields[c] for c in sorted(hits, key=self.field_rank.__getitem__))

    @property
    def about_documents(self) -> bool:
        return self.kind in DOCUMENT_LEVEL

    def of_case(self, case_id: int | None, kind: str) -> Key:
        if self.kind == "case":
            return str(case_id) if case_id is not None else MISSING
        if self.kind == "kind":
            return kind
        if self.kind == CASE_KIND:
            return case_kind_key(str(case_id) if case_id is not None else MISSING, kind)
        value = self.attributes.get(case_id or -1)
        if value is None:
            return MISSING
        if self.kind == "band":
            return _band(value)
        return value

    def of(self, fact: Fact) -> Key:
        if self.kind == "code":
            return fact.code_id
        if self.kind == "family":
            return fact.family_id
        if self.kind == "role":
            return fact.role or MISSING
        if self.kind == "coder":
            return fact.coder
        if self.kind == "field":
            return self.field_of(fact)
        return self.of_case(fact.case_id, fact.kind)

    def keyer(self) -> Callable[[Fact], Key]:
        """`of` as one function picked once, for keying every fact of a large matrix: a
        field read directly, or each case and kind worked out once."""
        name = {"code": "code_id", "family": "family_id", "coder": "coder"}.get(self.kind)
        if name:
            return attrgetter(name)
        if not self.about_documents:
            return self.of
        known: dict[tuple[int | None, str], Key] = {}

        def of_document(fact: Fact) -> Key:
            place = (fact.case_id, fact.kind)
            key = known.get(place)
            if key is None:
                key = known[place] = self.of_case(*place)
            return key

        return of_document

    def label(self, key: Key) -> str:
        if self.kind in ("code", "family"):
            path = self.code_paths.get(key, [key])
            return " > ".join(path) if path[-1] in self.shared_names else path[-1]
        if self.kind == "case" and key != MISSING:
            return self.case_names.get(int(key), key)
        if self.kind == CASE_KIND:
            case, kind = split_case_kind(key)
            return f"{self.case_label(case)} / {kind}"
        return key

    def case_label(self, case: Key) -> str:
        return self.case_names.get(int(case), case) if case != MISSING else case

    def order(self, key: Key) -> tuple[int, str, int, str]:
        if self.kind in ("code", "family"):
            return (self.code_order.get(key, 10**9), key, 0, "")
        if self.kind == "band":
            labels = [label for _, label in BANDS]
            return (labels.index(key) if key in labels else 99, key, 0, "")
        if self.kind == CASE_KIND:
            case, kind = split_case_kind(key)
            rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
            return (0, self.case_label(case).casefold(), rank, kind)
        if self.kind == "field":  # BF, VINR, ANDTS, then their combinations, then none
            names = key.split(" + ")
            ranks = [
                list(self.fields.values()).index(n) for n in names if n in self.fields.values()
            ]
            return (len(names) if key != MISSING else 99, str(min(ranks, default=99)), 0, key)
        return (0, self.label(key).casefold(), 0, "")


def case_kind_key(case: Key, kind: str) -> Key:
    """The key of a `case+kind` column: the case's key and the document kind."""
    return f"{case}/{kind}"


def split_case_kind(key: Key) -> tuple[Key, str]:
    case, _, kind = key.partition("/")
    return case, kind


def _band(value: str) -> str:
    try:
        number = float(value.replace(" ", "").replace(",", "."))
    except ValueError:
        return MISSING
    label = BANDS[0][1]
    for threshold, name in BANDS:
        if number >= threshold:
            label = name
    return label


def code_matrix(
    project: Project,
    *,
    rows: str = "code",
    columns: str = "case",
    measure: str = "passages",
    include_suggested: bool = False,
    coders: list[str] | None = None,
    by_coder: bool = False,
    include_interviewer: bool = False,
    facts: list[Fact] | None = None,
) -> Matrix:
    """A matrix of `measure` by `rows` × `columns`. Each passage counts once however many
    coders coded it, unless `by_coder` (each coder's passages on their own: what a
    `coder` dimension always counts); `coders` limits it to some coders' codings; the
    interviewer's speech is left out unless `include_interviewer`. `facts`, when given,
    are counted as they are (see vinr_qual.analysis.facts.load_facts)."""
    if measure not in MEASURES:
        raise VinrQualError(f"unknown measure {measure!r}; use {', '.join(MEASURES)}")
    row_dim, column_dim = _Dimension(project, rows), _Dimension(project, columns)
    kinds_used = (row_dim.kind, column_dim.kind)
    by_coder = by_coder or "coder" in kinds_used
    if (
        facts is None
        and measure in ("passages", "presence")
        and "role" not in kinds_used
        and "field" not in kinds_used  # a tally has no spans to find fields by
    ):
        from vinr_qual.analysis.facts import tally_facts

        facts = tally_facts(
            project,
            include_suggested=include_suggested,
            coders=coders,
            by_coder=by_coder,
            include_interviewer=include_interviewer,
        )
    if facts is None:
        facts = load_facts(
            project,
            include_suggested=include_suggested,
            coders=coders,
            by_coder=by_coder,
            include_interviewer=include_interviewer,
            with_speakers=measure == "speakers" or "role" in kinds_used,
        )
    if "field" in kinds_used:  # the field codings themselves are not counted as themes
        field_ids = set((row_dim if row_dim.kind == "field" else column_dim).fields)
        facts = Facts(
            (fact for fact in facts if fact.code_id not in field_ids),
            counted=getattr(facts, "counted", None),
        )
    documents = project.db.execute("SELECT id, case_id, kind, length FROM documents").fetchall()
    texts: dict[int, str] = {}
    if measure == "words":
        texts = dict(project.db.execute("SELECT id, text FROM documents").fetchall())

    cells: dict[tuple[Key, Key], list[Fact]] = defaultdict(list)
    row_of, column_of = row_dim.keyer(), column_dim.keyer()
    for fact in facts:
        cells[(row_of(fact), column_of(fact))].append(fact)

    # characters of the documents each row, column and cell covers (for `share`)
    lengths: dict[tuple[Key | None, Key | None], int] = defaultdict(int)
    column_documents: dict[Key, int] = defaultdict(int)
    for _, case_id, kind, length in documents:
        row_key = row_dim.of_case(case_id, kind) if row_dim.about_documents else None
        column_key = column_dim.of_case(case_id, kind) if column_dim.about_documents else None
        for key in {(row_key, column_key), (row_key, None), (None, column_key), (None, None)}:
            lengths[key] += length
        if column_key is not None:
            column_documents[column_key] += 1

    def denominator(row: Key | None, column: Key | None) -> int:
        return lengths[
            (
                row if row_dim.about_documents else None,
                column if column_dim.about_documents else None,
            )
        ]

    def measure_of(group: list[Fact], row: Key | None, column: Key | None) -> float:
        return _measure(measure, group, texts, lambda: denominator(row, column))

    row_keys = sorted({key for key, _ in cells}, key=row_dim.order)
    column_keys = sorted({key for _, key in cells}, key=column_dim.order)
    if column_dim.kind == "case":
        column_keys = sorted(
            {str(case_id) for case_id in row_dim.case_names} | set(column_keys),
            key=column_dim.order,
        )
    if column_dim.kind == CASE_KIND:
        # every case, and for each every kind some case has documents of (or codings in)
        seen = [split_case_kind(key) for key in column_keys]
        cases = {str(case_id) for case_id in row_dim.case_names} | {case for case, _ in seen}
        kinds = {kind for _, case_id, kind, _ in documents if case_id is not None}
        kinds |= {kind for _, kind in seen}
        column_keys = sorted(
            {case_kind_key(case, kind) for case in cases for kind in kinds},
            key=column_dim.order,
        )
    if measure == "passages":  # the usual matrix, one cell per code and case: no call each
        values = {key: float(sum(map(_TALLY, group))) for key, group in cells.items()}
    else:
        values = {key: measure_of(group, *key) for key, group in cells.items()}
    by_row: dict[Key, list[Fact]] = defaultdict(list)
    by_column: dict[Key, list[Fact]] = defaultdict(list)
    for (row, column), group in cells.items():
        by_row[row].extend(group)
        by_column[column].extend(group)
    all_cases = len(row_dim.case_names) or 1
    groups = (
        _case_groups(measure, row_dim, column_dim, row_keys, column_keys, cells, documents, texts)
        if column_dim.kind == CASE_KIND
        else []
    )
    paths = {
        key: dim.code_paths.get(key, [key])
        for dim, keys in ((row_dim, row_keys), (column_dim, column_keys))
        if dim.kind in ("code", "family")
        for key in keys
    }
    return Matrix(
        rows=[(key, row_dim.label(key)) for key in row_keys],
        columns=[(key, column_dim.label(key)) for key in column_keys],
        measure=measure,
        values=values,
        row_totals={key: measure_of(by_row[key], key, None) for key in row_keys},
        column_totals={key: measure_of(by_column[key], None, key) for key in column_keys},
        total=measure_of(list(facts), None, None),
        case_share={
            key: len({f.case_id for f in by_row[key] if f.case_id is not None}) / all_cases
            for key in row_keys
        },
        cells={
            key: [fact.coding_id for fact in group if fact.coding_id >= 0]
            for key, group in cells.items()
        },
        groups=groups,
        column_documents=(
            {key: column_documents.get(key, 0) for key in column_keys}
            if column_dim.about_documents
            else {}
        ),
        counted=getattr(facts, "counted", None),
        paths=paths,
    )


def _case_groups(
    measure: str,
    row_dim: _Dimension,
    column_dim: _Dimension,
    row_keys: list[Key],
    column_keys: list[Key],
    cells: dict[tuple[Key, Key], list[Fact]],
    documents: list[tuple[int, int | None, str, int]],
    texts: dict[int, str],
) -> list[ColumnGroup]:
    """The columns of a `case+kind` matrix by case, with each case's totals."""
    groups: list[ColumnGroup] = []
    for key in column_keys:
        case, kind = split_case_kind(key)
        if not groups or groups[-1].key != case:
            groups.append(ColumnGroup(case, column_dim.case_label(case), [], {}, 0.0))
        groups[-1].columns.append((key, kind))
    of_case: dict[tuple[Key | None, Key], list[Fact]] = defaultdict(list)
    for (row, column), found in cells.items():
        case, _ = split_case_kind(column)
        of_case[(row, case)].extend(found)
        of_case[(None, case)].extend(found)
    lengths: dict[tuple[Key | None, Key], int] = defaultdict(int)
    for _, case_id, kind, length in documents:
        case = str(case_id) if case_id is not None else MISSING
        lengths[(None, case)] += length
        if row_dim.about_documents:
            lengths[(row_dim.of_case(case_id, kind), case)] += length

    def measure_of(row: Key | None, case: Key) -> float:
        denominator = (row if row_dim.about_documents else None, case)
        return _measure(measure, of_case[(row, case)], texts, lambda: lengths[denominator])

    for group in groups:
        group.row_totals = {row: measure_of(row, group.key) for row in row_keys}
        group.total = measure_of(None, group.key)
    return groups


def _measure(
    measure: str, group: list[Fact], texts: dict[int, str], denominator: Callable[[], int]
) -> float:
    if measure == "passages":
        return float(sum(map(_TALLY, group)))
    if measure == "presence":  # in how many cases (municipalities)
        return float(len({fact.case_id for fact in group if fact.case_id is not None}))
    if measure == "documents":
        return float(len({fact.document_id for fact in group}))
    if measure == "speakers":
        return float(len({fact.speaker_id for fact in group if fact.speaker_id is not None}))
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for fact in group:
        spans[fact.document_id].append((fact.start, fact.end))
    if measure == "words":  # words of the text coded, text coded twice counted once
        return float(
            sum(
                words_in(texts[document_id][start:end])
                for document_id, document_spans in spans.items()
                for start, end in covered_spans(document_spans)
            )
        )
    covered = sum(
        end - start
        for document_spans in spans.values()
        for start, end in covered_spans(document_spans)
    )
    total = denominator()
    return covered / total if total else 0.0


def cell_codings(
    project: Project,
    *,
    rows: str,
    columns: str,
    row: Key,
    column: Key,
    include_suggested: bool = False,
    coders: list[str] | None = None,
    by_coder: bool = False,
    include_interviewer: bool = False,
) -> list[int]:
    """The passages behind one cell of a matrix (its drill-down), one coding each (the
    passage's longest), counted as `code_matrix` counts them."""
    row_dim, column_dim = _Dimension(project, rows), _Dimension(project, columns)
    kinds = (row_dim.kind, column_dim.kind)
    facts = load_facts(
        project,
        include_suggested=include_suggested,
        coders=coders,
        by_coder=by_coder or "coder" in kinds,
        include_interviewer=include_interviewer,
        with_speakers="role" in kinds,
    )
    return [f.coding_id for f in facts if row_dim.of(f) == row and column_dim.of(f) == column]
