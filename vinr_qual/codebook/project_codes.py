"""A project's codes as a codebook, and loading a codebook into a project.

Loading is two steps: `plan_load` compares the file's codebook with the project's codes
(matched by id, or by their path of names where a file has no ids) and lists what would
be added, renamed, moved, changed or removed; `apply_load` carries the plan out in one
transaction with every change in the change log. A plan that would remove a code that
still has codings is refused: codings are never orphaned.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Literal

from vinr_qual.codebook import code_table
from vinr_qual.codebook.model import VALUE_FIELDS, Code, Codebook, CodeSet, Rules, new_id
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project

FIELDS = VALUE_FIELDS
HEADER_SETTINGS = {
    "name": "codebook.name",
    "description": "codebook.description",
    "language": "codebook.language",
    "field_family": "codebook.field_family",
}
ChangeKind = Literal["added", "renamed", "moved", "changed", "removed"]


@dataclass
class CodeChange:
    kind: ChangeKind
    code_id: str
    path: str
    detail: str = ""


@dataclass
class LoadPlan:
    codebook: Codebook
    changes: list[CodeChange] = field(default_factory=list)
    orphaned: list[tuple[str, str, int]] = field(default_factory=list)  # id, path, codings
    # codes with codings that the file makes folders, which cannot hold codings
    folders_with_codings: list[tuple[str, str, int]] = field(default_factory=list)
    similar: list[tuple[str, str, float]] = field(default_factory=list)  # new, existing, score
    replace_sets: bool = False

    @property
    def empty(self) -> bool:
        return not self.changes and not self.replace_sets

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for change in self.changes:
            found[change.kind] = found.get(change.kind, 0) + 1
        return found


def _code_from_row(row: dict[str, Any]) -> Code:
    return Code(
        id=row["id"],
        name=row["name"],
        name_en=row["name_en"],
        definition=row["definition"],
        use_when=row["use_when"],
        not_when=row["not_when"],
        examples=json.loads(row["examples"] or "[]"),
        color=row["color"],
        shortcut=row["shortcut"],
        codable=bool(row["codable"]),
        rules=Rules.from_dict(json.loads(row["rules"])) if row["rules"] else None,
        unit=row.get("unit"),
    )


def read_codebook(project: Project) -> Codebook:
    """The project's codes as a tree, in their order."""
    codes: dict[str, Code] = {}
    parents: dict[str, str | None] = {}
    for row in project.db.query("SELECT * FROM codes ORDER BY position, rowid"):
        codes[row["id"]] = _code_from_row(row)
        parents[row["id"]] = row["parent_id"]
    top: list[Code] = []
    for code_id, code in codes.items():
        parent = parents[code_id]
        (codes[parent].children if parent else top).append(code)
    header = {key: project.setting(setting) for key, setting in HEADER_SETTINGS.items()}
    sets = []
    for row in project.db.query("SELECT * FROM code_sets ORDER BY position, rowid"):
        members = [
            member[0]
            for member in project.db.execute(
                "SELECT code_id FROM code_set_members WHERE set_id = ? ORDER BY position",
                [row["id"]],
            )
        ]
        sets.append(CodeSet(row["id"], row["name"], row["description"], members))
    return Codebook(codes=top, sets=sets, **header)


def _values(code: Code) -> dict[str, Any]:
    return {
        "name_en": code.name_en,
        "definition": code.definition,
        "use_when": code.use_when,
        "not_when": code.not_when,
        "examples": list(code.examples),
        "color": code.color,
        "shortcut": code.shortcut,
        "codable": code.codable,
        "rules": code.rules.as_dict() if code.rules else None,
        "unit": code.unit,
    }


