"""How the main screens look at 80×24, in dark and light themes (pytest-textual-snapshot).

Regenerate after an intended change of look with `pytest tests/tui --snapshot-update`,
and look at the pictures before committing them."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import build, settle
from vinr_qual.codebook.operations import find_code
from vinr_qual.coding.codings import add_coding
from vinr_qual.coding.memos import set_coding_memo
from vinr_qual.project import Project

SIZE = (80, 24)


def with_codings(path: Path) -> Path:
    with Project.open(path) as project:
        document_id, text = project.db.execute(
            "SELECT id, text FROM documents WHERE name = 'Testby-01.txt'"
        ).fetchone()
        for passage, code, coder in [
            ("Kommundirektören har det högt på agendan.", "l", "Anna"),
            ("högt på agendan", "Knappa resurser", "Bo"),
            ("Vi har en styrgrupp med alla förvaltningschefer.", "s", "Anna"),
        ]:
            start = text.index(passage)
            coding = add_coding(
                project,
                document_id,
                start,
                start + len(passage),
                find_code(project, code),
                coder=coder,
            )
        set_coding_memo(project, coding, "Styrgruppen möts fyra gånger om året.")
    return path


def test_documents_screen(app_project: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(build(with_codings(app_project)), terminal_size=SIZE)


def test_documents_screen_light_theme_in_swedish(app_project: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = build(app_project, language="sv")

    async def light(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.theme = "textual-light"

    assert snap_compare(app, terminal_size=SIZE, run_before=light)


def test_document_view_with_codings(app_project: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = build(with_codings(app_project))

    async def open_and_point(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("down", "enter")
        await pilot.pause()
        transcript = pilot.app.screen.query_one("#transcript")
        index = transcript.text.index("styrgrupp")
        transcript.select_span(index, index)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=open_and_point)


def test_code_picker(app_project: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = build(app_project)

    async def open_picker(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("down", "enter")
        await pilot.pause()
        transcript = pilot.app.screen.query_one("#transcript")
        index = transcript.text.index("Den fungerar")
        transcript.select_span(index, index)
        await pilot.press("S", "enter", *"samv")

    assert snap_compare(app, terminal_size=SIZE, run_before=open_picker)


def test_codebook_panel_light_theme(app_project: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = build(with_codings(app_project))

    async def open_panel(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.theme = "textual-light"
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press("B")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=open_panel)


def test_help_screen_in_swedish(app_project: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        build(app_project, language="sv"), terminal_size=SIZE, press=["question_mark"]
    )


def test_search_screen(app_project: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def search(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("ctrl+f", *"polisen OR styrgrupp", "enter")
        await settle(pilot)  # the search runs in a worker

    assert snap_compare(build(app_project), terminal_size=SIZE, run_before=search)


def test_review_screen_in_swedish(app_project: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    from vinr_qual.suggest.rules import autocode

    with Project.open(app_project) as project:
        autocode(project)
    assert snap_compare(build(app_project, language="sv"), terminal_size=SIZE, press=["ctrl+r"])


def test_matrix_heat_map(app_project: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def count(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("ctrl+t")
        await settle(pilot)  # counted in a worker

    assert snap_compare(build(with_codings(app_project)), terminal_size=SIZE, run_before=count)
