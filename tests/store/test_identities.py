"""Guids on a fresh project: given by the database when a writer gives none, kept when a
writer gives one, never changed; with foreign keys on and inside transactions."""

from __future__ import annotations

import re
import sqlite3
import uuid

import pytest

from vinr_qual.project import Project

# everything that travels (design.md), codes apart: their id is their guid
IDENTIFIED_TABLES = ("coders", "documents", "codings", "memos", "cases")
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
NOW = "2025-02-01T08:00:00+00:00"


def guid_of(project: Project, table: str, row_id: int) -> str | None:
    row = project.db.execute(f"SELECT guid FROM {table} WHERE id = ?", [row_id]).fetchone()
    return row[0]


def one_of_each(project: Project) -> dict[str, int]:
    """A case, a document, a code, a coding and a memo, written without guids."""
    db = project.db
    ids: dict[str, int] = {"coders": project.coder_id("Anna")}
    with project.transaction():
        ids["cases"] = int(
            db.execute("INSERT INTO cases (name, created) VALUES ('Testby', ?)", [NOW]).lastrowid
            or 0
        )
        ids["documents"] = int(
            db.execute(
                "INSERT INTO documents (name, case_id, source_name, source_format, sha256, text,"
                " length, words, imported) VALUES ('d', ?, 'd.txt', 'txt', 'x', 'Hej då.', 7, 2,"
                " ?)",
                [ids["cases"], NOW],
            ).lastrowid
            or 0
        )
        db.execute("INSERT INTO codes (id, name, created) VALUES ('k1', 'Hälsning', ?)", [NOW])
        ids["codings"] = int(
            db.execute(
                'INSERT INTO codings (document_id, start, "end", code_id, coder_id, created)'
                " VALUES (?, 0, 3, 'k1', ?, ?)",
                [ids["documents"], ids["coders"], NOW],
            ).lastrowid
            or 0
        )
        ids["memos"] = int(
            db.execute(
                "INSERT INTO memos (target, coding_id, coder_id, text, created, updated)"
                " VALUES ('coding', ?, ?, 'Artigt.', ?, ?)",
                [ids["codings"], ids["coders"], NOW, NOW],
            ).lastrowid
            or 0
        )
    return ids


def test_rows_written_without_a_guid_get_a_fresh_version_4_uuid(project: Project) -> None:
    assert project.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    ids = one_of_each(project)
    guids = [guid_of(project, table, ids[table]) for table in IDENTIFIED_TABLES]
    for guid in guids:
        assert isinstance(guid, str) and GUID.match(guid), guid
        assert uuid.UUID(guid).version == 4 and str(uuid.UUID(guid)) == guid
    assert len(set(guids)) == len(guids)
    # the insert's own row id is the row's, not disturbed by the trigger's update
    assert project.db.execute("SELECT name FROM coders WHERE id = ?", [ids["coders"]]).fetchone()
    assert project.db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_many_rows_in_one_statement_get_distinct_guids(project: Project) -> None:
    with project.transaction():
        project.db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)"
            " INSERT INTO cases (name, created) SELECT 'kommun ' || i, ? FROM n",
            [NOW],
        )
    guids = [row[0] for row in project.db.execute("SELECT guid FROM cases")]
    assert len(guids) == 500 == len(set(guids))
    assert all(GUID.match(guid) for guid in guids)
    variants = {guid[19] for guid in guids}
    assert variants <= set("89ab") and len(variants) > 1


def test_sqlite_utils_inserts_get_guids_and_their_row_ids(project: Project) -> None:
    table = project.db.table("cases")
    table.insert({"name": "Provby", "created": NOW})
    row_id = int(table.last_pk or 0)
    assert project.db.execute("SELECT name FROM cases WHERE id = ?", [row_id]).fetchone() == (
        "Provby",
    )
    assert GUID.match(guid_of(project, "cases", row_id) or "")


def test_an_explicit_guid_is_kept_so_a_removed_row_can_come_back_as_it_was(
    project: Project,
) -> None:
    ids = one_of_each(project)
    old = guid_of(project, "codings", ids["codings"])
    row = next(project.db.query("SELECT * FROM codings WHERE id = ?", [ids["codings"]]))
    with project.transaction():
        project.db.execute("DELETE FROM codings WHERE id = ?", [ids["codings"]])
    columns = ", ".join(f'"{name}"' for name in row)
    with project.transaction():
        project.db.execute(
            f"INSERT INTO codings ({columns}) VALUES ({', '.join('?' for _ in row)})",
            list(row.values()),
        )
    assert guid_of(project, "codings", ids["codings"]) == old
    given = "0f8e7d6c-5b4a-4392-8180-7f6e5d4c3b2a"
    with project.transaction():
        cursor = project.db.execute(
            "INSERT INTO coders (name, created, guid) VALUES ('Bo', ?, ?)", [NOW, given]
        )
    assert guid_of(project, "coders", int(cursor.lastrowid or 0)) == given


def test_a_guid_never_changes_and_is_never_shared(project: Project) -> None:
    ids = one_of_each(project)
    for table in IDENTIFIED_TABLES:
        guid = guid_of(project, table, ids[table])
        for new in (str(uuid.uuid4()), None):
            with (
                pytest.raises(sqlite3.IntegrityError, match="a guid never changes"),
                project.transaction(),
            ):
                project.db.execute(f"UPDATE {table} SET guid = ? WHERE id = ?", [new, ids[table]])
        # writing the same guid back (an undo restoring a whole row) is no change
        with project.transaction():
            project.db.execute(f"UPDATE {table} SET guid = ? WHERE id = ?", [guid, ids[table]])
        assert guid_of(project, table, ids[table]) == guid
    with project.transaction():
        project.db.execute(
            "UPDATE codings SET status = 'rejected', \"end\" = 5 WHERE id = ?", [ids["codings"]]
        )
    taken = guid_of(project, "coders", ids["coders"])
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"), project.transaction():
        project.db.execute(
            "INSERT INTO coders (name, created, guid) VALUES ('Bo', ?, ?)", [NOW, taken]
        )


def test_a_rolled_back_transaction_leaves_no_row_and_foreign_keys_still_hold(
    project: Project,
) -> None:
    ids = one_of_each(project)
    with pytest.raises(RuntimeError), project.transaction():
        with project.transaction():  # a savepoint inside the transaction
            project.db.execute(
                'INSERT INTO codings (document_id, start, "end", code_id, coder_id, created)'
                " VALUES (?, 0, 2, 'k1', ?, ?)",
                [ids["documents"], ids["coders"], NOW],
            )
        raise RuntimeError("stop")
    assert project.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"), project.transaction():
        project.db.execute(
            'INSERT INTO codings (document_id, start, "end", code_id, coder_id, created)'
            " VALUES (?, 0, 2, 'k1', 999, ?)",
            [ids["documents"], NOW],
        )
    # a cascade through rows with guids
    with project.transaction():
        project.db.execute("DELETE FROM documents WHERE id = ?", [ids["documents"]])
    assert project.db.execute("SELECT count(*) FROM memos").fetchone()[0] == 0
