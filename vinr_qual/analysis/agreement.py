"""Intercoder agreement on the same documents: percent agreement, Cohen's kappa (two
coders) and Krippendorff's alpha (any number; nominal), per code and overall.

Units are the segments of a kind (sentence, speaker turn, paragraph) in the documents
every chosen coder has coded; for each code, a coder's value for a unit is whether they
coded it with that code (a coding touching the unit counts). The `character` unit
compares every character instead: stretches where the coders' values do not change are
weighted by their length. Units lying inside the interviewer's turns are left out
unless asked for (`include_interviewer`): nobody codes the questions, and counting them
would only add agreement on nothing. Units where the coders disagree can be put in the
review queue as suggestions, for the team to settle.

Percent agreement over all units rises with every unit nobody coded: two coders who
never coded the same sentence still "agree" on the hundreds they both left alone. So
each figure comes with the agreement over the units at least one coder coded
(`coded_percent`, over `coded_units`), which is the figure to quote; kappa and alpha are
over all units (`units`), which they correct for chance.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from vinr_qual.analysis.facts import in_interviewer_turn, interviewer_turns
from vinr_qual.coding.codings import add_suggestions
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project

UNITS = ("sentence", "turn", "paragraph", "character")
AGREEMENT_CODER = "vinr-qual agreement"


def krippendorff_alpha(
    units: Sequence[Sequence[object | None]], weights: Sequence[float] | None = None
) -> float | None:
    """Nominal alpha; each unit lists the coders' values (None where one gave none).

    Follows Krippendorff (2011), "Computing Krippendorff's alpha-reliability": values of
    a unit are paired across coders into a coincidence matrix, each pair weighted
    1/(m_u − 1); alpha = 1 − D_o / D_e. None when there is no variation to judge.
    """
    coincidences: dict[tuple[object, object], float] = defaultdict(float)
    for index, unit in enumerate(units):
        values = [value for value in unit if value is not None]
        pairable = len(values)
        if pairable < 2:
            continue
        weight = (weights[index] if weights is not None else 1.0) / (pairable - 1)
        for i, first in enumerate(values):
            for j, second in enumerate(values):
                if i != j:
                    coincidences[(first, second)] += weight
    totals: dict[object, float] = defaultdict(float)
    for (first, _), count in coincidences.items():
        totals[first] += count
    n = sum(totals.values())
    if n <= 1:
        return None
    observed = sum(count for (a, b), count in coincidences.items() if a != b)
    expected = sum(totals[a] * totals[b] for a in totals for b in totals if a != b) / (n - 1)
    if expected == 0:
        return None
    return 1.0 - observed / expected


def cohen_kappa(
    first: Sequence[object], second: Sequence[object], weights: Sequence[float] | None = None
) -> float | None:
    weights = weights if weights is not None else [1.0] * len(first)
    total = sum(weights)
    if not total:
        return None
    observed = sum(w for a, b, w in zip(first, second, weights, strict=True) if a == b) / total
    categories = set(first) | set(second)
    expected = sum(
        (sum(w for a, w in zip(first, weights, strict=True) if a == c) / total)
        * (sum(w for b, w in zip(second, weights, strict=True) if b == c) / total)
        for c in categories
    )
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


@dataclass
class Figures:
    units: float  # all units (characters, for the character unit): behind percent, kappa, alpha
    percent: float | None  # agreement over all units
    kappa: float | None
    alpha: float | None
    coded_units: float = 0  # units at least one coder coded
    coded_percent: float | None = None  # agreement over those: the figure to quote


@dataclass
class Agreement:
    coders: list[str]
    unit: str
    documents: list[str]
    per_code: dict[str, Figures]  # by code name
    overall: Figures
    disagreements: list[tuple[str, int, int, int]] = field(
        default_factory=list
    )  # code id, doc, start, end
    include_interviewer: bool = False
    left_out: float = 0  # units (characters) left out as the interviewer's speech

    def line(self) -> str:
        """What was compared, e.g. "Compared: accepted codings of Anna, Bo on 2
        documents they all coded, by sentence; interviewer speech left out (4
        sentences)"."""
        unit = {"sentence": "sentences", "turn": "turns", "paragraph": "paragraphs"}.get(
            self.unit, "characters"
        )
        line = (
            f"Compared: accepted codings of {', '.join(self.coders)} on"
            f" {len(self.documents)} {'document' if len(self.documents) == 1 else 'documents'}"
            f" they all coded, by {self.unit}; "
        )
        if self.include_interviewer:
            return line + "interviewer speech included"
        return line + f"interviewer speech left out ({self.left_out:g} {unit})"


