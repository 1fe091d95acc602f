"""Where a passage is: its speaker, the time its turn starts at and its pages, as the
document view shows them and as a quote or a list of passages carries them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import write_text
from tests.tui.conftest import build
from vinr_qual.cases.places import DocumentPlaces, clock, place_of
from vinr_qual.cli import cli
from vinr_qual.codebook.operations import add_code
from vinr_qual.coding.codings import add_coding
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.tui.screens.document import DocumentScreen
from vinr_qual.tui.widgets.transcript import Transcript

TEAMS = """WEBVTT

1
00:00:01.000 --> 00:00:04.000
<v Lena Ek>Välkommen, vi börjar med din roll.</v>

2
00:12:31.400 --> 00:12:36.000
<v Karin Olsson>Jag samordnar arbetet mot våld i nära relationer.</v>

3
00:12:36.500 --> 00:12:40.000
<v Karin Olsson>Och jag sitter under socialtjänsten.</v>
"""


def imported(tmp_path: Path) -> tuple[Path, int]:
    path = tmp_path / "projekt.sqlite"
    with Project.open(path, create=True) as project:
        [outcome] = import_sources(project, [ImportRequest(write_text(tmp_path / "m.vtt", TEAMS))])
        assert outcome.document_id is not None
        return path, outcome.document_id


def test_a_passage_carries_its_turns_start_time_and_speaker(tmp_path: Path) -> None:
    path, document_id = imported(tmp_path)
    with Project.open(path) as project:
        text = project.db.execute("SELECT text FROM documents").fetchone()[0]
        start = text.index("jag sitter under")
        place = place_of(project, document_id, start, start + 16)
        # the second cue merged into Karin's turn, which began at 00:12:31
        assert (place.speaker, place.time_mark) == ("Karin Olsson", "[00:12:31]")
        first = DocumentPlaces(project, document_id).place(text.index("Välkommen"), 20)
        assert (first.speaker, first.marks()) == ("Lena Ek", "[00:00:01]")


def test_a_passage_outside_any_turn_has_no_marks(tmp_path: Path, project: Project) -> None:
    path = write_text(tmp_path / "anteckning.txt", "Bara en anteckning utan talare.\n")
    [outcome] = import_sources(project, [ImportRequest(path)])
    assert outcome.document_id is not None
    place = place_of(project, outcome.document_id, 0, 4)
    assert (place.speaker, place.marks()) == (None, "")


def test_clock_writes_hours_minutes_and_seconds() -> None:
    assert [clock(s) for s in (0, 59.9, 751.4, 3600 * 2 + 61)] == [
        "00:00:00",
        "00:00:59",
        "00:12:31",
        "02:01:01",
    ]


def test_analyse_passages_names_speaker_and_time(tmp_path: Path) -> None:
    path, document_id = imported(tmp_path)
    with Project.open(path) as project:
        code_id = add_code(project, "Placering").code_id
        text = project.db.execute("SELECT text FROM documents").fetchone()[0]
        start = text.index("Och jag sitter")
        add_coding(project, document_id, start, start + 35, code_id, coder="Anna")
    result = CliRunner().invoke(
        cli, ["-p", str(path), "analyse", "passages", "--code", "Placering", "--json"]
    )
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert (row["speaker"], row["where"]) == ("Karin Olsson", "[00:12:31]")


async def test_the_document_view_shows_who_speaks_and_when(tmp_path: Path) -> None:
    path, _ = imported(tmp_path)
    app = build(path)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        transcript = app.screen.query_one(Transcript)
        index = transcript.text.index("socialtjänsten")
        transcript.select_span(index, index)
        await pilot.pause()
        shown = str(app.screen.query_one("#place").render())
        assert "Karin Olsson" in shown and "[00:12:31]" in shown
