"""Codings given as quotes: a CSV file whose rows name a document, a code and the words
coded, found again in the document's text (whatever its line breaks).

The demo corpus ships its reference coding so (corpus/reference-coding/, a file per
case): words stay right when a transcript is lengthened or corrected, where positions
would not, and a person can write and read the file. Columns: `document` (the file
name), `code` (name, path or id), `quote` (the words; white space and letter case need
not match), and optionally `occurrence` (which of several places, 1 for the first),
`fields` (field codes to co-code the passage with, separated by ";", see
vinr_qual.codebook.fields) and `coder`. A row that cannot be placed stops the load with
its line and the reason, and nothing of the file is written; a coding already there is
not added again.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project


@dataclass
class Loaded:
    rows: int
    added: int


def load_quoted_codings(project: Project, path: Path, *, coder: str) -> Loaded:
    from vinr_qual.cases.documents import find_document
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.coding.codings import Passage, code_passages, find_phrase

    project.require_writable()
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise VinrQualError(f"{path}: cannot read the codings ({error})") from error
    texts: dict[int, str] = {}
    planned: list[tuple[str, str, Passage]] = []
    for line, row in enumerate(rows, start=2):
        where = f"{path.name}, line {line}"
        try:
            document_id = find_document(project, (row.get("document") or "").strip())
            if document_id not in texts:
                texts[document_id] = project.db.execute(
                    "SELECT text FROM documents WHERE id = ?", [document_id]
                ).fetchone()[0]
            occurrence = (row.get("occurrence") or "").strip()
            span = find_phrase(
                texts[document_id],
                row.get("quote") or "",
                int(occurrence) if occurrence else None,
                ignore_case=True,
            )
            who = (row.get("coder") or "").strip() or coder
            passage = Passage(document_id, span.start, span.end)
            planned.append((find_code(project, row.get("code") or ""), who, passage))
            for field in (row.get("fields") or "").split(";"):
                if field.strip():
                    planned.append((find_code(project, field), who, passage))
        except (VinrQualError, ValueError) as error:
            raise VinrQualError(f"{where}: {error}") from error
    planned = [
        (code_id, who, passage)
        for code_id, who, passage in planned
        if project.db.execute(
            'SELECT 1 FROM codings WHERE document_id = ? AND start = ? AND "end" = ?'
            " AND code_id = ? AND status = 'accepted'",
            [passage.document_id, passage.start, passage.end, code_id],
        ).fetchone()
        is None
    ]
    if not planned:
        return Loaded(len(rows), 0)  # loaded before: nothing to log either
    added = 0
    with project.batch("load codings", "coding", after={"file": str(path), "rows": len(rows)}):
        for code_id, who, passage in planned:
            added += len(code_passages(project, [passage], code_id, coder=who, origin="import"))
    return Loaded(len(rows), added)
