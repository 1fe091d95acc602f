"""The matrix screen: heat map, dimensions, drill-down to passages and into the document."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import DataTable, Select

from tests.conftest import write_text
from tests.tui.conftest import build, settle, until
from vinr_qual.codebook.operations import find_code
from vinr_qual.coding.codings import add_coding
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.tui.screens.document import DocumentScreen
from vinr_qual.tui.screens.matrix import MatrixScreen, heat
from vinr_qual.tui.screens.retrieval import RetrievalScreen
from vinr_qual.tui.widgets.transcript import Transcript


def coded(path: Path) -> Path:
    with Project.open(path) as project:
        for name, passage, code in [
            ("Testby-01.txt", "Den fungerar.", "s"),
            ("Testby-01.txt", "Skolan är med, och äldreomsorgen.", "s"),
            ("Granby-01.txt", "Mer tid.", "Knappa resurser"),
        ]:
            document_id, text = project.db.execute(
                "SELECT id, text FROM documents WHERE name = ?", [name]
            ).fetchone()
            start = text.index(passage)
            add_coding(
                project,
                document_id,
                start,
                start + len(passage),
                find_code(project, code),
                coder="Anna",
            )
    return path


async def test_the_heat_map_and_its_drill_down(app_project: Path) -> None:
    app = build(coded(app_project))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)  # counted in a worker
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        table = screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()][1:] == ["Granby", "Testby", "Total"]
        together = find_code(app.project, "s")
        row = list(table.rows).index(next(key for key in table.rows if key.value == together))
        table.move_cursor(row=row, column=2)
        await pilot.press("enter")
        # the passages behind the cell are found in a worker of the retrieval screen
        await until(pilot, lambda: isinstance(app.screen, RetrievalScreen))
        passages = app.screen.query_one(DataTable)
        await until(pilot, lambda: passages.row_count == 2)
        await pilot.press("enter")
        assert isinstance(app.screen, DocumentScreen)
        assert app.screen.query_one(Transcript).selected_text == "Den fungerar."


async def test_dimensions_and_measures_can_be_changed(app_project: Path) -> None:
    app = build(coded(app_project))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        screen = app.screen
        screen.query_one("#matrix-rows", Select).value = "family"
        screen.query_one("#matrix-measure", Select).value = "documents"
        await settle(pilot)
        assert screen.matrix is not None and screen.matrix.measure == "documents"
        assert {label for _, label in screen.matrix.rows} == {"Framgångsfaktorer", "Hinder"}
        await pilot.press("b")
        assert "Framgångsfaktorer" in str(screen.query_one("#matrix-bars-text").render())


def with_a_plan(path: Path) -> Path:
    """Testby gets a coded steering document beside its interview; Granby has none."""
    with Project.open(path) as project:
        import_sources(
            project,
            [
                ImportRequest(
                    write_text(path.parent / "Testby-plan.md", "# Plan\n\nVi ska samverka.\n"),
                    SourceMetadata(case="Testby", kind="steering"),
                )
            ],
        )
        document_id, text = project.db.execute(
            "SELECT id, text FROM documents WHERE name = 'Testby-plan.md'"
        ).fetchone()
        start = text.index("Vi ska samverka.")
        add_coding(project, document_id, start, start + 16, find_code(project, "s"), coder="Anna")
    return coded(path)


async def test_interviews_beside_steering_documents(app_project: Path) -> None:
    app = build(with_a_plan(app_project))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        assert screen.active_bindings["g"].binding.description == "Interviews beside documents"
        await pilot.press("g")
        await settle(pilot)
        table = screen.query_one(DataTable)
        assert table.header_height == 2
        assert [str(c.label) for c in table.columns.values()][1:] == [
            "Granby\nInterviews",
            "Granby\nSteering",
            "Testby\nInterviews",
            "Testby\nSteering",
            "Total",
        ]
        together = find_code(app.project, "s")
        row = list(table.rows).index(next(key for key in table.rows if key.value == together))
        # Granby has no steering documents: its column says so; Testby's counts the plan
        assert [str(cell) for cell in table.get_row_at(row)[1:]] == ["0", "–", "2", "1", "3"]
        table.move_cursor(row=row, column=4)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RetrievalScreen))
        passages = app.screen.query_one(DataTable)
        await until(pilot, lambda: passages.row_count == 1)
        cells = [str(cell) for cell in passages.get_row_at(0)]
        assert cells[:2] == ["Testby-plan.md", "Testby"]
        assert cells[-1] == "Vi ska samverka."
        await pilot.press("escape")
        # back to one column per case, and to the grouped columns from the command palette
        await pilot.press("g")
        await settle(pilot)
        assert [str(c.label) for c in table.columns.values()][1:] == ["Granby", "Testby", "Total"]
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Interviews beside", "enter")
        await settle(pilot)
        await until(pilot, lambda: table.header_height == 2)
        assert screen.query_one("#matrix-columns", Select).value == "case+kind"


def test_heat_colours_and_bars() -> None:
    assert heat(0, 10).bgcolor is not None and heat(10, 10).color.name == "white"
    assert heat(0, 10).color.name == "black"
