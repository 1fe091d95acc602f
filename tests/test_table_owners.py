"""One owner per table: each table of the project file is written by exactly one module.

The scan reads every module of the package and finds the statements that write a table
(INSERT, UPDATE, DELETE, REPLACE in SQL strings, and sqlite-utils' table methods). A write
outside the table's owner fails with the place it stands. The migrations are the schema's
own history and may touch any table; the front ends may hold no SQL at all.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "vinr_qual"

OWNERS: dict[str, str] = {
    "codings": "coding/codings.py",
    "memos": "coding/memos.py",
    "documents": "store/texts.py",
    "speakers": "store/texts.py",
    "segments": "store/texts.py",
    "search_text": "store/texts.py",
    "search_lemmas": "store/texts.py",
    "search_trigrams": "store/texts.py",
    "codes": "codebook/code_table.py",
    "code_sets": "codebook/code_table.py",
    "code_set_members": "codebook/code_table.py",
    "cases": "cases/cases.py",
    "case_attributes": "cases/cases.py",
    "framework_cells": "analysis/framework.py",
    "quotes": "quoting/basket.py",
    "pseudonyms": "quoting/pseudonyms.py",
    "case_aliases": "quoting/attribution.py",
    "changes": "project.py",
    "settings": "project.py",
    "coders": "project.py",
    "_migrations": "store/migrate.py",
}
# the schema's history: frozen migrations create and fill tables as they were then
EXEMPT = {"store/migrations.py"}
# a module that writes to tables named by a variable, and the tables that variable names
DYNAMIC = {"store/texts.py": {"search_text", "search_lemmas", "search_trigrams"}}

WRITE = re.compile(
    r"""\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)
        \s+["`\[]?(\{?[A-Za-z_][A-Za-z_0-9]*\}?)""",
    re.VERBOSE,
)
# SQL keywords that follow UPDATE in other senses (ON CONFLICT ... DO UPDATE SET)
NOT_TABLES = {"SET"}
TABLE_METHOD = re.compile(
    r"""(?:\.table\(\s*|\bdb\[\s*)["'](\w+)["']\s*[\])]\s*\.
        (insert|insert_all|upsert|upsert_all|update|delete|delete_where|drop|add_column)\b""",
    re.VERBOSE,
)
SQL_CALL = re.compile(r"\.(execute|executemany|executescript|query)\(")


def _sources() -> list[tuple[str, str]]:
    return [
        (path.relative_to(PACKAGE).as_posix(), path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def writes(source: str) -> list[tuple[int, str]]:
    """(line, table) of every write in a module's text."""
    found = []
    for match in WRITE.finditer(source):
        table = match.group(1)
        if table.upper() in NOT_TABLES:
            continue
        found.append((source.count("\n", 0, match.start()) + 1, table))
    for match in TABLE_METHOD.finditer(source):
        found.append((source.count("\n", 0, match.start()) + 1, match.group(1)))
    return found


def test_the_scan_finds_writes_of_every_shape() -> None:
    sample = """
db.execute("INSERT INTO codings (a) VALUES (?)")
db.execute('UPDATE codes SET name = ? WHERE id = ?')
db.execute("DELETE FROM memos WHERE id = ?")
db.execute("INSERT OR IGNORE INTO code_set_members (set_id) SELECT 1")
db.execute("INSERT INTO settings (k) VALUES (1) ON CONFLICT (k) DO UPDATE SET v = 1")
db.execute(f"DELETE FROM {table} WHERE rowid = 1")
db["cases"].insert({"name": "x"})
project.db.table("documents").upsert({})
"""
    assert [table for _, table in writes(sample)] == [
        "codings",
        "codes",
        "memos",
        "code_set_members",
        "settings",
        "{table}",
        "cases",
        "documents",
    ]


def test_every_table_is_written_only_by_its_owner() -> None:
    wrong = []
    for module, source in _sources():
        if module in EXEMPT:
            continue
        for line, table in writes(source):
            if table.startswith("{"):
                if module not in DYNAMIC:
                    wrong.append(f"{module}:{line}: writes a table named by a variable")
                continue
            owner = OWNERS.get(table)
            if owner is None:
                wrong.append(f"{module}:{line}: writes {table!r}, a table with no owner")
            elif owner != module:
                wrong.append(f"{module}:{line}: writes {table!r}, which {owner} owns")
    assert wrong == []


def test_every_owner_exists_and_writes_its_table() -> None:
    sources = dict(_sources())
    for table, owner in OWNERS.items():
        assert owner in sources, f"{owner} (owner of {table}) is not in the package"
        tables = {name for _, name in writes(sources[owner])} | DYNAMIC.get(owner, set())
        assert table in tables, f"{owner} owns {table!r} but never writes it"


@pytest.mark.parametrize("front_end", ["cli", "tui"])
def test_the_front_ends_hold_no_sql(front_end: str) -> None:
    found = []
    for module, source in _sources():
        if not module.startswith(f"{front_end}/"):
            continue
        for match in SQL_CALL.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            text = source.splitlines()[line - 1]
            if "self.query(" in text or "screen.query(" in text or ".query_one(" in text:
                continue  # Textual's DOM queries, not SQL
            found.append(f"{module}:{line}: {text.strip()}")
        if ".db." in source or ".db\n" in source or "sqlite3" in source:
            found.append(f"{module}: reaches the database connection")
    assert found == []