def plan_load(
    project: Project,
    codebook: Codebook,
    *,
    keep_missing: bool = False,
    with_sets: bool = False,
    carried: tuple[str, ...] = FIELDS,
) -> LoadPlan:
    """What loading `codebook` would change; gives ids to codes that have none.

    `carried` names the fields the file's format has: the others keep their values in
    the project (a .qdc has no English names or shortcuts, and must not erase them)."""
    current = read_codebook(project)
    current_by_id = current.by_id()
    current_paths = current.paths()
    by_path = {path: code_id for code_id, path in current_paths.items()}
    # codes without ids take the id of the project's code at the same path, or a new one
    file_paths: dict[int, str] = {}
    for code, parent, _ in codebook.walk():
        path = f"{file_paths[id(parent)]} > {code.name}" if parent else code.name
        file_paths[id(code)] = path
        if not code.id:
            code.id = by_path.get(path) or new_id()
    plan = LoadPlan(codebook, replace_sets=with_sets and current.sets != codebook.sets)
    current_parent = {
        child.id: (parent.id if parent else None) for child, parent, _ in current.walk()
    }
    seen: set[str] = set()
    for code, parent, _ in codebook.walk():
        seen.add(code.id)
        path = file_paths[id(code)]
        old = current_by_id.get(code.id)
        if old is None:
            plan.changes.append(CodeChange("added", code.id, path))
            continue
        for name in FIELDS:
            if name not in carried or code.implicit:
                setattr(code, name, getattr(old, name))
        if old.name != code.name:
            plan.changes.append(
                CodeChange("renamed", code.id, path, f"{old.name!r} → {code.name!r}")
            )
        new_parent = parent.id if parent else None
        if current_parent.get(code.id) != new_parent:
            plan.changes.append(
                CodeChange("moved", code.id, path, f"from {current_paths[code.id]!r}")
            )
        if old.codable and not code.codable:
            count = project.db.execute(
                "SELECT count(*) FROM codings WHERE code_id = ?", [code.id]
            ).fetchone()[0]
            if count:
                plan.folders_with_codings.append((code.id, path, int(count)))
        old_values, new_values = _values(old), _values(code)
        differing = [name for name in FIELDS if old_values[name] != new_values[name]]
        if differing:
            plan.changes.append(CodeChange("changed", code.id, path, ", ".join(differing)))
    if not keep_missing:
        for code_id, path in current_paths.items():
            if code_id in seen:
                continue
            plan.changes.append(CodeChange("removed", code_id, path))
            count = project.db.execute(
                "SELECT count(*) FROM codings WHERE code_id = ?", [code_id]
            ).fetchone()[0]
            if count:
                plan.orphaned.append((code_id, path, int(count)))
    existing = {code.id: code for code, _, _ in current.walk()}
    added = [c for c in plan.changes if c.kind == "added"]
    if added and existing:
        from vinr_qual.codebook.similar import similar_names

        by_id = codebook.by_id()
        for change in added:
            for other, score in similar_names(by_id[change.code_id], list(existing.values())):
                plan.similar.append((change.path, current_paths[other.id], score))
    return plan


def apply_load(project: Project, plan: LoadPlan, *, source: str) -> None:
    """Carry a plan out in one transaction; refuses a plan that would orphan codings."""
    if plan.orphaned:
        lines = "; ".join(f"{path!r} has {count} codings" for _, path, count in plan.orphaned)
        raise VinrQualError(
            f"{source}: the codebook leaves out codes that still have codings ({lines});"
            " keep them in the file, or merge them into another code first"
            " (`vinr-qual codebook merge`); nothing was changed"
        )
    if plan.folders_with_codings:
        lines = "; ".join(
            f"{path!r} has {count} codings" for _, path, count in plan.folders_with_codings
        )
        raise VinrQualError(
            f"{source}: the codebook makes folders of codes that have codings ({lines});"
            " a folder cannot hold codings; nothing was changed"
        )
    codebook = plan.codebook
    removed = {c.code_id for c in plan.changes if c.kind == "removed"}
    listed = [code.id for code, _, _ in codebook.walk()]
    with project.transaction():
        before = {code.id: code for code, _, _ in read_codebook(project).walk()}
        # shortcuts may move between the file's codes: clear theirs first so the unique
        # index holds; codes the file leaves out keep theirs
        code_table.clear_shortcuts(project, listed)
        for code, parent, position in codebook.walk():
            try:
                _upsert(project, code, parent.id if parent else None, position)
            except sqlite3.IntegrityError as error:
                raise VinrQualError(
                    f"{source}: shortcut {code.shortcut!r} of {code.name!r} is already used by"
                    " a code the file does not list; nothing was changed"
                ) from error
        for code_id in _deepest_first(project, removed):
            code_table.delete_code(project, code_id)
        for code_id in removed:
            project.log_change("remove", "code", code_id, before=_logged(before[code_id]))
        for change in plan.changes:
            if change.kind == "removed":
                continue
            code = codebook.by_id()[change.code_id]
            project.log_change(
                {"added": "create", "renamed": "rename", "moved": "move", "changed": "edit"}[
                    change.kind
                ],
                "code",
                change.code_id,
                before=_logged(before[change.code_id]) if change.code_id in before else None,
                after=_logged(code),
            )
        if plan.replace_sets:
            _replace_sets(project, codebook.sets)
        for key, setting in HEADER_SETTINGS.items():
            value = getattr(codebook, key)
            if value is not None and project.setting(setting) != value:
                project.set_setting(setting, value)
        project.log_change(
            "load", "codebook", None, after={"source": source, "counts": plan.counts()}
        )


