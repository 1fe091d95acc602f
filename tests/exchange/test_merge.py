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
from vinr_qual.codebook.project_codes import read_codebook
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


def test_a_copy_whose_transcript_was_corrected_brings_its_codings_by_alignment(
    rich_project: Project, tmp_path: Path
) -> None:
    """Bo corrected a transcript in his copy (--replace) and coded it; merged, his codings
    land on the same words of Anna's version, or wait for review."""
    from vinr_qual.ingest.pipeline import ImportRequest, import_sources

    ours = Path(rich_project.path)
    rich_project.close()
    theirs = tmp_path / "bo.sqlite"
    shutil.copy(ours, theirs)
    with Project.open(theirs) as bo:
        text = bo.db.execute("SELECT text FROM documents WHERE name = 'Åby-01.txt'").fetchone()[0]
        corrected = tmp_path / "rättad" / "Åby-01.txt"
        corrected.parent.mkdir()
        corrected.write_text(
            text.replace("Vilka resurser finns?", "Vilka resurser finns för arbetet?"),
            encoding="utf-8",
        )
        import_sources(bo, [ImportRequest(corrected)], replace=True)
        internal = code_of(bo, "Intern samverkan")
        add_coding(bo, *span_of(bo, "Åby-01.txt", "det räcker inte långt"), internal, coder="Bo")
        package = package_of(bo)
    with Project.open(ours) as anna:
        found = plan(anna, package, label=str(theirs))
        assert found.counts()["documents"] == 0 and found.counts()["codings"] == 1
        assert any(
            "aligning the texts, 2 exactly, 0 with edits, 0 to wait" in remark
            for remark in package.remarks
        )
        apply(anna, found, action="merge")
        passage = anna.db.execute(
            'SELECT substr(d.text, k.start + 1, k."end" - k.start) FROM codings k'
            " JOIN documents d ON d.id = k.document_id JOIN coders r ON r.id = k.coder_id"
            " WHERE r.name = 'Bo' AND k.code_id = ? AND d.name = 'Åby-01.txt'",
            [internal],
        ).fetchone()[0]
        assert passage == "det räcker inte långt"


def test_another_tools_version_of_an_interview_is_matched_by_name_and_text(
    rich_project: Project, tmp_path: Path
) -> None:
    """NVivo holds "Testby-01" with a word changed; its coding lands on our document."""
    from vinr_qual.exchange import package as pk

    text = rich_project.db.execute(
        "SELECT text FROM documents WHERE name = 'Testby-01.txt'"
    ).fetchone()[0]
    theirs = text.replace("styrgrupp", "ledningsgrupp")
    start = theirs.index("ledningsgrupp med alla")
    priority = code_of(rich_project, "Ledningens prioritering")
    package = pk.Package(
        name="NVivo-projekt",
        origin="NVivo 14",
        users=[pk.User("0b7e1c52-3f7a-4d11-9a61-6f3e2d1c0b9a", "Cecilia")],
        sources=[
            pk.Source(
                "5d2c7e10-8a3b-4c6d-9e0f-1a2b3c4d5e6f",
                "Testby-01",
                theirs,
                codings=[
                    pk.Coding(
                        "9f8e7d6c-5b4a-4938-8271-605f4e3d2c1b",
                        priority,
                        start,
                        start + len("ledningsgrupp med alla förvaltningschefer"),
                        "0b7e1c52-3f7a-4d11-9a61-6f3e2d1c0b9a",
                    )
                ],
            )
        ],
    )
    package.codebook = read_codebook(rich_project)
    found = plan(rich_project, package, label="nvivo.qdpx")
    assert found.counts()["documents"] == 0
    apply(rich_project, found)
    row = rich_project.db.execute(
        'SELECT substr(d.text, k.start + 1, k."end" - k.start), k.status FROM codings k'
        " JOIN documents d ON d.id = k.document_id JOIN coders r ON r.id = k.coder_id"
        " WHERE r.name = 'Cecilia'"
    ).fetchone()
    assert row == ("styrgrupp med alla förvaltningschefer", "accepted")
