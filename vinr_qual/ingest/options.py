"""What an import is asked to do, resolved once for the command line and the app alike.

The options (a metadata CSV, a case pattern on file names, and a case, kind, date and
interviewee role for every file) are merged per file here: the case pattern first, the
metadata CSV over it, and an option given for every file over both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from vinr_qual.errors import VinrQualError
from vinr_qual.ingest.metadata import (
    MetadataTable,
    SourceMetadata,
    compile_case_pattern,
    from_file_name,
    parse_kind,
)
from vinr_qual.ingest.pipeline import ImportRequest, collect_sources
from vinr_qual.ingest.readers import SUFFIXES

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class ImportOptions:
    """An import as a person asks for it; every field is optional."""

    metadata: Path | None = None
    case_pattern: str | None = None
    case: str | None = None
    kind: str | None = None
    date: str | None = None
    interviewee_role: str | None = None
    replace: bool = False


@dataclass
class ImportPlan:
    """The files to import with what is known of each, and what was left out."""

    requests: list[ImportRequest]
    skipped: list[Path] = field(default_factory=list)  # files of formats not read
    unused_metadata: list[str] = field(default_factory=list)  # CSV rows matching no file
    replace: bool = False


def _clean(value: str | None) -> str | None:
    return value.strip() or None if value else None


def plan_import(paths: list[Path], options: ImportOptions) -> ImportPlan:
    """Collect the files under `paths` and give each its metadata; a bad option or
    metadata CSV is an error naming it, before anything is imported."""
    missing = [path for path in paths if not path.exists()]
    if missing:
        raise VinrQualError(f"{missing[0]}: no such file or folder")
    table = MetadataTable(options.metadata) if options.metadata else None
    pattern_text, kind_text = _clean(options.case_pattern), _clean(options.kind)
    pattern = compile_case_pattern(pattern_text) if pattern_text else None
    kind = parse_kind(kind_text, "--kind") if kind_text else None
    date = _clean(options.date)
    if date and not _DATE.match(date):
        raise VinrQualError(f"--date {date!r} is not YYYY-MM-DD")
    case, role = _clean(options.case), _clean(options.interviewee_role)
    collected = collect_sources(paths, SUFFIXES)
    metadata = options.metadata.resolve() if options.metadata else None
    # the metadata CSV describes the files; it is not one of them
    collected.requests = [r for r in collected.requests if r.path.resolve() != metadata]
    for request in collected.requests:
        found = SourceMetadata()
        if pattern is not None:
            found = from_file_name(request.path, pattern) or found
        listed = table.lookup(request.path) if table else None
        if listed:
            found = SourceMetadata(
                case=listed.case or found.case,
                kind=listed.kind,
                date=listed.date,
                interviewee_role=listed.interviewee_role or found.interviewee_role,
                title=listed.title,
                speaker_roles=listed.speaker_roles,
            )
        found.case = case or found.case
        found.kind = kind or found.kind
        found.date = date or found.date
        found.interviewee_role = role or found.interviewee_role
        request.metadata = found
    skipped = [path for path in collected.skipped if path.resolve() != metadata]
    return ImportPlan(
        collected.requests,
        skipped,
        table.unused() if table else [],
        replace=options.replace,
    )
