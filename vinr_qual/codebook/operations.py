"""Changing codes one at a time while keeping every coding: add, rename, move, merge, split,
delete. Each is one transaction and lands in the change log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from vinr_qual.codebook import code_table
from vinr_qual.codebook.model import COLOR, Code, new_id, normal_id
from vinr_qual.codebook.project_codes import read_codebook
from vinr_qual.codebook.similar import similar_names
from vinr_qual.coding.codings import (
    change_code,
    codings_of_code,
    fold_into,
    has_codings,
    remove_coding,
    twin_of,
)
from vinr_qual.coding.memos import move_code_memos
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project


class ConfirmationNeeded(VinrQualError):
    """The change would delete codings; the caller must ask and pass `confirm=True`."""


@dataclass
class Added:
    code_id: str
    similar: list[tuple[str, float]]  # names of near-duplicate codes, with their score


def find_code(project: Project, reference: str) -> str:
    """A code's id from its id, shortcut, name, English name or path ("A > B")."""
    reference = reference.strip()
    normal = normal_id(reference)
    if normal and _exists(project, normal):
        return normal
    if len(reference) == 1:
        row = project.db.execute("SELECT id FROM codes WHERE shortcut = ?", [reference]).fetchone()
        if row:
            return str(row[0])
    paths = read_codebook(project).paths()
    folded = reference.casefold()
    matches = [code_id for code_id, path in paths.items() if path.casefold() == folded]
    if not matches:
        matches = [
            row[0]
            for row in project.db.execute(
                "SELECT id FROM codes WHERE name = ? COLLATE NOCASE OR name_en = ? COLLATE NOCASE",
                [reference, reference],
            )
        ]
    if len(matches) == 1:
        return str(matches[0])
    if not matches:
        raise VinrQualError(f"no code {reference!r}; see `vinr-qual codebook show`")
    options = "; ".join(paths[code_id] for code_id in matches)
    raise VinrQualError(f"{reference!r} names several codes ({options}); give the path or id")


def _exists(project: Project, code_id: str) -> bool:
    return bool(project.db.execute("SELECT 1 FROM codes WHERE id = ?", [code_id]).fetchone())


def _row(project: Project, code_id: str) -> dict[str, Any]:
    return next(project.db.query("SELECT * FROM codes WHERE id = ?", [code_id]))


def _next_position(project: Project, parent_id: str | None) -> int:
    row = project.db.execute(
        "SELECT coalesce(max(position) + 1, 0) FROM codes WHERE parent_id IS ?", [parent_id]
    ).fetchone()
    return int(row[0])


def add_code(
    project: Project,
    name: str,
    *,
    parent: str | None = None,
    name_en: str | None = None,
    definition: str | None = None,
    color: str | None = None,
    shortcut: str | None = None,
    codable: bool = True,
) -> Added:
    name = name.strip()
    if not name:
        raise VinrQualError("a code needs a name")
    if color and not COLOR.match(color):
        raise VinrQualError(f"colour {color!r} is not #RRGGBB")
    if shortcut is not None and len(shortcut) != 1:
        raise VinrQualError(f"shortcut {shortcut!r} should be one key")
    if (
        shortcut
        and project.db.execute("SELECT 1 FROM codes WHERE shortcut = ?", [shortcut]).fetchone()
    ):
        raise VinrQualError(f"shortcut {shortcut!r} is taken by another code")
    parent_id = find_code(project, parent) if parent else None
    code = Code(name=name, id=new_id(), name_en=name_en)
    existing = [c for c, _, _ in read_codebook(project).walk()]
    similar = [(other.name, score) for other, score in similar_names(code, existing)]
    with project.transaction():
        code_table.insert_code(
            project,
            {
                "id": code.id,
                "parent_id": parent_id,
                "name": name,
                "name_en": name_en,
                "definition": definition,
                "color": color,
                "shortcut": shortcut,
                "codable": int(codable),
                "position": _next_position(project, parent_id),
            },
        )
        project.log_change(
            "create",
            "code",
            code.id,
            after={
                "name": name,
                "parent_id": parent_id,
                "name_en": name_en,
                "similar": [n for n, _ in similar] or None,
            },
        )
    return Added(code.id, similar)


def rename_code(
    project: Project, reference: str, name: str, *, name_en: str | None = None
) -> list[tuple[str, float]]:
    """Rename a code (its id and codings stay); returns near-duplicate names to flag."""
    code_id = find_code(project, reference)
    name = name.strip()
    if not name:
        raise VinrQualError("a code needs a name")
    before = _row(project, code_id)
    with project.transaction():
        code_table.update_code(project, code_id, name=name, name_en=name_en or before["name_en"])
        project.log_change(
            "rename",
            "code",
            code_id,
            before={"name": before["name"], "name_en": before["name_en"]},
            after={"name": name, "name_en": name_en or before["name_en"]},
        )
    renamed = Code(name=name, id=code_id, name_en=name_en)
    others = [c for c, _, _ in read_codebook(project).walk()]
    return [(other.name, score) for other, score in similar_names(renamed, others)]


