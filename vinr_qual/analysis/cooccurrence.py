"""How often two codes occur together, and where.

Modes: `overlap` (two passages of the codes overlap), `near` (they stand within N
characters of each other, overlap included), or a unit: `sentence`, `turn`, `paragraph`
(both codes touch the same unit). Counts are of passage pairs (overlap, near) or of
units; the coefficient is n_ab / (n_a + n_b − n_ab), from 0 (never together) to 1
(always). Passages are counted as the matrix counts them (vinr_qual.analysis.facts):
each once however many coders coded it, the interviewer's speech left out; with
`by_coder`, only passages of one coder are paired.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from vinr_qual.analysis.facts import Counted, Counting, Fact, codebook_order, passage_spans
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project

MODES = ("overlap", "near", "sentence", "turn", "paragraph")


@dataclass
class Cooccurrence:
    mode: str
    codes: list[str]  # code ids, in codebook order
    totals: dict[str, int]  # n_a: passages (overlap, near) or units holding the code
    counts: dict[tuple[str, str], int]  # n_ab, both orders
    places: dict[tuple[str, str], list[tuple[int, int, int]]] = field(default_factory=dict)
    counted: Counted | None = None  # what was counted

    def coefficient(self, first: str, second: str) -> float:
        both = self.counts.get((first, second), 0)
        either = self.totals.get(first, 0) + self.totals.get(second, 0) - both
        return both / either if either else 0.0


def cooccurrence(
    project: Project,
    *,
    mode: str = "overlap",
    distance: int = 0,
    include_suggested: bool = False,
    coders: list[str] | None = None,
    by_coder: bool = False,
    include_interviewer: bool = False,
    facts: list[Fact] | None = None,
    places_of: tuple[str, str] | None = None,
) -> Cooccurrence:
    """Counts for every pair of codes; the places where two codes meet are collected
    only for the pair `places_of` (a drill-down), since there may be millions. `facts`,
    when given, are counted as they are."""
    if mode not in MODES:
        raise VinrQualError(f"unknown mode {mode!r}; use {', '.join(MODES)}")
    # (start, end, code, coder) per document, sorted: plain tuples, since there may be a
    # hundred thousand; the coder is 0 unless passages of one coder only are paired
    by_document: dict[int, list[tuple[int, int, str, object]]] = defaultdict(list)
    counted: Counted | None
    if facts is None:
        found, counted = passage_spans(
            project,
            Counting.of(
                include_suggested=include_suggested,
                coders=coders,
                by_coder=by_coder,
                include_interviewer=include_interviewer,
            ),
        )
        for document_id, spans in found.items():
            # a passage's end may have grown past the start of a later one: sort again
            by_document[document_id] = (
                sorted(spans) if by_coder else sorted((s, e, c, 0) for s, e, c, _ in spans)
            )
    else:
        counted = getattr(facts, "counted", None)
        by_coder = bool(counted and counted.by_coder)
        for fact in facts:
            by_document[fact.document_id].append(
                (fact.start, fact.end, fact.code_id, fact.coder if by_coder else 0)
            )
        for group in by_document.values():
            group.sort(key=lambda item: (item[0], item[1], item[2]))
    order = codebook_order(project)
    totals: Counter[str] = Counter()  # update() adds
    counts: dict[tuple[str, str], int] = defaultdict(int)
    places: dict[tuple[str, str], list[tuple[int, int, int]]] = defaultdict(list)
    if mode in ("overlap", "near"):
        gap = distance if mode == "near" else 0
        for document_id, group in by_document.items():
            totals.update(code_id for _, _, code_id, _ in group)
            size = len(group)
            for index, (first_start, first_end, first_code, first_coder) in enumerate(group):
                # sorted by start: a later passage touches this one if it starts before
                # its end (overlap) or within `gap` characters after it (near)
                limit = first_end - 1 if mode == "overlap" else first_end + gap
                later = index + 1
                while later < size and group[later][0] <= limit:
                    second_start, second_end, second_code, second_coder = group[later]
                    later += 1
                    if first_code == second_code or first_coder != second_coder:
                        continue
                    counts[(first_code, second_code)] += 1
                    counts[(second_code, first_code)] += 1
                    if places_of and {first_code, second_code} == set(places_of):
                        places[places_of].append(
                            (
                                document_id,
                                min(first_start, second_start),
                                max(first_end, second_end),
                            )
                        )
    else:
        for document_id, group in by_document.items():
            units = project.db.execute(
                'SELECT coalesce(content_start, start), "end" FROM segments'
                " WHERE document_id = ? AND kind = ? ORDER BY start",
                [document_id, mode],
            ).fetchall()
            starts = [start for start, _ in units]
            codes_in: dict[tuple[int, object], set[str]] = defaultdict(set)
            for start, end, code_id, coder in group:
                index = max(0, bisect.bisect_right(starts, start) - 1)
                while index < len(units) and units[index][0] < end:
                    if units[index][1] > start:
                        codes_in[(index, coder)].add(code_id)
                    index += 1
            for (index, _), present in codes_in.items():
                for code in present:
                    totals[code] += 1
                for one in present:
                    for other in present:
                        if one != other:
                            counts[(one, other)] += 1
                if places_of and set(places_of) <= present:
                    places[places_of].append((document_id, *units[index]))
    ordered = sorted(totals, key=lambda code: (order.get(code, 10**9), code))
    return Cooccurrence(mode, ordered, dict(totals), dict(counts), dict(places), counted)
