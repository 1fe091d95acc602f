"""The app never waits on the core: slow work runs in workers while keys are answered,
a newer request overtakes an older one, and each result arrives through its worker."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Select

from tests.tui.conftest import build, codings, record_toasts, settle
from vinr_qual.codebook.operations import find_code
from vinr_qual.coding.codings import add_coding, list_codings
from vinr_qual.project import Project
from vinr_qual.search import query as search_query
from vinr_qual.suggest.review import pending
from vinr_qual.suggest.rules import autocode
from vinr_qual.tui.dialogs.prompt import TextPrompt
from vinr_qual.tui.screens.document import DocumentScreen
from vinr_qual.tui.screens.documents import DocumentsScreen
from vinr_qual.tui.screens.matrix import MatrixScreen
from vinr_qual.tui.screens.review import ReviewScreen
from vinr_qual.tui.screens.search import SearchScreen
from vinr_qual.tui.widgets.transcript import Transcript


class SlowSearch:
    """The core's search, held up on one query until the test lets it go."""

    def __init__(self, held: str) -> None:
        self.held = held
        self.started = threading.Event()
        self.release = threading.Event()
        self.finished = threading.Event()
        self.real = search_query.search

    def __call__(self, project: Project, text: str, **options: Any) -> Any:
        if text != self.held:
            return self.real(project, text, **options)
        self.started.set()
        self.release.wait(5)
        try:
            return self.real(project, text, **options)
        finally:
            self.finished.set()


@pytest.fixture
def slow_search(monkeypatch: pytest.MonkeyPatch) -> Any:
    slow = SlowSearch("styrgrupp")
    monkeypatch.setattr(search_query, "search", slow)
    yield slow
    slow.release.set()  # never leave a thread waiting behind the test


def summary(screen: Any) -> str:
    return str(screen.query_one("#search-summary").render())


async def test_keys_are_answered_while_a_search_runs(app_project: Path, slow_search: Any) -> None:
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f", *"styrgrupp", "enter")
        assert await asyncio.to_thread(slow_search.started.wait, 5)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert "Searching…" in summary(screen)

        # the UI thread goes on: typing into the filter and changing nothing else
        filters = screen.query_one("#search-filters", Input)
        filters.focus()
        await pilot.press(*"case:")
        assert filters.value == "case:"
        assert not slow_search.finished.is_set(), "handled while the search still ran"
        assert screen.query_one(DataTable).row_count == 0

        slow_search.release.set()
        await settle(pilot)
        assert screen.query_one(DataTable).row_count == 1
        assert "1 hits" in summary(screen)
        assert app.screen.focused is filters, "the result does not take the focus away"


async def test_escape_leaves_the_search_while_it_runs(app_project: Path, slow_search: Any) -> None:
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f", *"styrgrupp", "enter")
        assert await asyncio.to_thread(slow_search.started.wait, 5)
        await pilot.press("escape")
        assert isinstance(app.screen, DocumentsScreen)
        assert not slow_search.finished.is_set()
        slow_search.release.set()
        assert await asyncio.to_thread(slow_search.finished.wait, 5)
        await settle(pilot)
        assert isinstance(app.screen, DocumentsScreen)


async def test_a_new_search_cancels_the_one_still_running(
    app_project: Path, slow_search: Any
) -> None:
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f", *"styrgrupp", "enter")
        assert await asyncio.to_thread(slow_search.started.wait, 5)
        screen = app.screen
        first = next(worker for worker in app.workers if worker.group == "search")
        field = screen.query_one("#search-query", Input)
        field.value = "lägesbild"
        await pilot.press("enter")
        await settle(pilot)
        assert first.is_cancelled
        table = screen.query_one(DataTable)
        assert [screen.hits[row].document for row in range(table.row_count)] == ["Granby-01.txt"]

        # the first search finishes after all; its answer is never shown
        slow_search.release.set()
        assert await asyncio.to_thread(slow_search.finished.wait, 5)
        await settle(pilot)
        assert [hit.document for hit in screen.hits] == ["Granby-01.txt"]
        assert table.row_count == 1
        assert "lägesbild" in str(table.get_row_at(0)[2])


async def test_a_refused_search_is_one_line(app_project: Path) -> None:
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f")
        screen = app.screen
        screen.query_one("#search-filters", Input).value = "code:finnsinte"
        screen.query_one("#search-query", Input).focus()
        await pilot.press(*"styrgrupp", "enter")
        await settle(pilot)
        line = summary(screen)
        assert "finnsinte" in line and "\n" not in line.strip()
        assert "Traceback" not in line


# co-occurrence ------------------------------------------------------------------------


def overlapping(path: Path) -> Path:
    """Two codes on overlapping passages, one alone."""
    with Project.open(path) as project:
        document_id, text = project.db.execute(
            "SELECT id, text FROM documents WHERE name = 'Testby-01.txt'"
        ).fetchone()
        for passage, code in [
            ("Kommundirektören har det högt på agendan.", "l"),
            ("högt på agendan. Men jag har bara tjugo procent", "Knappa resurser"),
            ("Vi har en styrgrupp med alla förvaltningschefer.", "s"),
        ]:
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


async def test_cooccurrence_in_the_matrix_screen(app_project: Path) -> None:
    app = build(overlapping(app_project))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        screen.query_one("#matrix-measure", Select).value = "cooccurrence"
        await settle(pilot)
        assert screen.together is not None and screen.matrix is None
        assert screen.query_one("#matrix-rows", Select).disabled
        table = screen.query_one(DataTable)
        leadership, scarce = find_code(app.project, "l"), find_code(app.project, "Knappa resurser")
        assert {key.value for key in table.rows} == {
            leadership,
            scarce,
            find_code(app.project, "s"),
        }
        column = [key.value for key in table.columns].index(scarce)
        row = table.get_row(leadership)
        assert str(row[column]) == "1"
        assert "1 pairs" in str(screen.query_one("#matrix-summary").render())
        screen.query_one("#matrix-measure", Select).value = "passages"
        await settle(pilot)
        assert screen.matrix is not None and screen.together is None


