"""Projects made by other tools (.qdpx in the shapes NVivo, MAXQDA, ATLAS.ti, QualCoder, qc
and Transana write) come in whole: texts, codes, codings on the right characters, coders,
cases, variables and notes; what cannot be carried is counted; hostile packages are
refused in one line and leave the project as it was."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.exchange import qdpx_shapes
from tests.exchange.qdpx_shapes import HOSTILE, HOSTILE_PARTIAL, SHAPES, ExpectedCoding
from vinr_qual.cli import cli
from vinr_qual.codebook.project_codes import read_codebook
from vinr_qual.errors import VinrQualError
from vinr_qual.exchange.bring_in import apply, plan
from vinr_qual.exchange.package import Package
from vinr_qual.exchange.qdpx_read import read_qdpx
from vinr_qual.project import Project


def _bring_in(project: Project, path: Path) -> Package:
    package = read_qdpx(path)
    apply(project, plan(project, package, label=str(path)))
    return package


def _codings(project: Project) -> Counter[ExpectedCoding]:
    paths = read_codebook(project).paths()
    found: Counter[ExpectedCoding] = Counter()
    for name, text, start, end, code_id, coder in project.db.execute(
        'SELECT d.name, d.text, k.start, k."end", k.code_id, r.name FROM codings k'
        " JOIN documents d ON d.id = k.document_id JOIN coders r ON r.id = k.coder_id"
    ):
        found[ExpectedCoding(name, paths[code_id], text[start:end], coder)] += 1
    return found


@pytest.mark.parametrize("producer", sorted(SHAPES))
def test_a_package_of_another_tool_comes_in_whole(
    producer: str, project: Project, tmp_path: Path
) -> None:
    shape = SHAPES[producer](tmp_path)
    package = _bring_in(project, shape.path)
    assert package.problems == []
    texts = dict(project.db.execute("SELECT name, text FROM documents").fetchall())
    assert texts == shape.texts
    found = _codings(project)
    expected = Counter(shape.codings)
    unknown = Counter(c for c in expected.elements() if c.coder is None)
    # a coding whose file names no coder is given one named after the producer
    assert sum(found.values()) == sum(expected.values())
    for coding, count in expected.items():
        if coding.coder is None:
            continue
        assert found[coding] == count, coding
    for coding in unknown:
        assert any(
            (f.source, f.code_path, f.passage) == (coding.source, coding.code_path, coding.passage)
            and "ingen kodare angiven" in (f.coder or "")
            for f in found
        ), coding
    assert sorted(read_codebook(project).paths().values()) == sorted(shape.codes)
    coders = {row[0] for row in project.db.execute("SELECT name FROM coders")}
    assert set(shape.users) <= coders
    cases = {
        case: sorted(
            row[0]
            for row in project.db.execute(
                "SELECT d.name FROM documents d JOIN cases c ON c.id = d.case_id WHERE c.name = ?",
                [case],
            )
        )
        for case in shape.cases
    }
    assert cases == {case: sorted(names) for case, names in shape.cases.items()}
    for case, attributes in shape.attributes.items():
        stored = dict(
            project.db.execute(
                "SELECT a.name, a.value FROM case_attributes a JOIN cases c ON c.id = a.case_id"
                " WHERE c.name = ?",
                [case],
            ).fetchall()
        )
        assert attributes.items() <= stored.items(), case
    memos = [row[0] for row in project.db.execute("SELECT text FROM memos")]
    memos.append(project.setting("project.description") or "")
    for note in shape.notes:
        assert any(note in memo for memo in memos), note
    for what, count in shape.not_carried.items():
        assert package.not_carried[what] == count, what


def test_the_counting_chosen_is_said_in_the_report(project: Project, tmp_path: Path) -> None:
    shape = qdpx_shapes.nvivo_windows(tmp_path)
    package = read_qdpx(shape.path)
    shown = "\n".join(plan(project, package, label=str(shape.path)).lines())
    assert "UTF-16 code units, CRLF as two" in shown
    assert "not carried" in shown and "picture" in shown


def test_a_docx_source_without_plain_text_is_read_from_the_docx(
    project: Project, tmp_path: Path
) -> None:
    shape = qdpx_shapes.nvivo_mac(tmp_path)
    package = read_qdpx(shape.path)
    assert any("text read from" in remark for remark in package.remarks)


@pytest.mark.parametrize("name", sorted(set(HOSTILE) - HOSTILE_PARTIAL))
def test_a_hostile_package_is_refused_in_one_line(
    name: str, project: Project, tmp_path: Path
) -> None:
    path = HOSTILE[name](tmp_path)
    before = sorted(p.name for p in tmp_path.parent.iterdir())
    result = CliRunner().invoke(cli, ["--project", str(project.path), "import", str(path)])
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0], result.stderr
    assert "Traceback" not in result.output
    assert project.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    assert project.db.execute("SELECT count(*) FROM codes").fetchone()[0] == 0
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == before
    assert not Path("/tmp/evil.txt").exists()


@pytest.mark.parametrize("name", sorted(HOSTILE_PARTIAL))
def test_a_partly_broken_package_brings_the_rest_and_names_each_problem(
    name: str, project: Project, tmp_path: Path
) -> None:
    path = HOSTILE[name](tmp_path)
    result = CliRunner().invoke(cli, ["--project", str(project.path), "import", str(path)])
    assert result.exit_code == 1, result.output
    problems = [line for line in result.output.splitlines() if "problem:" in line]
    assert problems and all(str(path) in line for line in problems)
    assert "Traceback" not in result.output
    found = _codings(project)
    assert found[qdpx_shapes.PARTIAL_GOOD] == 1
    texts = dict(project.db.execute("SELECT name, text FROM documents").fetchall())
    assert texts[qdpx_shapes.PARTIAL_SOURCE] == qdpx_shapes.PARTIAL_TEXT


def test_a_refused_package_changes_nothing_in_a_project_with_work(
    project: Project, tmp_path: Path
) -> None:
    shape = qdpx_shapes.maxqda(tmp_path / "first")
    _bring_in(project, shape.path)
    before = [
        project.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("documents", "codings", "changes")
    ]
    with pytest.raises(VinrQualError, match="DOCTYPE"):
        read_qdpx(qdpx_shapes.doctype_utf32(tmp_path))
    after = [
        project.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("documents", "codings", "changes")
    ]
    assert after == before
