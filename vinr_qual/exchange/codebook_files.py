"""Read and write a codebook in any of the formats we know, chosen by file suffix."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vinr_qual.codebook.model import Codebook
from vinr_qual.codebook.project_codes import FIELDS
from vinr_qual.errors import VinrQualError

FORMATS = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".qdc": "qdc",
    ".csv": "taguette",
    ".txt": "qualcoder",
}


# The code fields each format carries; loading leaves the others as they are.
CARRIED = {
    "yaml": FIELDS,
    "qdc": ("definition", "use_when", "not_when", "examples", "color", "codable"),
    "taguette": ("definition",),
    "qualcoder": ("definition",),
}


@dataclass
class ReadCodebook:
    codebook: Codebook
    format: str
    notes: list[str] = field(default_factory=list)

    @property
    def carried(self) -> tuple[str, ...]:
        return CARRIED[self.format]


def format_of(path: Path, explicit: str | None = None) -> str:
    if explicit:
        return explicit
    found = FORMATS.get(path.suffix.lower())
    if not found:
        raise VinrQualError(
            f"{path}: unknown codebook format {path.suffix!r}; use .yaml, .qdc, .csv (Taguette)"
            " or .txt (QualCoder), or name it with --format"
        )
    return found


def read_codebook_file(
    path: Path, *, fmt: str | None = None, separator: str | None = None
) -> ReadCodebook:
    """Read a codebook; nothing is written (see `write_ids_back` after a load)."""
    kind = format_of(path, fmt)
    if kind == "yaml":
        from vinr_qual.codebook.yaml_file import load_codebook

        return ReadCodebook(load_codebook(path), kind)
    if kind == "qdc":
        from vinr_qual.exchange.qdc import read_qdc

        read = read_qdc(path)
        notes = list(read.notes)
        if read.origin:
            notes.insert(0, f"written by {read.origin}")
        return ReadCodebook(read.codebook, kind, notes)
    from vinr_qual.exchange.plain_lists import read_qualcoder_list, read_taguette_csv

    if kind == "taguette":
        codebook, notes = read_taguette_csv(path, separator)
    else:
        codebook, notes = read_qualcoder_list(path)
    return ReadCodebook(codebook, kind, notes)


def write_ids_back(read: ReadCodebook, path: Path) -> int:
    """After a load, write into a YAML file the ids its codes were given; returns how many.
    Only our YAML format carries ids the researcher keeps; other formats are left as
    they are."""
    if read.format != "yaml":
        return 0
    from vinr_qual.codebook.yaml_file import write_missing_ids

    return write_missing_ids(path, read.codebook)


def write_codebook_file(
    codebook: Codebook,
    path: Path,
    *,
    fmt: str | None = None,
    counts: dict[str, tuple[int, int]] | None = None,
    separator: str = "/",
) -> str:
    kind = format_of(path, fmt)
    if not path.parent.is_dir():
        raise VinrQualError(f"{path}: the folder {path.parent} does not exist")
    if kind == "yaml":
        from vinr_qual.codebook.yaml_file import save_codebook

        save_codebook(codebook, path)
    elif kind == "qdc":
        from vinr_qual.exchange.qdc import write_qdc

        write_qdc(codebook, path)
    elif kind == "taguette":
        from vinr_qual.exchange.plain_lists import write_taguette_csv

        write_taguette_csv(codebook, path, counts or {}, separator)
    else:
        from vinr_qual.exchange.plain_lists import write_qualcoder_list

        write_qualcoder_list(codebook, path)
    return kind
