"""The quote basket in the app: Q in the document view puts a passage in, ctrl+b shows
the basket, t trims, ctrl+up reorders, e exports with pseudonyms; the pseudonyms screen
adds a real name and its alias."""

from __future__ import annotations

from pathlib import Path

import docx
from textual.widgets import DataTable, Input, OptionList

from tests.tui.conftest import build, settle
from tests.tui.test_app import open_testby, put_cursor
from vinr_qual.project import Project
from vinr_qual.quoting.basket import list_quotes
from vinr_qual.quoting.pseudonyms import list_pseudonyms
from vinr_qual.tui.screens.pseudonyms import PseudonymsScreen
from vinr_qual.tui.screens.quotes import QuotesScreen


def shown(path: Path) -> list[str]:
    with Project.open(path) as project:
        return [quote.shown for quote in list_quotes(project)]


async def test_a_passage_goes_into_the_basket_is_trimmed_moved_and_exported(
    app_project: Path, tmp_path: Path
) -> None:
    app = build(app_project)
    async with app.run_test(size=(110, 32)) as pilot:
        transcript = await open_testby(pilot)
        put_cursor(transcript, "Men jag har bara")
        await pilot.press("Q")
        put_cursor(transcript, "Det är separata spår")
        await pilot.press("Q")
        assert shown(app_project) == [
            "Men jag har bara tjugo procent av en tjänst.",
            "Det är separata spår, ärligt talat.",
        ]
        await pilot.press("ctrl+b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuotesScreen)
        options = screen.query_one(OptionList)
        assert options.option_count == 3  # the theme's heading and two quotes
        # trim the first quote to a piece of it
        options.highlighted = 1
        await pilot.press("t")
        await pilot.pause()
        prompt = app.screen.query_one(Input)
        prompt.value = "tjugo procent"
        await pilot.press("enter")
        await pilot.pause()
        assert shown(app_project)[0] == "[…] tjugo procent […]"
        # the second quote moves up
        options.highlighted = 2
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert shown(app_project)[0] == "Det är separata spår, ärligt talat."
        # export to Word, through the export prompt
        out = tmp_path / "citat.docx"
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause()
        paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
        assert "Det är separata spår, ärligt talat." in paragraphs
        assert "[…] tjugo procent […]" in paragraphs


async def test_the_pseudonyms_screen_adds_a_name(app_project: Path) -> None:
    app = build(app_project)
    async with app.run_test(size=(110, 32)) as pilot:
        app.action_pseudonyms()
        await pilot.pause()
        assert isinstance(app.screen, PseudonymsScreen)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one(Input).value = "Testby = Kommun X"
        await pilot.press("enter")
        await pilot.pause()
        with Project.open(app_project) as project:
            assert [(p.real, p.alias) for p in list_pseudonyms(project)] == [("Testby", "Kommun X")]
        table = app.screen.query_one("#pseudonyms-table", DataTable)
        assert table.row_count == 1
        await pilot.press("s")
        await settle(pilot)
        suggested = app.screen.query_one("#pseudonyms-suggested", DataTable)
        heading = str(app.screen.query_one("#pseudonyms-suggested-heading").render())
        assert (
            heading == f"{suggested.row_count} names found in the texts: Enter gives one an alias"
        )
        # Testby is in the table now: it is not suggested again
        names = [suggested.get_row_at(i)[0] for i in range(suggested.row_count)]
        assert "Testby" not in names
