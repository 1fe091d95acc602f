"""The project file: created, closed, reopened; schema, constraints and the change log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import write_text
from vinr_qual.errors import ProjectError
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.store.migrations import MIGRATIONS

TRANSCRIPT = """Kommunstudien, Testby, 2025-03-01

I: Vad är din roll i kommunen?

IP: Jag är kvinnofridssamordnare. Jag sitter på socialkontoret.

I: Hur samverkar ni med det brottsförebyggande arbetet?

IP: Inte så mycket, ärligt talat. Det är separata spår.
"""


def test_a_new_project_has_every_table_and_the_schema_version(project: Project) -> None:
    tables = set(project.db.table_names())
    assert {
        "cases",
        "case_attributes",
        "documents",
        "segments",
        "speakers",
        "codes",
        "codings",
        "memos",
        "coders",
        "changes",
        "settings",
    } <= tables
    assert project.schema_version == len(MIGRATIONS)
    version = project.db.execute("PRAGMA user_version").fetchone()[0]
    assert version == len(MIGRATIONS)


def test_project_file_uses_wal_foreign_keys_and_a_busy_timeout(project: Project) -> None:
    assert project.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert project.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert project.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_codings_carry_coder_status_and_origin_and_foreign_keys_hold(project: Project) -> None:
    columns = {column.name for column in project.db["codings"].columns}
    assert {
        "document_id",
        "start",
        "end",
        "code_id",
        "coder_id",
        "created",
        "status",
        "origin",
    } <= columns
    foreign = {(key.column, key.other_table) for key in project.db["codings"].foreign_keys}
    assert ("document_id", "documents") in foreign
    assert ("code_id", "codes") in foreign
    assert ("coder_id", "coders") in foreign
    with pytest.raises(sqlite3.IntegrityError), project.transaction():
        project.db.execute(
            'INSERT INTO codings (document_id, start, "end", code_id, coder_id, created)'
            " VALUES (999, 0, 5, 'no-such-code', 1, 'now')"
        )


def test_every_lookup_column_has_an_index(project: Project) -> None:
    indexed = {
        (table, index.columns[0])
        for table in ("segments", "codings", "documents", "speakers", "memos", "case_attributes")
        for index in project.db[table].indexes
    }
    for needed in [
        ("segments", "document_id"),
        ("codings", "document_id"),
        ("codings", "code_id"),
        ("codings", "coder_id"),
        ("documents", "case_id"),
        ("documents", "sha256"),
        ("speakers", "case_id"),
        ("memos", "coding_id"),
    ]:
        assert needed in indexed, needed


def test_the_change_log_is_append_only(project: Project) -> None:
    project.set_setting("coder", "Anna")
    assert project.db.execute("SELECT count(*) FROM changes").fetchone()[0] >= 1
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        project.db.execute("DELETE FROM changes")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        project.db.execute("UPDATE changes SET actor = 'någon annan'")


def test_a_project_closed_and_reopened_has_everything(tmp_path: Path, project_path: Path) -> None:
    source = write_text(tmp_path / "Testby-intervju.txt", TRANSCRIPT)
    with Project.open(project_path, create=True) as project:
        project.set_setting("coder", "Anna")
        outcomes = import_sources(
            project, [ImportRequest(source, SourceMetadata(case="Testby", kind="interview"))]
        )
        assert [outcome.status for outcome in outcomes] == ["imported"]
        counts_before = {
            table: project.db[table].count
            for table in ("documents", "segments", "speakers", "cases", "changes")
        }
    with Project.open(project_path) as reopened:
        counts_after = {table: reopened.db[table].count for table in counts_before}
        assert counts_after == counts_before
        assert reopened.setting("coder") == "Anna"
        text = reopened.db.execute("SELECT text FROM documents").fetchone()[0]
        assert text == TRANSCRIPT
        turns = reopened.db.execute(
            "SELECT start, \"end\" FROM segments WHERE kind = 'turn' ORDER BY start"
        ).fetchall()
        assert [text[start:end] for start, end in turns][1] == (
            "IP: Jag är kvinnofridssamordnare. Jag sitter på socialkontoret."
        )


def test_opening_a_missing_project_without_create_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="vinr-qual init"):
        Project.open(tmp_path / "saknas.sqlite")
    assert not (tmp_path / "saknas.sqlite").exists()


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    other = write_text(tmp_path / "anteckningar.sqlite", "inte en databas\n")
    with pytest.raises(ProjectError, match="not an SQLite database"):
        Project.open(other)
    assert other.read_text() == "inte en databas\n"


def test_a_project_from_a_newer_version_is_refused(project_path: Path) -> None:
    with Project.open(project_path, create=True) as project, project.transaction():
        project.db.execute("INSERT INTO _migrations (name, applied) VALUES ('m999_future', 'then')")
    with pytest.raises(ProjectError, match="upgrade vinr-qual"):
        Project.open(project_path)


def test_coders_are_registered_once_and_logged(project: Project) -> None:
    first = project.coder_id("Anna")
    again = project.coder_id("Anna")
    other = project.coder_id("Bo")
    assert first == again != other
    logged = project.db.execute(
        "SELECT count(*) FROM changes WHERE entity = 'coder' AND action = 'create'"
    ).fetchone()[0]
    assert logged == 2


def test_a_project_of_an_older_schema_is_migrated_keeping_its_data(project_path: Path) -> None:
    import sqlite_utils

    from vinr_qual.store.migrations import m001_initial

    db = sqlite_utils.Database(project_path)
    with db.atomic():
        db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
        m001_initial(db)
        db.execute("INSERT INTO _migrations VALUES ('m001_initial', 'förr')")
        db.execute("PRAGMA user_version = 1")
        db.execute("INSERT INTO codes (id, name, created) VALUES ('k1', 'Samverkan', 'förr')")
    db.close()
    with Project.open(project_path) as project:
        assert project.schema_version == len(MIGRATIONS)
        row = next(project.db.query("SELECT name, codable, examples FROM codes"))
        assert row == {"name": "Samverkan", "codable": 1, "examples": "[]"}
        assert "code_sets" in project.db.table_names()
