"""Migrations are frozen: they use nothing of vinr_qual, only the standard library and
sqlite-utils, so that live code can change without changing what an old migration does."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import vinr_qual.store.migrations as migrations

ALLOWED = {"__future__", "sqlite_utils"}


def imported_modules() -> list[tuple[int, str]]:
    tree = ast.parse(Path(migrations.__file__).read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, "." * node.level + (node.module or "")))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr)
            in ("__import__", "import_module")
        ):
            found.append((node.lineno, "<dynamic import>"))
    return found


def test_migrations_import_nothing_of_vinr_qual() -> None:
    imports = imported_modules()
    assert imports, "the parse found no imports at all"
    offending = [
        (line, name)
        for line, name in imports
        if name.startswith((".", "vinr_qual")) or name == "<dynamic import>"
    ]
    assert offending == []


def test_migrations_import_only_the_standard_library_and_sqlite_utils() -> None:
    outside = [
        (line, name)
        for line, name in imported_modules()
        if name.split(".")[0] not in sys.stdlib_module_names | ALLOWED
    ]
    assert outside == []
