"""The YAML codebook: read whole, every problem reported with its line, ids written back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_text
from vinr_qual.codebook.model import normal_id
from vinr_qual.codebook.yaml_file import CodebookError, load_codebook, write_missing_ids


def test_every_field_is_read(codebook_file: Path) -> None:
    book = load_codebook(codebook_file)
    assert (book.name, book.language) == ("Testkodbok", "sv")
    family = book.codes[0]
    assert (family.name, family.name_en, family.codable, family.color) == (
        "Framgångsfaktorer",
        "Success factors",
        False,
        "#2A9D8F",
    )
    lead = family.children[0]
    assert lead.shortcut == "l"
    assert lead.use_when and lead.use_when.startswith("När någon beskriver")
    assert lead.not_when == "Politikens ambitioner; använd Politiska ambitioner."
    assert lead.examples == ["Kommundirektören frågar efter lägesbilden varje månad."]
    assert lead.rules is not None
    assert lead.rules.as_dict() == {
        "unit": "sentence",
        "keywords": ["kommundirektör"],
        "lemmas": ["prioritera"],
        "phrases": ["högt på agendan"],
        "patterns": [r"\bledning\w*"],
        "fuzzy": 90,
    }
    assert [code.name for code, _, _ in book.walk()] == [
        "Framgångsfaktorer",
        "Ledningens prioritering",
        "Intern samverkan",
        "Hinder",
        "Knappa resurser",
    ]


def test_ids_are_written_back_once_keeping_comments(codebook_file: Path) -> None:
    original = (
        codebook_file.read_text(encoding="utf-8")
        + "  - name: Lång\n    definition: "
        + ("ord " * 60).strip()
        + "\n"
    )
    codebook_file.write_text(original, encoding="utf-8")
    assert write_missing_ids(codebook_file) == 6
    text = codebook_file.read_text(encoding="utf-8")
    without_ids = "".join(
        line for line in text.splitlines(keepends=True) if not line.strip().startswith("id:")
    )
    assert without_ids == original, "only id lines are added; nothing is re-wrapped"
    assert "# Testkodbok för vinr-qual" in text
    assert "# behåll den här kommentaren" in text
    ids = [
        line.split("id:")[1].strip() for line in text.splitlines() if line.strip().startswith("id:")
    ]
    assert len(ids) == 6 and all(normal_id(i) == i for i in ids)
    assert write_missing_ids(codebook_file) == 0
    assert codebook_file.read_text(encoding="utf-8") == text
    assert [c.id for c, _, _ in load_codebook(codebook_file).walk()] == ids


BROKEN = """\
codebook:
  name: Trasig
  author: någon
codes:
  - name: Ett
    id: 0b8c6f52-51a4-4c1b-9f1a-1f0c2a3e4d5f
    shortcut: a
    color: röd
    defintion: stavfel
  - name: "  "
    shortcut: a
    codes:
      - name: Två
        id: 0b8c6f52-51a4-4c1b-9f1a-1f0c2a3e4d5f
        rules:
          unit: mening
          patterns: ['(ohörbart']
          fuzzy: 150
  - name: Tre
    id: inte-en-guid
    codable: kanske
"""


def test_every_problem_is_reported_at_once_with_its_line(tmp_path: Path) -> None:
    path = write_text(tmp_path / "trasig.yaml", BROKEN)
    with pytest.raises(CodebookError) as error:
        load_codebook(path)
    found = {(p.line, p.message.split(" (")[0].split(":")[0]) for p in error.value.problems}
    assert found == {
        (3, "unknown field 'author' in codebook"),
        (8, "colour 'röd' is not #RRGGBB"),
        (9, "unknown field 'defintion'"),
        (10, "a code needs a non-empty `name`"),
        (11, "duplicate shortcut 'a'"),
        (14, "duplicate id 0b8c6f52-51a4-4c1b-9f1a-1f0c2a3e4d5f"),
        (16, "unit 'mening' is not one of sentence, turn, paragraph"),
        (17, "pattern '(ohörbart'"),
        (18, "fuzzy should be a whole number from 0 to 100"),
        (20, "id 'inte-en-guid' is not a GUID"),
        (21, "codable should be true or false"),
    }
    message = str(error.value)
    assert message.splitlines()[0] == f"{path}: 11 problems in the codebook"
    assert f"{path}:9: unknown field 'defintion' (did you mean 'definition'?)" in message
    assert f"{path}:11: duplicate shortcut 'a' (first on line 7)" in message


def test_a_code_inside_itself_is_reported(tmp_path: Path) -> None:
    same = "6f1c1d5e-2b1a-4c3d-8e9f-0a1b2c3d4e5f"
    path = write_text(
        tmp_path / "cykel.yaml",
        f"codes:\n  - name: A\n    id: {same}\n    codes:\n      - name: B\n        id: {same}\n",
    )
    with pytest.raises(CodebookError, match=r"cykel\.yaml:6: code 'B' is inside itself"):
        load_codebook(path)


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = write_text(tmp_path / "fel.yaml", "codes:\n  - name: A\n    definition: [öppen\n  - x\n")
    with pytest.raises(CodebookError) as error:
        load_codebook(path)
    [problem] = error.value.problems
    assert problem.message.startswith("not valid YAML")
    assert problem.line >= 3


def test_a_broken_file_is_left_untouched(tmp_path: Path) -> None:
    path = write_text(tmp_path / "trasig.yaml", BROKEN)
    from vinr_qual.exchange.codebook_files import read_codebook_file

    with pytest.raises(CodebookError):
        read_codebook_file(path)
    assert path.read_text(encoding="utf-8") == BROKEN


def test_the_shipped_default_codebook_is_valid_and_rich() -> None:
    from tests.conftest import REPO

    book = load_codebook(REPO / "codebooks" / "vinr.yaml")
    codes = [code for code, _, _ in book.walk()]
    assert len(codes) >= 40
    assert all(code.id for code in codes), "ids are committed with the codebook"
    assert all(code.definition and code.examples for code in codes)
    assert all(code.name_en for code in codes)
    families = {code.name_en for code in book.codes}
    for family in ("Success factors", "Coordination with crime prevention"):
        assert any(family.lower() in (name or "").lower() for name in families), family
