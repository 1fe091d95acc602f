"""Policy beside practice: `case+kind` columns split each case into its interviews and its
steering documents, checked against the hand-counted fixture (Aby has an interview and a
plan, Bby only an interview, Cby no documents at all)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.analysis.conftest import PLAN, code
from tests.conftest import write_text
from vinr_qual.analysis.matrix import MEASURES, Matrix, cell_codings, code_matrix
from vinr_qual.cli import cli
from vinr_qual.codebook.operations import find_code
from vinr_qual.errors import VinrQualError
from vinr_qual.export.tables import read_table
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project

COLUMNS = [
    "Aby / interview",
    "Aby / steering",
    "Bby / interview",
    "Bby / steering",
    "Cby / interview",
    "Cby / steering",
]


def by_label(matrix: Matrix) -> dict[tuple[str, str], float]:
    rows, columns = dict(matrix.rows), dict(matrix.columns)
    return {(rows[r].split(" > ")[-1], columns[c]): v for (r, c), v in matrix.values.items()}


def column(matrix: Matrix, label: str) -> str:
    return next(key for key, found in matrix.columns if found == label)


def run(project: Project, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-p", str(project.path), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_each_case_is_split_into_its_interviews_and_steering_documents(study: Project) -> None:
    matrix = code_matrix(study, columns="case+kind")
    # case by case, interview before steering; Bby and Cby keep a steering column though
    # they have no steering documents, and no case has an `other` column
    assert [label for _, label in matrix.columns] == COLUMNS
    assert by_label(matrix) == {
        ("Knappa resurser", "Aby / interview"): 3,
        ("Knappa resurser", "Aby / steering"): 1,
        ("Ledningens prioritering", "Aby / interview"): 1,
        ("Ledningens prioritering", "Bby / interview"): 1,
        ("Intern samverkan", "Bby / interview"): 1,
    }
    documents = {label: matrix.column_documents[key] for key, label in matrix.columns}
    assert documents == dict(zip(COLUMNS, [1, 1, 1, 0, 0, 0], strict=True))
    resources = find_code(study, "Knappa resurser")
    assert matrix.row_totals[resources] == 4 and matrix.total == 7
    assert matrix.column_totals[column(matrix, "Aby / steering")] == 1


def test_the_grouping_gives_each_case_its_columns_and_totals(study: Project) -> None:
    matrix = code_matrix(study, columns="case+kind")
    assert [(group.label, [kind for _, kind in group.columns]) for group in matrix.groups] == [
        ("Aby", ["interview", "steering"]),
        ("Bby", ["interview", "steering"]),
        ("Cby", ["interview", "steering"]),
    ]
    assert [key for group in matrix.groups for key, _ in group.columns] == [
        key for key, _ in matrix.columns
    ]
    aby = matrix.groups[0]
    assert aby.row_totals[find_code(study, "Knappa resurser")] == 4 and aby.total == 5
    assert matrix.groups[2].total == 0
    assert code_matrix(study, columns="case").groups == []


@pytest.mark.parametrize("measure", MEASURES)
@pytest.mark.parametrize("suggested", [False, True])
def test_every_measure_and_each_case_total_agrees_with_the_case_matrix(
    study: Project, measure: str, suggested: bool
) -> None:
    if suggested:
        from vinr_qual.suggest.rules import autocode

        assert autocode(study).added > 0
    grouped = code_matrix(study, columns="case+kind", measure=measure, include_suggested=suggested)
    by_case = code_matrix(study, columns="case", measure=measure, include_suggested=suggested)
    assert {group.key for group in grouped.groups} == {key for key, _ in by_case.columns}
    for group in grouped.groups:
        for row, _ in by_case.rows:
            assert group.row_totals[row] == pytest.approx(by_case.value(row, group.key))
        assert group.total == pytest.approx(by_case.column_totals[group.key])
    assert grouped.total == pytest.approx(by_case.total)


def test_measures_of_the_steering_column(study: Project) -> None:
    resources = find_code(study, "Knappa resurser")
    steering = ("Knappa resurser", "Aby / steering")
    assert by_label(code_matrix(study, columns="case+kind", measure="words"))[steering] == 3
    assert by_label(code_matrix(study, columns="case+kind", measure="documents"))[steering] == 1
    assert by_label(code_matrix(study, columns="case+kind", measure="presence"))[steering] == 1
    share = code_matrix(study, columns="case+kind", measure="share")
    plan = study.db.execute("SELECT length FROM documents WHERE name = 'P.md'").fetchone()[0]
    assert share.value(resources, column(share, "Aby / steering")) == pytest.approx(
        len("Resurser ska avsättas.") / plan
    )
    speakers = code_matrix(study, columns="case+kind", measure="speakers")
    assert speakers.value(resources, column(speakers, "Aby / interview")) == 1
    assert speakers.value(resources, column(speakers, "Aby / steering")) == 0


def test_the_drill_down_gives_exactly_that_case_and_kind(study: Project) -> None:
    resources = find_code(study, "Knappa resurser")
    matrix = code_matrix(study, columns="case+kind", measure="documents")
    for label, passages in [
        ("Aby / steering", ["Resurser ska avsättas."]),
        ("Aby / interview", ["Inga pengar.", "Ingen tid.", "Vi har för lite tid."]),
        ("Bby / interview", []),
    ]:
        key = column(matrix, label)
        ids = cell_codings(study, rows="code", columns="case+kind", row=resources, column=key)
        assert sorted(matrix.cells.get((resources, key), [])) == sorted(ids)
        found = sorted(
            text[start:end]
            for text, start, end in study.db.execute(
                'SELECT d.text, g.start, g."end" FROM codings g'
                " JOIN documents d ON d.id = g.document_id"
                f" WHERE g.id IN ({', '.join('?' for _ in ids)})",
                ids,
            )
        )
        assert found == passages


def test_other_documents_come_after_steering_in_every_case(study: Project, tmp_path: Path) -> None:
    import_sources(
        study,
        [
            ImportRequest(
                write_text(tmp_path / "Protokoll.md", PLAN.replace("Plan", "Protokoll")),
                SourceMetadata(case="Bby", kind="other"),
            )
        ],
    )
    code(study, "Protokoll.md", "Kommunen ska samverka.", "s")
    matrix = code_matrix(study, rows="family", columns="case+kind")
    assert [label for _, label in matrix.columns][:3] == [
        "Aby / interview",
        "Aby / steering",
        "Aby / other",
    ]
    assert by_label(matrix)[("Framgångsfaktorer", "Bby / other")] == 1
    assert len(matrix.columns) == 9


def test_an_unknown_dimension_names_case_kind(study: Project) -> None:
    with pytest.raises(VinrQualError, match="case\\+kind"):
        code_matrix(study, columns="fall")


def test_the_table_has_the_case_names_over_their_kinds(study: Project) -> None:
    _, out, _ = run(study, "analyse", "matrix", "--columns", "case+kind")
    cases, kinds, *rows, counted = out.splitlines()
    assert counted.startswith("Counted: accepted codings, each passage once")
    assert cases.split() == ["Aby", "Bby", "Cby"]
    assert kinds.split()[:7] == ["code", *["interview", "steering"] * 3]
    # each case's name stands over its interview column
    starts = [index for index in range(len(kinds)) if kinds.startswith("interview", index)]
    assert [cases.index(name) for name in ("Aby", "Bby", "Cby")] == starts
    resources = next(row for row in rows if "Knappa resurser" in row).split()
    # no steering documents in Bby, no documents in Cby: "–", not 0
    assert resources[-8:] == ["3", "1", "0", "–", "–", "–", "4", "33%"]
    assert rows[-1].split() == ["total", "4", "1", "2", "–", "–", "–", "7"]


def test_files_and_json_keep_one_column_per_case_and_kind(study: Project, tmp_path: Path) -> None:
    for name in ("m.csv", "m.xlsx"):
        run(study, "analyse", "matrix", "--columns", "case+kind", "--out", str(tmp_path / name))
        header, *rows = read_table(tmp_path / name)
        # the code's name, then its path (family, code), then the columns
        assert header == ["code", "path1", "path2", *COLUMNS, "total", "share of cases"]
        resources = next(row for row in rows if row[0] == "Knappa resurser")
        assert resources[1:3] == ["Hinder", "Knappa resurser"]
        assert [str(cell) for cell in resources[3:9]] == ["3", "1", "0", "–", "–", "–"]
    _, out, _ = run(study, "analyse", "matrix", "--columns", "case+kind", "--json")
    data = json.loads(out)
    kinds = {
        key: (group["label"], kind) for group in data["groups"] for key, kind in group["columns"]
    }
    labels = dict(data["columns"])
    assert [kinds[key] for key in labels] == [
        (label.split(" / ")[0], label.split(" / ")[1]) for label in COLUMNS
    ]
    steering = next(key for key, label in labels.items() if label == "Aby / steering")
    assert data["column_documents"][steering] == 1
    [cell] = [value for value in data["values"] if value["column"] == steering]
    assert cell["value"] == 1 and len(cell["codings"]) == 1
