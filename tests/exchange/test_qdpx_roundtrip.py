"""A project exported to .qdpx and imported again is the same project, in every profile."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from tests.conftest import shared_path
from tests.exchange.tables import carried_tables
from vinr_qual.cli import cli
from vinr_qual.exchange.bring_in import apply, plan
from vinr_qual.exchange.from_project import package_of
from vinr_qual.exchange.qdpx_read import read_qdpx
from vinr_qual.exchange.qdpx_write import write_qdpx
from vinr_qual.project import Project


def _round_trip(source: Project, tmp_path: Path, profile: str) -> Project:
    out = tmp_path / f"export-{profile}.qdpx"
    write_qdpx(package_of(source), out, profile=profile)
    target = Project.open(tmp_path / f"again-{profile}.sqlite", create=True)
    package = read_qdpx(out)
    assert package.problems == []
    apply(target, plan(target, package, label=str(out)))
    return target


@pytest.mark.parametrize("profile", ["standard", "nvivo", "maxqda"])
def test_export_and_import_again_gives_every_table_back(
    rich_project: Project, tmp_path: Path, profile: str
) -> None:
    again = _round_trip(rich_project, tmp_path, profile)
    before, after = carried_tables(rich_project), carried_tables(again)
    for table in before:
        assert after[table] == before[table], table
    assert len(after["codings"]) == 3 and len(after["memos"]) == 5
    assert after["framework_cells"] and after["code_sets"] and after["project description"]


def test_the_export_validates_and_lists_children_in_schema_order(
    rich_project: Project, tmp_path: Path
) -> None:
    schema = etree.XMLSchema(etree.parse(str(shared_path("refi-qda/Project-mrt2019.xsd"))))
    for profile in ("standard", "nvivo", "maxqda"):
        out = tmp_path / f"{profile}.qdpx"
        write_qdpx(package_of(rich_project), out, profile=profile)
        root = etree.fromstring(zipfile.ZipFile(out).read("project.qde"))
        assert schema.validate(root), schema.error_log
        names = [etree.QName(child).localname for child in root]
        assert names == [
            "Users",
            "CodeBook",
            "Variables",
            "Cases",
            "Sources",
            "Notes",
            "Links",
            "Sets",
            "Description",
            "NoteRef",
        ]


def _selection(out: Path, passage_start: str) -> tuple[int, int, str]:
    archive = zipfile.ZipFile(out)
    root = etree.fromstring(archive.read("project.qde"))
    ns = {"q": "urn:QDA-XML:project:1.0"}
    for source in root.iterfind(".//q:TextSource", ns):
        for selection in source.iterfind("q:PlainTextSelection", ns):
            if selection.get("name", "").startswith(passage_start):
                path = source.get("plainTextPath").removeprefix("internal://")
                raw = archive.read(f"sources/{path}").decode("utf-8")
                return int(selection.get("startPosition")), int(selection.get("endPosition")), raw
    raise AssertionError(passage_start)


def test_positions_are_counted_as_each_profile_says(rich_project: Project, tmp_path: Path) -> None:
    outs = {}
    for profile in ("standard", "nvivo", "maxqda"):
        outs[profile] = tmp_path / f"{profile}.qdpx"
        write_qdpx(package_of(rich_project), outs[profile], profile=profile)
    text = rich_project.db.execute(
        "SELECT text FROM documents WHERE name = 'Testby-01.txt'"
    ).fetchone()[0]
    start = text.index("frågar efter")
    # the standard: code points over LF text, as stored
    standard = _selection(outs["standard"], "frågar efter")
    assert standard[:2] == (start, start + len("frågar efter lägesbilden"))
    assert "\r" not in standard[2] and not standard[2].startswith("\ufeff")
    # NVivo: CRLF text with a BOM; UTF-16 units (the emoji before counts two), CRLF as two
    nvivo = _selection(outs["nvivo"], "frågar efter")
    lines_before = text.count("\n", 0, start)
    assert nvivo[2].startswith("\ufeff") and "\r\n" in nvivo[2]
    assert nvivo[0] == start + lines_before + 1
    # MAXQDA: CRLF text, a line break counted once: the positions are the stored ones
    maxqda = _selection(outs["maxqda"], "frågar efter")
    assert "\r\n" in maxqda[2] and maxqda[:2] == standard[:2]


def test_suggestions_stay_home_and_the_export_says_so(
    rich_project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "ut.qdpx"
    result = CliRunner().invoke(cli, ["--project", str(rich_project.path), "export", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 codings" in result.output and "1 suggested codings" in result.output
    assert out.stat().st_mode & 0o777 == 0o600


def test_importing_the_same_package_twice_adds_nothing(
    rich_project: Project, tmp_path: Path
) -> None:
    again = _round_trip(rich_project, tmp_path, "standard")
    out = tmp_path / "export-standard.qdpx"
    second = plan(again, read_qdpx(out), label=str(out))
    assert not any(second.counts().values())
    assert second.codings_present == 3 and len(second.documents) == 2


def test_import_of_a_package_from_the_command_line(rich_project: Project, tmp_path: Path) -> None:
    out = tmp_path / "ut.qdpx"
    write_qdpx(package_of(rich_project), out)
    target = tmp_path / "ny.sqlite"
    Project.open(target, create=True).close()
    runner = CliRunner()
    shown = runner.invoke(cli, ["--project", str(target), "import", str(out), "--plan"])
    assert shown.exit_code == 0, shown.output
    assert "to add:" in shown.output and "3 codings" in shown.output
    with Project.open(target) as opened:
        assert opened.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    done = runner.invoke(cli, ["--project", str(target), "import", str(out)])
    assert done.exit_code == 0, done.output
    assert "imported from ut.qdpx" in done.output
    with Project.open(target) as opened:
        assert opened.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 3
