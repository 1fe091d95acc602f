"""A small corpus of our own for search: Swedish letters, compounds, inflections, roles."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codebook.conftest import CODEBOOK_YAML, load_file
from tests.conftest import write_text
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project

KVARNBY = """I: Hur fungerar samverkan?

IP: Vi samverkade bättre förr. Nu samverkar vi mest med polisen. Vi får inget stöd.

I: Finns det avtal?

IP: Ett samverkansavtal med regionen. Och länssamverkan genom länsstyrelsen.

I: Och ledningen?

IP: Kommundirektören prioriterar inte frågan. Ledningen har annat för sig.
"""

HAVSO = """I: Vad gör din far?

IP: Min far var polis. Det är en annan historia. Vi har en lägesbild med polisen varje år.

I: Och kvinnojouren?

IP: Kvinnojouren Havsörosen är viktig för samverkan.

I: Och ledningen?

IP: Där har de det högt på agendan.
"""

PLAN = """# Handlingsplan

Kommunen ska stärka samverkan mellan socialtjänst och polis. Samverkan följs upp varje år.
"""


@pytest.fixture
def corpus(project: Project, tmp_path: Path) -> Project:
    load_file(project, write_text(tmp_path / "kodbok.yaml", CODEBOOK_YAML))
    import_sources(
        project,
        [
            ImportRequest(
                write_text(tmp_path / "Kvarnby-01.txt", KVARNBY),
                SourceMetadata(case="Kvarnby", interviewee_role="samordnare"),
            ),
            ImportRequest(
                write_text(tmp_path / "Havsö-01.txt", HAVSO),
                SourceMetadata(case="Havsö", interviewee_role="socialchef"),
            ),
            ImportRequest(
                write_text(tmp_path / "Havsö-plan.md", PLAN),
                SourceMetadata(case="Havsö", kind="steering"),
            ),
        ],
    )
    with project.transaction():
        project.db.execute(
            "INSERT INTO case_attributes (case_id, name, value) SELECT id, 'län', 'Skåne län'"
            " FROM cases WHERE name = 'Kvarnby'"
        )
    return project
