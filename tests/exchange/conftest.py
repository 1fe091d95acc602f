"""The exchange suite's fixtures: a codebook file, a coded project, and a project with
something in every table the REFI-QDA standard carries."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codebook.conftest import codebook_file, coded_project, load_file
from tests.conftest import write_text
from vinr_qual.analysis.framework import set_summary
from vinr_qual.cases.cases import set_attribute
from vinr_qual.codebook.model import CodeSet
from vinr_qual.codebook.project_codes import apply_load, plan_load, read_codebook
from vinr_qual.coding.codings import add_coding
from vinr_qual.coding.memos import add_memo, set_coding_memo
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project

__all__ = ["codebook_file", "coded_project", "rich_project"]


FIRST = """Kommunstudien, Testby, 2025-05-12

I: Hur prioriteras arbetet mot våld i nära relationer?

IP: Kommundirektören har det högt på agendan 🙂 och frågar efter lägesbilden.

I: Och samverkan med det brottsförebyggande rådet?

IP: Vi har en styrgrupp med alla förvaltningschefer. Den fungerar 👍🏽 för det mesta.
"""

SECOND = """Kommunstudien, Åby, 2025-06-02

I: Vilka resurser finns?

IP: Jag har bara tjugo procent av en tjänst, och det räcker inte långt.
"""


def span_of(project: Project, name: str, passage: str) -> tuple[int, int, int]:
    document_id, text = project.db.execute(
        "SELECT id, text FROM documents WHERE name = ?", [name]
    ).fetchone()
    start = text.index(passage)
    return document_id, start, start + len(passage)


def code_of(project: Project, name: str) -> str:
    return str(project.db.execute("SELECT id FROM codes WHERE name = ?", [name]).fetchone()[0])


@pytest.fixture
def rich_project(project: Project, codebook_file: Path, tmp_path: Path) -> Project:
    """A project with something in every table the standard carries."""
    load_file(project, codebook_file)
    first = write_text(tmp_path / "Testby-01.txt", FIRST)
    second = write_text(tmp_path / "Åby-01.txt", SECOND)
    import_sources(
        project,
        [
            ImportRequest(first, SourceMetadata(case="Testby", date="2025-05-12")),
            ImportRequest(second, SourceMetadata(case="Åby", interviewee_role="samordnare")),
        ],
    )
    priority, internal, scarce = (
        code_of(project, name)
        for name in ("Ledningens prioritering", "Intern samverkan", "Knappa resurser")
    )
    after_emoji = span_of(project, "Testby-01.txt", "frågar efter lägesbilden")
    first_coding = add_coding(project, *after_emoji, priority, coder="Anna")
    add_coding(
        project,
        *span_of(project, "Testby-01.txt", "Den fungerar 👍🏽 för det mesta"),
        internal,
        coder="Bo",
    )
    add_coding(
        project, *span_of(project, "Åby-01.txt", "tjugo procent av en tjänst"), scarce, coder="Anna"
    )
    add_coding(
        project,
        *span_of(project, "Åby-01.txt", "det räcker inte långt"),
        scarce,
        coder="Bo",
        status="suggested",
        origin="rule",
    )
    for case, key, value in [
        ("Testby", "invånare", "12500"),
        ("Åby", "invånare", "8100"),
        ("Testby", "andel", "0.35"),
        ("Åby", "andel", "1.5"),
        ("Testby", "beslutad", "2024-03-01"),
        ("Testby", "samordnare", "true"),
        ("Åby", "samordnare", "false"),
        ("Testby", "modell", "Egen samordnare"),
    ]:
        set_attribute(project, case, key, value)
    set_coding_memo(project, first_coding, "Tydligt exempel på ledningens stöd.", coder="Anna")
    document_id = after_emoji[0]
    case_id = project.db.execute("SELECT id FROM cases WHERE name = 'Testby'").fetchone()[0]
    coder = project.coder_id("Anna")
    add_memo(project, "project", "Projektets första memo.", coder_id=coder)
    add_memo(project, "document", "Intervjun gjordes på distans.", document_id=document_id)
    add_memo(project, "code", "Koden behöver skarpare gränser.", code_id=priority, coder_id=coder)
    add_memo(project, "case", "Testby har ny samordnare sedan 2024.", case_id=case_id)
    set_summary(project, "Testby", priority, "Ledningen driver frågan aktivt.", coder="Bo")
    codebook = read_codebook(project)
    codebook.sets = [
        CodeSet("5a0e7f33-1c4b-4d7e-9f1a-2b3c4d5e6f70", "Centrala", "Kärnan", [priority, scarce])
    ]
    apply_load(project, plan_load(project, codebook, with_sets=True), source="test")
    project.set_setting("project.description", "Testprojekt om samordning av VINR och BF.")
    return project
