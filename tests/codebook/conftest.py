"""A small codebook of our own, and a project with one interview to code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_text
from vinr_qual.codebook.project_codes import apply_load, plan_load
from vinr_qual.exchange.codebook_files import read_codebook_file, write_ids_back
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project

CODEBOOK_YAML = """\
# Testkodbok för vinr-qual
codebook:
  name: Testkodbok
  description: En liten kodbok för testerna.
  language: sv

codes:
  - name: Framgångsfaktorer
    name_en: Success factors
    codable: false
    color: "#2A9D8F"
    definition: Det som enligt de intervjuade får arbetet att fungera.
    codes:
      - name: Ledningens prioritering    # behåll den här kommentaren
        name_en: Priority from leadership
        shortcut: l
        color: "#3DB5A6"
        definition: Kommunledning eller chefer prioriterar arbetet mot våld.
        use_when: När någon beskriver att ledningen driver eller efterfrågar arbetet.
        not_when: Politikens ambitioner; använd Politiska ambitioner.
        examples:
          - "Kommundirektören frågar efter lägesbilden varje månad."
        rules:
          unit: sentence
          keywords: [kommundirektör]
          lemmas: [prioritera]
          phrases: ["högt på agendan"]
          patterns: ['\\bledning\\w*']
          fuzzy: 90
      - name: Intern samverkan
        name_en: Internal collaboration
        shortcut: s
        definition: Förvaltningar i kommunen arbetar tillsammans.
        examples: ["Vi har en styrgrupp med alla förvaltningschefer."]
  - name: Hinder
    name_en: Barriers
    codable: false
    codes:
      - name: Knappa resurser
        name_en: Scarce resources
        definition: För lite tid, pengar eller personal.
        examples: ["Jag har tjugo procent av en tjänst."]
        rules:
          unit: sentence
          phrases: ["tjugo procent"]
"""

INTERVIEW = """Kommunstudien, Testby, 2025-05-12

I: Hur prioriteras arbetet?

IP: Kommundirektören har det högt på agendan. Men jag har bara tjugo procent av en tjänst.

I: Och samverkan?

IP: Vi har en styrgrupp med alla förvaltningschefer. Den fungerar.
"""


@pytest.fixture
def codebook_file(tmp_path: Path) -> Path:
    return write_text(tmp_path / "kodbok.yaml", CODEBOOK_YAML)


def load_file(project: Project, path: Path, **options: object) -> None:
    read = read_codebook_file(path)
    plan = plan_load(
        project, read.codebook, with_sets=read.format == "qdc", carried=read.carried, **options
    )  # type: ignore[arg-type]
    apply_load(project, plan, source=str(path))
    write_ids_back(read, path)


@pytest.fixture
def coded_project(project: Project, codebook_file: Path, tmp_path: Path) -> Project:
    """A project with the codebook loaded and one imported interview."""
    load_file(project, codebook_file)
    source = write_text(tmp_path / "Testby-01.txt", INTERVIEW)
    import_sources(project, [ImportRequest(source, SourceMetadata(case="Testby"))])
    return project


def passage_span(project: Project, passage: str) -> tuple[int, int, int]:
    document_id, text = project.db.execute("SELECT id, text FROM documents").fetchone()
    start = text.index(passage)
    return document_id, start, start + len(passage)
