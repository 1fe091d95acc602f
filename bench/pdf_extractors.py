"""Which PDF text extractor to build the PDF reader on: measured, not guessed.

The candidates' own plain-text extraction (pypdfium2, pdfplumber, pypdf, pdfminer.six;
PyMuPDF is out: AGPL) and vinr-qual's reader (pypdfium2 glyphs + `pdf_layout`) are run
on Swedish PDFs generated here (tests/ingest/pdf_fixtures.py):

- reading order on a two-column page, written column by column and written row by row
  across both columns (as some programs write them): right when every source line is
  found in the extraction and in reading order;
- words lost on a 60-page steering document: the words of the source text (running
  headers and footers not counted) missing from the extraction, counted with repeats;
  once with the spaces written as characters, once with every word placed on its own
  and no space characters (as many programs write PDFs), where words run together
  unless the extractor reads the gaps;
- speed: pages per second over the same 60 pages (open and extract, best of 3).

A candidate that is not installed is skipped. Run: `.venv/bin/python
bench/pdf_extractors.py`; results go to bench/results/pdf_extractors.json.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.ingest.pdf_fixtures import (  # noqa: E402
    GUTTER,
    LEFT,
    RIGHT,
    PdfBuilder,
    plain,
    steering_document,
    wrap,
)

PAGES = 60
RUNS = 3
_WORD = re.compile(r"\w+")

Extract = Callable[[Path], str]


def _pypdfium2(path: Path) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(texts)
    finally:
        document.close()


def _pdfplumber(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(str(path)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def _pypdf(path: Path) -> str:
    import pypdf

    reader = pypdf.PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(str(path)))


def _vinr_qual(path: Path) -> str:
    from vinr_qual.ingest.pdf_reader import read_pdf

    return read_pdf(path, str(path)).text


CANDIDATES: dict[str, tuple[str, Extract]] = {
    "pypdfium2": ("pypdfium2", _pypdfium2),
    "pdfplumber": ("pdfplumber", _pdfplumber),
    "pypdf": ("pypdf", _pypdf),
    "pdfminer.six": ("pdfminer", _pdfminer),
    "vinr-qual read_pdf (pypdfium2 + layout)": ("pypdfium2", _vinr_qual),
}


def _installed(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def two_column_document(interleaved: bool) -> tuple[PdfBuilder, list[str]]:
    """A page of two columns under a full-width heading; the source lines in reading
    order."""
    width = (RIGHT - LEFT - GUTTER) / 2
    left = [
        wrap(
            "Samverkan mellan socialtjänsten, polisen och hälso- och sjukvården är en"
            " förutsättning för ett gott stöd till den som utsatts för våld.",
            width,
        ),
        wrap(
            "Kommunen deltar i det regionala nätverket mot våld och bjuder in till"
            " gemensamma utbildningsdagar för personal som möter våldsutsatta.",
            width,
        ),
    ]
    right = [
        wrap(
            "Frivilligorganisationerna är viktiga parter i arbetet och får"
            " föreningsbidrag för sin verksamhet med stödsamtal och jourtelefon.",
            width,
        ),
        wrap(
            "Uppföljningen görs varje år och redovisas för kommunstyrelsen"
            " tillsammans med nyckeltal från socialtjänsten och skolan.",
            width,
        ),
    ]
    builder = PdfBuilder(header="Handlingsplan mot våld", footer="Trollhättans stad")
    builder.heading("3 Samverkan", 1)
    builder.columns(left, right, interleaved=interleaved)
    lines = ["3 Samverkan"] + [line for side in (left, right) for p in side for line in p]
    return builder, lines


def reading_order(text: str, lines: list[str]) -> tuple[bool, int]:
    """Whether every source line is found, in order; and how many stand in order."""
    flat = " ".join(text.split())
    position = 0
    in_order = 0
    for line in lines:
        found = flat.find(" ".join(plain(line).split()), position)
        if found != -1:
            in_order += 1
            position = found
    return in_order == len(lines), in_order


def words_lost(text: str, source_words: list[str]) -> tuple[int, int]:
    source = Counter(word.lower() for word in _WORD.findall(" ".join(source_words)))
    found = Counter(word.lower() for word in _WORD.findall(text))
    lost = sum(max(0, count - found[word]) for word, count in source.items())
    return lost, sum(source.values())


def main() -> None:
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        documents: dict[str, tuple[Path, list[str]]] = {}
        for name, interleaved in (
            ("columns, written by column", False),
            ("columns, written by row", True),
        ):
            builder, lines = two_column_document(interleaved)
            path = builder.save(base / f"{len(documents)}.pdf")
            documents[name] = (path, lines)
        steering = steering_document(PAGES)
        steering_path = steering.save(base / "steering.pdf")
        placed = steering_document(PAGES, word_by_word=True)
        placed_path = placed.save(base / "placed.pdf")
        for name, (module, extract) in CANDIDATES.items():
            if not _installed(module):
                print(f"{name}: not installed, skipped")
                continue
            row: dict[str, object] = {}
            for label, (path, lines) in documents.items():
                right, count = reading_order(extract(path), lines)
                row[label] = (
                    f"{'right' if right else 'wrong'} ({count}/{len(lines)} lines in order)"
                )
            for label, document, path in (
                ("words lost", steering, steering_path),
                ("words lost, words placed one by one", placed, placed_path),
            ):
                lost, total = words_lost(extract(path), document.source_words)
                row[label] = f"{lost} of {total} ({100 * lost / total:.2f} %)"
            times = []
            for _ in range(RUNS):
                start = time.perf_counter()
                extract(steering_path)
                times.append(time.perf_counter() - start)
            row["pages per second"] = round(PAGES / min(times), 1)
            results[name] = row
            print(name, json.dumps(row, ensure_ascii=False))
    out = ROOT / "bench" / "results" / "pdf_extractors.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
