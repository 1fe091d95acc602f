"""Project files this vinr-qual must not change: one from a newer vinr-qual, a read-only one.

Both are met with one line naming the file and what to do, never a traceback, and with
the file exactly as it was. The suite runs as root on CI, where file permissions do not
hold: read-only is tested through `Project.open(read_only=True)`, and through the file's
permissions as an ordinary user (under root, in a child process that drops to `nobody`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlite_utils

from tests.conftest import write_text
from vinr_qual import __version__
from vinr_qual.errors import ProjectError
from vinr_qual.project import Project
from vinr_qual.store.migrate import VERSION_SETTING, migrate
from vinr_qual.store.migrations import MIGRATIONS

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
ORDINARY = 65534  # nobody
NEWER = len(MIGRATIONS) + 1


def fingerprint(path: Path) -> tuple[bytes, int, list[str]]:
    """The file's bytes and time, and what lies next to it (no -wal or -shm left behind)."""
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


def content(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def make_project(path: Path) -> Path:
    with Project.open(path, create=True) as project:
        project.set_setting("coder", "Anna")
        project.coder_id("Anna")
    return path


def make_newer(path: Path, *, made_by: str | None = "0.3.0", journal: str = "wal") -> Path:
    """A project as a later vinr-qual left it: one migration more than this one knows."""
    make_project(path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(f"PRAGMA user_version = {NEWER}")
        conn.execute("INSERT INTO _migrations (name, applied) VALUES ('m999_future', 'later')")
        conn.execute("CREATE TABLE future_things (id INTEGER PRIMARY KEY)")
        if made_by:
            conn.execute("UPDATE settings SET value = ? WHERE key = ?", [made_by, VERSION_SETTING])
        else:  # made before vinr-qual recorded its version
            conn.execute("DELETE FROM settings WHERE key = ?", [VERSION_SETTING])
    if journal != "wal":
        conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.close()
    return path


@pytest.fixture
def read_only_files(tmp_path: Path) -> Iterator[Path]:
    """A folder whose files are made read-only by the test; writable again afterwards.
    Run as root (as CI is), it belongs to an ordinary user, whom the test runs as."""
    if AS_ROOT:
        outer = Path(tempfile.mkdtemp(prefix="vinr-qual-perm-"))
        outer.chmod(0o755)
        folder = outer / "arkiv"
        folder.mkdir()
        os.chown(folder, ORDINARY, ORDINARY)
    else:
        folder = tmp_path / "arkiv"
        folder.mkdir()
    yield folder
    folder.chmod(0o755)
    for child in folder.iterdir():
        child.chmod(0o644)
    if AS_ROOT:
        shutil.rmtree(folder.parent)


def as_ordinary_user(check: Callable[[Path], None], folder: Path) -> None:
    """Run a check of file permissions as a user they apply to: root, which CI runs as,
    ignores them, so there the check runs in a child process as `nobody`."""
    if not AS_ROOT:
        check(folder)
        return
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root, run the check, report how it went
        os.close(read)
        status = 0
        try:
            os.setgroups([])
            os.setgid(ORDINARY)
            os.setuid(ORDINARY)
            check(folder)
        except BaseException:
            os.write(write, traceback.format_exc().encode())
            status = 1
        os._exit(status)
    os.close(write)
    report = b""
    while chunk := os.read(read, 65536):
        report += chunk
    os.close(read)
    _, status = os.waitpid(pid, 0)
    if status:
        pytest.fail(f"as user {ORDINARY}:\n{report.decode()}", pytrace=False)


# a file from a newer vinr-qual ---------------------------------------------------------


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_file_of_a_newer_schema_is_refused_in_one_line_and_left_as_it_was(
    project_path: Path, journal: str
) -> None:
    make_newer(project_path, journal=journal)
    before, dumped = fingerprint(project_path), content(project_path)
    with pytest.raises(ProjectError) as raised:
        Project.open(project_path)
    message = str(raised.value)
    assert message == (
        f"{project_path}: made by vinr-qual 0.3.0 (schema {NEWER}, with migrations this"
        f" version does not know: m999_future); this vinr-qual {__version__} knows schema"
        f" {len(MIGRATIONS)}: upgrade vinr-qual to open it; nothing was changed"
    )
    assert "\n" not in message
    # nothing written: not a migration, not the journal mode, not the version setting
    assert fingerprint(project_path) == before
    assert content(project_path) == dumped


def test_a_higher_user_version_alone_is_refused(project_path: Path) -> None:
    make_project(project_path)
    conn = sqlite3.connect(project_path)
    conn.execute(f"PRAGMA user_version = {NEWER}")
    conn.close()
    before = fingerprint(project_path)
    with pytest.raises(ProjectError, match=rf"\(schema {NEWER}\); this vinr-qual"):
        Project.open(project_path)
    with pytest.raises(ProjectError, match="upgrade vinr-qual"):
        Project.open(project_path, read_only=True)
    assert fingerprint(project_path) == before


def test_a_newer_file_that_does_not_say_who_made_it(project_path: Path) -> None:
    make_newer(project_path, made_by=None)
    with pytest.raises(ProjectError, match=rf"made by a newer vinr-qual \(schema {NEWER},"):
        Project.open(project_path)


def test_opening_records_which_vinr_qual_wrote_the_schema(project_path: Path) -> None:
    db = sqlite_utils.Database(project_path)
    migrate(db, until=1)  # as a release that did not record its version left it
    assert db.execute("SELECT count(*) FROM settings").fetchone()[0] == 0
    db.close()
    with Project.open(project_path) as project:
        assert project.setting(VERSION_SETTING) == __version__
        project.db.execute("UPDATE settings SET value = '0.0.2' WHERE key = ?", [VERSION_SETTING])
        project.db.conn.commit()
    with Project.open(project_path) as project:  # nothing to apply: nothing rewritten
        assert project.setting(VERSION_SETTING) == "0.0.2"


def test_the_command_line_refuses_a_newer_file_in_one_line(
    tmp_path: Path, project_path: Path
) -> None:
    make_newer(project_path)
    source = write_text(tmp_path / "Testby-intervju.txt", "I: Hej.\n\nIP: Hej själv.\n")
    before, dumped = fingerprint(project_path), content(project_path)
    result = subprocess.run(
        [sys.executable, "-m", "vinr_qual", "--project", str(project_path), "import", str(source)],
        capture_output=True,
        text=True,
        env={**os.environ, "VINR_QUAL_CODER": "testkodare"},
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(project_path) in lines[0] and "upgrade vinr-qual" in lines[0]
    assert fingerprint(project_path) == before
    assert content(project_path) == dumped


# a read-only file ----------------------------------------------------------------------


def test_a_project_opened_read_only_reads_and_refuses_every_write(project_path: Path) -> None:
    make_project(project_path)
    before, dumped = fingerprint(project_path), content(project_path)
    with Project.open(project_path, read_only=True) as project:
        assert project.read_only
        assert project.setting("coder") == "Anna"
        assert project.coder_id("Anna") >= 1
        refusal = f"{project_path}: the project file is read-only; nothing was changed"
        with pytest.raises(ProjectError) as raised:
            project.set_setting("coder", "Bo")
        assert str(raised.value) == refusal
        with pytest.raises(ProjectError, match="read-only; nothing was changed"):
            project.coder_id("Bo")
        # a write that gets past the flag is refused by SQLite, and said the same way
        project.read_only = False
        with pytest.raises(ProjectError) as raised, project.transaction():
            project.db.execute("INSERT INTO coders (name, created) VALUES ('Bo', 'nu')")
        assert str(raised.value) == refusal
        assert project.setting("coder") == "Anna"
    assert fingerprint(project_path) == before
    assert content(project_path) == dumped


def test_a_read_only_project_sees_what_a_writer_commits(project_path: Path) -> None:
    make_project(project_path)
    with (
        Project.open(project_path) as writer,
        Project.open(project_path, read_only=True) as reader,
    ):
        writer.set_setting("coder", "Bo")
        assert reader.setting("coder") == "Bo"


def test_a_read_only_project_that_needs_upgrading_is_refused(project_path: Path) -> None:
    db = sqlite_utils.Database(project_path)
    migrate(db, until=2)
    db.close()
    before = fingerprint(project_path)
    with pytest.raises(ProjectError) as raised:
        Project.open(project_path, read_only=True)
    assert str(raised.value) == (
        f"{project_path}: the project file is read-only and needs upgrading to schema"
        f" {len(MIGRATIONS)}; make it writable (chmod u+w) to open it"
    )
    assert fingerprint(project_path) == before


def test_no_project_is_created_read_only(project_path: Path) -> None:
    with pytest.raises(ProjectError, match="no such project file"):
        Project.open(project_path, create=True, read_only=True)
    assert not project_path.exists()


def _a_file_without_write_permission_opens_read_only(read_only_files: Path) -> None:
    path = make_project(read_only_files / "projekt.sqlite")
    path.chmod(0o444)
    before, dumped = fingerprint(path), content(path)
    with Project.open(path) as project:
        assert project.read_only
        assert project.setting("coder") == "Anna"
        with pytest.raises(ProjectError, match="read-only; nothing was changed"):
            project.set_setting("coder", "Bo")
    assert fingerprint(path) == before
    assert content(path) == dumped
    # and the owner can write it again once it is writable: nothing was left in the way
    path.chmod(0o644)
    with Project.open(path) as project:
        assert not project.read_only
        project.set_setting("coder", "Bo")


def _a_project_in_a_read_only_folder_reads_or_is_refused_in_one_line(read_only_files: Path) -> None:
    path = make_project(read_only_files / "projekt.sqlite")
    path.chmod(0o444)
    read_only_files.chmod(stat.S_IRUSR | stat.S_IXUSR)
    before = fingerprint(path)
    try:
        with Project.open(path) as project:
            assert project.read_only
            assert project.setting("coder") == "Anna"
    except ProjectError as error:
        assert "\n" not in str(error) and str(path) in str(error)
    assert fingerprint(path) == before


def _a_read_only_file_that_needs_upgrading_is_refused(read_only_files: Path) -> None:
    path = read_only_files / "projekt.sqlite"
    db = sqlite_utils.Database(path)
    migrate(db, until=1)
    db.close()
    path.chmod(0o444)
    before = fingerprint(path)
    with pytest.raises(ProjectError, match=r"read-only and needs upgrading.*chmod u\+w"):
        Project.open(path)
    assert fingerprint(path) == before


def _an_unreadable_file_is_refused_in_one_line(read_only_files: Path) -> None:
    path = make_project(read_only_files / "projekt.sqlite")
    path.chmod(0)
    with pytest.raises(ProjectError, match="cannot read the project file"):
        Project.open(path)


def test_a_file_without_write_permission_opens_read_only(read_only_files: Path) -> None:
    as_ordinary_user(_a_file_without_write_permission_opens_read_only, read_only_files)


def test_a_project_in_a_read_only_folder_reads_or_is_refused_in_one_line(
    read_only_files: Path,
) -> None:
    as_ordinary_user(
        _a_project_in_a_read_only_folder_reads_or_is_refused_in_one_line, read_only_files
    )


def test_a_read_only_file_that_needs_upgrading_is_refused(read_only_files: Path) -> None:
    as_ordinary_user(_a_read_only_file_that_needs_upgrading_is_refused, read_only_files)


def test_an_unreadable_file_is_refused_in_one_line(read_only_files: Path) -> None:
    as_ordinary_user(_an_unreadable_file_is_refused_in_one_line, read_only_files)
