"""The search and review screens, driven with Pilot and checked in the project file."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input

from tests.tui.conftest import build, codings, rows, settle
from vinr_qual.project import Project
from vinr_qual.suggest.rules import autocode
from vinr_qual.tui.dialogs.code_picker import CodePicker
from vinr_qual.tui.screens.document import DocumentScreen
from vinr_qual.tui.screens.review import ReviewScreen
from vinr_qual.tui.screens.search import SearchScreen
from vinr_qual.tui.widgets.transcript import Transcript


async def test_search_open_a_hit_and_code_all_hits(app_project: Path) -> None:
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"styrgrupp OR lägesbild", "enter")
        await settle(pilot)  # the search runs in a worker
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        await pilot.press("enter")
        assert isinstance(app.screen, DocumentScreen)
        assert app.screen.query_one(Transcript).selected_text in ("styrgrupp", "lägesbild")
        await pilot.press("escape")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("A")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"samverkan", "enter")
        await pilot.pause()
    assert sorted(c[2] for c in codings(app_project)) == [
        "Och en lägesbild som vi gör tillsammans med polisen.",
        "Vi har en styrgrupp med alla förvaltningschefer.",
    ]


async def test_search_modes_and_filters(app_project: Path) -> None:
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f")
        screen = app.screen
        screen.query_one("#search-filters", Input).value = "case:granby"
        await pilot.press(*"polisen", "enter")
        await settle(pilot)
        assert screen.query_one(DataTable).row_count == 1
        screen.query_one("#search-filters", Input).value = ""
        screen.query_one("#search-query", Input).value = "prioritera"
        screen.query_one("Select").value = "lemma"
        await settle(pilot)
        assert screen.query_one(DataTable).row_count == 1
        assert "1 hits" in str(screen.query_one("#search-summary").render())


async def test_review_accept_reject_and_widen(app_project: Path) -> None:
    with Project.open(app_project) as project:
        added = autocode(project).added
    assert added >= 2
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ReviewScreen)
        first = app.screen.queue[0]
        await pilot.press("a")
        second = app.screen.queue[0]
        await pilot.press("r")
        assert f"2 decided · {added - 2} waiting" in str(
            app.screen.query_one("#review-progress").render()
        )
        await pilot.press("ctrl+z")
        await pilot.pause()
    statuses = dict(
        rows(app_project, "SELECT id, status FROM codings WHERE id IN (?, ?)", [first, second])
    )
    assert statuses == {first: "accepted", second: "suggested"}
    deciders = rows(
        app_project, "SELECT DISTINCT actor FROM changes WHERE action IN ('accept', 'reject')"
    )
    assert deciders == [("Anna",)]


async def test_review_with_nothing_to_review(app_project: Path) -> None:
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+r")
        assert "Nothing to review" in str(app.screen.query_one("#review-item").render())
        await pilot.press("a", "r", "t")
        assert rows(app_project, "SELECT count(*) FROM codings") == [(0,)]


async def test_a_code_filter_with_no_words_lists_the_codes_passages(app_project: Path) -> None:
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.coding.codings import add_coding
    from vinr_qual.tui.screens.retrieval import RetrievalScreen

    with Project.open(app_project) as project:
        text = project.db.execute("SELECT text FROM documents WHERE name = 'Testby-01.txt'")
        body = text.fetchone()[0]
        start = body.index("Vi har en styrgrupp")
        add_coding(project, 1, start, start + 19, find_code(project, "s"), coder="Anna")
    app = build(app_project)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("ctrl+f")
        await pilot.pause()
        app.screen.query_one("#search-filters", Input).value = "code:s"
        app.screen.query_one("#search-query", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RetrievalScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1


async def test_search_filters_typed_in_the_query_box_and_exact_context(app_project: Path) -> None:
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f")
        screen = app.screen
        await pilot.press(*"case:granby polisen", "enter")
        await settle(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 1
        context = str(table.get_row_at(0)[2])
        # the text as it stands, the hit in bold and no spaces added around it
        assert context.endswith("tillsammans med [b]polisen[/b].  I: Tack.  IP: Tack själv. ")
        assert "1 hits in 1 documents · Granby 1" in str(
            screen.query_one("#search-summary").render()
        )
        screen.query_one("#search-query", Input).value = "case:granby"
        screen.query_one("#search-query", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        summary = str(screen.query_one("#search-summary").render())
        assert "case:granby is a filter, not words to search for" in summary
        assert "\n" not in summary and "sqlite" not in summary.lower()
        screen.query_one("#search-query", Input).value = "BF-arbetet 50% 2019/2020"
        screen.query_one("#search-query", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert str(screen.query_one("#search-summary").render()) == "No hits."


async def test_the_summary_counts_every_case_or_says_how_many_more(app_project: Path) -> None:
    from vinr_qual.search.query import SearchResult

    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f")
        await pilot.press(*"polisen OR styrgrupp", "enter")
        await settle(pilot)
        summary = str(app.screen.query_one("#search-summary").render())
        assert summary.startswith("2 hits in 2 documents · ")
        assert "Granby 1" in summary and "Testby 1" in summary
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        cases = {f"Kommun {number:02}": 40 - number for number in range(30)}
        many = SearchResult("x", "words", sum(cases.values()), [], {}, cases)
        line = screen.summary(many)
        shown = line.split(" · ")[1].split(", ")
        more = int(line.rsplit("+", 1)[1])
        assert len(line) <= 98 and line.endswith(f"… +{more}")
        assert len(shown) + more == 30 and shown[0] == "Kommun 00 40"
