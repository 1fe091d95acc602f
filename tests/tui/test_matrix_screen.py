"""The matrix screen: heat map, dimensions, drill-down to passages and into the document."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Select

from tests.tui.conftest import build, settle, until
from vinr_qual.codebook.operations import find_code
from vinr_qual.coding.codings import add_coding
from vinr_qual.project import Project
from vinr_qual.tui.screens.document import DocumentScreen
from vinr_qual.tui.screens.matrix import MatrixScreen, PassagesScreen, heat
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
        # the codings behind the cell are found, then read, in workers
        await until(pilot, lambda: isinstance(app.screen, PassagesScreen))
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


def test_heat_colours_and_bars() -> None:
    assert heat(0, 10).bgcolor is not None and heat(10, 10).color.name == "white"
    assert heat(0, 10).color.name == "black"