# the review queue and undo --------------------------------------------------------------


def with_suggestions(path: Path) -> Path:
    with Project.open(path) as project:
        assert autocode(project).added >= 2
    return path


async def test_the_one_who_accepts_becomes_the_coder(app_project: Path) -> None:
    app = build(with_suggestions(app_project), coder="Anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ReviewScreen)
        accepted = app.screen.queue[0]
        await pilot.press("a")
    with Project.open(app_project) as project:
        (row,) = list_codings(project, coding_id=accepted)
    assert row["status"] == "accepted"
    assert row["coder"] == "Anna"
    assert row["origin"].startswith("rule:")


async def open_named(pilot: Any, name: str) -> Transcript:
    app = pilot.app
    while not isinstance(app.screen, DocumentsScreen):
        await pilot.press("escape")
    table = app.screen.query_one(DataTable)
    row = next(index for index, row in enumerate(app.screen.rows) if row.name == name)
    table.move_cursor(row=row)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, DocumentScreen)
    return app.screen.query_one(Transcript)


async def code_sentence(pilot: Any, transcript: Transcript, passage: str, key: str) -> None:
    index = transcript.text.index(passage)
    transcript.select_span(index, index)
    await pilot.press("S", key)


async def test_undo_belongs_to_the_document_or_the_review(app_project: Path) -> None:
    app = build(with_suggestions(app_project))
    async with app.run_test(size=(100, 30)) as pilot:
        toasts = record_toasts(app)
        transcript = await open_named(pilot, "Testby-01.txt")
        await code_sentence(pilot, transcript, "Vi har en styrgrupp", "s")
        await pilot.press("escape", "ctrl+r")
        assert isinstance(app.screen, ReviewScreen)
        accepted = app.screen.queue[0]
        await pilot.press("a")
        transcript = await open_named(pilot, "Granby-01.txt")
        await code_sentence(pilot, transcript, "Mer tid.", "l")
        manual = [c for c in codings(app_project) if c[1] == "Anna" and c[2] != ""]
        assert ("Ledningens prioritering", "Anna", "Mer tid.") in manual

        await pilot.press("ctrl+z")
        await pilot.pause()
        left = codings(app_project)
        assert ("Ledningens prioritering", "Anna", "Mer tid.") not in left
        assert (
            "Intern samverkan",
            "Anna",
            "Vi har en styrgrupp med alla förvaltningschefer.",
        ) in left
        with Project.open(app_project) as project:
            assert list_codings(project, coding_id=accepted)[0]["status"] == "accepted"
        assert "Undone" in toasts[-1] and "Ledningens prioritering" in toasts[-1]
        await pilot.press("ctrl+z")
        assert toasts[-1] == "Nothing to undo", "nothing else was done in this document"

        # in document A, undo takes back A's coding
        transcript = await open_named(pilot, "Testby-01.txt")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "Intern samverkan" in toasts[-1]
        assert not any(
            c[2] == "Vi har en styrgrupp med alla förvaltningschefer." for c in codings(app_project)
        )
        with Project.open(app_project) as project:
            assert list_codings(project, coding_id=accepted)[0]["status"] == "accepted"

        # and in the review screen, it takes back the accept
        await pilot.press("escape", "ctrl+r")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "Undone" in toasts[-1] and "accepted" in toasts[-1]
        assert accepted in app.screen.queue
    with Project.open(app_project) as project:
        assert list_codings(project, coding_id=accepted)[0]["status"] == "suggested"


# work for the whole app: the rules and the report ---------------------------------------


async def test_suggestions_come_from_the_rules_in_a_worker(app_project: Path) -> None:
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        toasts = record_toasts(app)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Suggest codings (run the codebook's rules)" in titles
        await pilot.press("ctrl+r")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert "Press g" in str(screen.query_one("#review-item").render())
        await pilot.press("g")
        await settle(pilot)
        with Project.open(app_project) as project:
            waiting = pending(project)
        assert len(waiting) >= 2
        assert screen.queue == waiting, "the review queue was reloaded"
        assert f"{len(waiting)} new suggestions" in toasts[-1]
        await pilot.press("g")
        await settle(pilot)
        assert "0 new suggestions" in toasts[-1], "the rules do not suggest a passage twice"


async def test_the_report_is_written_in_a_worker(app_project: Path, tmp_path: Path) -> None:
    app = build(overlapping(app_project))
    target = tmp_path / "rapport.md"
    async with app.run_test(size=(100, 30)) as pilot:
        toasts = record_toasts(app)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Write report…" in titles
        app.action_report()
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentsScreen)
    assert "Intern samverkan" in target.read_text(encoding="utf-8")
    assert any(str(target) in toast for toast in toasts)


async def test_a_report_that_cannot_be_written_says_why(app_project: Path, tmp_path: Path) -> None:
    app = build(app_project)  # nothing coded yet
    async with app.run_test(size=(100, 30)) as pilot:
        toasts = record_toasts(app)
        app.write_report(tmp_path / "rapport.html")
        await settle(pilot)
        app.write_report(tmp_path / "rapport.pdf")
        await settle(pilot)
        assert app.is_running
    assert toasts[0] == toasts[2] == "Writing the report…"
    assert "nothing is coded yet" in toasts[1]
    assert ".html or .md" in toasts[3] and "\n" not in toasts[3]
    assert not (tmp_path / "rapport.html").exists()
