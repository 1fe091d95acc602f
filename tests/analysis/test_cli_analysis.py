"""`vinr-qual analyse`, `framework` and `report` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tests.analysis.conftest import code
from vinr_qual.cli import cli
from vinr_qual.export.tables import read_table
from vinr_qual.project import Project


def run(project: Project, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-p", str(project.path), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_matrix_as_table_json_csv_and_xlsx(study: Project, tmp_path: Path) -> None:
    _, out, _ = run(study, "analyse", "matrix")
    lines = out.splitlines()
    assert lines[0].split() == ["code", "Aby", "Bby", "Cby", "total", "share", "of", "cases"]
    assert "Knappa resurser" in out and lines[-2].split()[:4] == ["total", "5", "2", "0"]
    assert lines[-1] == (
        "Counted: accepted codings, each passage once (1 coder: Anna),"
        " interviewer speech left out: 7 passages from 7 codings"
    )
    _, out, _ = run(study, "analyse", "matrix", "--rows", "family", "--columns", "kind", "--json")
    data = json.loads(out)
    assert {v["value"] for v in data["values"]} == {3.0, 1.0}
    for name in ("m.csv", "m.xlsx"):
        run(study, "analyse", "matrix", "--measure", "documents", "--out", str(tmp_path / name))
        rows = read_table(tmp_path / name)
        assert rows[0][:3] == ["code", "path1", "path2"]
        assert ["Knappa resurser", "Hinder", "Knappa resurser"] in [row[:3] for row in rows]
    code_, _, err = run(study, "analyse", "matrix", "--columns", "attr")
    assert code_ == 1 and "needs an attribute name" in err


def test_drill_down_cooccurrence_and_agreement(study: Project) -> None:
    _, out, _ = run(
        study, "analyse", "passages", "--code", "Knappa resurser", "--case", "Aby", "--json"
    )
    assert len(json.loads(out)) == 4
    _, out, _ = run(study, "analyse", "passages", "--attribute", "kommungrupp=A2", "--json")
    assert {row["case"] for row in json.loads(out)} == {"Bby"}
    _, out, _ = run(study, "analyse", "cooccurrence", "--mode", "sentence", "--json")
    assert json.loads(out)["pairs"][0]["count"] == 1
    _, out, _ = run(study, "analyse", "cooccurrence", "--pair", "l", "s", "--json")
    assert json.loads(out)[0]["passage"] == "Kommundirektören driver det. Samverkan är god."
    code(study, "A.txt", "Vi har för lite tid.", "Knappa resurser", coder="Bo")
    exit_code, out, _ = run(
        study, "analyse", "agreement", "--coder", "Anna", "--coder", "Bo", "--to-review"
    )
    assert exit_code == 0 and "overall" in out and "disagreements put in the review queue" in out


def test_framework_and_report(study: Project, tmp_path: Path) -> None:
    code_, out, _ = run(study, "framework", "set", "Aby", "Knappa resurser", "Ont om tid.")
    assert code_ == 0
    _, out, _ = run(study, "framework", "show", "--family", "Hinder", "--json")
    [aby] = [row for row in json.loads(out) if row["case"] == "Aby"]
    assert (aby["summary"], aby["passages"]) == ("Ont om tid.", 4)
    for name in ("r.html", "r.md"):
        code_, out, _ = run(study, "report", str(tmp_path / name))
        assert code_ == 0
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "Knappa resurser" in text and "kodfrekvenser.png" in text
    charts = sorted(p.name for p in (tmp_path / "r_filer").iterdir())
    assert charts == ["familjer-fall.png", "kodfrekvenser.png"]
    assert (tmp_path / "r_filer" / "kodfrekvenser.png").read_bytes().startswith(b"\x89PNG")
