"""Encodings that never lie: UTF-8 with a few stray bytes stays UTF-8, and says so."""

from __future__ import annotations

import json
from pathlib import Path

from vinr_qual.ingest.decode import decode_text
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.ingest.readers import read_source
from vinr_qual.project import Project
from vinr_qual.search.query import search

BEFORE = (
    "Intervjuare: Var arbetar du?\n\n"
    "Respondent: Jag är kvinnofridssamordnare och sitter på socialförvaltningen i Åby."
    " Det är en liten förvaltning, men vi har ett bra samarbete med polisen.\n\n"
    "Intervjuare: Vem mer är med?\n\n"
    "Respondent: "
)
AFTER = " från skolan, och så förstås kvinnojouren.\n"


def mostly_utf8() -> tuple[bytes, int]:
    """UTF-8 Swedish, but for one name typed in an old cp1252 document (two bytes)."""
    head = BEFORE.encode("utf-8")
    bad = "Björn Lindén".encode("cp1252")  # ö and é as one byte each
    return head + bad + AFTER.encode("utf-8"), len(head) + bad.index(b"\xf6")


def test_utf8_with_two_cp1252_bytes_is_read_as_utf8(tmp_path: Path) -> None:
    data, first = mostly_utf8()
    decoded = decode_text(data, "x.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.text == BEFORE + "Björn Lindén" + AFTER
    assert "\ufffd" not in decoded.text
    assert decoded.notes == [f"2 bytes that were not UTF-8 read as cp1252 (first at byte {first})"]


def test_a_single_bad_byte_is_named_in_the_singular() -> None:
    decoded = decode_text("Våld på ".encode() + b"\xe5" + b" landet.", "x.txt")
    assert decoded.text == "Våld på å landet."
    assert decoded.notes == ["1 byte that was not UTF-8 read as cp1252 (first at byte 10)"]


def test_a_run_of_bad_bytes_is_read_as_one_piece() -> None:
    data = "Åtgärd: ".encode() + "“Trygg i centrum”".encode("cp1252") + " ök.".encode()
    decoded = decode_text(data, "x.txt")
    assert decoded.text == "Åtgärd: “Trygg i centrum” ök."
    assert decoded.notes[0].startswith("2 bytes that were not UTF-8")


def test_a_file_without_any_utf8_sequence_is_cp1252_and_says_so() -> None:
    decoded = decode_text("Samverkan på socialförvaltningen – “bra”.".encode("cp1252"), "x.txt")
    assert decoded.encoding == "cp1252"
    assert decoded.text == "Samverkan på socialförvaltningen – “bra”."
    assert decoded.notes == [
        "read as Windows-1252 (cp1252): the file is not UTF-8 (first non-UTF-8 byte at 11)"
    ]


def test_clean_utf8_has_no_notes() -> None:
    assert decode_text("Hej på dig.".encode(), "x.txt").notes == []


def test_the_repaired_file_is_searchable_and_noted(tmp_path: Path, project: Project) -> None:
    data, first = mostly_utf8()
    path = tmp_path / "intervju.txt"
    path.write_bytes(data)
    assert read_source(path).notes == [
        f"2 bytes that were not UTF-8 read as cp1252 (first at byte {first})"
    ]
    [outcome] = import_sources(project, [ImportRequest(path)])
    assert outcome.status == "imported"
    assert "2 bytes that were not UTF-8 read as cp1252" in outcome.message
    encoding, notes = project.db.execute(
        "SELECT source_encoding, import_notes FROM documents"
    ).fetchone()
    assert encoding == "utf-8"
    assert json.loads(notes)[0].startswith("2 bytes that were not UTF-8")
    assert search(project, '"på socialförvaltningen"').total == 1
    assert search(project, '"Björn Lindén"').total == 1
