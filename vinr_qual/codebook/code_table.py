"""The one writer of the `codes`, `code_sets` and `code_set_members` tables.

Loading a codebook file (project_codes) and the operations on single codes (operations)
decide what changes and log it; the rows are written here. A code's id is its GUID.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vinr_qual.codebook.model import CodeSet
from vinr_qual.project import Project
from vinr_qual.store.clock import now

CHANGEABLE = {
    "parent_id",
    "name",
    "name_en",
    "definition",
    "color",
    "shortcut",
    "position",
    "use_when",
    "not_when",
    "examples",
    "rules",
    "codable",
    "unit",
}


def insert_code(project: Project, row: dict[str, Any]) -> None:
    row = {"created": now(), **row}
    columns = ", ".join(f'"{key}"' for key in row)
    marks = ", ".join("?" for _ in row)
    project.db.execute(f"INSERT INTO codes ({columns}) VALUES ({marks})", list(row.values()))


def update_code(project: Project, code_id: str, **values: Any) -> None:
    unknown = set(values) - CHANGEABLE
    if unknown:
        raise ValueError(f"codes cannot change {', '.join(sorted(unknown))}")
    assignments = ", ".join(f'"{key}" = ?' for key in values)
    project.db.execute(f"UPDATE codes SET {assignments} WHERE id = ?", [*values.values(), code_id])


def delete_code(project: Project, code_id: str) -> None:
    project.db.execute("DELETE FROM codes WHERE id = ?", [code_id])


def clear_shortcuts(project: Project, code_ids: Sequence[str]) -> None:
    if code_ids:
        project.db.execute(
            f"UPDATE codes SET shortcut = NULL WHERE id IN ({', '.join('?' for _ in code_ids)})",
            list(code_ids),
        )


def replace_sets(project: Project, sets: list[CodeSet]) -> None:
    project.db.execute("DELETE FROM code_sets")
    for position, code_set in enumerate(sets):
        project.db.execute(
            "INSERT INTO code_sets (id, name, description, position) VALUES (?, ?, ?, ?)",
            [code_set.id, code_set.name, code_set.description, position],
        )
        for index, member in enumerate(dict.fromkeys(code_set.members)):
            project.db.execute(
                "INSERT INTO code_set_members (set_id, code_id, position) VALUES (?, ?, ?)",
                [code_set.id, member, index],
            )


def copy_set_memberships(project: Project, from_code: str, to_code: str) -> None:
    project.db.execute(
        "INSERT OR IGNORE INTO code_set_members (set_id, code_id)"
        " SELECT set_id, ? FROM code_set_members WHERE code_id = ?",
        [to_code, from_code],
    )
