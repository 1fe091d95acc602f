"""A steering document opens with its outline beside the text; Enter jumps there, and G
selects the goal or measure at the cursor."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Tree

from tests.ingest.pdf_fixtures import steering_document
from tests.tui.conftest import build
from vinr_qual.cases.documents import outline_of
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.tui.screens.document import DocumentScreen
from vinr_qual.tui.widgets.transcript import Transcript


def plan_project(tmp_path: Path) -> Path:
    path = tmp_path / "projekt.sqlite"
    pdf = steering_document(3).save(tmp_path / "Handlingsplan.pdf")
    with Project.open(path, create=True) as project:
        [outcome] = import_sources(
            project, [ImportRequest(pdf, SourceMetadata(case="Trollhättan", kind="steering"))]
        )
        assert outcome.status == "imported", outcome.message
    return path


def test_the_outline_nests_goals_under_their_chapter(tmp_path: Path) -> None:
    with Project.open(plan_project(tmp_path)) as project:
        entries = outline_of(project, 1)
    chapter = next(e for e in entries if e.title.startswith("1 Inriktning"))
    goal = next(e for e in entries if e.title.startswith("Mål 1.1"))
    measure = next(e for e in entries if e.kind == "measure")
    assert (chapter.kind, chapter.depth, chapter.page) == ("heading", 0, 1)
    assert (goal.kind, goal.depth) == ("goal", 1)
    assert measure.depth == 2 and measure.title.startswith("Åtgärd 1 ")


async def test_enter_in_the_outline_jumps_to_the_goal(tmp_path: Path) -> None:
    app = build(plan_project(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        outline = app.screen.query_one("#outline", Tree)
        assert outline.display, "a steering document opens with its outline shown"
        transcript = app.screen.query_one(Transcript)
        target = transcript.text.index("Mål 2.1")
        outline.focus()
        await pilot.pause()
        for _ in range(len(outline_entries(outline))):
            node = outline.cursor_node
            if node is not None and node.data == target:
                break
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert transcript.has_focus
        assert transcript.cursor_index() == target
        # G selects the measure under the cursor's goal when the cursor is in it
        measure = transcript.text.index("Åtgärd 1 ", target)
        transcript.select_span(measure + 3, measure + 3)
        await pilot.press("G")
        assert transcript.selected_text.startswith("Åtgärd 1 Ansvarig nämnd")
        assert transcript.selected_text.endswith("2024.")
        # H hides the outline and gives the keys back to the text
        await pilot.press("H")
        await pilot.pause()
        assert not outline.display and transcript.has_focus


def outline_entries(outline: Tree[int]) -> list[object]:
    found: list[object] = []
    stack = list(outline.root.children)
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(node.children)
    return found