def _logged(code: Code) -> dict[str, Any]:
    return {"name": code.name, **_values(code)}


def _upsert(project: Project, code: Code, parent_id: str | None, position: int) -> None:
    values = _values(code)
    row = {
        "id": code.id,
        "parent_id": parent_id,
        "name": code.name,
        "position": position,
        **{key: values[key] for key in FIELDS},
    }
    row["examples"] = json.dumps(row["examples"], ensure_ascii=False)
    row["rules"] = json.dumps(row["rules"], ensure_ascii=False) if row["rules"] else None
    row["codable"] = int(row["codable"])
    exists = project.db.execute("SELECT 1 FROM codes WHERE id = ?", [code.id]).fetchone()
    if exists:
        code_table.update_code(
            project, code.id, **{key: value for key, value in row.items() if key != "id"}
        )
    else:
        code_table.insert_code(project, row)


def _deepest_first(project: Project, ids: set[str]) -> list[str]:
    depth: dict[str, int] = {}
    for code_id in ids:
        level = 0
        current: str | None = code_id
        while current:
            row = project.db.execute(
                "SELECT parent_id FROM codes WHERE id = ?", [current]
            ).fetchone()
            current = row[0] if row else None
            level += 1
        depth[code_id] = level
    return sorted(ids, key=lambda code_id: -depth[code_id])


def _replace_sets(project: Project, sets: list[CodeSet]) -> None:
    code_table.replace_sets(project, sets)
    project.log_change(
        "replace",
        "code_sets",
        None,
        after=[{"name": s.name, "codes": len(s.members)} for s in sets],
    )


def code_names(project: Project) -> dict[str, str]:
    return {row[0]: row[1] for row in project.db.execute("SELECT id, name FROM codes")}


def code_name(project: Project, code_id: str) -> str:
    row = project.db.execute("SELECT name FROM codes WHERE id = ?", [code_id]).fetchone()
    if row is None:
        raise VinrQualError(f"no code with id {code_id}")
    return str(row[0])


def code_color(project: Project, code_id: str, default: str = "#8a8a8a") -> str:
    row = project.db.execute("SELECT color FROM codes WHERE id = ?", [code_id]).fetchone()
    return str(row[0]) if row and row[0] else default


def default_unit(project: Project, code_id: str) -> str:
    """The segment kind a code is given to when nothing is selected: its stated unit
    (sentence, turn or paragraph); the sentence for "passage" or none stated."""
    row = project.db.execute("SELECT unit FROM codes WHERE id = ?", [code_id]).fetchone()
    unit = row[0] if row else None
    return unit if unit in ("sentence", "turn", "paragraph") else "sentence"


def shortcut_codes(project: Project) -> dict[str, str]:
    """The codebook's shortcut keys and the codes they apply (folders have none)."""
    return {
        row[0]: row[1]
        for row in project.db.execute(
            "SELECT shortcut, id FROM codes WHERE shortcut IS NOT NULL AND codable = 1"
        )
    }
