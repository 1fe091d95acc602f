"""The Word importer against real-world .docx files from other projects' test suites.

The files live in the shared data folder (`docx-robustness/`, see its README and
`docx-features.csv`); they are read in place and never copied into this repository. The
bar: no file crashes the reader, every refusal names the file and a reason, and every
paragraph of body text that python-docx sees is in the imported text.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import docx
import pytest

from tests.conftest import shared_path
from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.check import check_file
from vinr_qual.ingest.readers import read_source

FOLDER = shared_path("data/docx-robustness")

FILES = sorted(FOLDER.rglob("*.docx"))
IDS = [str(path.relative_to(FOLDER)) for path in FILES]

# python-docx's `paragraph.text` skips inline content controls, so where a checkbox stands
# it reads "[my checked][my checked]" while the importer keeps "[my checked]☒[my checked]".
CHECKBOX_GLYPHS = str.maketrans("", "", "☐☒☑")


def collapsed(text: str) -> str:
    """Whitespace runs made one space; NFC, as the importer normalises every text."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def python_docx_paragraphs(path: Path) -> list[str] | None:
    """The non-empty body paragraphs python-docx reads, or None if it cannot open the file."""
    try:
        document = docx.Document(str(path))
    except Exception:
        return None
    return [text for paragraph in document.paragraphs if (text := collapsed(paragraph.text))]


def test_the_folder_has_files() -> None:
    assert FILES, f"no .docx files under {FOLDER}"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_file_is_read_or_refused_with_a_reason(path: Path) -> None:
    report = check_file(path)
    assert report.status != "crashed", report.message
    if report.status == "refused":
        prefix = f"{path}: "
        assert report.message.startswith(prefix), report.message
        assert report.message[len(prefix) :].strip(), f"no reason given: {report.message!r}"
        assert "\n" not in report.message
    else:
        assert report.words > 0


def read_or_none(path: Path, expected: list[str]) -> str | None:
    """The imported text, collapsed; None for a refusal, which is right only when
    python-docx finds no body text either."""
    try:
        return collapsed(read_source(path).text)
    except ImportRefused as error:
        assert not expected, (
            f"refused, though python-docx reads {len(expected)} paragraphs: {error}"
        )
        assert "no text" in str(error)
        return None


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_every_body_paragraph_python_docx_sees_is_imported(path: Path) -> None:
    expected = python_docx_paragraphs(path)
    if expected is None:
        pytest.skip("python-docx itself cannot open this file")
    imported = read_or_none(path, expected)
    if imported is None:
        return
    without_glyphs = collapsed(imported.translate(CHECKBOX_GLYPHS))
    missing = [p for p in expected if p not in imported and p not in without_glyphs]
    assert not missing, f"{len(missing)} of {len(expected)} paragraphs missing: {missing[:5]}"


def _cell_paragraphs(tables: list) -> list[str]:
    texts = []
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                texts.extend(collapsed(paragraph.text) for paragraph in cell.paragraphs)
                texts.extend(_cell_paragraphs(cell.tables))
    return [text for text in texts if text]


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_every_table_cell_paragraph_python_docx_sees_is_imported(path: Path) -> None:
    try:
        document = docx.Document(str(path))
    except Exception:
        pytest.skip("python-docx itself cannot open this file")
    expected = _cell_paragraphs(document.tables)
    imported = read_or_none(path, expected)
    if imported is None:
        return
    missing = [paragraph for paragraph in expected if paragraph not in imported]
    assert not missing, f"{len(missing)} of {len(expected)} cell paragraphs missing: {missing[:5]}"


def test_strict_ooxml_is_refused_naming_strict() -> None:
    [path] = [path for path in FILES if path.name == "strict.docx"]
    report = check_file(path)
    assert report.status == "refused"
    assert report.message.startswith(f"{path}: ")
    assert "Strict" in report.message
