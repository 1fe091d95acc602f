"""Apply the schema's migrations to a project database, each in its own transaction.

The project records, inside each transaction that applies a migration (through
`migrate`'s `record`), which vinr-qual wrote the schema, in the setting
`vinr_qual.version`, so that an older vinr-qual can say which one made a file it cannot
read. `settings` exists since the first migration, so reading it needs nothing newer.
Every check here only reads: a file that is refused is left exactly as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlite_utils

from vinr_qual import __version__
from vinr_qual.store.migrations import MIGRATIONS

VERSION_SETTING = "vinr_qual.version"


class SchemaTooNewError(RuntimeError):
    """The project file was written by a newer vinr-qual than this one."""


def applied_migrations(db: sqlite_utils.Database) -> list[str]:
    if "_migrations" not in db.table_names():
        return []
    return [row["name"] for row in db.query("SELECT name FROM _migrations ORDER BY rowid")]


def pending_migrations(db: sqlite_utils.Database) -> list[str]:
    """The names of the migrations this file still needs, in order."""
    done = set(applied_migrations(db))
    return [name for name, _ in MIGRATIONS if name not in done]


def written_by(db: sqlite_utils.Database) -> str | None:
    """The vinr-qual version that last changed the schema, where it recorded one."""
    if "settings" not in db.table_names():
        return None
    row = db.execute("SELECT value FROM settings WHERE key = ?", [VERSION_SETTING]).fetchone()
    return str(row[0]) if row else None


def check_not_too_new(db: sqlite_utils.Database) -> None:
    """Refuse a file whose schema is newer than this vinr-qual's; only reads."""
    known = {name for name, _ in MIGRATIONS}
    done = applied_migrations(db)
    unknown = [name for name in done if name not in known]
    version = schema_version(db)
    if not unknown and version <= len(MIGRATIONS):
        return
    made_by = written_by(db)
    schema = f"schema {max(version, len(done))}"
    if unknown:
        schema += f", with migrations this version does not know: {', '.join(unknown)}"
    raise SchemaTooNewError(
        f"made by {f'vinr-qual {made_by}' if made_by else 'a newer vinr-qual'} ({schema});"
        f" this vinr-qual {__version__} knows schema {len(MIGRATIONS)}:"
        " upgrade vinr-qual to open it; nothing was changed"
    )


def migrate(
    db: sqlite_utils.Database,
    *,
    until: int | None = None,
    record: Callable[[sqlite_utils.Database], None] | None = None,
) -> list[str]:
    """Bring the schema up to date; returns the names of the migrations applied now.

    `until` stops after the first that many migrations (to build files of an old schema);
    `record` runs inside each migration's transaction, after it (the project records who
    wrote the schema with it).
    """
    check_not_too_new(db)
    done = applied_migrations(db)
    applied_now: list[str] = []
    for name, apply in MIGRATIONS[:until]:
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
            if record is not None:
                record(db)
        applied_now.append(name)
    return applied_now


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])