def move_code(project: Project, reference: str, parent: str | None) -> None:
    """Put a code under another (or at the top with None); a code cannot go inside itself."""
    code_id = find_code(project, reference)
    parent_id = find_code(project, parent) if parent else None
    ancestor = parent_id
    while ancestor:
        if ancestor == code_id:
            raise VinrQualError("a code cannot be moved inside itself or its own sub-codes")
        row = project.db.execute("SELECT parent_id FROM codes WHERE id = ?", [ancestor]).fetchone()
        ancestor = row[0] if row else None
    before = _row(project, code_id)["parent_id"]
    with project.transaction():
        code_table.update_code(
            project, code_id, parent_id=parent_id, position=_next_position(project, parent_id)
        )
        project.log_change(
            "move", "code", code_id, before={"parent_id": before}, after={"parent_id": parent_id}
        )


@dataclass
class Merged:
    moved: int
    folded: int  # codings that duplicated one already on the target


def merge_codes(project: Project, source: str, target: str) -> Merged:
    """Fold `source` into `target`: its codings, sub-codes, memos and set memberships move to
    the target, codings that would duplicate one of the target's are folded into it, and
    the source code is removed."""
    source_id, target_id = find_code(project, source), find_code(project, target)
    if source_id == target_id:
        raise VinrQualError("a code cannot be merged into itself")
    ancestor: str | None = target_id
    while ancestor:
        row = project.db.execute("SELECT parent_id FROM codes WHERE id = ?", [ancestor]).fetchone()
        ancestor = row[0] if row else None
        if ancestor == source_id:
            raise VinrQualError("a code cannot be merged into one of its own sub-codes")
    source_row = _row(project, source_id)
    target_row = _row(project, target_id)
    if has_codings(project, source_id) and not target_row["codable"]:
        raise VinrQualError(
            f"{target_row['name']!r} is a folder and cannot hold codings; merge into a code"
        )
    moved = folded = 0
    with project.transaction():
        for coding in codings_of_code(project, source_id):
            twin = twin_of(project, coding, target_id)
            if twin is not None:
                fold_into(project, coding["id"], twin, code_id=source_id)
                folded += 1
            else:
                change_code(project, coding["id"], target_id, reason=f"merged into {target_id}")
                moved += 1
        position = _next_position(project, target_id)
        for offset, child in enumerate(
            project.db.execute(
                "SELECT id FROM codes WHERE parent_id = ? ORDER BY position", [source_id]
            ).fetchall()
        ):
            code_table.update_code(
                project, child[0], parent_id=target_id, position=position + offset
            )
        move_code_memos(project, source_id, target_id)
        code_table.copy_set_memberships(project, source_id, target_id)
        code_table.delete_code(project, source_id)
        project.log_change(
            "merge",
            "code",
            source_id,
            before=_plain(source_row),
            after={"into": target_id, "moved": moved, "folded": folded},
        )
    return Merged(moved, folded)


def split_code(project: Project, reference: str, new_name: str, coding_ids: list[int]) -> str:
    """Make a sibling code `new_name` and move the selected codings of `reference` to it."""
    code_id = find_code(project, reference)
    if not coding_ids:
        raise VinrQualError("name the codings to move to the new code (--coding ID ...)")
    rows = {
        row[0]: row[1]
        for row in project.db.execute(
            f"SELECT id, code_id FROM codings WHERE id IN ({', '.join('?' for _ in coding_ids)})",
            coding_ids,
        )
    }
    wrong = [cid for cid in coding_ids if rows.get(cid) != code_id]
    if wrong:
        raise VinrQualError(
            f"codings {', '.join(map(str, wrong))} are not codings of this code; nothing changed"
        )
    parent_id = _row(project, code_id)["parent_id"]
    with project.transaction():
        new_code = add_code(project, new_name, parent=parent_id).code_id
        for coding_id in coding_ids:
            change_code(project, coding_id, new_code, reason=f"split from {code_id}")
    return new_code


def delete_code(project: Project, reference: str, *, confirm: bool = False) -> int:
    """Delete a code without sub-codes; its codings go too, but only with `confirm`.
    Returns the number of codings deleted (each is in the change log)."""
    project.require_writable()  # before asking for a confirmation it could not act on
    code_id = find_code(project, reference)
    row = _row(project, code_id)
    if project.db.execute("SELECT 1 FROM codes WHERE parent_id = ?", [code_id]).fetchone():
        raise VinrQualError(f"{row['name']!r} has sub-codes; move or delete them first")
    codings = codings_of_code(project, code_id)
    if codings and not confirm:
        raise ConfirmationNeeded(
            f"{row['name']!r} has {len(codings)} codings; deleting it deletes them"
            " (confirm with --yes, or merge it into another code instead)"
        )
    with project.transaction():
        for coding in codings:
            remove_coding(project, coding["id"], reason=f"code {row['name']!r} deleted")
        code_table.delete_code(project, code_id)
        project.log_change("remove", "code", code_id, before=_plain(row))
    return len(codings)


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    plain = dict(row)
    for key in ("examples", "rules"):
        if isinstance(plain.get(key), str):
            plain[key] = json.loads(plain[key])
    return plain
