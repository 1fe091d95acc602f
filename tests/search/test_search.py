"""Swedish full-text search: letters, compounds, lemmas, operators, filters, context."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_text
from vinr_qual.codebook.operations import find_code
from vinr_qual.coding.codings import add_coding
from vinr_qual.errors import VinrQualError
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.search.query import Filters, search


def sentences(project: Project, query: str, **options: object) -> list[str]:
    result = search(project, query, **options)  # type: ignore[arg-type]
    found = []
    for hit in result.hits:
        text = project.db.execute(
            "SELECT text FROM documents WHERE id = ?", [hit.document_id]
        ).fetchone()[0]
        found.append(text[hit.start : hit.end])
    return sorted(found)


def test_swedish_letters_are_letters_not_accents(corpus: Project) -> None:
    assert sentences(corpus, "får") == ["Vi får inget stöd."]
    assert sentences(corpus, "far") == ["Min far var polis.", "Vad gör din far?"]


def test_compounds_are_found_when_asked(corpus: Project) -> None:
    assert len(sentences(corpus, "samverkan")) == 4
    inside = sentences(corpus, "samverkan", mode="compound")
    assert "Och länssamverkan genom länsstyrelsen." in inside
    assert sentences(corpus, "samverkansavtal", mode="compound") == [
        "Ett samverkansavtal med regionen."
    ]
    assert len(inside) == 6


def test_lemmas_find_every_form(corpus: Project) -> None:
    found = sentences(corpus, "samverka", mode="lemma")
    assert found == ["Nu samverkar vi mest med polisen.", "Vi samverkade bättre förr."]
    assert sentences(corpus, "samverkade", mode="lemma") == found
    assert sentences(corpus, "samverka") == []


def test_phrases_boolean_near_and_prefix(corpus: Project) -> None:
    assert sentences(corpus, '"med polisen"') == [
        "Nu samverkar vi mest med polisen.",
        "Vi har en lägesbild med polisen varje år.",
    ]
    assert sentences(corpus, "polisen AND lägesbild") == [
        "Vi har en lägesbild med polisen varje år."
    ]
    assert len(sentences(corpus, "polisen OR polis")) == 4
    assert sentences(corpus, "polisen NOT lägesbild") == ["Nu samverkar vi mest med polisen."]
    assert sentences(corpus, "NEAR(stärka polis, 6)") == [
        "Kommunen ska stärka samverkan mellan socialtjänst och polis."
    ]
    assert sentences(corpus, "NEAR(stärka polis, 2)") == []
    assert "Kvinnojouren Havsörosen är viktig för samverkan." in sentences(corpus, "kvinnojour*")


def test_filters_by_case_attribute_kind_role_and_code(corpus: Project) -> None:
    assert len(sentences(corpus, "samverkan", filters=Filters(case="Havsö"))) == 3
    assert len(sentences(corpus, "samverkan", filters=Filters(kind="steering"))) == 2
    assert sentences(corpus, "samverkan", filters=Filters(attribute=("län", "Skåne län"))) == [
        "Hur fungerar samverkan?"
    ]
    assert sentences(corpus, "polis*", filters=Filters(role="socialchef")) == [
        "Min far var polis.",
        "Vi har en lägesbild med polisen varje år.",
    ]
    document_id, text = corpus.db.execute(
        "SELECT id, text FROM documents WHERE name = 'Havsö-01.txt'"
    ).fetchone()
    start = text.index("Kvinnojouren Havsörosen")
    end = start + len("Kvinnojouren Havsörosen")
    add_coding(corpus, document_id, start, end, find_code(corpus, "s"))
    inside = sentences(corpus, "samverkan", filters=Filters(code_id=find_code(corpus, "s")))
    assert inside == ["Kvinnojouren Havsörosen är viktig för samverkan."]
    assert len(sentences(corpus, "samverkan", filters=Filters(not_coded=True))) == 3


def test_hits_come_in_context_with_counts_per_document_and_case(corpus: Project) -> None:
    result = search(corpus, "polisen")
    assert result.total == 2
    assert result.per_case == {"Havsö": 1, "Kvarnby": 1}
    assert result.per_document == {"Havsö-01.txt": 1, "Kvarnby-01.txt": 1}
    hit = next(h for h in result.hits if h.document == "Havsö-01.txt")
    assert hit.keyword == "polisen"
    assert hit.left.endswith("Vi har en lägesbild med ")  # the text as it stands
    assert hit.right.startswith(" varje år.\n\nI: Och")
    assert (hit.speaker, hit.role) == ("IP", "socialchef")


def test_a_query_that_cannot_be_read_says_so(corpus: Project) -> None:
    with pytest.raises(VinrQualError, match="search: cannot read the query"):
        search(corpus, "AND OR (")
    with pytest.raises(VinrQualError, match="empty"):
        search(corpus, "  ")


def test_the_index_follows_a_replaced_document(corpus: Project, tmp_path: Path) -> None:
    path = tmp_path / "Kvarnby-01.txt"
    write_text(path, path.read_text(encoding="utf-8").replace("Vi får inget stöd.", "Vi får stöd."))
    import_sources(corpus, [ImportRequest(path)], replace=True)
    assert sentences(corpus, "inget") == []
    assert sentences(corpus, "får") == ["Vi får stöd."]


def test_every_sentence_is_indexed_once(corpus: Project) -> None:
    sentences_count = corpus.db.execute(
        "SELECT count(*) FROM segments WHERE kind = 'sentence'"
    ).fetchone()[0]
    for table in ("search_text", "search_lemmas", "search_trigrams"):
        assert corpus.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == sentences_count
