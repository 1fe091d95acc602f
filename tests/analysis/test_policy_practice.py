"""Policy beside practice: a case's steering documents set beside its interviews, by
code and by wording, both ways, in the core and on the command line.

The texts share word forms, not only lemmas, so that the wording tests do not hang on
the lemma table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import write_text
from vinr_qual.analysis.policy_practice import compare_case, counterparts
from vinr_qual.cli import cli
from vinr_qual.codebook.operations import add_code
from vinr_qual.coding.codings import add_coding
from vinr_qual.errors import VinrQualError
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project

INTERVIEW = """I: Hur är samordningen organiserad?

IP: Kvinnofridssamordnaren sitter på socialförvaltningen, utan mandat gentemot förvaltningscheferna. Det räcker inte långt.

I: Finns det en styrgrupp för kvinnofridsarbetet?

IP: Styrgruppen för kvinnofridsarbetet har inte träffats sedan i våras. Vi saknar mandat att kalla förvaltningscheferna.

IP: Vi har pratat om väder och parkering också, men det hör inte hit.
"""

PLAN = """# Handlingsplan mot våld i nära relationer

## Organisation

Kommunen ska ha en kvinnofridssamordnare på heltid med mandat att kalla förvaltningscheferna till styrgruppen.

Styrgruppen för kvinnofridsarbetet träffas fyra gånger om året och leds av socialchefen.

## Budget

Parkeringsavgifterna i centrum höjs inte under planperioden och berörs inte här alls.
"""

OTHER_PLAN = """# Plan i Sörby

Kvinnofridssamordnaren i Sörby har mandat att kalla förvaltningscheferna till styrgruppen.
"""


@pytest.fixture
def studied(tmp_path: Path) -> Path:
    path = tmp_path / "projekt.sqlite"
    with Project.open(path, create=True) as project:
        outcomes = import_sources(
            project,
            [
                ImportRequest(
                    write_text(tmp_path / "Norrlida-01.txt", INTERVIEW),
                    SourceMetadata(case="Norrlida", interviewee_role="socialchef"),
                ),
                ImportRequest(
                    write_text(tmp_path / "Norrlida-plan.md", PLAN),
                    SourceMetadata(case="Norrlida", kind="steering"),
                ),
                ImportRequest(
                    write_text(tmp_path / "Sörby-plan.md", OTHER_PLAN),
                    SourceMetadata(case="Sörby", kind="steering"),
                ),
            ],
        )
        assert [o.status for o in outcomes] == ["imported"] * 3
        family = add_code(project, "Organisering").code_id
        code = add_code(project, "Samordningens mandat", parent="Organisering").code_id
        assert family
        for name, phrase, coder in (
            ("Norrlida-01.txt", "Vi saknar mandat att kalla förvaltningscheferna.", "Anna"),
            ("Norrlida-01.txt", "Vi saknar mandat att kalla förvaltningscheferna.", "Bo"),
            ("Norrlida-plan.md", "Kommunen ska ha en kvinnofridssamordnare", "Anna"),
            ("Sörby-plan.md", "Kvinnofridssamordnaren i Sörby", "Anna"),
        ):
            document_id, text = project.db.execute(
                "SELECT id, text FROM documents WHERE name = ?", [name]
            ).fetchone()
            start = text.index(phrase)
            add_coding(project, document_id, start, start + len(phrase), code, coder=coder)
    return path


def document(project: Project, name: str) -> tuple[int, str]:
    row = project.db.execute("SELECT id, text FROM documents WHERE name = ?", [name]).fetchone()
    return int(row[0]), str(row[1])


def test_a_case_and_code_give_both_sides_once_per_passage(studied: Path) -> None:
    with Project.open(studied) as project:
        family = project.db.execute("SELECT id FROM codes WHERE name = 'Organisering'").fetchone()
        found = compare_case(project, "norrlida", family[0])
    assert found.case == "Norrlida"
    # coded with the child code: the family finds it; two coders, one passage
    [said] = found.interviews
    assert said.text == "Vi saknar mandat att kalla förvaltningscheferna."
    assert said.coders == ("Anna", "Bo") and said.place.speaker == "IP"
    [promised] = found.steering
    assert promised.document == "Norrlida-plan.md"
    assert all(p.document != "Sörby-plan.md" for p in found.steering + found.steering_by_wording)
    # the sentence holding the coded words is on the coded side, not again as close wording
    assert all(not p.text.startswith("Kommunen ska") for p in found.steering_by_wording)
    # from the plan back: the interviewee's turn on the steering group is close in wording
    close = [p.text for p in found.interviews_by_wording]
    assert close and all("parkering" not in text for text in close)
    assert all(not text.startswith("Finns det") for text in close)


def test_from_an_interview_passage_to_the_documents_and_back(studied: Path) -> None:
    with Project.open(studied) as project:
        interview_id, text = document(project, "Norrlida-01.txt")
        start = text.index("Styrgruppen för kvinnofridsarbetet har")
        other = counterparts(project, interview_id, start, start + 40)
        assert other.kind == "steering" and other.case == "Norrlida"
        assert other.by_code == []  # this sentence is not coded
        assert other.by_wording[0].text.startswith("Styrgruppen för kvinnofridsarbetet träffas")
        assert all(p.document == "Norrlida-plan.md" for p in other.by_wording)
        plan_id, plan = document(project, "Norrlida-plan.md")
        start = plan.index("Kommunen ska ha")
        back = counterparts(project, plan_id, start, start + 20)
        assert back.kind == "interview"
        assert [p.text for p in back.by_code] == [
            "Vi saknar mandat att kalla förvaltningscheferna."
        ]
        # close in wording, and never the interviewer's question about the same thing
        assert back.by_wording
        assert all(not p.text.startswith("Finns det") for p in back.by_wording)
        assert all(p.place.speaker == "IP" for p in back.by_wording)


def test_an_unknown_case_names_the_cases(studied: Path) -> None:
    with Project.open(studied) as project, pytest.raises(VinrQualError, match="Norrlida, Sörby"):
        compare_case(project, "Västby", "x")


def test_compare_on_the_command_line(studied: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["-p", str(studied), "compare", "Norrlida", "--code", "Samordningens mandat"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Norrlida · Samordningens mandat"
    assert "Steering documents: 1 coded passage" in lines
    assert "Interviews: 1 coded passage" in lines
    assert "  Norrlida-01.txt IP (socialchef) · Anna, Bo" in lines
    as_json = runner.invoke(
        cli, ["-p", str(studied), "compare", "Norrlida", "--code", "Samordningens mandat", "--json"]
    )
    data = json.loads(as_json.stdout)
    assert data["steering"][0]["document"] == "Norrlida-plan.md"
    missing = runner.invoke(cli, ["-p", str(studied), "compare", "Västby", "--code", "x"])
    assert missing.exit_code == 1 and missing.stderr.count("\n") == 1
