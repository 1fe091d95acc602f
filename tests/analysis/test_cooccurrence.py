"""Co-occurrence by overlap, nearness and shared units, with the coefficient."""

from __future__ import annotations

from vinr_qual.analysis.cooccurrence import cooccurrence
from vinr_qual.codebook.operations import find_code
from vinr_qual.project import Project


def test_overlap_near_and_units(study: Project) -> None:
    lead, together, resources = (find_code(study, ref) for ref in ("l", "s", "Knappa resurser"))
    overlap = cooccurrence(study, mode="overlap")
    assert overlap.counts == {(lead, together): 1, (together, lead): 1}
    assert overlap.totals[lead] == 2 and overlap.totals[together] == 1
    assert overlap.coefficient(lead, together) == 1 / (2 + 1 - 1)
    near = cooccurrence(study, mode="near", distance=1)
    assert near.counts[(lead, resources)] == 1  # "…frågan." then " Vi har för lite tid."
    sentences = cooccurrence(study, mode="sentence")
    assert sentences.counts[(lead, together)] == 1  # "Kommundirektören driver det."
    turns = cooccurrence(study, mode="turn", places_of=(lead, resources))
    assert turns.counts[(lead, resources)] == 1
    assert turns.totals[resources] == 2  # two turns of A.txt; the plan has no turns
    [(document_id, start, end)] = turns.places[(lead, resources)]
    text = study.db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()[0]
    assert text[start:end].startswith("Ledningen prioriterar frågan.")


def test_the_database_and_python_count_the_same_pairs(study: Project) -> None:
    from tests.analysis.conftest import code
    from vinr_qual.analysis.facts import load_facts

    code(study, "A.txt", "Vi har för lite tid. Styrgruppen", "s")
    code(study, "A.txt", "lite tid.", "l", coder="Bo")
    for mode, distance in (("overlap", 0), ("near", 1), ("near", 40)):
        in_sql = cooccurrence(study, mode=mode, distance=distance)
        in_python = cooccurrence(study, mode=mode, distance=distance, facts=load_facts(study))
        assert in_sql.counts == in_python.counts, mode
        assert in_sql.totals == in_python.totals, mode
