"""Every command on a project file that cannot be written: it answers from the file where
it only reads, and refuses in one line where it would write; never a traceback, and the
file is left exactly as it was."""

from __future__ import annotations

import os
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.conftest import write_text
from tests.search.conftest import corpus
from vinr_qual.cli import cli
from vinr_qual.project import Project

__all__ = ["corpus"]

# Each command with arguments that make sense on the search suite's corpus; {out} is a
# folder outside the project for files a command writes.
COMMANDS: dict[str, list[str]] = {
    "init": ["init"],
    "import": ["import", "{out}/ny.txt"],
    "check": ["check", "{out}/ny.txt"],
    "cases add": ["cases", "add", "Tallmo"],
    "cases import": ["cases", "import", "{out}/fall.csv"],
    "cases list": ["cases", "list"],
    "cases set": ["cases", "set", "Kvarnby", "region=Syd"],
    "docs list": ["docs", "list"],
    "docs show": ["docs", "show", "Kvarnby-01.txt"],
    "docs speakers list": ["docs", "speakers", "list", "Kvarnby-01.txt"],
    "docs speakers rename": ["docs", "speakers", "rename", "Kvarnby-01.txt", "IP", "Respondent"],
    "codebook add": ["codebook", "add", "Ny kod"],
    "codebook delete": ["codebook", "delete", "Knappa resurser"],
    "codebook export": ["codebook", "export", "{out}/kodbok.qdc"],
    "codebook load": ["codebook", "load", "{out}/kodbok.qdc"],
    "codebook merge": ["codebook", "merge", "Knappa resurser", "Intern samverkan"],
    "codebook move": ["codebook", "move", "Knappa resurser", "--top"],
    "codebook rename": ["codebook", "rename", "Knappa resurser", "Små resurser"],
    "codebook show": ["codebook", "show"],
    "codebook split": ["codebook", "split", "Intern samverkan", "Extern", "--coding", "1"],
    "codebook validate": ["codebook", "validate", "{out}/kodbok.qdc"],
    "code add": ["code", "add", "Kvarnby-01.txt", "--code", "s", "--phrase", "polisen"],
    "code list": ["code", "list"],
    "code remove": ["code", "remove", "1"],
    "code field": ["code", "field", "1", "--field", "BF"],
    "config": ["config", "coder", "Bo"],
    "demo": ["demo"],
    "search": ["search", "samverkan"],
    "find": ["find", "min pappa var polis"],
    "autocode": ["autocode"],
    "autocode quality": ["autocode", "quality"],
    "autocode speaker": ["autocode", "speaker", "--label", "I", "--set-role", "forskare"],
    "review status": ["review", "status"],
    "review why": ["review", "why", "2"],
    "learn": ["learn"],
    "learn suggest": ["learn", "suggest"],
    "learn like": ["learn", "like", "--code", "Ledningens prioritering"],
    "review next": ["review", "next"],
    "review accept": ["review", "accept", "2"],
    "review reject": ["review", "reject", "2"],
    "review recode": ["review", "recode", "2", "Knappa resurser"],
    "review widen": ["review", "widen", "2"],
    "analyse matrix": ["analyse", "matrix"],
    "analyse passages": ["analyse", "passages"],
    "compare": ["compare", "Kvarnby", "--code", "s"],
    "passages": ["passages", "--code", "Intern samverkan"],
    "quotes add": ["quotes", "add", "1"],
    "quotes list": ["quotes", "list"],
    "quotes trim": ["quotes", "trim", "1", "--whole"],
    "quotes note": ["quotes", "note", "1", "Jämför med planen."],
    "quotes theme": ["quotes", "theme", "1", "Samverkan"],
    "quotes move": ["quotes", "move", "1", "1"],
    "quotes remove": ["quotes", "remove", "1"],
    "quotes check": ["quotes", "check"],
    "quotes template": ["quotes", "template"],
    "quotes aliases": ["quotes", "aliases"],
    "quotes export": ["quotes", "export", "{out}/citat.md"],
    "pseudonyms add": ["pseudonyms", "add", "Lena Holm", "Karin"],
    "pseudonyms change": ["pseudonyms", "change", "Per Ek", "--alias", "Bertil"],
    "pseudonyms remove": ["pseudonyms", "remove", "Per Ek"],
    "pseudonyms list": ["pseudonyms", "list"],
    "pseudonyms suggest": ["pseudonyms", "suggest"],
    "pseudonyms check": ["pseudonyms", "check", "{out}/ny.txt"],
    "analyse cooccurrence": ["analyse", "cooccurrence"],
    "analyse agreement": ["analyse", "agreement", "--coder", "Anna", "--coder", "Bo"],
    "framework set": ["framework", "set", "Kvarnby", "Intern samverkan", "Tät samverkan."],
    "framework show": ["framework", "show", "--code", "Intern samverkan"],
    "report": ["report", "{out}/rapport.md"],
    "stats": ["stats"],
    "export": ["export", "{out}/projekt.qdpx"],
    "merge": ["merge", "{out}/kopia.qdpx", "--yes"],
}
# The app: it opens a read-only project read-only too; its tests cover what it shows.
NOT_HERE = {"tui": "interactive; opened read-only like every command"}


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[str]:
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found.extend(command_paths(command, (*prefix, name)))
        found.append(" ".join((*prefix, name)))
    return found


