"""Two researchers code their own copies; `vinr-qual merge` brings one's work into the other's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.exchange.conftest import code_of, span_of
from vinr_qual.analysis.framework import set_summary
from vinr_qual.cases.cases import set_attribute
from vinr_qual.cli import cli
from vinr_qual.codebook.operations import add_code, rename_code
from vinr_qual.coding.codings import add_coding
from vinr_qual.coding.memos import set_coding_memo
from vinr_qual.exchange.bring_in import apply, plan
from vinr_qual.exchange.from_project import package_of
from vinr_qual.exchange.qdpx_write import write_qdpx
from vinr_qual.project import Project


@pytest.fixture
def two_copies(rich_project: Project, tmp_path: Path) -> tuple[Path, Path]:
    """Anna's project and Bo's copy of it, each coded further on its own."""
    ours = Path(rich_project.path)
    rich_project.close()
    theirs = tmp_path / "bo.sqlite"
    shutil.copy(ours, theirs)
    with Project.open(ours) as anna:
        priority = code_of(anna, "Ledningens prioritering")
        add_coding(
            anna, *span_of(anna, "Åby-01.txt", "Jag har bara tjugo procent"), priority, coder="Anna"
        )
        set_summary(anna, "Åby", priority, "Resursbrist snarare än prioritering.", coder="Anna")
    with Project.open(theirs) as bo:
        priority = code_of(bo, "Ledningens prioritering")
        internal = code_of(bo, "Intern samverkan")
        mine = add_coding(
            bo,
            *span_of(bo, "Testby-01.txt", "Kommundirektören har det högt på agendan"),
            priority,
            coder="Bo",
        )
        add_coding(
            bo, *span_of(bo, "Åby-01.txt", "Jag har bara tjugo procent"), internal, coder="Bo"
        )
        set_coding_memo(bo, mine, "Bo: ledningen nämns direkt.", coder="Bo")
        parent = bo.db.execute("SELECT parent_id FROM codes WHERE id = ?", [priority]).fetchone()[0]
        new_code = add_code(bo, "Politisk förankring", parent=parent).code_id
        add_coding(
            bo, *span_of(bo, "Testby-01.txt", "frågar efter lägesbilden"), new_code, coder="Bo"
        )
        rename_code(bo, internal, "Samverkan inom kommunen")
        set_summary(bo, "Åby", priority, "Ingen tydlig prioritering.", coder="Bo")
        set_attribute(bo, "Åby", "invånare", "8200")
        set_attribute(bo, "Åby", "region", "Norr")
    return ours, theirs


def _count(project: Project, sql: str) -> int:
    return int(project.db.execute(sql).fetchone()[0])


def test_merge_brings_the_other_coders_work_and_lists_conflicts(
    two_copies: tuple[Path, Path],
) -> None:
    ours, theirs = two_copies
    with Project.open(theirs, read_only=True) as bo:
        package = package_of(bo)
    with Project.open(ours) as anna:
        before = _count(anna, "SELECT count(*) FROM codings")
        found = plan(anna, package, label=str(theirs))
        assert found.counts()["codings"] == 3  # the three Bo made after the copy
        assert found.codings_present == 3  # the three both copies had are not doubled
        assert found.counts()["codes"] == 1 and found.counts()["notes"] == 1
        assert found.attributes == [("Åby", "region", "Norr")]
        conflicts = "\n".join(found.conflicts)
        assert "'Samverkan inom kommunen'" in conflicts  # the code renamed there
        assert "8100" in conflicts and "8200" in conflicts  # an attribute changed there
        assert "summarised both" in conflicts  # the framework cell of Åby
        apply(anna, found, action="merge")
        assert _count(anna, "SELECT count(*) FROM codings") == before + 3
        by_bo = anna.db.execute(
            "SELECT c.name, k.origin FROM codings k JOIN codes c ON c.id = k.code_id"
            " JOIN coders r ON r.id = k.coder_id WHERE r.name = 'Bo' AND k.status = 'accepted'"
        ).fetchall()
        assert ("Politisk förankring", "merge") in by_bo
        assert _count(anna, "SELECT count(*) FROM codes WHERE name = 'Intern samverkan'") == 1
        summary = anna.db.execute(
            "SELECT summary FROM framework_cells f JOIN cases c ON c.id = f.case_id"
            " WHERE c.name = 'Åby'"
        ).fetchone()[0]
        assert summary == "Resursbrist snarare än prioritering."
        logged = _count(
            anna,
            "SELECT count(*) FROM changes WHERE entity = 'coding' AND action = 'create'"
            " AND batch = (SELECT max(id) FROM changes WHERE action = 'merge')",
        )
        assert logged == 3
        again = plan(anna, package, label=str(theirs))
        assert not any(again.counts().values())


def test_merge_from_the_command_line_shows_the_plan_then_the_agreement(
    two_copies: tuple[Path, Path],
) -> None:
    ours, theirs = two_copies
    runner = CliRunner()
    refused = runner.invoke(cli, ["--project", str(ours), "merge", str(theirs)], input="n\n")
    assert refused.exit_code == 0 and "nothing was changed" in refused.output
    assert "to add: 1 codes" in refused.output and "conflict" in refused.output
    done = runner.invoke(cli, ["--project", str(ours), "merge", str(theirs), "--yes"])
    assert done.exit_code == 0, done.output
    assert "merged:" in done.output
    assert "agreement Anna – Bo on 2 documents by sentence" in done.output
    twice = runner.invoke(cli, ["--project", str(ours), "merge", str(theirs), "--yes"])
    assert "nothing to merge" in twice.output


def test_merge_of_a_package_matches_documents_by_their_text(
    two_copies: tuple[Path, Path], tmp_path: Path
) -> None:
    ours, theirs = two_copies
    package_file = tmp_path / "bo.qdpx"
    with Project.open(theirs, read_only=True) as bo:
        write_qdpx(package_of(bo), package_file, profile="nvivo")
    result = CliRunner().invoke(cli, ["--project", str(ours), "merge", str(package_file), "--yes"])
    assert result.exit_code == 0, result.output
    with Project.open(ours) as anna:
        assert _count(anna, "SELECT count(*) FROM documents") == 2
        assert _count(anna, "SELECT count(DISTINCT guid) FROM codings") == _count(
            anna, "SELECT count(*) FROM codings"
        )
        assert _count(anna, "SELECT count(*) FROM codings WHERE status = 'accepted'") == 7
