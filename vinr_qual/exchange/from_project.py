"""A vinr-qual project as a `Package`: what a .qdpx export writes and a merge brings in.

Only accepted codings travel: a suggestion is not yet anyone's coding, and a rejected one
is a decision against it; both are counted in `not_carried`. Case attributes become
variables typed by their values (all whole numbers: Integer, and so on), with GUIDs
derived from their names so that two exports, or two coders' copies, agree on them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from vinr_qual.codebook.project_codes import read_codebook
from vinr_qual.exchange import package as pk
from vinr_qual.project import Project

_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)$")


def package_of(project: Project) -> pk.Package:
    db = project.db
    result = pk.Package(
        name=project.setting("project.name") or Path(project.path).stem,
        origin=None,
        description=project.setting("project.description"),
    )
    coder_guid: dict[int, str] = {}
    for coder_id, guid, name in db.execute("SELECT id, guid, name FROM coders ORDER BY id"):
        coder_guid[coder_id] = guid
        result.users.append(pk.User(guid, name, _initials(name)))
    result.codebook = read_codebook(project)
    case_guid: dict[int, str] = {}
    cases: dict[int, pk.Case] = {}
    for case_id, guid, name in db.execute("SELECT id, guid, name FROM cases ORDER BY id"):
        case_guid[case_id] = guid
        cases[case_id] = pk.Case(guid, name)
    values: dict[str, list[str]] = {}
    for case_id, name, value in db.execute(
        "SELECT case_id, name, value FROM case_attributes ORDER BY case_id, name"
    ):
        guid = pk.derived_guid("variable", name)
        cases[case_id].values[guid] = value
        values.setdefault(name, []).append(value)
    for name, seen in values.items():
        result.variables.append(pk.Variable(pk.derived_guid("variable", name), name, _type(seen)))
    result.cases = list(cases.values())
    document_guid: dict[int, str] = {}
    sources: dict[int, pk.Source] = {}
    for row in db.query(
        "SELECT id, guid, name, text, kind, case_id, date, title, interviewee_role,"
        " source_format, imported FROM documents ORDER BY id"
    ):
        document_guid[row["id"]] = row["guid"]
        source = pk.Source(
            row["guid"],
            row["name"],
            row["text"],
            row["kind"],
            facts={
                fact: row[fact]
                for fact in ("date", "title", "interviewee_role")
                if row[fact] is not None
            },
            created=row["imported"],
            source_format=row["source_format"],
        )
        sources[row["id"]] = source
        if row["case_id"] is not None:
            cases[row["case_id"]].sources.append(row["guid"])
    coding_guid: dict[int, str] = {}
    for row in db.query(
        'SELECT id, guid, document_id, start, "end", code_id, coder_id, created, status'
        ' FROM codings ORDER BY document_id, start, "end", id'
    ):
        if row["status"] != "accepted":
            result.not_carried[f"{row['status']} codings"] += 1
            continue
        coding_guid[row["id"]] = row["guid"]
        sources[row["document_id"]].codings.append(
            pk.Coding(
                row["guid"],
                row["code_id"],
                row["start"],
                row["end"],
                coder_guid.get(row["coder_id"]),
                row["created"],
            )
        )
    result.sources = list(sources.values())
    for row in db.query("SELECT * FROM memos ORDER BY id"):
        target = row["target"]
        note = pk.Note(
            row["guid"],
            row["text"],
            target,
            user_guid=coder_guid.get(row["coder_id"]),
            created=row["created"],
        )
        if target == "document":
            note.target_guid = document_guid[row["document_id"]]
        elif target == "code":
            note.target_guid = row["code_id"]
        elif target == "case":
            note.target_guid = case_guid[row["case_id"]]
        elif target == "coding":
            if row["coding_id"] not in coding_guid:  # on a suggestion, which stays here
                result.not_carried["memos on suggestions"] += 1
                continue
            note.target_guid = coding_guid[row["coding_id"]]
        result.notes.append(note)
    code_names = dict(db.execute("SELECT id, name FROM codes").fetchall())
    for case_id, code_id, summary, coder_id, updated in db.execute(
        "SELECT case_id, code_id, summary, coder_id, updated FROM framework_cells"
        " ORDER BY case_id, code_id"
    ):
        result.notes.append(
            pk.Note(
                pk.derived_guid("framework", case_guid[case_id], code_id),
                summary,
                "framework",
                case_guid[case_id],
                code_guid=code_id,
                name=f"Ramverk: {cases[case_id].name} × {code_names.get(code_id, code_id)}",
                user_guid=coder_guid.get(coder_id),
                created=updated,
            )
        )
    # what our readers found in the files, which the standard has no place for: a package
    # brings the text, and its import finds turns and paragraphs again from it
    for what, sql in (
        ("speaker roles", "SELECT count(*) FROM speakers WHERE role IS NOT NULL"),
        ("headings and tables", "SELECT count(*) FROM segments WHERE kind IN ('heading', 'table')"),
        (
            "documents with page numbers",
            "SELECT count(*) FROM documents WHERE page_starts IS NOT NULL",
        ),
    ):
        count = db.execute(sql).fetchone()[0]
        if count:
            result.not_carried[what] += int(count)
    for table, what in (("quotes", "quotes"), ("pseudonyms", "pseudonyms")):
        count = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if count:
            result.not_carried[what] += int(count)
    return result


def _initials(name: str) -> str:
    return "".join(part[0] for part in name.split() if part[:1].isalpha()).upper()[:4] or name[:2]


def _type(values: list[str]) -> pk.VariableType:
    if all(_INTEGER.match(value) for value in values):
        return "Integer"
    if all(_DECIMAL.match(value) for value in values):
        return "Float"
    if all(value in ("true", "false") for value in values):
        return "Boolean"
    if all(_is_date(value) for value in values):
        return "Date"
    return "Text"


def _is_date(value: str) -> bool:
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True
