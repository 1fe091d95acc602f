"""Plain code lists of other open tools.

- Taguette's codebook CSV: one name column, exactly one of `tag`, `name` or `path`, and an
  optional `description`; other columns are ignored. Taguette has no hierarchy; with a
  separator (say "/"), names such as `Hinder/Resurser` are read as a path. Written with
  Taguette's own columns: tag, description, number of highlights, number of documents.
- QualCoder's plain-text list: `kategori>>underkategori>>kod`, then a memo, separated by
  a tab (.txt) or a comma (.csv). Categories that are not listed as codes become folders.

Neither format has ids: codes are matched to a project's codes by their path of names.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from vinr_qual.codebook.model import Code, Codebook
from vinr_qual.errors import VinrQualError

TAGUETTE_NAME_COLUMNS = ("tag", "name", "path")
QUALCODER_SEPARATOR = ">>"


def _text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise VinrQualError(f"{path}: cannot read ({error.strerror})") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _place(
    top: list[Code], parts: list[str], code: Code, by_path: dict[tuple[str, ...], Code]
) -> bool:
    """Put `code` at `parts` in the tree, making folders on the way; False if already there."""
    siblings = top
    for depth in range(len(parts) - 1):
        key = tuple(parts[: depth + 1])
        parent = by_path.get(key)
        if parent is None:
            parent = Code(name=parts[depth], codable=False, implicit=True)
            by_path[key] = parent
            siblings.append(parent)
        siblings = parent.children
    key = tuple(parts)
    existing = by_path.get(key)
    if existing is not None:
        if existing.codable:
            return False
        existing.codable, existing.definition, existing.implicit = True, code.definition, False
        return True
    by_path[key] = code
    siblings.append(code)
    return True


def read_taguette_csv(path: Path, separator: str | None = None) -> tuple[Codebook, list[str]]:
    reader = csv.reader(io.StringIO(_text(path)))
    header = [column.strip().lower() for column in next(reader, [])]
    names = [column for column in header if column in TAGUETTE_NAME_COLUMNS]
    if len(names) != 1:
        raise VinrQualError(
            f"{path}:1: a Taguette codebook has exactly one of the columns"
            f" {', '.join(TAGUETTE_NAME_COLUMNS)} (found {len(names)})"
        )
    name_column = header.index(names[0])
    description_column = header.index("description") if "description" in header else None
    top: list[Code] = []
    by_path: dict[tuple[str, ...], Code] = {}
    notes: list[str] = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        name = row[name_column].strip() if name_column < len(row) else ""
        if not name:
            raise VinrQualError(f"{path}:{number}: the tag name is empty")
        description = (
            row[description_column].strip()
            if description_column is not None and description_column < len(row)
            else ""
        )
        parts = [part.strip() for part in name.split(separator)] if separator else [name]
        if not all(parts):
            raise VinrQualError(f"{path}:{number}: {name!r} has an empty part")
        if not _place(top, parts, Code(name=parts[-1], definition=description or None), by_path):
            notes.append(f"line {number}: {name!r} again; skipped")
    return Codebook(codes=top), notes


def write_taguette_csv(
    codebook: Codebook, path: Path, counts: dict[str, tuple[int, int]], separator: str = "/"
) -> None:
    """`counts` gives (highlights, documents) per code id."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["tag", "description", "number of highlights", "number of documents"])
    paths = codebook.paths()
    for code, _, _ in codebook.walk():
        highlights, documents = counts.get(code.id, (0, 0))
        name = paths[code.id].replace(" > ", separator)
        writer.writerow([name, code.definition or "", highlights, documents])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def read_qualcoder_list(path: Path) -> tuple[Codebook, list[str]]:
    delimiter = "," if path.suffix.lower() == ".csv" else "\t"
    reader = csv.reader(io.StringIO(_text(path)), delimiter=delimiter)
    top: list[Code] = []
    by_path: dict[tuple[str, ...], Code] = {}
    notes: list[str] = []
    for number, row in enumerate(reader, start=1):
        if not row or not row[0].strip():
            continue
        parts = [part.strip() for part in row[0].split(QUALCODER_SEPARATOR)]
        if not all(parts):
            raise VinrQualError(f"{path}:{number}: {row[0]!r} has an empty part")
        memo = row[1].strip() if len(row) > 1 else ""
        if not _place(top, parts, Code(name=parts[-1], definition=memo or None), by_path):
            notes.append(f"line {number}: {row[0]!r} again; skipped")
    if not top:
        raise VinrQualError(f"{path}: no codes in the list")
    return Codebook(codes=top), notes


def write_qualcoder_list(codebook: Codebook, path: Path) -> None:
    """Every code that can be coded gets a line; folders live on in the paths."""
    delimiter = "," if path.suffix.lower() == ".csv" else "\t"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    paths = codebook.paths()
    for code, _, _ in codebook.walk():
        if code.codable or not code.children:
            name = paths[code.id].replace(" > ", QUALCODER_SEPARATOR)
            writer.writerow([name, (code.definition or "").replace("\n", " ")])
    path.write_text(buffer.getvalue(), encoding="utf-8")
