"""Cases (municipalities): reference facts for real ones, attributes from CSV, edits logged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_text
from vinr_qual.cases.cases import ensure_case, import_cases_csv, list_cases, set_attribute
from vinr_qual.cases.municipalities import all_municipalities, find_municipality
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project


def attributes(project: Project, name: str) -> dict[str, str]:
    [case] = [c for c in list_cases(project) if c.name == name]
    return case.attributes


def test_the_reference_table_has_all_290_municipalities_in_21_counties() -> None:
    municipalities = all_municipalities()
    assert len(municipalities) == 290
    assert len({m.county for m in municipalities}) == 21
    assert {m.group_code for m in municipalities} == {
        f"{g}{n}"
        for g, n in [
            ("A", 1),
            ("A", 2),
            ("B", 3),
            ("B", 4),
            ("B", 5),
            ("C", 6),
            ("C", 7),
            ("C", 8),
            ("C", 9),
        ]
    }


def test_a_real_municipality_gets_code_county_and_skr_group(project: Project) -> None:
    ensure_case(project, "Trollhättans kommun")
    found = attributes(project, "Trollhättans kommun")
    assert found["kommunkod"] == "1488"
    assert found["län"] == "Västra Götalands län"
    assert found["kommungrupp"] == "B3"
    assert found["kommungrupp_namn"] == "Större stad"
    assert find_municipality("Malmö stad") is not None


def test_a_fictional_municipality_is_left_without_reference_facts(project: Project) -> None:
    ensure_case(project, "Älvhamn")
    assert attributes(project, "Älvhamn") == {}


def test_cases_import_from_csv_with_any_columns(tmp_path: Path, project: Project) -> None:
    csv_file = write_text(
        tmp_path / "kommuner.csv",
        "kommun;län;folkmängd;samordning\nÄlvhamn;Västra Götalands län;286000;separata spår\n"
        "Falun;;;integrerad\n",
    )
    result = import_cases_csv(project, csv_file)
    assert sorted(result.created) == ["Falun", "Älvhamn"]
    assert attributes(project, "Älvhamn") == {
        "län": "Västra Götalands län",
        "folkmängd": "286000",
        "samordning": "separata spår",
    }
    falun = attributes(project, "Falun")
    assert falun["samordning"] == "integrerad"
    assert falun["län"] == "Dalarnas län", "reference facts fill what the CSV leaves empty"
    again = import_cases_csv(project, csv_file)
    assert again.created == [] and again.updated == [] and len(again.unchanged) == 2


def test_user_values_win_over_reference_values_and_every_edit_is_logged(project: Project) -> None:
    ensure_case(project, "Falun")
    set_attribute(project, "Falun", "folkmängd", "60100")
    set_attribute(project, "Falun", "kommungrupp_namn", None)
    [case] = list_cases(project)
    assert case.attributes["folkmängd"] == "60100"
    assert case.sources["folkmängd"] == "user"
    assert case.sources["län"] == "reference"
    assert "kommungrupp_namn" not in case.attributes
    logged = project.db.execute(
        "SELECT before, after FROM changes WHERE entity = 'case_attribute' ORDER BY id"
    ).fetchall()
    assert logged[0] == ('"59500"', '"60100"')
    assert logged[1][1] is None


def test_setting_an_attribute_on_a_missing_case_says_so(project: Project) -> None:
    with pytest.raises(VinrQualError, match="no case named 'Ingenstans'"):
        set_attribute(project, "Ingenstans", "län", "X")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("ort,län\nX,Y\n", ":1: no case column"),
        ("case,län\nX,Y\n,Z\n", ":3: the case name is empty"),
        ("case,län\nX,Y\nx,Z\n", ":3: case 'x' again (first on line 2)"),
        ("case,län\nX,Y,Z\n", ":2: 3 fields where the header has 2"),
    ],
)
def test_a_bad_cases_csv_names_the_line_and_imports_nothing(
    tmp_path: Path, project: Project, content: str, problem: str
) -> None:
    csv_file = write_text(tmp_path / "fall.csv", content)
    with pytest.raises(VinrQualError) as error:
        import_cases_csv(project, csv_file)
    assert str(error.value).startswith(str(csv_file))
    assert problem in str(error.value)
    assert project.db["cases"].count == 0


def test_case_names_match_whatever_the_case_of_swedish_letters(project: Project) -> None:
    first = ensure_case(project, "Älvhamn")
    assert ensure_case(project, "älvhamn") == first
    assert ensure_case(project, "ÄLVHAMN ") == first
    assert project.db["cases"].count == 1
