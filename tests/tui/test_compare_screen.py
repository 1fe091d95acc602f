"""Policy beside practice in the app: V on an interview passage shows the case's
steering documents beside it; Enter opens one there, and V from it shows the interviews."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import OptionList, Static

from tests.analysis.test_policy_practice import studied  # noqa: F401 (a fixture)
from tests.tui.conftest import build, settle
from vinr_qual.tui.screens.compare import CompareScreen
from vinr_qual.tui.screens.document import DocumentScreen
from vinr_qual.tui.widgets.transcript import Transcript


def listed(screen: CompareScreen) -> list[str]:
    options = screen.query_one(OptionList)
    prompts = [options.get_option_at_index(i).prompt for i in range(options.option_count)]
    return [Text.from_markup(p).plain if isinstance(p, str) else str(p) for p in prompts]


async def test_an_interview_passage_beside_the_plan_and_back(studied: Path) -> None:  # noqa: F811
    app = build(studied)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("enter")  # the first document: Norrlida-01.txt
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        assert app.screen.document_name == "Norrlida-01.txt"
        transcript = app.screen.query_one(Transcript)
        index = transcript.text.index("Vi saknar mandat")
        transcript.select_span(index, index)
        await pilot.press("V")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        title = str(screen.query_one("#compare-there-title", Static).render())
        assert "Norrlida" in title and "steering documents" in title
        shown = listed(screen)
        assert shown[0].startswith("Coded with the same code (1)")
        assert "Kommunen ska ha en kvinnofridssamordnare" in shown[1]
        assert not any("Sörby" in line for line in shown)
        # the highlighted passage is shown in its context below the list
        context = str(screen.query_one("#compare-context", Static).render())
        assert "Norrlida-plan.md" in context and "på heltid" in context
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        plan = app.screen.query_one(Transcript)
        assert plan.selected_text.startswith("Kommunen ska ha en kvinnofridssamordnare")
        await pilot.press("V")
        await settle(pilot)
        back = app.screen
        assert isinstance(back, CompareScreen)
        assert "interviews" in str(back.query_one("#compare-there-title", Static).render())
        assert any("Vi saknar mandat" in line for line in listed(back))
