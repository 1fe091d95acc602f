"""Finding a remembered quote, with typos and other wording."""

from __future__ import annotations

import pytest

from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project
from vinr_qual.search.fuzzy import find_passage


def test_a_quote_with_typos_is_found_with_its_exact_place(corpus: Project) -> None:
    [best, *_] = find_passage(corpus, "vi samverkade bätre förr, nu samverkar vi mest med polisen")
    text = corpus.db.execute(
        "SELECT text FROM documents WHERE id = ?", [best.document_id]
    ).fetchone()[0]
    assert best.document == "Kvarnby-01.txt" and best.case == "Kvarnby"
    assert text[best.start : best.end] == best.passage
    assert best.passage.startswith("Vi samverkade bättre förr.")
    assert "samverkar vi mest med polisen" in best.passage


def test_other_wording_still_ranks_the_right_passage_first(corpus: Project) -> None:
    [best, *_] = find_passage(corpus, "min pappa var polis")
    assert best.passage == "Min far var polis."


def test_nothing_close_gives_nothing_and_a_short_quote_is_refused(corpus: Project) -> None:
    assert find_passage(corpus, "helt orelaterad mening om väder och vind i fjällen") == []
    with pytest.raises(VinrQualError, match="a few words"):
        find_passage(corpus, "far")
