"""Rename, move, merge, split and delete codes: every coding is kept or deleted on purpose."""

from __future__ import annotations

import pytest

from tests.codebook.conftest import passage_span
from vinr_qual.codebook.operations import (
    ConfirmationNeeded,
    add_code,
    delete_code,
    find_code,
    merge_codes,
    move_code,
    rename_code,
    split_code,
)
from vinr_qual.codebook.project_codes import read_codebook
from vinr_qual.coding.codings import add_coding
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project


def code_passages(project: Project, code_id: str) -> list[tuple[str, str]]:
    return [
        (coder, text[start:end])
        for text, start, end, coder in project.db.execute(
            'SELECT d.text, g.start, g."end", c.name FROM codings g'
            " JOIN documents d ON d.id = g.document_id JOIN coders c ON c.id = g.coder_id"
            " WHERE g.code_id = ? ORDER BY g.start, c.name",
            [code_id],
        )
    ]


def code(project: Project, passage: str, reference: str, coder: str = "Anna") -> int:
    document_id, start, end = passage_span(project, passage)
    return add_coding(project, document_id, start, end, find_code(project, reference), coder=coder)


def test_codes_are_found_by_id_shortcut_name_english_name_and_path(coded_project: Project) -> None:
    project = coded_project
    lead = find_code(project, "Ledningens prioritering")
    assert find_code(project, "l") == lead
    assert find_code(project, "priority from leadership") == lead
    assert find_code(project, "Framgångsfaktorer > Ledningens prioritering") == lead
    assert find_code(project, lead.upper()) == lead
    with pytest.raises(VinrQualError, match="no code 'Saknas'"):
        find_code(project, "Saknas")
    add_code(project, "Ledningens prioritering", parent="Hinder")
    with pytest.raises(VinrQualError, match="names several codes"):
        find_code(project, "Ledningens prioritering")


def test_rename_keeps_codings_and_id(coded_project: Project) -> None:
    project = coded_project
    code(project, "Kommundirektören har det högt på agendan.", "l")
    lead = find_code(project, "l")
    rename_code(project, "l", "Ledningens stöd", name_en="Support from leadership")
    assert find_code(project, "Ledningens stöd") == lead
    assert code_passages(project, lead) == [("Anna", "Kommundirektören har det högt på agendan.")]


def test_move_keeps_codings_and_refuses_a_cycle(coded_project: Project) -> None:
    project = coded_project
    code(project, "tjugo procent av en tjänst", "Knappa resurser")
    move_code(project, "Knappa resurser", "Framgångsfaktorer")
    resources = find_code(project, "Knappa resurser")
    assert read_codebook(project).paths()[resources] == "Framgångsfaktorer > Knappa resurser"
    assert len(code_passages(project, resources)) == 1
    with pytest.raises(VinrQualError, match="inside itself"):
        move_code(project, "Framgångsfaktorer", "Knappa resurser")


def test_merge_combines_codings_and_folds_duplicates(coded_project: Project) -> None:
    project = coded_project
    code(project, "Vi har en styrgrupp med alla förvaltningschefer.", "s", coder="Anna")
    code(project, "Vi har en styrgrupp med alla förvaltningschefer.", "l", coder="Anna")
    code(project, "Vi har en styrgrupp med alla förvaltningschefer.", "s", coder="Bo")
    code(project, "Kommundirektören har det högt på agendan.", "s", coder="Anna")
    lead = find_code(project, "l")
    merged = merge_codes(project, "s", "l")
    assert (merged.moved, merged.folded) == (2, 1)
    assert code_passages(project, lead) == [
        ("Anna", "Kommundirektören har det högt på agendan."),
        ("Anna", "Vi har en styrgrupp med alla förvaltningschefer."),
        ("Bo", "Vi har en styrgrupp med alla förvaltningschefer."),
    ]
    with pytest.raises(VinrQualError):
        find_code(project, "Intern samverkan")
    logged = project.db.execute(
        "SELECT count(*) FROM changes WHERE entity = 'coding' AND action IN ('recode', 'fold')"
    ).fetchone()[0]
    assert logged == 3


def test_split_moves_the_chosen_codings_to_a_new_sibling(coded_project: Project) -> None:
    project = coded_project
    first = code(project, "Kommundirektören har det högt på agendan.", "s")
    second = code(project, "Vi har en styrgrupp med alla förvaltningschefer.", "s")
    new = split_code(project, "s", "Styrgrupper", [second])
    assert read_codebook(project).paths()[new] == "Framgångsfaktorer > Styrgrupper"
    assert code_passages(project, new) == [
        ("Anna", "Vi har en styrgrupp med alla förvaltningschefer.")
    ]
    assert project.db.execute("SELECT code_id FROM codings WHERE id = ?", [first]).fetchone()[
        0
    ] == (find_code(project, "s"))
    with pytest.raises(VinrQualError, match="not codings of this code"):
        split_code(project, "s", "Annat", [second])


def test_delete_asks_before_deleting_codings(coded_project: Project) -> None:
    project = coded_project
    code(project, "tjugo procent av en tjänst", "Knappa resurser")
    with pytest.raises(ConfirmationNeeded, match="has 1 codings"):
        delete_code(project, "Knappa resurser")
    assert project.db["codings"].count == 1
    with pytest.raises(VinrQualError, match="has sub-codes"):
        delete_code(project, "Hinder", confirm=True)
    assert delete_code(project, "Knappa resurser", confirm=True) == 1
    assert project.db["codings"].count == 0
    before = project.db.execute(
        "SELECT before FROM changes WHERE entity = 'coding' AND action = 'remove'"
    ).fetchone()[0]
    assert '"start"' in before


def test_adding_a_near_duplicate_is_flagged(coded_project: Project) -> None:
    added = add_code(coded_project, "Knapa resurser", parent="Hinder")
    assert [name for name, _ in added.similar] == ["Knappa resurser"]
    assert add_code(coded_project, "Rekrytering", parent="Hinder").similar == []


def test_a_folder_cannot_be_coded(coded_project: Project) -> None:
    with pytest.raises(VinrQualError, match="folder"):
        code(coded_project, "tjugo procent", "Hinder")
