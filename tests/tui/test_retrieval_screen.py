"""The retrieval screen: every passage of a code, reached from the matrix (a row's label,
its total, a column) and from the codebook panel of the document view; Enter opens the
passage in its document."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Label, Select, Static, Tree

from tests.search.test_retrieval import DOUBLE
from tests.search.test_retrieval import build as build_project
from tests.tui.conftest import build, codings, settle, until
from vinr_qual.codebook.operations import add_code
from vinr_qual.project import Project
from vinr_qual.tui.screens.document import DocumentScreen
from vinr_qual.tui.screens.matrix import MatrixScreen
from vinr_qual.tui.screens.retrieval import RetrievalScreen
from vinr_qual.tui.widgets.transcript import Transcript


def code_id(path: Path, name: str) -> str:
    with Project.open(path) as project:
        return str(project.db.execute("SELECT id FROM codes WHERE name = ?", [name]).fetchone()[0])


def shown(screen: object, selector: str) -> str:
    assert isinstance(screen, RetrievalScreen)
    return str(screen.query_one(selector, Label if "preview" not in selector else Static).render())


async def test_from_a_matrix_row_to_the_passages_and_into_the_document(tmp_path: Path) -> None:
    path = build_project(tmp_path)
    app = build(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        matrix = app.screen
        assert isinstance(matrix, MatrixScreen)
        table = matrix.query_one(DataTable)
        child = code_id(path, "Intern samverkan")
        row = next(index for index, key in enumerate(table.rows) if key.value == child)
        table.move_cursor(row=row, column=0)  # the row's label
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetrievalScreen)
        assert "Intern samverkan" in shown(screen, "#retrieval-heading")
        assert shown(screen, "#retrieval-counts").startswith("2 passages in 2 cases (3 codings)")
        passages = screen.query_one(DataTable)
        assert [str(cell) for cell in passages.get_row_at(0)][:5] == [
            "Aby-01.txt",
            "Aby",
            "IP",
            "",
            "Anna, Bo",
        ]
        preview = shown(screen, "#retrieval-preview")
        assert "IP (samordnare)" in preview and "coded by Anna, Bo" in preview
        assert "Memo (Anna): Styrgruppen möts varje kvartal." in preview
        await pilot.press("down")
        preview = shown(screen, "#retrieval-preview")
        assert "Karin Olsson" in preview and "[00:00:03]" in preview
        # per coder, and back
        await pilot.press("c")
        await settle(pilot)
        assert passages.row_count == 3
        assert shown(screen, "#retrieval-counts").startswith("3 passages in 2 cases")
        await pilot.press("c")
        await settle(pilot)
        assert passages.row_count == 2
        passages.move_cursor(row=0)
        await pilot.press("enter")
        document = app.screen
        assert isinstance(document, DocumentScreen)
        assert document.query_one(Transcript).selected_text == DOUBLE
        # back to the matrix: the Total column opens the same row's passages
        await pilot.press("escape", "escape")
        assert app.screen is matrix
        table.move_cursor(row=row, column=len(table.columns) - 1)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RetrievalScreen)
        assert app.screen.query_one(DataTable).row_count == 2


async def test_a_matrix_column_and_a_cell(tmp_path: Path) -> None:
    path = build_project(tmp_path)
    app = build(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        matrix = app.screen
        assert isinstance(matrix, MatrixScreen)
        table = matrix.query_one(DataTable)
        labels = [str(column.label) for column in table.columns.values()]
        assert labels[1:] == ["Aby", "Bro", "Total"]
        # `c`: every passage of the cursor's column (here: the case Aby)
        table.move_cursor(row=0, column=1)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetrievalScreen)
        heading = shown(screen, "#retrieval-heading")
        assert "case Aby" in heading and "interviewers' speech left out" in heading
        # as the matrix counts: the interviewer's question is not among them
        assert shown(screen, "#retrieval-counts").startswith("3 passages in 1 case (4 codings)")
        await pilot.press("i")
        await settle(pilot)
        assert shown(screen, "#retrieval-counts").startswith("4 passages in 1 case (5 codings)")
        await pilot.press("g")  # by case: still Aby's
        await settle(pilot)
        assert "by case" in shown(screen, "#retrieval-heading")
        await pilot.press("escape")
        # a cell: its code's passages in its case only
        child = code_id(path, "Intern samverkan")
        row = next(index for index, key in enumerate(table.rows) if key.value == child)
        table.move_cursor(row=row, column=1)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RetrievalScreen))
        await settle(pilot)
        cell = app.screen
        assert isinstance(cell, RetrievalScreen)
        assert all(passage.case == "Aby" for passage in cell.passages)
        assert {passage.code for passage in cell.passages} == {"Intern samverkan"}
        await pilot.press("escape")
        # the Total column's header: every passage the matrix counts
        total = list(table.columns)[-1]
        table.post_message(DataTable.HeaderSelected(table, total, len(table.columns) - 1, "Total"))
        await until(pilot, lambda: isinstance(app.screen, RetrievalScreen))
        await settle(pilot)
        assert shown(app.screen, "#retrieval-counts").startswith("4 passages in 2 cases")
        await pilot.press("escape")
        # codes × codes: a row's label is its code's passages
        matrix.query_one("#matrix-measure", Select).value = "cooccurrence"
        await settle(pilot)
        row = next(index for index, key in enumerate(table.rows) if key.value == child)
        table.move_cursor(row=row, column=0)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetrievalScreen)
        assert screen.selection is not None and screen.selection.codes == (child,)
        assert screen.query_one(DataTable).row_count == 2


async def test_from_the_codebook_panel(tmp_path: Path) -> None:
    path = build_project(tmp_path)
    with Project.open(path) as project:
        # "r" codes in the text; in the codebook it retrieves
        add_code(project, "Rutiner", shortcut="r")
        document_id = project.db.execute(
            "SELECT id FROM documents WHERE name = 'Aby-01.txt'"
        ).fetchone()[0]
    app = build(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_document(document_id)
        await pilot.pause()
        document = app.screen
        assert isinstance(document, DocumentScreen)
        transcript = document.query_one(Transcript)
        start = document.text.index("Den fungerar")
        transcript.select_span(start, start + 3)
        await pilot.press("B")
        tree: Tree[str] = document.query_one("#codebook-tree", Tree)
        await pilot.press("r")  # the text has focus: the shortcut codes
        await pilot.pause()
        assert app.screen is document
        assert ("Rutiner", "Anna", "Den") in codings(path)
        tree.focus()
        parent = next(
            node for node in tree.root.children if node.data == code_id(path, "Samverkan")
        )
        tree.move_cursor(parent)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetrievalScreen)
        assert "Samverkan and its subcodes" in shown(screen, "#retrieval-heading")
        assert shown(screen, "#retrieval-counts").startswith("5 passages in 2 cases (6 codings)")
        table = screen.query_one(DataTable)
        table.move_cursor(row=1)
        await pilot.press("enter")
        opened = app.screen
        assert isinstance(opened, DocumentScreen) and opened is not document
        assert opened.query_one(Transcript).selected_text == DOUBLE


async def test_the_screen_speaks_swedish(tmp_path: Path) -> None:
    path = build_project(tmp_path)
    app = build(path, language="sv")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        from vinr_qual.search.retrieval import Selection

        app.push_screen(RetrievalScreen(Selection(codes=(code_id(path, "Samverkan"),))))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetrievalScreen)
        assert "Samverkan med underkoder" in shown(screen, "#retrieval-heading")
        assert shown(screen, "#retrieval-counts").startswith("5 passager i 2 fall")
        assert screen.active_bindings["g"].binding.description == "Per fall"
