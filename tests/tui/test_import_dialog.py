"""The import dialog asks what `vinr-qual import` asks, and gives the same project."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner
from textual.widgets import Checkbox, Input, Label, Select

from tests.conftest import write_text
from tests.tui.conftest import build, record_toasts, settle, until
from vinr_qual.cases.cases import list_cases
from vinr_qual.cases.documents import get_document, list_documents
from vinr_qual.cli import cli
from vinr_qual.project import Project
from vinr_qual.tui.dialogs.import_options import ImportDialog
from vinr_qual.tui.screens.documents import DocumentsScreen

EKBY_1 = """Intervju med socialchefen i Ekby, mars 2025

I: Hur ser arbetet mot våld i nära relationer ut hos er?

IP: Vi har en handlingsplan sedan två år. Den följs upp varje höst i nämnden.

I: Vem samordnar?

IP: En samordnare på halvtid. Det räcker inte, men det är vad vi har.
"""

EKBY_2 = """I: Berätta om samverkan med polisen.

IP: Vi träffas en gång i månaden. Lägesbilden gör vi tillsammans.

I: Och skolan?

IP: Skolan kommer ibland. Det beror på vem som är rektor.
"""

ASBY = """Handlingsplan mot våld i nära relationer 2025–2027

Kommunfullmäktige i Åsby antog planen i januari. Planen gäller alla förvaltningar.

Socialnämnden ansvarar för uppföljningen och rapporterar varje år.
"""

METADATA = """file,case,kind,date,interviewee_role,speaker_roles
Ekby-01.txt,,interview,2025-03-04,socialchef,I=forskare;IP=socialchef
Ekby-02.txt,,interview,2025-03-11,samordnare,
Åsby-plan.txt,Åsby kommun,steering,2025-01-20,,
"""

PATTERN = "^(?P<case>[^-]+)-"


def corpus(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "intervjuer"
    write_text(folder / "Ekby-01.txt", EKBY_1)
    write_text(folder / "Ekby-02.txt", EKBY_2)
    write_text(folder / "Åsby-plan.txt", ASBY)
    return folder, write_text(tmp_path / "metadata.csv", METADATA)


def contents(path: Path) -> dict[str, Any]:
    """What an import leaves in a project, read through the core."""
    with Project.open(path) as project:
        documents = {}
        for listed in list_documents(project):
            document = get_document(project, listed["name"])
            documents[document["name"]] = {
                "kind": document["kind"],
                "date": document["date"],
                "interviewee_role": document["interviewee_role"],
                "title": document["title"],
                "case": document["case"],
                "text": document["text"],
                "sha256": document["sha256"],
                "turns": document["turns"],
                "speakers": [
                    (speaker["label"], speaker["role"], speaker["is_interviewer"])
                    for speaker in document["speakers"]
                ],
            }
        cases = [(case.name, case.documents, case.attributes) for case in list_cases(project)]
    return {"documents": documents, "cases": cases}


async def fill_dialog(pilot: Any, values: dict[str, str]) -> ImportDialog:
    app = pilot.app
    app.action_import()
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ImportDialog)
    for field_id, value in values.items():
        dialog.query_one(f"#{field_id}", Input).value = value
    return dialog


async def test_the_app_and_the_command_line_import_alike(tmp_path: Path) -> None:
    folder, metadata = corpus(tmp_path)
    by_cli, by_app = tmp_path / "A.sqlite", tmp_path / "B.sqlite"
    for path in (by_cli, by_app):
        Project.open(path, create=True).close()

    result = CliRunner().invoke(
        cli,
        [
            "--project",
            str(by_cli),
            "import",
            str(folder),
            "--metadata",
            str(metadata),
            "--case-pattern",
            PATTERN,
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output

    app = build(by_app)
    async with app.run_test(size=(100, 30)) as pilot:
        toasts = record_toasts(app)
        await fill_dialog(
            pilot,
            {
                "import-metadata": str(metadata),
                "import-case-pattern": PATTERN,
            },
        )
        # the path is typed as a person would, and Enter starts
        await pilot.press(*str(folder), "enter")
        await until(pilot, lambda: isinstance(app.screen, DocumentsScreen) and toasts)
        await settle(pilot)
        assert app.screen.query_one("DataTable").row_count == 3
    assert toasts == ["3 imported, 0 unchanged, 0 failed"]

    expected = contents(by_cli)
    assert set(expected["documents"]) == {"Ekby-01.txt", "Ekby-02.txt", "Åsby-plan.txt"}
    ekby = expected["documents"]["Ekby-01.txt"]
    assert (ekby["case"], ekby["kind"], ekby["date"]) == ("Ekby", "interview", "2025-03-04")
    assert ("IP", "socialchef", 0) in ekby["speakers"]
    assert expected["documents"]["Åsby-plan.txt"]["case"] == "Åsby kommun"
    assert contents(by_app) == expected


async def test_a_refused_option_keeps_the_dialog_open(app_project: Path, tmp_path: Path) -> None:
    folder, _metadata = corpus(tmp_path)
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await fill_dialog(
            pilot, {"import-path": str(folder), "import-case-pattern": "^(?P<fall>[^-]+)-"}
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        error = str(dialog.query_one("#import-error", Label).render())
        assert "(?P<case>" in error and "\n" not in error.strip()

        dialog.query_one("#import-case-pattern", Input).value = ""
        dialog.query_one("#import-date", Input).value = "12 mars"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "12 mars" in str(dialog.query_one("#import-error", Label).render())

        write_text(tmp_path / "trasig.csv", "fil,fall\nEkby-01.txt,Ekby\n")
        dialog.query_one("#import-date", Input).value = ""
        dialog.query_one("#import-metadata", Input).value = str(tmp_path / "trasig.csv")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "no 'file' column" in str(dialog.query_one("#import-error", Label).render())

        await pilot.press("escape")
        assert isinstance(app.screen, DocumentsScreen)
    with Project.open(app_project) as project:
        assert len(list_documents(project)) == 2, "nothing was imported"


async def test_options_for_every_file_and_the_failures_in_the_toast(
    app_project: Path, tmp_path: Path
) -> None:
    folder, _ = corpus(tmp_path)
    (folder / "Trasig.docx").write_bytes(b"inte en zip-fil alls")
    app = build(app_project)
    async with app.run_test(size=(100, 30)) as pilot:
        toasts = record_toasts(app)
        dialog = await fill_dialog(
            pilot,
            {
                "import-path": str(folder),
                "import-case": "Ekby",
                "import-date": "2025-04-01",
                "import-role": "enhetschef",
            },
        )
        dialog.query_one("#import-kind", Select).value = "other"
        dialog.query_one("#import-replace", Checkbox).value = True
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DocumentsScreen) and toasts)
        await settle(pilot)
    (toast,) = toasts
    assert toast.startswith("3 imported, 0 unchanged, 1 failed")
    assert "Trasig.docx" in toast.splitlines()[1]
    with Project.open(app_project) as project:
        rows = {row["name"]: row for row in list_documents(project)}
    for name in ("Ekby-01.txt", "Ekby-02.txt", "Åsby-plan.txt"):
        row = rows[name]
        assert (row["case"], row["kind"], row["date"], row["interviewee_role"]) == (
            "Ekby",
            "other",
            "2025-04-01",
            "enhetschef",
        )
