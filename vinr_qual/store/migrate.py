"""Apply the schema's migrations to a project database, each in its own transaction."""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from vinr_qual.store.migrations import MIGRATIONS


class SchemaTooNewError(RuntimeError):
    """The project file was written by a newer vinr-qual than this one."""


def applied_migrations(db: sqlite_utils.Database) -> list[str]:
    if "_migrations" not in db.table_names():
        return []
    return [row["name"] for row in db.query("SELECT name FROM _migrations ORDER BY rowid")]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Bring the schema up to date; returns the names of the migrations applied now."""
    known = {name for name, _ in MIGRATIONS}
    done = applied_migrations(db)
    unknown = [name for name in done if name not in known]
    if unknown:
        raise SchemaTooNewError(
            f"the project has schema migrations this version does not know ({', '.join(unknown)});"
            " upgrade vinr-qual to open it"
        )
    applied_now: list[str] = []
    for name, apply in MIGRATIONS:
        if name in done:
            continue
        with db.atomic():
            db.execute(
                "CREATE TABLE IF NOT EXISTS _migrations"
                " (name TEXT PRIMARY KEY, applied TEXT NOT NULL)"
            )
            apply(db)
            db.execute(
                "INSERT INTO _migrations (name, applied) VALUES (?, ?)",
                [name, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")],
            )
            db.execute(f"PRAGMA user_version = {len(done) + len(applied_now) + 1}")
        applied_now.append(name)
    return applied_now


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])
