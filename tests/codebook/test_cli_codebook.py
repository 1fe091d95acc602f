"""`vinr-qual codebook` and `vinr-qual code` as a researcher or a script uses them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tests.codebook.conftest import INTERVIEW
from tests.conftest import write_text
from vinr_qual.cli import cli


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def setup(tmp_path: Path, codebook_file: Path) -> str:
    project = str(tmp_path / "p.sqlite")
    run("init", project, "--coder", "Anna")
    source = write_text(tmp_path / "Testby-01.txt", INTERVIEW)
    run("-p", project, "import", str(source), "--case", "Testby")
    code, out, _ = run("-p", project, "codebook", "load", str(codebook_file), "--yes")
    assert code == 0, out
    return project


def test_validate_reports_lines_and_exits_non_zero(tmp_path: Path, codebook_file: Path) -> None:
    code, out, _ = run("codebook", "validate", str(codebook_file))
    assert code == 0 and "valid yaml codebook, 5 codes" in out
    assert "5 codes have no id yet" in out
    bad = write_text(tmp_path / "fel.yaml", "codes:\n  - name: A\n    colour: '#fff'\n")
    code, _, err = run("codebook", "validate", str(bad))
    assert code == 1
    assert f"{bad}:3: unknown field 'colour' (did you mean 'color'?)" in err


def test_load_shows_the_plan_and_needs_yes_without_a_terminal(
    tmp_path: Path, codebook_file: Path
) -> None:
    project = str(tmp_path / "p.sqlite")
    code, _, err = run("-p", project, "codebook", "load", str(codebook_file))
    assert code == 1 and "no such project file" in err, "a mistyped path creates nothing"
    run("init", project)
    code, out, err = run("-p", project, "codebook", "load", str(codebook_file))
    assert code == 1
    assert "+ added    Framgångsfaktorer > Ledningens prioritering" in out
    assert "5 added" in out and "pass --yes" in err
    code, out, _ = run("-p", project, "codebook", "show", "--json")
    assert json.loads(out)["codes"] == []
    code, out, _ = run("-p", project, "codebook", "load", str(codebook_file), "--dry-run", "--json")
    assert json.loads(out)["counts"] == {"added": 5} and not json.loads(out)["applied"]
    code, out, _ = run("-p", project, "codebook", "load", str(codebook_file), "--yes")
    assert code == 0 and out.strip().endswith("applied")
    code, out, _ = run("-p", project, "codebook", "load", str(codebook_file))
    assert code == 0 and "already match" in out


def test_code_add_by_phrase_list_and_remove(tmp_path: Path, codebook_file: Path) -> None:
    project = setup(tmp_path, codebook_file)
    code, out, _ = run(
        "-p",
        project,
        "code",
        "add",
        "Testby-01.txt",
        "--code",
        "l",
        "--phrase",
        "högt på agendan",
        "--json",
    )
    assert code == 0
    added = json.loads(out)
    assert added["passage"] == "högt på agendan"
    code, out, _ = run(
        "-p",
        project,
        "code",
        "add",
        "1",
        "--code",
        "Knappa resurser",
        "--start",
        str(added["start"]),
        "--end",
        str(added["end"]),
        "--coder",
        "Bo",
    )
    assert code == 0
    code, out, _ = run("-p", project, "code", "list", "--coder", "Bo", "--json")
    [row] = json.loads(out)
    assert (row["code"], row["coder"], row["passage"]) == (
        "Knappa resurser",
        "Bo",
        "högt på agendan",
    )
    code, out, _ = run("-p", project, "code", "list", "--case", "Testby")
    assert len(out.splitlines()) == 3
    code, out, _ = run("-p", project, "code", "remove", str(row["id"]))
    assert code == 0 and "1 coding removed" in out
    code, _, err = run("-p", project, "code", "add", "1", "--code", "l", "--phrase", "finns inte")
    assert code == 1 and "is not in the document" in err


def test_rename_move_merge_split_delete_from_the_command_line(
    tmp_path: Path, codebook_file: Path
) -> None:
    project = setup(tmp_path, codebook_file)
    for phrase in ("Vi har en styrgrupp", "Den fungerar."):
        run("-p", project, "code", "add", "1", "--code", "s", "--phrase", phrase)
    code, out, _ = run("-p", project, "codebook", "rename", "s", "Samverkan internt")
    assert code == 0
    code, out, _ = run("-p", project, "codebook", "add", "Samverkan internt.", "--parent", "Hinder")
    assert "much like the existing code 'Samverkan internt'" in out
    code, out, _ = run("-p", project, "codebook", "move", "Knappa resurser", "--top")
    assert code == 0
    code, out, _ = run("-p", project, "code", "list", "--json")
    ids = [row["id"] for row in json.loads(out)]
    code, out, _ = run(
        "-p", project, "codebook", "split", "s", "Styrgrupper", "--coding", str(ids[0])
    )
    assert code == 0
    code, out, _ = run("-p", project, "codebook", "merge", "Styrgrupper", "s")
    assert "1 codings moved, 0 duplicates folded" in out
    code, _, err = run("-p", project, "codebook", "delete", "s")
    assert code == 1 and "has 2 codings" in err
    code, out, _ = run("-p", project, "codebook", "delete", "s", "--yes")
    assert code == 0 and "with 2 codings" in out
    code, out, _ = run("-p", project, "codebook", "show")
    assert out.splitlines()[-1].strip() == "Knappa resurser (Scarce resources)  0"


def test_export_in_every_format(tmp_path: Path, codebook_file: Path) -> None:
    project = setup(tmp_path, codebook_file)
    for name in ("ut.yaml", "ut.qdc", "ut.csv", "ut.txt"):
        code, out, _ = run("-p", project, "codebook", "export", str(tmp_path / name))
        assert code == 0 and (tmp_path / name).stat().st_size > 0
    code, out, _ = run("-p", project, "codebook", "validate", str(tmp_path / "ut.qdc"))
    assert "valid qdc codebook, 5 codes" in out


def test_export_to_a_missing_folder_is_one_clear_line(tmp_path: Path, codebook_file: Path) -> None:
    project = setup(tmp_path, codebook_file)
    code, _, err = run("-p", project, "codebook", "export", str(tmp_path / "saknas" / "k.qdc"))
    assert code == 1 and err.strip().splitlines() == [
        f"vinr-qual: error: {tmp_path / 'saknas' / 'k.qdc'}: the folder {tmp_path / 'saknas'} does not exist"
    ]
