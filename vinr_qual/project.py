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
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlite_utils

from vinr_qual import __version__
from vinr_qual.errors import ProjectError
from vinr_qual.store.clock import now
from vinr_qual.store.migrate import (
    VERSION_SETTING,
    SchemaTooNewError,
    check_not_too_new,
    migrate,
    pending_migrations,
    schema_version,
)
from vinr_qual.store.migrations import MIGRATIONS

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


class Project:
    def __init__(self, path: Path, db: sqlite_utils.Database, *, read_only: bool = False) -> None:
        self.path = path
        self.db = db
        # opened without write access: every `transaction` is refused with one line
        self.read_only = read_only
        self._batch: int | None = None

    @classmethod
    def open(
        cls, path: str | Path, *, create: bool = False, read_only: bool | None = None
    ) -> Project:
        """Open a project file; with `create`, make it (and its folder) if it is missing.

        `read_only` None opens read-only when the file or its folder cannot be written;
        True opens read-only in any case. A read-only project is never migrated: one that
        needs it is refused. A file of a newer vinr-qual is refused before anything is
        written to it.
        """
        path = Path(path)
        if path.exists():
            _check_is_sqlite(path)
        elif not create:
            raise ProjectError(
                f"{path}: no such project file; create it with `vinr-qual init {path}`"
            )
        elif read_only:
            raise ProjectError(f"{path}: no such project file, and none is made read-only")
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise ProjectError(f"{path}: cannot make its folder ({error.strerror})") from error
        if read_only is None:
            read_only = path.exists() and not _writable(path)
        conn: sqlite3.Connection | None = None
        try:
            conn = _connect_read_only(path) if read_only else _connect(path)
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if tables and "_migrations" not in tables:
                raise ProjectError(
                    f"{path}: an SQLite database of another program, not a vinr-qual project;"
                    " nothing was changed"
                )
            db = sqlite_utils.Database(conn)
            check_not_too_new(db)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA foreign_keys = ON")
            if read_only:
                if pending_migrations(db):
                    raise ProjectError(
                        f"{path}: the project file is read-only and needs upgrading to schema"
                        f" {len(MIGRATIONS)}; make it writable (chmod u+w) to open it"
                    )
            else:
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")
                migrate(db, record=_record_version)
        except (ProjectError, SchemaTooNewError, sqlite3.DatabaseError) as error:
            if conn is not None:
                conn.close()
            if isinstance(error, ProjectError):
                raise
            if isinstance(error, SchemaTooNewError):
                raise ProjectError(f"{path}: {error}") from error
            if _is_read_only_error(error):
                raise ProjectError(
                    f"{path}: the project file (or its folder) is read-only and cannot be"
                    " opened; make it writable (chmod u+w) to open it; nothing was changed"
                ) from error
            raise ProjectError(f"{path}: cannot open the project database: {error}") from error
        project = cls(path, db, read_only=read_only)
        if not read_only:
            try:
                project._lemmas_up_to_date()
            except BaseException:
                project.close()
                raise
        return project

    def _lemmas_up_to_date(self) -> None:
        """Lemmas made by another lemmatizer than this one (m016 marks those of spaCy's
        lookup table) are made anew, so that stored lemmas and query words agree; a file
        whose lemmas no lemmatizer is named for has had only this one's (from m016 on)."""
        from vinr_qual.ingest.lemmas import lemmatizer_name, sentence_lemmas

        current = lemmatizer_name()
        made_by = self.setting(LEMMATIZER_SETTING)
        if made_by == current:
            return
        if made_by is not None:
            from vinr_qual.store.texts import relemmatise

            relemmatise(self, sentence_lemmas)
        with self.transaction():
            # like the schema's version, recorded without a change of the log
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [LEMMATIZER_SETTING, current],
            )

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

    def require_writable(self) -> None:
        """Refuse, in one line, work that would write to a read-only project: called
        before long work starts, so that it does not fail half-way."""
        if self.read_only:
            raise ProjectError(f"{self.path}: the project file is read-only; nothing was changed")

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """All writes inside commit together or not at all (nested calls use savepoints).

        On a read-only project nothing starts: one line says so.
        """
        self.require_writable()
        try:
            with self.db.atomic():
                yield self.db
        except sqlite3.OperationalError as error:
            if not _is_read_only_error(error):
                raise
            raise ProjectError(
                f"{self.path}: the project file is read-only; nothing was changed"
            ) from error

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

    def coder_id(self, name: str | None = None, *, guid: str | None = None) -> int:
        """The id of a coder, registered on first use; a coder brought in from another
        project or tool keeps the GUID it had there."""
        name = (name or self.actor).strip()
        row = self.db.execute("SELECT id FROM coders WHERE name = ?", [name]).fetchone()
        if row:
            return int(row[0])
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO coders (name, created, guid) VALUES (?, ?, ?)", [name, now(), guid]
            )
            coder_id = int(cursor.lastrowid or 0)
            self.log_change("create", "coder", str(coder_id), after={"name": name, "guid": guid})
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
    ) -> int:
        """Append one row to the change log; call it inside the transaction that changes.
        Inside `batch`, the row belongs to that batch. Returns the row's id."""
        cursor = self.db.execute(
            "INSERT INTO changes (at, actor, action, entity, entity_id, before, after, batch) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                now(),
                actor or self.actor,
                action,
                entity,
                None if entity_id is None else str(entity_id),
                _as_json(before),
                _as_json(after),
                self._batch,
            ],
        )
        return int(cursor.lastrowid or 0)

    @contextmanager
    def batch(
        self, action: str, entity: str, *, after: Any = None, actor: str | None = None
    ) -> Iterator[int]:
        """One action made of many changes (every hit of a search coded, a run of the
        rules): a row for the whole, logged first, and every change inside it pointing to
        that row, so it is undone as one and each change can still be traced. Yields the
        batch's id; a batch inside a batch belongs to the outer one."""
        if self._batch is not None:
            yield self._batch
            return
        with self.transaction():
            self._batch = self.log_change(action, entity, None, after=after, actor=actor)
            try:
                yield self._batch
            finally:
                self._batch = None


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
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise ProjectError(f"{path}: cannot read the project file ({error.strerror})") from error
    if header and header != SQLITE_HEADER:
        raise ProjectError(f"{path}: not a vinr-qual project (not an SQLite database)")


LEMMATIZER_SETTING = "vinr_qual.lemmatizer"


def _record_version(db: sqlite_utils.Database) -> None:
    """Which vinr-qual wrote the schema: set in each migration's transaction, read by an
    older vinr-qual that refuses the file (no change log row: `_migrations` is the log)."""
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [VERSION_SETTING, __version__],
    )


def _writable(path: Path) -> bool:
    """Whether SQLite can write the file: the file itself, and its folder for the -wal file."""
    folder = path.parent
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write, and leaves no files behind.

    A file that can be written (read-only by request) is opened as usual with SQLite's
    `query_only`, so that it reads alongside writers and tidies its -wal file away. Where
    the file or its folder cannot be written, SQLite opens it `mode=ro`; with a -wal (or
    -journal) file there, someone may be writing, so it reads through it with locking;
    without one it reads the file as it stands (`immutable`), as `mode=ro` would have to
    make -wal and -shm files (read-only ones, which then stop the owner from writing) or,
    in a read-only folder, could not read at all.
    """
    if _writable(path):
        conn = _connect(path)
        conn.execute("PRAGMA query_only = ON")
        return conn
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    if not any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal")):
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)


def _is_read_only_error(error: sqlite3.Error) -> bool:
    return isinstance(error, sqlite3.OperationalError) and "readonly" in str(error)
