"""Cases (municipalities, or any unit a study chooses) and their attributes.

Attributes are name/value pairs per case, so a study may add any column it likes;
values are stored as text and read as numbers where they all are. A case named after a
real municipality gets `kommunkod`, `län`, `folkmängd`, `kommungrupp` and
`kommungrupp_namn` from the shipped reference table (source "reference"); the user's
own values (source "user") always win over it.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from vinr_qual.cases.municipalities import find_municipality
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project
from vinr_qual.store.clock import now

CASE_COLUMNS = ("case", "fall", "kommun", "name", "namn")


@dataclass
class CaseSummary:
    id: int
    name: str
    documents: int
    attributes: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


def find_case(project: Project, name: str) -> int | None:
    """The case of this name, whatever the case of its letters (Älvhamn = älvhamn)."""
    wanted = name.strip().casefold()
    for case_id, case_name in project.db.execute("SELECT id, name FROM cases"):
        if case_name.casefold() == wanted:
            return int(case_id)
    return None


def ensure_case(project: Project, name: str, *, guid: str | None = None) -> int:
    """The id of the case, created (with reference facts if it is a real municipality);
    a case brought in from elsewhere keeps its GUID."""
    name = name.strip()
    if not name:
        raise VinrQualError("a case needs a name")
    existing = find_case(project, name)
    if existing is not None:
        return existing
    with project.transaction():
        cursor = project.db.execute(
            "INSERT INTO cases (guid, name, created) VALUES (?, ?, ?)",
            [guid or str(uuid.uuid4()), name, now()],
        )
        case_id = int(cursor.lastrowid or 0)
        facts = find_municipality(name)
        filled = facts.attributes() if facts else {}
        for key, value in filled.items():
            project.db.execute(
                "INSERT INTO case_attributes (case_id, name, value, source)"
                " VALUES (?, ?, ?, 'reference')",
                [case_id, key, value],
            )
        project.log_change(
            "create", "case", case_id, after={"name": name, "reference": filled or None}
        )
    return case_id


def set_attribute(project: Project, case_name: str, key: str, value: str | None) -> None:
    """Set (or with None, remove) one attribute of an existing case."""
    case_id = find_case(project, case_name)
    if case_id is None:
        raise VinrQualError(f"no case named {case_name!r}; see `vinr-qual cases list`")
    key = key.strip()
    if not key:
        raise VinrQualError("an attribute needs a name")
    with project.transaction():
        _set(project, case_id, key, value)


def _set(project: Project, case_id: int, key: str, value: str | None) -> bool:
    row = project.db.execute(
        "SELECT value FROM case_attributes WHERE case_id = ? AND name = ?", [case_id, key]
    ).fetchone()
    before = row[0] if row else None
    if value is None:
        if row is None:
            return False
        project.db.execute(
            "DELETE FROM case_attributes WHERE case_id = ? AND name = ?", [case_id, key]
        )
    else:
        if before == value:
            return False
        project.db.execute(
            "INSERT INTO case_attributes (case_id, name, value, source) VALUES (?, ?, ?, 'user')"
            " ON CONFLICT (case_id, name) DO UPDATE SET value = excluded.value, source = 'user'",
            [case_id, key, value],
        )
    project.log_change("set", "case_attribute", f"{case_id}:{key}", before=before, after=value)
    return True


@dataclass
class CaseImport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def import_cases_csv(project: Project, path: Path) -> CaseImport:
    """Read cases and attributes from a CSV file; all of it or, on any problem, nothing."""
    rows = read_cases_csv(path)
    result = CaseImport()
    with project.transaction():
        for name, attributes in rows:
            existed = find_case(project, name) is not None
            case_id = ensure_case(project, name)
            changed = [
                key for key, value in attributes.items() if _set(project, case_id, key, value)
            ]
            if not existed:
                result.created.append(name)
            elif changed:
                result.updated.append(name)
            else:
                result.unchanged.append(name)
    return result


def read_cases_csv(path: Path) -> list[tuple[str, dict[str, str]]]:
    """Rows of (case name, attributes); raises VinrQualError naming file and line."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise VinrQualError(f"{path}: cannot read the file ({error.strerror})") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        raise VinrQualError(f"{path}: the file is empty")
    header = [column.strip() for column in header]
    lowered = [column.lower() for column in header]
    case_column = next((lowered.index(name) for name in CASE_COLUMNS if name in lowered), None)
    if case_column is None:
        raise VinrQualError(f"{path}:1: no case column; name one of: {', '.join(CASE_COLUMNS)}")
    empty = [index + 1 for index, column in enumerate(header) if not column]
    if empty:
        raise VinrQualError(f"{path}:1: column {empty[0]} has no name")
    rows: list[tuple[str, dict[str, str]]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise VinrQualError(
                f"{path}:{number}: {len(row)} fields where the header has {len(header)}"
            )
        name = row[case_column].strip()
        if not name:
            raise VinrQualError(f"{path}:{number}: the case name is empty")
        if name.lower() in seen:
            raise VinrQualError(
                f"{path}:{number}: case {name!r} again (first on line {seen[name.lower()]})"
            )
        seen[name.lower()] = number
        attributes = {
            header[index]: cell.strip()
            for index, cell in enumerate(row)
            if index != case_column and cell.strip()
        }
        rows.append((name, attributes))
    return rows


def list_cases(project: Project) -> list[CaseSummary]:
    cases = {
        row["id"]: CaseSummary(row["id"], row["name"], row["documents"])
        for row in project.db.query(
            "SELECT cases.id, cases.name, count(documents.id) AS documents FROM cases"
            " LEFT JOIN documents ON documents.case_id = cases.id"
            " GROUP BY cases.id ORDER BY cases.name"
        )
    }
    for row in project.db.query(
        "SELECT case_id, name, value, source FROM case_attributes ORDER BY case_id, name"
    ):
        summary = cases[row["case_id"]]
        summary.attributes[row["name"]] = row["value"]
        summary.sources[row["name"]] = row["source"]
    return list(cases.values())


def attribute_names(project: Project) -> list[str]:
    """The names of the attributes any case has, in alphabetical order."""
    return [
        row[0]
        for row in project.db.execute("SELECT DISTINCT name FROM case_attributes ORDER BY name")
    ]


def cases_with_attribute(project: Project, name: str, value: str) -> set[int]:
    """Ids of the cases whose attribute `name` is `value` (case-insensitively)."""
    return {
        int(row[0])
        for row in project.db.execute(
            "SELECT case_id FROM case_attributes WHERE name = ? AND value = ? COLLATE NOCASE",
            [name.strip(), value.strip()],
        )
    }
