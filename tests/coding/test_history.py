"""Undo and redo of coding actions through the change log; memos and adjustments."""

from __future__ import annotations

import pytest

from tests.codebook.conftest import passage_span
from vinr_qual.codebook.operations import find_code, merge_codes
from vinr_qual.coding.codings import (
    add_coding,
    adjust_coding,
    change_code,
    last_change_id,
    list_codings,
    remove_coding,
)
from vinr_qual.coding.history import revert
from vinr_qual.coding.memos import coding_memo, set_coding_memo
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project


def state(project: Project) -> list[tuple[str, str]]:
    return [(row["code"], row["passage"]) for row in list_codings(project)]


def test_every_coding_action_can_be_undone_and_redone(coded_project: Project) -> None:
    project = coded_project
    document_id, start, end = passage_span(project, "Den fungerar.")
    coding = add_coding(project, document_id, start, end, find_code(project, "s"))
    created = last_change_id(project)
    change_code(project, coding, find_code(project, "l"))
    recoded = last_change_id(project)
    adjust_coding(project, coding, start, start + 3)
    adjusted = last_change_id(project)
    assert state(project) == [("Ledningens prioritering", "Den")]

    undo_adjust = revert(project, adjusted)
    assert state(project)[0][1] == "Den fungerar."
    revert(project, recoded)
    assert state(project) == [("Intern samverkan", "Den fungerar.")]
    revert(project, created)
    assert state(project) == []
    redo = revert(project, last_change_id(project))
    assert state(project) == [("Intern samverkan", "Den fungerar.")]
    assert list_codings(project)[0]["id"] == coding, "the coding comes back with its id"
    revert(project, redo)
    assert state(project) == []
    actions = [
        row[0]
        for row in project.db.execute(
            "SELECT action FROM changes WHERE entity = 'coding' ORDER BY id"
        )
    ]
    assert actions[:3] == ["create", "recode", "adjust"]
    assert actions[3] == f"revert {adjusted}" and undo_adjust > adjusted


def test_removing_then_undoing_restores_the_coding(coded_project: Project) -> None:
    project = coded_project
    document_id, start, end = passage_span(project, "Den fungerar.")
    coding = add_coding(project, document_id, start, end, find_code(project, "s"), coder="Anna")
    remove_coding(project, coding)
    revert(project, last_change_id(project))
    [row] = list_codings(project)
    assert (row["id"], row["coder"], row["passage"]) == (coding, "Anna", "Den fungerar.")


def test_bulk_codebook_changes_are_not_undone_here(coded_project: Project) -> None:
    project = coded_project
    document_id, start, end = passage_span(project, "Den fungerar.")
    add_coding(project, document_id, start, end, find_code(project, "s"))
    merge_codes(project, "s", "l")
    recode = project.db.execute(
        "SELECT max(id) FROM changes WHERE entity = 'coding' AND action = 'recode'"
    ).fetchone()[0]
    # the coding's old code is gone with the merge: undoing its move is refused, unchanged
    before = state(project)
    with pytest.raises(VinrQualError, match="code or document is gone"):
        revert(project, recode)
    assert state(project) == before


def test_a_coding_memo_is_written_changed_and_removed(coded_project: Project) -> None:
    project = coded_project
    document_id, start, end = passage_span(project, "Den fungerar.")
    coding = add_coding(project, document_id, start, end, find_code(project, "s"))
    set_coding_memo(project, coding, "Oklart om styrgruppen verkligen möts.")
    assert coding_memo(project, coding) == "Oklart om styrgruppen verkligen möts."
    set_coding_memo(project, coding, "Möts två gånger om året.")
    assert coding_memo(project, coding) == "Möts två gånger om året."
    set_coding_memo(project, coding, "")
    assert coding_memo(project, coding) is None
    assert project.db["memos"].count == 0
    logged = project.db.execute("SELECT count(*) FROM changes WHERE action = 'memo'").fetchone()[0]
    assert logged == 3