def _figures(rows: list[tuple[int, ...]], weights: list[float], coders: int) -> Figures:
    total = sum(weights)
    if not total:
        return Figures(0, None, None, None)
    agree = coded = coded_agree = 0.0
    for row, weight in zip(rows, weights, strict=True):
        same = len(set(row)) == 1
        agree += weight if same else 0.0
        if any(row):
            coded += weight
            coded_agree += weight if same else 0.0
    kappa = None
    if coders == 2:
        kappa = cohen_kappa([row[0] for row in rows], [row[1] for row in rows], weights)
    return Figures(
        total,
        agree / total,
        kappa,
        krippendorff_alpha(rows, weights),
        coded,
        coded_agree / coded if coded else None,
    )


def agreement(
    project: Project,
    coders: list[str],
    *,
    unit: str = "sentence",
    codes: list[str] | None = None,
    include_interviewer: bool = False,
) -> Agreement:
    if unit not in UNITS:
        raise VinrQualError(f"unknown unit {unit!r}; use {', '.join(UNITS)}")
    if len(set(coders)) < 2:
        raise VinrQualError("agreement needs at least two coders")
    ids = {}
    for name in coders:
        row = project.db.execute("SELECT id FROM coders WHERE name = ?", [name]).fetchone()
        if row is None:
            raise VinrQualError(f"no coder named {name!r}")
        ids[name] = row[0]
    marks = ", ".join("?" for _ in coders)
    documents = [
        row[0]
        for row in project.db.execute(
            f"SELECT document_id FROM codings WHERE status = 'accepted' AND coder_id IN ({marks})"
            f" GROUP BY document_id HAVING count(DISTINCT coder_id) = ?",
            [*ids.values(), len(coders)],
        )
    ]
    if not documents:
        raise VinrQualError("the coders have no document in common to compare")
    spans: dict[tuple[str, int, int], list[tuple[int, int]]] = defaultdict(list)
    code_ids: set[str] = set()
    for code_id, document_id, coder_id, start, end in project.db.execute(
        f'SELECT code_id, document_id, coder_id, start, "end" FROM codings'
        f" WHERE status = 'accepted' AND coder_id IN ({marks})"
        f" AND document_id IN ({', '.join('?' for _ in documents)})",
        [*ids.values(), *documents],
    ):
        if codes is None or code_id in codes:
            spans[(code_id, document_id, coder_id)].append((start, end))
            code_ids.add(code_id)
    names = dict(project.db.execute("SELECT id, name FROM codes").fetchall())
    lengths = dict(project.db.execute("SELECT id, length FROM documents").fetchall())
    interviewer = {} if include_interviewer else interviewer_turns(project)
    left_out = 0.0
    units_of: dict[int, list[tuple[int, int]]] = {}
    skipped: dict[int, list[tuple[int, int]]] = {}  # the interviewer's turns (characters)
    for document_id in documents:
        turns = interviewer.get(document_id)
        if unit == "character":
            skipped[document_id] = list(zip(*turns, strict=True)) if turns else []
            left_out += sum(
                min(end, lengths[document_id]) - start for start, end in skipped[document_id]
            )
            continue
        found = project.db.execute(
            'SELECT coalesce(content_start, start), "end" FROM segments'
            " WHERE document_id = ? AND kind = ? ORDER BY start",
            [document_id, unit],
        ).fetchall()
        units_of[document_id] = [
            (start, end) for start, end in found if not in_interviewer_turn(turns, start, end)
        ]
        left_out += len(found) - len(units_of[document_id])
    per_code: dict[str, Figures] = {}
    pooled_rows: list[tuple[int, ...]] = []
    pooled_weights: list[float] = []
    disagreements = []
    for code_id in sorted(code_ids, key=lambda c: names.get(c, c)):
        rows: list[tuple[int, ...]] = []
        weights: list[float] = []
        for document_id in documents:
            coder_spans = [sorted(spans.get((code_id, document_id, ids[c]), [])) for c in coders]
            if unit == "character":
                pieces = _character_pieces(coder_spans, lengths[document_id], skipped[document_id])
                untouched = 0
            else:
                pieces, untouched = _unit_values(coder_spans, units_of[document_id])
            if untouched:
                rows.append((0,) * len(coders))
                weights.append(float(untouched))
            for (start, end), values in pieces:
                rows.append(values)
                weights.append(float(end - start) if unit == "character" else 1.0)
                if len(set(values)) > 1 and unit != "character":
                    disagreements.append((code_id, document_id, start, end))
        per_code[names.get(code_id, code_id)] = _figures(rows, weights, len(coders))
        pooled_rows.extend(rows)
        pooled_weights.extend(weights)
    document_names = dict(project.db.execute("SELECT id, name FROM documents").fetchall())
    return Agreement(
        list(coders),
        unit,
        [document_names[d] for d in documents],
        per_code,
        _figures(pooled_rows, pooled_weights, len(coders)),
        disagreements,
        include_interviewer,
        left_out,
    )


