"""F in the document view says which field a passage is about: the passage of the coding
at the cursor is coded with the field code as well; `code field` does it from the
command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tests.conftest import write_text
from tests.tui.conftest import INTERVIEW, build
from vinr_qual.cli import cli
from vinr_qual.codebook.operations import find_code
from vinr_qual.codebook.project_codes import apply_load, plan_load
from vinr_qual.coding.codings import add_coding
from vinr_qual.exchange.codebook_files import read_codebook_file
from vinr_qual.ingest.demo import DEFAULT_CODEBOOK
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.tui.dialogs.code_picker import CodePicker
from vinr_qual.tui.screens.document import DocumentScreen
from vinr_qual.tui.widgets.transcript import Transcript

PASSAGE = "Men jag har bara tjugo procent av en tjänst."


def project_with_fields(tmp_path: Path) -> Path:
    path = tmp_path / "projekt.sqlite"
    with Project.open(path, create=True) as project:
        read = read_codebook_file(DEFAULT_CODEBOOK)
        apply_load(project, plan_load(project, read.codebook), source="vinr.yaml")
        import_sources(project, [ImportRequest(write_text(tmp_path / "Testby-01.txt", INTERVIEW))])
        text = project.db.execute("SELECT text FROM documents").fetchone()[0]
        start = text.index(PASSAGE)
        add_coding(
            project, 1, start, start + len(PASSAGE), find_code(project, "Knappa resurser"),
            coder="Anna",
        )  # fmt: skip
    return path


def coded(path: Path) -> list[tuple[str, str]]:
    with Project.open(path) as project:
        return [
            (str(code), text[start:end])
            for code, text, start, end in project.db.execute(
                'SELECT c.name, d.text, g.start, g."end" FROM codings g JOIN codes c'
                " ON c.id = g.code_id JOIN documents d ON d.id = g.document_id ORDER BY g.id"
            )
        ]


async def test_f_codes_the_passage_at_the_cursor_with_its_field(tmp_path: Path) -> None:
    path = project_with_fields(tmp_path)
    app = build(path)
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        transcript = app.screen.query_one(Transcript)
        index = transcript.text.index("tjugo procent")
        transcript.select_span(index, index)
        await pilot.press("F")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, CodePicker)
        await pilot.press(*"VINR", "enter")
        await pilot.pause()
    assert coded(path) == [("Knappa resurser", PASSAGE), ("VINR", PASSAGE)]


def test_code_field_on_the_command_line(tmp_path: Path) -> None:
    path = project_with_fields(tmp_path)
    result = CliRunner().invoke(
        cli, ["-p", str(path), "code", "field", "1", "--field", "BF", "--field", "ANDTS"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "+ 2 field codings"
    assert coded(path)[1:] == [("BF", PASSAGE), ("ANDTS", PASSAGE)]
    wrong = CliRunner().invoke(cli, ["-p", str(path), "code", "field", "1", "--field", "Trappan"])
    assert wrong.exit_code == 1 and "is not a field; the fields are BF, VINR, ANDTS" in wrong.stderr
