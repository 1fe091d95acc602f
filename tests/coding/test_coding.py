"""Coding passages: positions checked, phrases found, every coding stamped and logged."""

from __future__ import annotations

import json

import pytest

from tests.codebook.conftest import passage_span
from vinr_qual.codebook.operations import find_code
from vinr_qual.coding.codings import add_coding, find_phrase, list_codings, remove_coding
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project


def test_a_coding_carries_coder_time_status_and_origin_and_is_logged(
    coded_project: Project,
) -> None:
    project = coded_project
    document_id, start, end = passage_span(project, "Den fungerar.")
    coding_id = add_coding(project, document_id, start, end, find_code(project, "s"), coder="Anna")
    [row] = list_codings(project)
    assert row["id"] == coding_id
    assert (row["passage"], row["code"], row["coder"], row["status"], row["origin"]) == (
        "Den fungerar.",
        "Intern samverkan",
        "Anna",
        "accepted",
        "manual",
    )
    assert row["case"] == "Testby" and row["created"].endswith("+00:00")
    actor, after = project.db.execute(
        "SELECT actor, after FROM changes WHERE entity = 'coding' AND action = 'create'"
    ).fetchone()
    assert actor == "Anna" and json.loads(after)["start"] == start


def test_codings_are_listed_by_code_case_coder_and_status(coded_project: Project) -> None:
    project = coded_project
    document_id, start, end = passage_span(project, "Den fungerar.")
    add_coding(project, document_id, start, end, find_code(project, "s"), coder="Anna")
    add_coding(
        project,
        document_id,
        start,
        end,
        find_code(project, "l"),
        coder="Bo",
        status="suggested",
        origin="rule:test",
    )
    assert len(list_codings(project, code_id=find_code(project, "l"))) == 1
    assert [r["coder"] for r in list_codings(project, coder="Bo")] == ["Bo"]
    assert [r["origin"] for r in list_codings(project, status="suggested")] == ["rule:test"]
    assert len(list_codings(project, case="testby")) == 2
    assert list_codings(project, case="Annanstans") == []


def test_positions_outside_the_text_are_refused(coded_project: Project) -> None:
    document_id = coded_project.db.execute("SELECT id FROM documents").fetchone()[0]
    code_id = find_code(coded_project, "s")
    for start, end in [(-1, 4), (5, 5), (10, 10**6)]:
        with pytest.raises(VinrQualError, match="not inside the text"):
            add_coding(coded_project, document_id, start, end, code_id)
    assert coded_project.db["codings"].count == 0


def test_remove_logs_what_was_removed(coded_project: Project) -> None:
    document_id, start, end = passage_span(coded_project, "Den fungerar.")
    coding_id = add_coding(coded_project, document_id, start, end, find_code(coded_project, "s"))
    remove_coding(coded_project, coding_id)
    assert coded_project.db["codings"].count == 0
    before = coded_project.db.execute(
        "SELECT before FROM changes WHERE entity = 'coding' AND action = 'remove'"
    ).fetchone()[0]
    assert json.loads(before)["start"] == start
    with pytest.raises(VinrQualError, match="no coding"):
        remove_coding(coded_project, coding_id)


def test_phrases_are_found_exactly_then_loosely() -> None:
    text = "Vi har en styrgrupp.\nVi har  en\nstyrgrupp till. Ingen annan."
    with pytest.raises(VinrQualError, match="stands 2 times"):
        find_phrase(text, "Vi har en styrgrupp")
    second = find_phrase(text, "vi har en styrgrupp", occurrence=2)
    assert text[second.start : second.end] == "Vi har  en\nstyrgrupp"
    found = find_phrase(text, "INGEN ANNAN")
    assert text[found.start : found.end] == "Ingen annan"
    with pytest.raises(VinrQualError, match="not in the document"):
        find_phrase(text, "polisen")


def test_a_phrase_in_decomposed_unicode_is_found() -> None:
    import unicodedata

    text = "Vi får stöd av länsstyrelsen."
    found = find_phrase(text, unicodedata.normalize("NFD", "får stöd av länsstyrelsen"))
    assert text[found.start : found.end] == "får stöd av länsstyrelsen"
