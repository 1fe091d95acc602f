"""A table (a header and rows) written as CSV or XLSX, chosen by the file's suffix."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from vinr_qual.errors import VinrQualError

Cell = str | int | float | None


def write_table(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[Cell]], *, sheet: str = "vinr-qual"
) -> None:
    if not path.parent.is_dir():
        raise VinrQualError(f"{path}: the folder {path.parent} does not exist")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    elif suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        worksheet = book.active
        worksheet.title = sheet[:31]
        worksheet.append(list(header))
        for row in rows:
            worksheet.append(list(row))
        book.save(path)
    else:
        raise VinrQualError(f"{path}: write tables as .csv or .xlsx")


def read_table(path: Path) -> list[list[Cell]]:
    """The rows of a table written here, header first (for checking exports)."""
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return [list(row) for row in csv.reader(handle)]
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]