def _touches(spans: list[tuple[int, int]], start: int, end: int) -> int:
    """1 if any of the (sorted) spans overlaps [start, end)."""
    before_end = bisect.bisect_left(spans, (end, end))
    return int(any(span_end > start for _, span_end in spans[:before_end]))


def _unit_values(
    coder_spans: list[list[tuple[int, int]]], units: list[tuple[int, int]]
) -> tuple[list[tuple[tuple[int, int], tuple[int, ...]]], int]:
    """Values of the units some coder's span touches, and how many units no one coded
    (those agree, all zero, and are counted together)."""
    starts = [start for start, _ in units]
    touched: set[int] = set()
    for spans in coder_spans:
        for start, end in spans:
            index = max(0, bisect.bisect_right(starts, start) - 1)
            while index < len(units) and units[index][0] < end:
                if units[index][1] > start:
                    touched.add(index)
                index += 1
    rows = [
        (units[i], tuple(_touches(spans, units[i][0], units[i][1]) for spans in coder_spans))
        for i in sorted(touched)
    ]
    return rows, len(units) - len(touched)


def _character_pieces(
    coder_spans: list[list[tuple[int, int]]],
    length: int,
    skipped: Sequence[tuple[int, int]] = (),
) -> list[tuple[tuple[int, int], tuple[int, ...]]]:
    """Stretches of the text where every coder's value stays the same, outside the
    `skipped` stretches (the interviewer's turns)."""
    edges = {0, length}
    for spans in [*coder_spans, skipped]:
        for start, end in spans:
            edges.update((start, end))
    ordered = sorted(edge for edge in edges if 0 <= edge <= length)
    skip_starts = [start for start, _ in skipped]
    pieces = []
    for start, end in itertools.pairwise(ordered):
        index = bisect.bisect_right(skip_starts, start) - 1
        if index >= 0 and end <= skipped[index][1]:
            continue
        if end > start:
            values = tuple(
                int(any(s <= start and e >= end for s, e in spans)) for spans in coder_spans
            )
            pieces.append(((start, end), values))
    return pieces


def disagreements_to_review(project: Project, result: Agreement) -> int:
    """Put each unit the coders disagree on in the review queue, as a suggestion of the
    code for the whole unit; returns how many are new."""
    origin = "disagreement:" + "/".join(result.coders)
    existing = {
        tuple(row)
        for row in project.db.execute(
            'SELECT code_id, document_id, start, "end" FROM codings WHERE origin = ?', [origin]
        )
    }
    new = [
        (document_id, start, end, code_id, origin)
        for code_id, document_id, start, end in result.disagreements
        if (code_id, document_id, start, end) not in existing
    ]
    added = len(new)
    with project.transaction():
        add_suggestions(project, new, coder=AGREEMENT_CODER)
        project.log_change(
            "disagreements", "codings", None, after={"origin": origin, "added": added}
        )
    return added
