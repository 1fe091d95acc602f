"""A hand-countable fixture: three cases, four documents, two coders, known codings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codebook.conftest import CODEBOOK_YAML, load_file
from tests.conftest import write_text
from vinr_qual.codebook.operations import find_code
from vinr_qual.coding.codings import add_coding
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project

A_TEXT = """I: Fråga?

IP: Ledningen prioriterar frågan. Vi har för lite tid. Styrgruppen fungerar.

I: Mer?

IP: Inga pengar. Ingen tid.
"""
B_TEXT = """I: Fråga?

IP: Kommundirektören driver det. Samverkan är god.

I: Något mer?

IP: Nej, ledningen har annat för sig.
"""
PLAN = """# Plan

Kommunen ska samverka. Resurser ska avsättas.
"""


def code(project: Project, document: str, passage: str, reference: str, coder: str = "Anna") -> int:
    document_id, text = project.db.execute(
        "SELECT id, text FROM documents WHERE name = ?", [document]
    ).fetchone()
    start = text.index(passage)
    return add_coding(
        project,
        document_id,
        start,
        start + len(passage),
        find_code(project, reference),
        coder=coder,
    )


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    load_file(project, write_text(tmp_path / "kodbok.yaml", CODEBOOK_YAML))
    import_sources(
        project,
        [
            ImportRequest(
                write_text(tmp_path / "A.txt", A_TEXT),
                SourceMetadata(case="Aby", interviewee_role="socialchef"),
            ),
            ImportRequest(
                write_text(tmp_path / "B.txt", B_TEXT),
                SourceMetadata(case="Bby", interviewee_role="kommundirektör"),
            ),
            ImportRequest(
                write_text(tmp_path / "P.md", PLAN), SourceMetadata(case="Aby", kind="steering")
            ),
        ],
    )
    import_sources(project, [])
    with project.transaction():
        for case, group, population in (("Aby", "C8", "9000"), ("Bby", "A2", "60000")):
            project.db.execute(
                "INSERT INTO case_attributes (case_id, name, value) SELECT id, 'kommungrupp', ?"
                " FROM cases WHERE name = ?",
                [group, case],
            )
            project.db.execute(
                "INSERT INTO case_attributes (case_id, name, value) SELECT id, 'folkmängd', ?"
                " FROM cases WHERE name = ?",
                [population, case],
            )
        project.db.execute("INSERT INTO cases (name, created) VALUES ('Cby', 'nu')")
    # Anna: 3 × Knappa resurser in Aby (2 in one turn), 1 × Ledningens prioritering in each case,
    # Intern samverkan overlapping the Bby prioritering; 1 resources code in the plan
    code(study_project := project, "A.txt", "Vi har för lite tid.", "Knappa resurser")
    code(study_project, "A.txt", "Inga pengar.", "Knappa resurser")
    code(study_project, "A.txt", "Ingen tid.", "Knappa resurser")
    code(study_project, "A.txt", "Ledningen prioriterar frågan.", "l")
    code(study_project, "B.txt", "Kommundirektören driver det.", "l")
    code(study_project, "B.txt", "driver det. Samverkan är god.", "s")
    code(study_project, "P.md", "Resurser ska avsättas.", "Knappa resurser")
    return project
