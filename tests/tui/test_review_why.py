"""The review screen shows why: the rule or model, the words that fired, and the code's
definition and "not when" beside the passage."""

from __future__ import annotations

from pathlib import Path

from tests.suggest.test_model import build_learning_project
from tests.tui.conftest import build, rows
from vinr_qual.codebook.operations import find_code
from vinr_qual.project import Project
from vinr_qual.suggest.model import forget, suggest
from vinr_qual.suggest.rules import autocode
from vinr_qual.tui.screens.review import ReviewScreen, _marked


def shown(app: object, selector: str) -> str:
    return str(app.screen.query_one(selector).render())  # type: ignore[attr-defined]


async def test_a_rule_suggestion_shows_its_rule_words_and_definition(app_project: Path) -> None:
    with Project.open(app_project) as project:
        assert autocode(project).added >= 1
    app = build(app_project)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ReviewScreen)
        why = shown(app, "#review-why")
        assert "Why it was suggested" in why
        assert "rule: Ledningens prioritering" in why
        assert "Words that fired" in why and "Kommundirektören" in why
        assert "Kommunledning eller chefer prioriterar arbetet mot våld." in why
        assert "Not when" in why and "Politikens ambitioner" in why


async def test_a_model_suggestion_shows_the_model_and_its_figures(tmp_path: Path) -> None:
    learning = build_learning_project(tmp_path / "lära")
    forget()
    with Project.open(learning.path) as project:
        scarce = find_code(project, "Knappa resurser")
        [coding_id] = suggest(project, code_ids=[scarce], per_code=1).coding_ids
    app = build(learning.path, language="sv")
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("ctrl+r")
        why = shown(app, "#review-why")
        assert "modell: Knappa resurser (CV-precision 0." in why
        assert "Ord som slog till" in why and "sannolikhet 0." in why
        assert "För lite tid, pengar eller personal." in why
        assert "modell" in shown(app, "#review-item")
        await pilot.press("a")
        await pilot.pause()
        assert shown(app, "#review-why") == ""
    assert rows(learning.path, "SELECT status, origin FROM codings WHERE id = ?", [coding_id]) == [
        ("accepted", f"model:{scarce}")
    ]
    forget()


def test_the_words_that_fired_are_marked_in_the_passage() -> None:
    marked = _marked("Vi har för lite tid [och] ingen budget.", ["tid", "ingen budget"])
    assert marked == "Vi har för lite [b u]tid[/b u] \\[och] [b u]ingen budget[/b u]."
    assert _marked("Tiden räcker", ["tid"]) == "Tiden räcker", "whole words only"
