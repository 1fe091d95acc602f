"""What to record about each source file: its case, kind, date, role and title.

Two ways, usable together: a metadata CSV (columns `file`, and any of `case`, `kind`,
`date`, `interviewee_role`, `title`, `speaker_roles`), where `file` is a path relative to
the CSV or a bare file name; or a regular expression on the file name whose named group
`case` (and optionally `role`) gives the case. The CSV wins where both speak.
`speaker_roles` reads `Respondent 1=enhetschef; Respondent 2=samordnare`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from vinr_qual.errors import VinrQualError

KINDS = ("interview", "steering", "other")
KIND_ALIASES = {
    "intervju": "interview",
    "styrdokument": "steering",
    "steering document": "steering",
    "annat": "other",
}
COLUMNS = ("file", "case", "kind", "date", "interviewee_role", "title", "speaker_roles")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class SourceMetadata:
    case: str | None = None
    kind: str | None = None
    date: str | None = None
    interviewee_role: str | None = None
    title: str | None = None
    speaker_roles: dict[str, str] = field(default_factory=dict)


def parse_kind(value: str, where: str) -> str:
    kind = KIND_ALIASES.get(value.strip().lower(), value.strip().lower())
    if kind not in KINDS:
        raise VinrQualError(f"{where}: kind {value!r} is not one of {', '.join(KINDS)}")
    return kind


def parse_speaker_roles(value: str, where: str) -> dict[str, str]:
    roles = {}
    for part in value.split(";"):
        if not part.strip():
            continue
        label, sep, role = part.partition("=")
        if not sep or not label.strip() or not role.strip():
            raise VinrQualError(f"{where}: speaker_roles {part.strip()!r} should read 'Label=role'")
        roles[label.strip()] = role.strip()
    return roles


class MetadataTable:
    """The rows of a metadata CSV, looked up by a source file's path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.folder = path.parent.resolve()
        self.rows: dict[str, SourceMetadata] = {}
        self.used: set[str] = set()
        self._read()

    def _read(self) -> None:
        try:
            text = self.path.read_bytes().decode("utf-8-sig")
        except OSError as error:
            raise VinrQualError(f"{self.path}: cannot read ({error.strerror})") from error
        except UnicodeDecodeError as error:
            raise VinrQualError(
                f"{self.path}: not UTF-8 (byte {error.start}); save the CSV as UTF-8"
            ) from error
        reader = csv.DictReader(io.StringIO(text))
        header = [name.strip() for name in reader.fieldnames or []]
        if "file" not in header:
            raise VinrQualError(f"{self.path}:1: no 'file' column")
        unknown = [name for name in header if name not in COLUMNS]
        if unknown:
            raise VinrQualError(
                f"{self.path}:1: unknown column {unknown[0]!r}; known: {', '.join(COLUMNS)}"
            )
        for number, raw in enumerate(reader, start=2):
            row = {key.strip(): (value or "").strip() for key, value in raw.items() if key}
            where = f"{self.path}:{number}"
            if not row.get("file"):
                raise VinrQualError(f"{where}: the file column is empty")
            date = row.get("date") or None
            if date and not _DATE.match(date):
                raise VinrQualError(f"{where}: date {date!r} is not YYYY-MM-DD")
            key = row["file"].replace("\\", "/")
            if key in self.rows:
                raise VinrQualError(f"{where}: {key} is listed twice")
            self.rows[key] = SourceMetadata(
                case=row.get("case") or None,
                kind=parse_kind(row["kind"], where) if row.get("kind") else None,
                date=date,
                interviewee_role=row.get("interviewee_role") or None,
                title=row.get("title") or None,
                speaker_roles=parse_speaker_roles(row.get("speaker_roles", ""), where),
            )

    def lookup(self, source: Path) -> SourceMetadata | None:
        resolved = source.resolve()
        try:
            relative = resolved.relative_to(self.folder).as_posix()
        except ValueError:
            relative = None
        for key in (relative, source.name):
            if key and key in self.rows:
                self.used.add(key)
                return self.rows[key]
        return None

    def unused(self) -> list[str]:
        return sorted(set(self.rows) - self.used)


def from_file_name(path: Path, pattern: re.Pattern[str]) -> SourceMetadata | None:
    match = pattern.search(path.stem)
    if not match:
        return None
    groups = match.groupdict()
    return SourceMetadata(
        case=(groups.get("case") or "").strip() or None,
        interviewee_role=(groups.get("role") or "").strip() or None,
    )


def compile_case_pattern(pattern: str) -> re.Pattern[str]:
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise VinrQualError(f"--case-pattern {pattern!r}: {error}") from error
    if "case" not in compiled.groupindex:
        raise VinrQualError(
            f"--case-pattern {pattern!r} needs a named group (?P<case>…) for the case"
        )
    return compiled
