"""The studies' patterns, measurable on the demo project as its reference coding codes
it: BF steered from under the kommunledning and VINR from under the socialtjänst, BF
better resourced than VINR, and coordination mostly on separate tracks. Field is a
dimension on the command line and in the app."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from vinr_qual.analysis.matrix import Matrix, code_matrix
from vinr_qual.cli import cli
from vinr_qual.codebook.operations import find_code
from vinr_qual.ingest.demo import REFERENCE_CODER, build_demo
from vinr_qual.project import Project


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    with Project.open(tmp_path_factory.mktemp("demo") / "demo.sqlite", create=True) as project:
        build_demo(project)
        yield project


def by_field(matrix: Matrix, project: Project, code: str) -> dict[str, float]:
    """Passages of a code about each field (a passage about two fields counts in both)."""
    row = find_code(project, code)
    found = {"BF": 0.0, "VINR": 0.0, "ANDTS": 0.0}
    for column, _ in matrix.columns:
        for field in column.split(" + "):
            if field in found:
                found[field] += matrix.value(row, column)
    return found


def test_the_demo_is_coded_by_its_reference_coding(demo: Project) -> None:
    coded = demo.db.execute(
        "SELECT count(*), count(DISTINCT g.document_id) FROM codings g JOIN coders k"
        " ON k.id = g.coder_id WHERE k.name = ? AND g.status = 'accepted'",
        [REFERENCE_CODER],
    ).fetchone()
    documents = demo.db.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert coded[0] >= 1_000 and coded[1] == documents


def test_bf_is_steered_from_the_kommunledning_and_vinr_from_the_socialtjanst(
    demo: Project,
) -> None:
    matrix = code_matrix(demo, rows="code", columns="field")
    leadership = by_field(matrix, demo, "Kommunledningen")
    social = by_field(matrix, demo, "Socialtjänsten")
    assert leadership["BF"] > 2 * leadership["VINR"]
    assert social["VINR"] > 2 * social["BF"]


def test_bf_is_better_resourced_than_vinr(demo: Project) -> None:
    matrix = code_matrix(demo, rows="code", columns="field")
    enough = by_field(matrix, demo, "Tillräckliga resurser")
    scarce = by_field(matrix, demo, "Knappa resurser")

    def share(field: str) -> float:
        return enough[field] / (enough[field] + scarce[field])

    assert share("BF") > share("VINR")
    assert scarce["VINR"] > scarce["BF"]


def test_coordination_is_mostly_separate_tracks(demo: Project) -> None:
    matrix = code_matrix(demo, rows="code", columns="case", measure="presence")
    cases = {
        name: matrix.row_totals[find_code(demo, name)]
        for name in ("Integrerad samordning", "Länkad samordning", "Separata spår")
    }
    assert cases["Separata spår"] == max(cases.values())
    assert cases["Separata spår"] >= 5


def test_field_on_the_command_line(demo: Project) -> None:
    result = CliRunner().invoke(
        cli,
        ["-p", str(demo.path), "analyse", "matrix", "--rows", "code", "--columns", "field",
         "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    labels = [
        column["label"] if isinstance(column, dict) else column[1] for column in data["columns"]
    ]
    assert labels[:3] == ["BF", "VINR", "ANDTS"]


async def test_field_in_the_apps_matrix(demo: Project, tmp_path: Path) -> None:
    from textual.widgets import DataTable, Select

    from tests.tui.conftest import build, settle

    app = build(Path(demo.path))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        app.screen.query_one("#matrix-columns", Select).value = "field"
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        headers = [str(column.label) for column in table.columns.values()]
        assert headers[1:4] == ["BF", "VINR", "ANDTS"]
