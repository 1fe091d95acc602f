"""A project: one SQLite file holding documents, cases, codes, codings, memos and a change log.

`Project` is the one entry point of the core. It opens the database with foreign keys on,
WAL journaling and a busy timeout, brings the schema up to date, and writes every change
to the append-only `changes` table through `log_change`. A thread that works on the
project opens its own `Project` on the same path: SQLite connections are not shared.
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlite_utils

from vinr_qual.errors import ProjectError
from vinr_qual.store.clock import now
from vinr_qual.store.migrate import SchemaTooNewError, migrate, schema_version

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


class Project:
    def __init__(self, path: Path, db: sqlite_utils.Database) -> None:
        self.path = path
        self.db = db

    @classmethod
    def open(cls, path: str | Path, *, create: bool = False) -> Project:
        """Open a project file; with `create`, make it (and its folder) if it is missing."""
        path = Path(path)
        if path.exists():
            _check_is_sqlite(path)
        elif not create:
            raise ProjectError(
                f"{path}: no such project file; create it with `vinr-qual init {path}`"
            )
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise ProjectError(f"{path}: cannot make its folder ({error.strerror})") from error
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if tables and "_migrations" not in tables:
                conn.close()
                raise ProjectError(
                    f"{path}: an SQLite database of another program, not a vinr-qual project;"
                    " nothing was changed"
                )
            db = sqlite_utils.Database(conn)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            migrate(db)
        except SchemaTooNewError as error:
            raise ProjectError(f"{path}: {error}") from error
        except sqlite3.DatabaseError as error:
            raise ProjectError(f"{path}: cannot open the project database: {error}") from error
        return cls(path, db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """All writes inside commit together or not at all (nested calls use savepoints)."""
        with self.db.atomic():
            yield self.db

    @property
    def schema_version(self) -> int:
        return schema_version(self.db)

    # settings -------------------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            before = self.setting(key)
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            self.log_change("set", "setting", key, before=before, after=value)

    # who is working --------------------------------------------------------------------

    @property
    def actor(self) -> str:
        """The person whose actions are logged: the project's coder, or the login name."""
        return os.environ.get("VINR_QUAL_CODER") or self.setting("coder") or _login_name()

    def coder_id(self, name: str | None = None) -> int:
        """The id of a coder, registered on first use."""
        name = (name or self.actor).strip()
        row = self.db.execute("SELECT id FROM coders WHERE name = ?", [name]).fetchone()
        if row:
            return int(row[0])
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO coders (name, created) VALUES (?, ?)", [name, now()]
            )
            coder_id = int(cursor.lastrowid or 0)
            self.log_change("create", "coder", str(coder_id), after={"name": name})
        return coder_id

    # the change log --------------------------------------------------------------------

    def log_change(
        self,
        action: str,
        entity: str,
        entity_id: str | int | None,
        *,
        before: Any = None,
        after: Any = None,
        actor: str | None = None,
    ) -> None:
        """Append one row to the change log; call it inside the transaction that changes."""
        self.db.execute(
            "INSERT INTO changes (at, actor, action, entity, entity_id, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                now(),
                actor or self.actor,
                action,
                entity,
                None if entity_id is None else str(entity_id),
                _as_json(before),
                _as_json(after),
            ],
        )


def _as_json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some containers
        return "unknown"


def _check_is_sqlite(path: Path) -> None:
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file")
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise ProjectError(f"{path}: not a vinr-qual project (not an SQLite database)")
