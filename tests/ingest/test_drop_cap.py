"""A drop cap does not split its word, in plain text or in Word."""

from __future__ import annotations

from pathlib import Path

import docx

from tests.conftest import write_text
from vinr_qual.ingest.readers import read_source


def paragraphs(path: Path) -> list[str]:
    parsed = read_source(path)
    return [parsed.text[block.start : block.end] for block in parsed.blocks]


def test_plain_text_drop_cap_is_joined(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "plan.txt",
        "Handlingsplan\n\nD\n\nrop cap är ett stort första tecken.\n\nI\n\nKommunen finns.\n",
    )
    parsed = read_source(path)
    assert paragraphs(path) == [
        "Handlingsplan",
        "Drop cap är ett stort första tecken.",
        "I",
        "Kommunen finns.",
    ], "a capital after the letter is a new paragraph, not a drop cap"
    assert parsed.text.startswith("Handlingsplan\n\nDrop cap är")
    assert parsed.notes == [
        "1 drop cap (a paragraph of one letter) was joined to the word it begins"
    ]


def test_drop_cap_in_a_file_without_blank_lines(tmp_path: Path) -> None:
    path = write_text(tmp_path / "rader.txt", "V\nåld i nära relationer.\nNästa rad.\n")
    assert paragraphs(path) == ["Våld i nära relationer.", "Nästa rad."]


def test_word_drop_cap_is_joined(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Inledning")
    document.add_paragraph("D")
    document.add_paragraph("en här planen gäller 2026–2028.")
    document.add_paragraph("I")
    document.add_paragraph(" kommunen bor 9 000 personer.")
    document.add_paragraph("Sista stycket.")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    parsed = read_source(path)
    assert paragraphs(path) == [
        "Inledning",
        "Den här planen gäller 2026–2028.",
        "I kommunen bor 9 000 personer.",
        "Sista stycket.",
    ]
    assert "2 drop caps joined to the word they begin" in parsed.notes
    assert parsed.text == (
        "Inledning\n\nDen här planen gäller 2026–2028.\n\nI kommunen bor 9 000 personer."
        "\n\nSista stycket."
    )
