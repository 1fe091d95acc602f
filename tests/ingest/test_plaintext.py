"""Plain text and Markdown: encodings told right, text normalised once, paragraphs found."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import write_text
from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.readers import read_source

SWEDISH = (
    "Våld i nära relationer: samverkan är svår för små kommuner.\n\n"
    "Åtgärder för ökad trygghet i Älvhamn.\n"
)


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
        ("cp1252", b"", "cp1252"),
        ("latin-1", b"", "cp1252"),
    ],
)
def test_every_encoding_reads_as_the_same_swedish_text(
    tmp_path: Path, encoding: str, prefix: bytes, expected: str
) -> None:
    path = tmp_path / "intervju.txt"
    path.write_bytes(prefix + SWEDISH.encode(encoding))
    parsed = read_source(path)
    assert parsed.text == SWEDISH
    assert parsed.encoding == expected
    assert "ä" in parsed.text and "Å" in parsed.text


def test_utf16_without_a_byte_order_mark_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "utan-bom.txt"
    path.write_bytes(SWEDISH.encode("utf-16-le"))
    assert read_source(path).text == SWEDISH


def test_text_is_normalised_once_crlf_bom_and_nfc(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Kvinnofrid i Håbo\r\n\r\nÖversyn\r\n")
    path = tmp_path / "nfd.txt"
    path.write_bytes(codecs.BOM_UTF8 + decomposed.encode("utf-8"))
    parsed = read_source(path)
    assert parsed.text == "Kvinnofrid i Håbo\n\nÖversyn\n"
    assert unicodedata.is_normalized("NFC", parsed.text)


def test_paragraphs_are_runs_of_lines_between_blank_lines(tmp_path: Path) -> None:
    text = "Första stycket\nfortsätter här.\n\n\nAndra stycket.\n  \nTredje.\n"
    parsed = read_source(write_text(tmp_path / "stycken.txt", text))
    assert [parsed.text[b.start : b.end] for b in parsed.blocks] == [
        "Första stycket\nfortsätter här.",
        "Andra stycket.",
        "Tredje.",
    ]


def test_a_text_without_blank_lines_has_a_paragraph_per_line(tmp_path: Path) -> None:
    parsed = read_source(write_text(tmp_path / "rader.txt", "Rad ett.\nRad två.\nRad tre."))
    assert [parsed.text[b.start : b.end] for b in parsed.blocks] == [
        "Rad ett.",
        "Rad två.",
        "Rad tre.",
    ]


def test_markdown_headings_tables_and_paragraphs(tmp_path: Path) -> None:
    text = (
        "# Handlingsplan mot våld\n\nInledande text.\n\n## 2. Mål\n"
        "Målen följs upp.\n\n| Aktivitet | Ansvar |\n|---|---|\n| Kartläggning | Socialchef |\n"
    )
    parsed = read_source(write_text(tmp_path / "plan.md", text))
    shown = [(b.kind, b.level, parsed.text[b.start : b.end]) for b in parsed.blocks]
    assert shown[0] == ("heading", 1, "Handlingsplan mot våld")
    assert shown[1] == ("paragraph", None, "Inledande text.")
    assert shown[2] == ("heading", 2, "2. Mål")
    assert shown[3] == ("paragraph", None, "Målen följs upp.")
    assert shown[4][2].startswith("| Aktivitet") and shown[4][2].endswith("| Socialchef |")
    assert len(parsed.tables) == 1
    assert parsed.text == text, "Markdown is stored as written so positions match the file"


def test_an_empty_file_is_refused_by_name(tmp_path: Path) -> None:
    path = write_text(tmp_path / "tom.txt", "")
    with pytest.raises(ImportRefused, match=r"tom\.txt: the file is empty"):
        read_source(path)
    blank = write_text(tmp_path / "blank.txt", " \n\n \n")
    with pytest.raises(ImportRefused, match="empty"):
        read_source(blank)


def test_a_binary_file_named_txt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bild.txt"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ImportRefused, match=r"bild\.txt: binary content"):
        read_source(path)
    no_nul = tmp_path / "brus.txt"
    no_nul.write_bytes(bytes(b for b in range(1, 256)) * 40)
    with pytest.raises(ImportRefused, match="binary content"):
        read_source(no_nul)


def test_a_broken_utf16_file_is_refused_with_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "trasig.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "Hej".encode("utf-16-le") + b"\x00\xd8")
    with pytest.raises(ImportRefused, match=r"trasig\.txt: not valid UTF-16-LE at byte"):
        read_source(path)


def test_unknown_formats_are_refused_with_the_formats_we_read(tmp_path: Path) -> None:
    path = write_text(tmp_path / "rapport.pages", "PK")
    with pytest.raises(ImportRefused, match=r"\.pages is not a format .*\.docx"):
        read_source(path)
