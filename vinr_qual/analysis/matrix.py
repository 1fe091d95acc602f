"""The code × case matrix, and any other pair of dimensions.

Rows and columns are each one of: `code`, `family` (the top of the code's tree), `case`,
`attr:NAME` (a case attribute's value), `band:NAME` (a number attribute in population
bands), `kind` (interview or steering document), `role` (the speaker's), `coder`.
Cells hold one measure: `passages` (codings), `documents`, `speakers`, `words` coded,
`share` (coded characters over the characters of the documents the cell covers) or
`presence` (1 or 0). Totals are computed afresh, not summed; `case_share` gives per row
the share of all cases in which it occurs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from vinr_qual.analysis.facts import Fact, load_facts, words_in
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
DOCUMENT_LEVEL = ("case", "attr", "band", "kind")

Key = str


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

    def value(self, row: Key, column: Key) -> float:
        return self.values.get((row, column), 0.0)


class _Dimension:
    """How one dimension keys a fact (and a document, where it is about documents)."""

    def __init__(self, project: Project, spec: str) -> None:
        self.spec = spec
        self.kind, _, self.name = spec.partition(":")
        if self.kind not in ("code", "family", "case", "attr", "band", "kind", "role", "coder"):
            raise VinrQualError(
                f"unknown dimension {spec!r}; use code, family, case, attr:NAME, band:NAME,"
                " kind, role or coder"
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
        self.code_paths = book.paths()
        self.code_order = {code.id: index for index, (code, _, _) in enumerate(book.walk())}

    @property
    def about_documents(self) -> bool:
        return self.kind in DOCUMENT_LEVEL

    def of_case(self, case_id: int | None, kind: str) -> Key:
        if self.kind == "case":
            return str(case_id) if case_id is not None else MISSING
        if self.kind == "kind":
            return kind
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
        return self.of_case(fact.case_id, fact.kind)

    def label(self, key: Key) -> str:
        if self.kind in ("code", "family"):
            return self.code_paths.get(key, key)
        if self.kind == "case" and key != MISSING:
            return self.case_names.get(int(key), key)
        return key

    def order(self, key: Key) -> tuple[int, str]:
        if self.kind in ("code", "family"):
            return (self.code_order.get(key, 10**9), key)
        if self.kind == "band":
            labels = [label for _, label in BANDS]
            return (labels.index(key) if key in labels else 99, key)
        return (0, self.label(key).casefold())


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
    facts: list[Fact] | None = None,
) -> Matrix:
    if measure not in MEASURES:
        raise VinrQualError(f"unknown measure {measure!r}; use {', '.join(MEASURES)}")
    row_dim, column_dim = _Dimension(project, rows), _Dimension(project, columns)
    if (
        facts is None
        and measure in ("passages", "presence")
        and "role" not in (row_dim.kind, column_dim.kind)
    ):
        from vinr_qual.analysis.facts import tally_facts

        facts = tally_facts(project, include_suggested=include_suggested)
    if facts is None:
        needs_speakers = measure == "speakers" or "role" in (row_dim.kind, column_dim.kind)
        facts = load_facts(
            project, include_suggested=include_suggested, with_speakers=needs_speakers
        )
    documents = project.db.execute("SELECT id, case_id, kind, length FROM documents").fetchall()
    texts: dict[int, str] = {}
    if measure == "words":
        texts = dict(project.db.execute("SELECT id, text FROM documents").fetchall())

    cells: dict[tuple[Key, Key], list[Fact]] = defaultdict(list)
    for fact in facts:
        cells[(row_dim.of(fact), column_dim.of(fact))].append(fact)

    # characters of the documents each row, column and cell covers (for `share`)
    lengths: dict[tuple[Key | None, Key | None], int] = defaultdict(int)
    for _, case_id, kind, length in documents:
        row_key = row_dim.of_case(case_id, kind) if row_dim.about_documents else None
        column_key = column_dim.of_case(case_id, kind) if column_dim.about_documents else None
        for key in {(row_key, column_key), (row_key, None), (None, column_key), (None, None)}:
            lengths[key] += length

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
    values = {key: measure_of(group, *key) for key, group in cells.items()}
    by_row: dict[Key, list[Fact]] = defaultdict(list)
    by_column: dict[Key, list[Fact]] = defaultdict(list)
    for (row, column), group in cells.items():
        by_row[row].extend(group)
        by_column[column].extend(group)
    all_cases = len(row_dim.case_names) or 1
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
    )


def _measure(
    measure: str, group: list[Fact], texts: dict[int, str], denominator: Callable[[], int]
) -> float:
    if measure == "passages":
        return float(sum(fact.tally for fact in group))
    if measure == "presence":
        return 1.0 if group else 0.0
    if measure == "documents":
        return float(len({fact.document_id for fact in group}))
    if measure == "speakers":
        return float(len({fact.speaker_id for fact in group if fact.speaker_id is not None}))
    if measure == "words":
        return float(sum(words_in(texts[f.document_id][f.start : f.end]) for f in group))
    covered = 0
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for fact in group:
        spans[fact.document_id].append((fact.start, fact.end))
    for document_spans in spans.values():
        reach = 0
        for start, end in sorted(document_spans):
            if end > reach:
                covered += end - max(start, reach)
                reach = end
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
) -> list[int]:
    """The codings behind one cell of a matrix (its drill-down)."""
    row_dim, column_dim = _Dimension(project, rows), _Dimension(project, columns)
    facts = load_facts(
        project,
        include_suggested=include_suggested,
        with_speakers="role" in (row_dim.kind, column_dim.kind),
    )
    return [f.coding_id for f in facts if row_dim.of(f) == row and column_dim.of(f) == column]
