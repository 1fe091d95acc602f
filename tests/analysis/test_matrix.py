"""Code matrices and drill-down, checked against the hand-counted fixture."""

from __future__ import annotations

from pathlib import Path

from vinr_qual.analysis.matrix import cell_codings, code_matrix
from vinr_qual.codebook.operations import find_code
from vinr_qual.export.tables import read_table, write_table
from vinr_qual.project import Project


def by_label(matrix, measure_rows=True):  # type: ignore[no-untyped-def]
    rows = dict((key, label) for key, label in matrix.rows)
    columns = dict((key, label) for key, label in matrix.columns)
    return {
        (rows[r].split(" > ")[-1], columns[c]): value for (r, c), value in matrix.values.items()
    }


def test_codes_by_case_count_passages_documents_speakers_and_presence(study: Project) -> None:
    passages = by_label(code_matrix(study, measure="passages"))
    assert passages == {
        ("Ledningens prioritering", "Aby"): 1,
        ("Ledningens prioritering", "Bby"): 1,
        ("Intern samverkan", "Bby"): 1,
        ("Knappa resurser", "Aby"): 4,
    }
    assert by_label(code_matrix(study, measure="documents"))[("Knappa resurser", "Aby")] == 2
    assert by_label(code_matrix(study, measure="speakers"))[("Knappa resurser", "Aby")] == 1
    assert by_label(code_matrix(study, measure="presence"))[("Knappa resurser", "Aby")] == 1
    matrix = code_matrix(study)
    assert [label for _, label in matrix.columns] == ["Aby", "Bby", "Cby"]
    resources = find_code(study, "Knappa resurser")
    assert matrix.row_totals[resources] == 4
    assert matrix.case_share[resources] == 1 / 3
    assert matrix.total == 7
    assert sorted(matrix.column_totals.values()) == [0, 2, 5]


def test_words_and_share_of_the_text(study: Project) -> None:
    words = by_label(code_matrix(study, measure="words"))
    assert words[("Knappa resurser", "Aby")] == 5 + 2 + 2 + 3
    share = code_matrix(study, measure="share")
    aby_length = sum(
        row[0]
        for row in study.db.execute(
            "SELECT length FROM documents d JOIN cases c ON c.id = d.case_id WHERE c.name = 'Aby'"
        )
    )
    coded = (
        len("Vi har för lite tid.")
        + len("Inga pengar.")
        + len("Ingen tid.")
        + len("Resurser ska avsättas.")
    )
    assert abs(by_label(share)[("Knappa resurser", "Aby")] - coded / aby_length) < 1e-9


def test_overlapping_codings_are_counted_once_in_the_share(study: Project) -> None:
    family = code_matrix(study, rows="family", columns="case", measure="share")
    bby_length = study.db.execute("SELECT length FROM documents WHERE name = 'B.txt'").fetchone()[0]
    union = len("Kommundirektören driver det. Samverkan är god.")
    assert abs(by_label(family)[("Framgångsfaktorer", "Bby")] - union / bby_length) < 1e-9


def test_families_by_attribute_band_kind_and_role(study: Project) -> None:
    assert by_label(code_matrix(study, rows="family", columns="attr:kommungrupp")) == {
        ("Framgångsfaktorer", "A2"): 2,
        ("Framgångsfaktorer", "C8"): 1,
        ("Hinder", "C8"): 4,
    }
    bands = by_label(code_matrix(study, rows="family", columns="band:folkmängd"))
    assert bands[("Hinder", "under 10 000")] == 4
    assert bands[("Framgångsfaktorer", "50 000–199 999")] == 2
    kinds = by_label(code_matrix(study, rows="family", columns="kind"))
    assert kinds == {
        ("Framgångsfaktorer", "interview"): 3,
        ("Hinder", "interview"): 3,
        ("Hinder", "steering"): 1,
    }
    roles = by_label(code_matrix(study, rows="code", columns="role"))
    assert roles[("Knappa resurser", "socialchef")] == 3
    assert roles[("Knappa resurser", "–")] == 1
    assert roles[("Ledningens prioritering", "kommundirektör")] == 1


def test_drill_down_and_exports_read_back(study: Project, tmp_path: Path) -> None:
    matrix = code_matrix(study)
    resources = find_code(study, "Knappa resurser")
    aby = next(key for key, label in matrix.columns if label == "Aby")
    ids = cell_codings(study, rows="code", columns="case", row=resources, column=aby)
    assert sorted(code_matrix(study, measure="documents").cells[(resources, aby)]) == sorted(ids)
    passages = sorted(
        text[start:end]
        for text, start, end in study.db.execute(
            f'SELECT d.text, g.start, g."end" FROM codings g JOIN documents d ON d.id = g.document_id'
            f" WHERE g.id IN ({', '.join('?' for _ in ids)})",
            ids,
        )
    )
    assert passages == [
        "Inga pengar.",
        "Ingen tid.",
        "Resurser ska avsättas.",
        "Vi har för lite tid.",
    ]
    for name in ("m.csv", "m.xlsx"):
        write_table(tmp_path / name, ["kod", "Aby"], [["Knappa resurser", 4], ["Samverkan", 0]])
        rows = read_table(tmp_path / name)
        assert [str(cell) for cell in rows[1]] == ["Knappa resurser", "4"]


def test_suggestions_count_only_when_asked(study: Project) -> None:
    from vinr_qual.suggest.rules import autocode

    added = autocode(study).added
    assert added > 0
    assert code_matrix(study).total == 7
    assert code_matrix(study, include_suggested=True).total == 7 + added
