"""How often two codes occur together, and where.

Modes: `overlap` (two codings of the codes overlap), `near` (they stand within N
characters of each other, overlap included), or a unit: `sentence`, `turn`, `paragraph`
(both codes touch the same unit). Counts are of coding pairs (overlap, near) or of units;
the coefficient is n_ab / (n_a + n_b − n_ab), from 0 (never together) to 1 (always).
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from vinr_qual.analysis.facts import Fact, codebook_order
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project

MODES = ("overlap", "near", "sentence", "turn", "paragraph")


@dataclass
class Cooccurrence:
    mode: str
    codes: list[str]  # code ids, in codebook order
    totals: dict[str, int]  # n_a: codings (overlap, near) or units holding the code
    counts: dict[tuple[str, str], int]  # n_ab, both orders
    places: dict[tuple[str, str], list[tuple[int, int, int]]] = field(default_factory=dict)

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
    facts: list[Fact] | None = None,
    places_of: tuple[str, str] | None = None,
) -> Cooccurrence:
    """Counts for every pair of codes; the places where two codes meet are collected
    only for the pair `places_of` (a drill-down), since there may be millions."""
    if mode not in MODES:
        raise VinrQualError(f"unknown mode {mode!r}; use {', '.join(MODES)}")
    statuses = ("accepted", "suggested") if include_suggested else ("accepted",)
    if facts is None and places_of is None and mode in ("overlap", "near"):
        return _pairs_in_sql(project, mode, distance, statuses)
    # (start, end, code) per document, sorted: plain tuples, since there may be a hundred
    # thousand
    by_document: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    if facts is None:
        # one plain scan (no index, no sort in SQL) is the fastest way to read them all
        for document_id, code_id, start, end in project.db.execute(
            'SELECT document_id, code_id, start, "end" FROM codings NOT INDEXED'
            f" WHERE status IN ({', '.join('?' for _ in statuses)})",
            list(statuses),
        ):
            by_document[document_id].append((start, end, code_id))
        for group in by_document.values():
            group.sort()
    else:
        for fact in facts:
            by_document[fact.document_id].append((fact.start, fact.end, fact.code_id))
        for group in by_document.values():
            group.sort()
    order = codebook_order(project)
    totals: Counter[str] = Counter()  # update() adds
    counts: dict[tuple[str, str], int] = defaultdict(int)
    places: dict[tuple[str, str], list[tuple[int, int, int]]] = defaultdict(list)
    if mode in ("overlap", "near"):
        gap = distance if mode == "near" else 0
        if facts is None:  # codings per code: counted by the database
            totals.update(
                dict(
                    project.db.execute(
                        "SELECT code_id, count(*) FROM codings"
                        f" WHERE status IN ({', '.join('?' for _ in statuses)}) GROUP BY code_id",
                        list(statuses),
                    ).fetchall()
                )
            )
        for document_id, group in by_document.items():
            if facts is not None:
                totals.update(Counter(code_id for _, _, code_id in group))
            size = len(group)
            for index, (first_start, first_end, first_code) in enumerate(group):
                # sorted by start: a later coding touches this one if it starts before its
                # end (overlap) or within `gap` characters after it (near)
                limit = first_end - 1 if mode == "overlap" else first_end + gap
                later = index + 1
                while later < size and group[later][0] <= limit:
                    second_start, second_end, second_code = group[later]
                    later += 1
                    if first_code == second_code:
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
            codes_in: dict[int, set[str]] = defaultdict(set)
            for start, end, code_id in group:
                index = max(0, bisect.bisect_right(starts, start) - 1)
                while index < len(units) and units[index][0] < end:
                    if units[index][1] > start:
                        codes_in[index].add(code_id)
                    index += 1
            for index, present in codes_in.items():
                for code in present:
                    totals[code] += 1
                for one in present:
                    for other in present:
                        if one != other:
                            counts[(one, other)] += 1
                if places_of and set(places_of) <= present:
                    places[places_of].append((document_id, *units[index]))
    ordered = sorted(totals, key=lambda code: (order.get(code, 10**9), code))
    return Cooccurrence(mode, ordered, dict(totals), dict(counts), dict(places))


def _pairs_in_sql(
    project: Project, mode: str, distance: int, statuses: tuple[str, ...]
) -> Cooccurrence:
    """Overlapping (or near) pairs counted by the database: each coding joined, through
    the index on document and start, with the codings that start inside it (or within
    `distance` after it), each pair once."""
    marks = ", ".join("?" for _ in statuses)
    reach = '"end"' if mode == "overlap" else f'"end" + {int(distance)} + 1'
    pairs = project.db.execute(
        "SELECT a.code_id, b.code_id, count(*) FROM codings a NOT INDEXED"
        " JOIN codings b INDEXED BY codings_by_document ON b.document_id = a.document_id"
        f" AND b.start >= a.start AND b.start < a.{reach}"
        " AND (b.start > a.start OR b.id > a.id) AND b.code_id != a.code_id"
        f" WHERE a.status IN ({marks}) AND b.status IN ({marks}) GROUP BY 1, 2",
        [*statuses, *statuses],
    ).fetchall()
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for first, second, count in pairs:
        counts[(first, second)] += count
        counts[(second, first)] += count
    totals = dict(
        project.db.execute(
            # the index on (code, status) holds the answer in code order: no sorting
            "SELECT code_id, count(*) FROM codings INDEXED BY codings_by_code"
            f" WHERE status IN ({marks}) GROUP BY code_id",
            list(statuses),
        ).fetchall()
    )
    order = codebook_order(project)
    ordered = sorted(totals, key=lambda code: (order.get(code, 10**9), code))
    return Cooccurrence(mode, ordered, totals, dict(counts), {})
