"""The command line as a script or a person uses it: output, --json, exit codes, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import write_text
from vinr_qual import __version__
from vinr_qual.cli import cli

INTERVIEW = (
    "I: Hur ser samverkan ut?\n\nIP: Den finns knappt.\n\nI: Varför?\n\nIP: Ingen har tid.\n"
)


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_help_and_version_on_every_command() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out
    for command in [
        "init",
        "import",
        "check",
        "cases",
        "cases list",
        "cases import",
        "cases set",
        "docs",
        "docs list",
        "docs show",
        "stats",
        "config",
        "demo",
    ]:
        code, out, _ = run(*command.split(), "--help")
        assert code == 0, command
        assert "Usage:" in out


def test_help_loads_neither_spacy_textual_nor_sqlite_utils() -> None:
    probe = (
        "import sys\n"
        "from vinr_qual.cli import main\n"
        "sys.argv = ['vinr-qual', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('spacy', 'textual', 'sqlite_utils', 'docx') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert "HEAVY []" in result.stdout


def test_init_import_list_show_and_stats(tmp_path: Path) -> None:
    project = str(tmp_path / "p.sqlite")
    source = write_text(tmp_path / "Kvarnby-01.txt", INTERVIEW)
    code, out, _ = run("init", project, "--coder", "Anna")
    assert code == 0 and "ready" in out
    code, out, _ = run("-p", project, "import", str(source), "--case-pattern", r"^(?P<case>[^-]+)-")
    assert code == 0
    assert "+ Kvarnby-01.txt" in out and "1 imported" in out
    code, out, _ = run("-p", project, "import", str(source))
    assert "= Kvarnby-01.txt: already imported, unchanged" in out

    code, out, _ = run("docs", "list", "--json", "--project", project)
    [listed] = json.loads(out)
    assert (listed["name"], listed["case"], listed["turns"]) == ("Kvarnby-01.txt", "Kvarnby", 4)

    code, out, _ = run("-p", project, "docs", "show", "Kvarnby-01.txt", "--json")
    shown = json.loads(out)
    assert [s["text"] for s in shown["segments"]][1] == "IP: Den finns knappt."
    assert {s["label"]: s["is_interviewer"] for s in shown["speakers"]} == {"I": 1, "IP": 0}

    code, out, _ = run("-p", project, "docs", "show", "1", "--segments", "sentence")
    assert "Ingen har tid." in out

    code, out, _ = run("-p", project, "stats", "--json")
    stats = json.loads(out)
    assert stats["documents"] == 1 and stats["cases"] == 1 and stats["segments"]["turn"] == 4


def test_another_programs_database_is_left_alone(tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "annat.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE kunder (namn TEXT)")
    code, _, err = run("-p", str(other), "stats")
    assert code == 1 and "another program" in err
    with sqlite3.connect(other) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master")]
    assert tables == ["kunder"]


def test_the_project_can_come_from_the_environment(tmp_path: Path) -> None:
    project = str(tmp_path / "miljö.sqlite")
    run("init", project)
    code, out, _ = run("cases", "add", "Falun", env={"VINR_QUAL_PROJECT": project})
    assert code == 0 and "+ Falun" in out
    code, out, _ = run("cases", "list", "--json", env={"VINR_QUAL_PROJECT": project})
    [case] = json.loads(out)
    assert case["attributes"]["län"] == "Dalarnas län"


def test_cases_import_set_and_list(tmp_path: Path) -> None:
    project = str(tmp_path / "p.sqlite")
    run("init", project)
    csv_file = write_text(tmp_path / "fall.csv", "case,kommungrupp\nÄlvhamn,A1\nKvarnby,B4\n")
    code, out, _ = run("-p", project, "cases", "import", str(csv_file))
    assert code == 0 and "2 cases created" in out
    code, out, _ = run("-p", project, "cases", "import", str(csv_file), "--json")
    assert json.loads(out) == {"created": [], "updated": [], "unchanged": ["Älvhamn", "Kvarnby"]}
    code, out, _ = run(
        "-p", project, "cases", "set", "Kvarnby", "samordning=separata spår", "kommungrupp="
    )
    assert code == 0
    code, out, _ = run("-p", project, "cases", "list")
    lines = out.splitlines()
    assert lines[0].split() == ["case", "documents", "kommungrupp", "samordning"]
    assert lines[1].split() == ["Kvarnby", "0", "separata", "spår"]


def test_bad_input_gives_one_line_and_a_non_zero_exit(tmp_path: Path) -> None:
    project = str(tmp_path / "p.sqlite")
    run("init", project)
    good = write_text(tmp_path / "in" / "bra.txt", INTERVIEW)
    bad = tmp_path / "in" / "trasig.docx"
    bad.write_bytes("det här är ingen zip".encode())
    code, out, err = run("-p", project, "import", str(tmp_path / "in"))
    assert code == 1
    assert f"x {bad}: not a Word .docx file (it is not a zip archive)" in out
    assert "1 imported" in out and "1 failed" in out
    assert str(bad) in err

    code, _, err = run("-p", str(tmp_path / "saknas.sqlite"), "stats")
    assert code == 1
    assert err.strip().splitlines() == [
        f"vinr-qual: error: {tmp_path / 'saknas.sqlite'}: no such project file;"
        f" create it with `vinr-qual init {tmp_path / 'saknas.sqlite'}`"
    ]
    assert good.exists()


def test_no_project_named_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("stats")
    assert code == 2
    assert "VINR_QUAL_PROJECT" in err


def test_config_validates_speaker_patterns(tmp_path: Path) -> None:
    project = str(tmp_path / "p.sqlite")
    run("init", project)
    code, _, err = run("-p", project, "config", "speaker_patterns", '{"known": "(Fråga"}')
    assert code == 1 and "speaker_patterns: pattern 'known'" in err
    code, out, _ = run("-p", project, "config", "speaker_patterns", '{"known": "Fråga|Svar"}')
    assert code == 0 and "Fråga|Svar" in out
    source = write_text(
        tmp_path / "fs.txt", "Fråga: Ett?\n\nSvar: Ja.\n\nFråga: Två?\n\nSvar: Nej.\n"
    )
    run("-p", project, "import", str(source))
    code, out, _ = run("-p", project, "docs", "list", "--json")
    assert json.loads(out)[0]["turns"] == 4


def test_check_reports_per_file_without_a_project(tmp_path: Path) -> None:
    write_text(tmp_path / "a.txt", INTERVIEW)
    (tmp_path / "b.docx").write_bytes(b"PK\x03\x04 inte hel")
    code, out, _ = run("check", str(tmp_path), "--json")
    assert code == 0
    reports = {Path(r["path"]).name: r for r in json.loads(out)}
    assert reports["a.txt"]["status"] == "ok" and reports["a.txt"]["turns"] == 4
    assert reports["b.docx"]["status"] == "refused"
    assert not list(tmp_path.glob("*.sqlite"))


@pytest.mark.parametrize("flag", ["--json"])
def test_import_json_reports_every_outcome(tmp_path: Path, flag: str) -> None:
    project = str(tmp_path / "p.sqlite")
    run("init", project)
    source = write_text(tmp_path / "a.txt", INTERVIEW)
    code, out, _ = run("-p", project, "import", str(source), flag)
    data = json.loads(out)
    assert code == 0
    assert [o["status"] for o in data["outcomes"]] == ["imported"]
