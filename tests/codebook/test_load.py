"""Loading a codebook into a project: what changes is shown first; codings are never lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codebook.conftest import load_file, passage_span
from tests.conftest import write_text
from vinr_qual.codebook.operations import find_code
from vinr_qual.codebook.project_codes import apply_load, plan_load, read_codebook
from vinr_qual.codebook.yaml_file import load_codebook, save_codebook
from vinr_qual.coding.codings import add_coding
from vinr_qual.errors import VinrQualError
from vinr_qual.exchange.codebook_files import read_codebook_file
from vinr_qual.project import Project


def test_yaml_to_project_to_yaml_keeps_every_field(
    project: Project, codebook_file: Path, tmp_path: Path
) -> None:
    load_file(project, codebook_file)
    exported = tmp_path / "export.yaml"
    save_codebook(read_codebook(project), exported)
    assert load_codebook(exported) == load_codebook(codebook_file)


def test_loading_shows_renames_moves_edits_and_removals_before_applying(
    project: Project, codebook_file: Path
) -> None:
    load_file(project, codebook_file)
    text = codebook_file.read_text(encoding="utf-8")
    edited = text.replace("name: Intern samverkan", "name: Samverkan inom kommunen").replace(
        "definition: För lite tid, pengar eller personal.", "definition: Ont om allt."
    )
    # move "Knappa resurser" to the top level by dedenting its block out of "Hinder"
    head, tail = edited.split("    codes:\n      - name: Knappa resurser")
    tail_lines = [line[4:] if line.startswith("      ") else line for line in tail.splitlines()]
    edited = head.rstrip() + "\n  - name: Knappa resurser" + "\n".join(tail_lines) + "\n"
    codebook_file.write_text(edited, encoding="utf-8")
    book = read_codebook_file(codebook_file).codebook
    before = project.db["changes"].count
    plan = plan_load(project, book)
    kinds = sorted((c.kind, c.path) for c in plan.changes)
    assert kinds == [
        ("changed", "Knappa resurser"),
        ("moved", "Knappa resurser"),
        ("renamed", "Framgångsfaktorer > Samverkan inom kommunen"),
    ]
    assert project.db["changes"].count == before, "planning changes nothing"
    apply_load(project, plan, source="kodbok.yaml")
    assert (
        read_codebook(project).paths()[find_code(project, "Knappa resurser")] == "Knappa resurser"
    )
    actions = [
        row[0]
        for row in project.db.execute(
            "SELECT action FROM changes WHERE entity IN ('code', 'codebook') ORDER BY id DESC LIMIT 4"
        )
    ]
    assert sorted(actions) == ["edit", "load", "move", "rename"]


def test_a_codebook_that_would_orphan_codings_is_refused_and_nothing_changes(
    coded_project: Project, codebook_file: Path, tmp_path: Path
) -> None:
    project = coded_project
    document_id, start, end = passage_span(project, "bara tjugo procent av en tjänst")
    add_coding(project, document_id, start, end, find_code(project, "Knappa resurser"))
    without = tmp_path / "utan.yaml"
    text = codebook_file.read_text(encoding="utf-8")
    write_text(without, text.split("  - name: Hinder")[0])
    snapshot = {t: project.db[t].count for t in ("codes", "codings", "changes")}
    with pytest.raises(VinrQualError) as error:
        load_file(project, without)
    assert "'Hinder > Knappa resurser' has 1 codings" in str(error.value)
    assert "nothing was changed" in str(error.value)
    assert {t: project.db[t].count for t in snapshot} == snapshot


def test_keep_missing_adds_without_removing(
    project: Project, codebook_file: Path, tmp_path: Path
) -> None:
    load_file(project, codebook_file)
    extra = write_text(tmp_path / "extra.txt", "Nya koder>>Kartläggning\tData och lägesbild\n")
    load_file(project, extra, keep_missing=True)
    names = {code.name for code, _, _ in read_codebook(project).walk()}
    assert {"Kartläggning", "Nya koder", "Knappa resurser"} <= names


def test_near_duplicate_names_are_flagged_when_codes_are_added(
    project: Project, codebook_file: Path, tmp_path: Path
) -> None:
    load_file(project, codebook_file)
    extra = write_text(tmp_path / "extra.txt", "Hinder>>Knapa resurser\t\n")
    book = read_codebook_file(extra).codebook
    plan = plan_load(project, book, keep_missing=True)
    assert [(new, old) for new, old, _ in plan.similar] == [
        ("Hinder > Knapa resurser", "Hinder > Knappa resurser")
    ]


def test_a_format_without_a_field_does_not_erase_it(
    project: Project, codebook_file: Path, tmp_path: Path
) -> None:
    load_file(project, codebook_file)
    from vinr_qual.exchange.qdc import write_qdc

    qdc = tmp_path / "kodbok.qdc"
    write_qdc(read_codebook(project), qdc)
    load_file(project, qdc)
    lead = read_codebook(project).by_id()[find_code(project, "l")]
    assert lead.name_en == "Priority from leadership"
    assert lead.rules is not None and lead.rules.lemmas == ["prioritera"]


def test_loading_the_same_file_again_changes_nothing(project: Project, codebook_file: Path) -> None:
    load_file(project, codebook_file)
    book = read_codebook_file(codebook_file).codebook
    assert plan_load(project, book).empty


def test_a_file_without_ids_matches_by_path_and_gets_the_projects_ids(
    project: Project, codebook_file: Path, tmp_path: Path
) -> None:
    from tests.codebook.conftest import CODEBOOK_YAML

    load_file(project, codebook_file)
    second = write_text(tmp_path / "andra.yaml", CODEBOOK_YAML)
    load_file(project, second, keep_missing=True)
    assert project.db["codes"].count == 5
    assert set(load_codebook(second).by_id()) == set(read_codebook(project).by_id())


def test_a_refused_load_writes_no_ids_into_the_file(coded_project: Project, tmp_path: Path) -> None:
    document_id, start, end = passage_span(coded_project, "bara tjugo procent")
    add_coding(coded_project, document_id, start, end, find_code(coded_project, "Knappa resurser"))
    other = write_text(tmp_path / "annan.yaml", "codes:\n  - name: Helt annat\n")
    with pytest.raises(VinrQualError, match="still have codings"):
        load_file(coded_project, other)
    assert other.read_text(encoding="utf-8") == "codes:\n  - name: Helt annat\n"


def test_a_qdc_without_guids_loads_again_without_changes(project: Project, tmp_path: Path) -> None:
    qdc = write_text(
        tmp_path / "utan.qdc",
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code name="Hinder::Resurser" isCodable="true"/><Code name="Samverkan" isCodable="true"/>'
        "</Codes></CodeBook>",
    )
    load_file(project, qdc)
    read = read_codebook_file(qdc)
    assert plan_load(project, read.codebook, carried=read.carried).empty
    assert project.db["codes"].count == 3


def test_keeping_missing_codes_keeps_their_shortcuts(
    project: Project, codebook_file: Path, tmp_path: Path
) -> None:
    load_file(project, codebook_file)
    extra = write_text(tmp_path / "extra.txt", "Nya koder>>Kartläggning\tData\n")
    load_file(project, extra, keep_missing=True)
    shortcuts = dict(
        project.db.execute("SELECT shortcut, name FROM codes WHERE shortcut IS NOT NULL")
    )
    assert shortcuts == {"l": "Ledningens prioritering", "s": "Intern samverkan"}


def test_codings_never_end_up_on_a_folder(coded_project: Project, codebook_file: Path) -> None:
    from vinr_qual.codebook.operations import merge_codes

    document_id, start, end = passage_span(coded_project, "bara tjugo procent")
    add_coding(coded_project, document_id, start, end, find_code(coded_project, "Knappa resurser"))
    with pytest.raises(VinrQualError, match="folder"):
        merge_codes(coded_project, "Knappa resurser", "Hinder")
    text = codebook_file.read_text(encoding="utf-8")
    marker = "      - name: Knappa resurser\n"
    codebook_file.write_text(
        text.replace(marker, marker + "        codable: false\n"), encoding="utf-8"
    )
    with pytest.raises(VinrQualError, match="makes folders of codes that have codings"):
        load_file(coded_project, codebook_file)
    assert (
        coded_project.db.execute(
            "SELECT codable FROM codes WHERE name = 'Knappa resurser'"
        ).fetchone()[0]
        == 1
    )
