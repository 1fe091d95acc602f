"""The app driven as a researcher uses it; each step is checked in the project file."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, OptionList

from tests.tui.conftest import INTERVIEW, build, codings, rows
from vinr_qual.tui.dialogs.code_picker import CodePicker
from vinr_qual.tui.dialogs.prompt import TextPrompt
from vinr_qual.tui.screens.document import DocumentScreen
from vinr_qual.tui.screens.documents import DocumentsScreen
from vinr_qual.tui.widgets.transcript import Transcript


async def open_testby(pilot) -> Transcript:  # type: ignore[no-untyped-def]
    app = pilot.app
    assert isinstance(app.screen, DocumentsScreen)
    await pilot.press("down", "enter")
    await pilot.pause()
    assert isinstance(app.screen, DocumentScreen)
    return app.screen.query_one(Transcript)


def put_cursor(transcript: Transcript, passage: str) -> None:
    index = transcript.text.index(passage)
    transcript.select_span(index, index)


async def test_the_whole_coding_flow(app_project: Path) -> None:
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        transcript = await open_testby(pilot)

        # select a sentence with the keyboard and code it through the picker
        put_cursor(transcript, "Vi har en styrgrupp")
        await pilot.press("S")
        assert transcript.selected_text == "Vi har en styrgrupp med alla förvaltningschefer."
        await pilot.press("enter")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"samverkan")
        await pilot.press("enter")
        assert isinstance(app.screen, DocumentScreen)
        assert codings(app_project) == [
            ("Intern samverkan", "Anna", "Vi har en styrgrupp med alla förvaltningschefer.")
        ]

        # a codebook shortcut codes a selection made with shift+arrows at once
        put_cursor(transcript, "högt på agendan")
        await pilot.press(*["shift+right"] * len("högt på agendan"))
        assert transcript.selected_text == "högt på agendan"
        await pilot.press("l")
        assert codings(app_project)[-1] == ("Ledningens prioritering", "Anna", "högt på agendan")

        # with nothing selected, the shortcut codes the sentence at the cursor
        put_cursor(transcript, "tjugo procent")
        await pilot.press("l")
        assert codings(app_project)[-1][2] == "Men jag har bara tjugo procent av en tjänst."

        # remove the coding at the cursor, undo, redo
        put_cursor(transcript, "tjugo procent")
        await pilot.press("delete")
        assert len(codings(app_project)) == 2
        await pilot.press("ctrl+z")
        assert codings(app_project)[-1][2] == "Men jag har bara tjugo procent av en tjänst."
        await pilot.press("ctrl+y")
        assert len(codings(app_project)) == 2
        await pilot.press("ctrl+z", "ctrl+z")
        # the first undo takes back the removal, the second the coding of that sentence
        assert [c[2] for c in codings(app_project)] == [
            "Vi har en styrgrupp med alla förvaltningschefer.",
            "högt på agendan",
        ]


async def test_change_code_move_boundaries_and_memo(app_project: Path) -> None:
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        transcript = await open_testby(pilot)
        put_cursor(transcript, "Där är vi inte med")
        await pilot.press("T", "s")
        assert codings(app_project) == [
            ("Intern samverkan", "Anna", "Där är vi inte med. Det är separata spår, ärligt talat.")
        ]
        put_cursor(transcript, "Där är vi inte med")
        await pilot.press("C")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"resurser", "enter")
        assert codings(app_project)[0][0] == "Knappa resurser"

        put_cursor(transcript, "Det är separata spår")
        await pilot.press(*["shift+right"] * len("Det är separata spår"))
        await pilot.press("A")
        assert codings(app_project)[0][2] == "Det är separata spår"

        await pilot.press("left")
        put_cursor(transcript, "separata")
        await pilot.press("M")
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"Jfr styrdokumentet", "ctrl+s")
        memo = rows(app_project, "SELECT text FROM memos WHERE target = 'coding'")
        assert memo == [("Jfr styrdokumentet",)]
        assert "Jfr styrdokumentet" in str(app.screen.query_one("#memo").render())


async def test_other_coders_can_be_hidden(app_project: Path) -> None:
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.coding.codings import add_coding
    from vinr_qual.project import Project

    with Project.open(app_project) as project:
        document_id, text = project.db.execute(
            "SELECT id, text FROM documents WHERE name = 'Testby-01.txt'"
        ).fetchone()
        start = text.index("Den fungerar.")
        add_coding(project, document_id, start, start + 13, find_code(project, "s"), coder="Bo")
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_testby(pilot)
        screen = app.screen
        assert [row["coder"] for row in screen.codings] == ["Bo"]
        await pilot.press("O")
        assert screen.codings == []
        await pilot.press("O")
        assert [row["coder"] for row in screen.codings] == ["Bo"]


async def test_the_coder_is_asked_once_on_first_start(app_project: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("VINR_QUAL_CODER")
    app = build(app_project, coder=None)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, TextPrompt)
        field = app.screen.query_one(Input)
        field.value = ""
        await pilot.press(*"Cecilia", "enter")
        assert "Cecilia" in app.sub_title
    assert rows(app_project, "SELECT value FROM settings WHERE key = 'coder'") == [("Cecilia",)]
    again = build(app_project, coder=None)
    async with again.run_test(size=(100, 30)):
        assert isinstance(again.screen, DocumentsScreen)


async def test_documents_filter_by_case_attribute_kind_and_words(app_project: Path) -> None:
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(DataTable)
        await pilot.press("slash", *"case:granby")
        assert table.row_count == 1
        app.screen.query_one(Input).value = "testby"
        await pilot.pause()
        assert table.row_count == 1
        app.screen.query_one(Input).value = "kind:steering"
        await pilot.pause()
        assert table.row_count == 0
        assert "No documents match" in str(app.screen.query_one("#documents-count").render())


async def test_the_interface_speaks_swedish(app_project: Path) -> None:
    app = build(app_project, language="sv")
    async with app.run_test(size=(100, 30)) as pilot:
        assert "kodare: Anna" in app.sub_title
        assert "av 2 dokument" in str(app.screen.query_one("#documents-count").render())
        await pilot.press("question_mark")
        assert "Koda" in str(app.screen.query_one("Static").render())
        await pilot.press("escape")
        app.action_switch_language()
        await pilot.pause()
        assert "2 of 2 documents" in str(app.screen.query_one("#documents-count").render())
    assert rows(app_project, "SELECT value FROM settings WHERE key = 'ui.language'") == [("en",)]


async def test_the_picker_ranks_by_fuzzy_match_and_recent_use(app_project: Path) -> None:
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        transcript = await open_testby(pilot)
        put_cursor(transcript, "Skolan är med")
        await pilot.press("S", "enter", *"knap resur")
        options = app.screen.query_one(OptionList)
        first = options.get_option_at_index(0)
        assert "Knappa resurser" in str(first.prompt)
        await pilot.press("escape")
        put_cursor(transcript, "Skolan är med")
        await pilot.press("S", "s")
        await pilot.press("enter")
        first = app.screen.query_one(OptionList).get_option_at_index(0)
        assert "Intern samverkan" in str(first.prompt), "the code just used comes first"


async def test_import_runs_in_a_worker_and_can_be_cancelled(
    app_project: Path, tmp_path: Path
) -> None:
    from tests.conftest import write_text
    from vinr_qual.tui.dialogs.import_progress import ImportScreen

    folder = tmp_path / "nya"
    for number in range(40):
        write_text(folder / f"Nyby-{number:02}.txt", INTERVIEW.replace("Testby", f"Nyby {number}"))
    shown: list[int] = []
    original = ImportScreen._show

    def show_and_cancel(self: ImportScreen, name: str) -> None:
        original(self, name)
        shown.append(self.summary.done)
        if self.summary.done == 3:
            self.action_cancel()

    ImportScreen._show = show_and_cancel  # type: ignore[method-assign]
    try:
        app = build(app_project)
        async with app.run_test(size=(100, 30)) as pilot:
            app.start_import([folder])
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            assert isinstance(app.screen, DocumentsScreen)
    finally:
        ImportScreen._show = original  # type: ignore[method-assign]
    imported = rows(app_project, "SELECT name FROM documents WHERE name LIKE 'Nyby-%'")
    assert 3 <= len(imported) < 40
    for (name,) in imported:
        turns = rows(
            app_project,
            "SELECT count(*) FROM segments s JOIN documents d ON d.id ="
            " s.document_id WHERE d.name = ? AND s.kind = 'turn'",
            [name],
        )
        assert turns == [(6,)], f"{name} is whole"


async def test_a_passage_selected_with_the_mouse_is_coded(app_project: Path) -> None:
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        transcript = await open_testby(pilot)
        row, _ = transcript.location_of(transcript.text.index("IP: Kommundirektören"))
        y = row - transcript.scroll_offset.y
        await pilot.mouse_down(transcript, offset=(5, y))
        await pilot.hover(transcript, offset=(25, y))
        await pilot.mouse_up(transcript, offset=(25, y))
        selected = transcript.selected_text
        assert len(selected) >= 10 and selected in INTERVIEW
        await pilot.press("l")
    assert codings(app_project) == [("Ledningens prioritering", "Anna", selected)]


async def test_the_command_palette_lists_the_screen_actions(app_project: Path) -> None:
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        transcript = await open_testby(pilot)
        put_cursor(transcript, "Den fungerar")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Code", "Undo", "Redo", "Memo", "Codebook", "Import files…", "Help"):
            assert title in titles, title
        await pilot.press("ctrl+p")
        await pilot.press(*"Sentence")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert transcript.selected_text == "Den fungerar."


async def test_others_codings_are_shown_but_never_changed(app_project: Path) -> None:
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.coding.codings import add_coding
    from vinr_qual.coding.memos import set_coding_memo
    from vinr_qual.project import Project

    with Project.open(app_project) as project:
        document_id, text = project.db.execute(
            "SELECT id, text FROM documents WHERE name = 'Testby-01.txt'"
        ).fetchone()
        start = text.index("Den fungerar.")
        bo = add_coding(
            project, document_id, start, start + 13, find_code(project, "s"), coder="Bo"
        )
        set_coding_memo(project, bo, "IP skrattar [skratt] här [/b]", coder="Bo")
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        transcript = await open_testby(pilot)
        put_cursor(transcript, "Den fungerar")
        await pilot.pause()
        assert "IP skrattar [skratt] här [/b]" in str(app.screen.query_one("#memo").render())
        await pilot.press("delete", "C", "M")
        assert isinstance(app.screen, DocumentScreen), "nothing of Bo's opens for editing"
    assert codings(app_project) == [("Intern samverkan", "Bo", "Den fungerar.")]


async def test_an_undo_that_would_overwrite_a_newer_coding_is_refused(app_project: Path) -> None:
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        transcript = await open_testby(pilot)
        put_cursor(transcript, "Den fungerar")
        await pilot.press("S", "s")
        put_cursor(transcript, "Den fungerar")
        await pilot.press("delete")
        from vinr_qual.coding.codings import add_coding

        # someone else codes meanwhile and gets the freed id
        document_id, text = rows(
            app_project, "SELECT id, text FROM documents WHERE name = 'Testby-01.txt'"
        )[0]
        start = str(text).index("Skolan är med")
        app.project.db.execute("DELETE FROM codings")
        add_coding(
            app.project,
            int(document_id),
            start,
            start + 13,  # type: ignore[call-overload]
            app.shortcuts()["l"],
            coder="Bo",
        )
        await pilot.press("ctrl+z")
        await pilot.pause()
    assert codings(app_project) == [("Ledningens prioritering", "Bo", "Skolan är med")]