def test_every_command_is_tried_here() -> None:
    listed = set(COMMANDS) | set(NOT_HERE)
    leaves = {path for path in command_paths(cli) if not isinstance(_find(path), click.Group)}
    assert leaves - listed == set()


def _find(path: str) -> click.Command:
    command: click.Command = cli
    for part in path.split():
        assert isinstance(command, click.Group)
        command = command.commands[part]
    return command


def fingerprint(path: Path) -> tuple[bytes, list[str]]:
    return path.read_bytes(), sorted(os.listdir(path.parent))


@pytest.fixture
def read_only_project(corpus: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.coding.codings import add_coding
    from vinr_qual.suggest.rules import autocode

    document = corpus.db.execute("SELECT id FROM documents ORDER BY id").fetchone()[0]
    add_coding(corpus, document, 0, 5, find_code(corpus, "Intern samverkan"), coder="Anna")
    add_coding(corpus, document, 0, 5, find_code(corpus, "Intern samverkan"), coder="Bo")
    # an interviewee's sentence coded, for the commands that learn from codings
    text = corpus.db.execute("SELECT text FROM documents WHERE id = ?", [document]).fetchone()[0]
    answer = text.index("IP:") + 4
    add_coding(
        corpus,
        document,
        answer,
        answer + 30,
        find_code(corpus, "Ledningens prioritering"),
        coder="Anna",
    )
    autocode(corpus)
    from vinr_qual.quoting.basket import add_codings
    from vinr_qual.quoting.pseudonyms import add_pseudonym

    add_codings(corpus, [1])
    add_pseudonym(corpus, "Per Ek", "Anders")
    path = corpus.path
    corpus.close()
    Project.open(path).close()  # a checkpoint: the WAL folded into the file
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    out = tmp_path / "ut"
    write_text(out / "ny.txt", "I: Hej?\n\nIP: Hej.\n")
    write_text(out / "fall.csv", "kommun,region\nKvarnby,Syd\n")
    CliRunner().invoke(cli, ["-p", str(path), "codebook", "export", str(out / "kodbok.qdc")])
    CliRunner().invoke(cli, ["-p", str(path), "export", str(out / "kopia.qdpx")])
    # root (as CI runs) can write any file: the file's permission is what vinr-qual reads
    monkeypatch.setattr("vinr_qual.project._writable", lambda _path: False)
    return path


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_command_on_a_read_only_project(name: str, read_only_project: Path) -> None:
    out = read_only_project.parent / "ut"
    args = [part.replace("{out}", str(out)) for part in COMMANDS[name]]
    if name == "init":
        args.append(str(read_only_project))
    before = fingerprint(read_only_project)
    result = CliRunner(env={"VINR_QUAL_CODER": "Anna"}).invoke(
        cli, ["-p", str(read_only_project), *args]
    )
    shown = result.stdout + result.stderr
    assert "Traceback" not in shown
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), f"{name}: {result.exception!r}"
    if result.exit_code != 0:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, f"{name}: {result.stderr}"
        assert (
            str(read_only_project) in lines[0]
            or "read-only" in lines[0]
            or name
            in (
                "analyse agreement",
                "review recode",
            )
        ), f"{name}: {lines[0]}"
    assert fingerprint(read_only_project) == before, f"{name} changed the project file"


# commands that only read: on a read-only file they answer as on any other
READERS = {
    "check",
    "cases list",
    "docs list",
    "docs show",
    "docs speakers list",
    "codebook export",
    "codebook show",
    "codebook validate",
    "code list",
    "search",
    "find",
    "autocode quality",
    "review status",
    "review why",
    "learn",
    "learn like",
    "review next",
    "analyse matrix",
    "analyse passages",
    "compare",
    "passages",
    "quotes list",
    "quotes check",
    "quotes template",
    "quotes aliases",
    "quotes export",
    "pseudonyms list",
    "pseudonyms suggest",
    "pseudonyms check",
    "analyse cooccurrence",
    "analyse agreement",
    "framework show",
    "report",
    "stats",
    "export",
}


@pytest.mark.parametrize("name", sorted(READERS))
def test_a_command_that_only_reads_works_on_a_read_only_project(
    name: str, read_only_project: Path
) -> None:
    out = read_only_project.parent / "ut"
    args = [part.replace("{out}", str(out)) for part in COMMANDS[name]]
    result = CliRunner(env={"VINR_QUAL_CODER": "Anna"}).invoke(
        cli, ["-p", str(read_only_project), *args]
    )
    assert result.exit_code == 0, f"{name}: {result.stderr}"


# commands that find nothing to change here, and so write nothing and say so
NOTHING_TO_WRITE = {
    "autocode",  # the suggestions are there already
    "codebook load",  # the file is the project's own codebook
    "init",  # the project is up to date
}


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - READERS - NOTHING_TO_WRITE))
def test_a_command_that_writes_is_refused_on_a_read_only_project(
    name: str, read_only_project: Path
) -> None:
    out = read_only_project.parent / "ut"
    args = [part.replace("{out}", str(out)) for part in COMMANDS[name]]
    if name == "init":
        args.append(str(read_only_project))
    result = CliRunner(env={"VINR_QUAL_CODER": "Anna"}).invoke(
        cli, ["-p", str(read_only_project), *args]
    )
    assert result.exit_code != 0, f"{name} said it succeeded: {result.stdout}"
    assert "read-only" in result.stderr, f"{name}: {result.stderr}"
