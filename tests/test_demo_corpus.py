"""The demo corpus, built as `make run` builds it: the integration fixture of the suite."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from vinr_qual.cases.municipalities import find_municipality
from vinr_qual.ingest.demo import DEFAULT_CORPUS, build_demo
from vinr_qual.project import Project


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with Project.open(path, create=True) as project:
        _, outcomes = build_demo(project)
        failed = [o.message for o in outcomes if o.status == "failed"]
        assert failed == []
        yield project


def test_every_corpus_file_is_listed_in_the_metadata_and_imported(demo: Project) -> None:
    with (DEFAULT_CORPUS / "documents.csv").open(encoding="utf-8") as handle:
        listed = {row["file"] for row in csv.DictReader(handle)}
    on_disk = {
        path.relative_to(DEFAULT_CORPUS).as_posix()
        for path in DEFAULT_CORPUS.rglob("*")
        if path.suffix in (".txt", ".md", ".docx", ".pdf", ".vtt")
    }
    assert listed == on_disk
    assert demo.db["documents"].count == len(on_disk)
    assert (
        demo.db.execute("SELECT count(*) FROM documents WHERE case_id IS NULL").fetchone()[0] == 0
    )


def test_the_corpus_has_the_breadth_the_analyses_need(demo: Project) -> None:
    cases = [row[0] for row in demo.db.execute("SELECT name FROM cases")]
    assert len(cases) >= 8
    assert all(find_municipality(name) is None for name in cases), "municipalities are fictional"
    counties = {
        row[0] for row in demo.db.execute("SELECT value FROM case_attributes WHERE name = 'län'")
    }
    assert len(counties) >= 8
    kinds = dict(demo.db.execute("SELECT kind, count(*) FROM documents GROUP BY kind").fetchall())
    assert kinds["steering"] >= 3
    formats = dict(
        demo.db.execute(
            "SELECT source_format, count(*) FROM documents WHERE kind = 'interview' GROUP BY 1"
        ).fetchall()
    )
    assert formats["docx"] * 3 >= kinds["interview"], (
        "at least a third of interviews are Word files"
    )
    words = demo.db.execute("SELECT sum(words) FROM documents").fetchone()[0]
    assert 100_000 <= words <= 160_000
    # interviews of real length, steering documents of 8 pages and more
    lengths = demo.db.execute(
        "SELECT name, kind, words, page_starts FROM documents ORDER BY name"
    ).fetchall()
    short = [name for name, kind, count, _ in lengths if kind == "interview" and count < 5_000]
    assert short == [], f"interviews under 5,000 words: {short}"
    pdfs = [json.loads(pages) for _, kind, _, pages in lengths if kind == "steering" and pages]
    assert pdfs and all(len(pages) >= 8 for pages in pdfs)
    speakers = {
        row[0]
        for row in demo.db.execute("SELECT DISTINCT role FROM speakers WHERE role IS NOT NULL")
    }
    for role in ("kommunalråd", "kommunpolis"):
        assert any(role in found.casefold() for found in speakers), role


def test_every_interview_has_an_interviewer_and_a_respondent_with_a_role(demo: Project) -> None:
    rows = demo.db.execute(
        "SELECT d.name, sum(sp.is_interviewer), sum(1 - sp.is_interviewer),"
        " sum(sp.is_interviewer = 0 AND sp.role IS NULL)"
        " FROM documents d JOIN speakers sp ON sp.document_id = d.id"
        " WHERE d.kind = 'interview' GROUP BY d.id"
    ).fetchall()
    interviews = demo.db.execute(
        "SELECT count(*) FROM documents WHERE kind = 'interview'"
    ).fetchone()[0]
    assert len(rows) == interviews
    for name, interviewers, respondents, without_role in rows:
        assert interviewers == 1, name
        assert respondents >= 1, name
        assert without_role == 0, name


def test_turns_and_sentences_cover_the_spoken_text(demo: Project) -> None:
    for document_id, text in demo.db.execute(
        "SELECT id, text FROM documents WHERE kind = 'interview'"
    ).fetchall():
        turns = demo.db.execute(
            'SELECT start, "end", content_start FROM segments'
            " WHERE document_id = ? AND kind = 'turn' ORDER BY start",
            [document_id],
        ).fetchall()
        assert len(turns) >= 40
        for (start, end, content), following in zip(
            turns, [*turns[1:], (len(text), 0, 0)], strict=True
        ):
            assert start < content < end <= following[0]
            assert ":" in text[start:content]
            assert text[content:end].strip() == text[content:end]


def test_the_corpus_speaks_to_the_codebook_themes(demo: Project) -> None:
    text = " ".join(row[0] for row in demo.db.execute("SELECT text FROM documents")).lower()
    for theme in [
        "samverkan",
        "lägesbild",
        "kartläggning",
        "brottsförebyggande",
        "andt",
        "kvinnojour",
        "projektpengar",
        "länsstyrelsen",
        "utbildning",
        "styrgrupp",
        "universell",
        "freda",
        "hänger på",
        "inomhus",
        "utomhus",
        "rekryter",
    ]:
        assert theme in text, theme


def test_the_default_codebook_is_loaded(demo: Project) -> None:
    assert demo.db["codes"].count >= 40
    families = [
        row[0]
        for row in demo.db.execute(
            "SELECT name_en FROM codes WHERE parent_id IS NULL ORDER BY position"
        )
    ]
    assert families[0] == "Success factors" and len(families) == 7
    assert families[-2:] == ["Framing of the violence", "Field"]


def test_building_the_demo_again_imports_nothing(demo: Project) -> None:
    changes = demo.db["changes"].count
    cases, outcomes = build_demo(demo)
    assert cases.created == []
    assert {o.status for o in outcomes} == {"unchanged"}
    assert demo.db["changes"].count == changes


def test_corpus_files_vary_in_conventions() -> None:
    interviews = DEFAULT_CORPUS / "interviews"
    heads = [p.read_text(encoding="utf-8") for p in interviews.glob("*.txt")]
    assert any("[00:" in h and "\nIP:" not in h and "] IP:" in h for h in heads), "time stamps"
    assert any("Respondent 2:" in h for h in heads), "group interview"
    assert len(list(Path(interviews).glob("*.docx"))) >= 5


# ------------------------------------------------- the steering documents made as PDFs

PDF_SOURCES = DEFAULT_CORPUS / "pdf-sources"
BROVALLA = "Brovalla-handlingsplan-vald-i-nara-relationer.pdf"
SJOBERGA = "Sjöberga-gemensam-handlingsplan-trygghet-valdsprevention.pdf"
PDF_PAGES = {BROVALLA: 16, SJOBERGA: 18}


def _document(demo: Project, name: str) -> tuple[int, str, list[int]]:
    row = demo.db.execute(
        "SELECT id, text, page_starts FROM documents WHERE name = ? AND source_format = 'pdf'",
        [name],
    ).fetchone()
    assert row is not None, f"{name} was not imported as a PDF"
    return row[0], row[1], json.loads(row[2])


def _page_of(demo: Project, name: str, passage: str) -> int:
    """The page `docs show` gives the sentence segment that holds `passage`."""
    document_id, text, _ = _document(demo, name)
    start = text.index(passage)
    rows = demo.db.execute(
        "SELECT page FROM segments WHERE document_id = ? AND kind = 'sentence'"
        ' AND start <= ? AND "end" > ?',
        [document_id, start, start],
    ).fetchall()
    assert len(rows) == 1, passage
    return rows[0][0]


def _headings(demo: Project, name: str) -> dict[str, int]:
    document_id, text, _ = _document(demo, name)
    return {
        text[start:end]: page
        for start, end, page in demo.db.execute(
            "SELECT start, \"end\", page FROM segments WHERE document_id = ? AND kind = 'heading'",
            [document_id],
        )
    }


@pytest.mark.parametrize("name", sorted(PDF_PAGES))
def test_the_pdf_steering_documents_import_with_their_pages(demo: Project, name: str) -> None:
    _, text, page_starts = _document(demo, name)
    assert len(page_starts) == PDF_PAGES[name]
    assert page_starts[0] == 0
    assert page_starts == sorted(set(page_starts)), "every page starts after the one before"
    assert page_starts[-1] < len(text)


def test_running_headers_footers_and_page_numbers_are_left_out(demo: Project) -> None:
    _, text, _ = _document(demo, SJOBERGA)
    assert re.search(r"Sida \d+ av \d+", text) is None
    # the running header's title is set in mixed case; the cover page has it in capitals
    assert "Gemensam handlingsplan för trygghet och våldsprevention" not in text
    assert "2025–2027 Sjöberga kommun" not in text
    _, text, _ = _document(demo, BROVALLA)
    assert re.search(r"(?m)^\d{1,2}$", text) is None, "a page number left in the text"


def test_pdf_headings_are_heading_segments_on_their_pages(demo: Project) -> None:
    sjoberga = _headings(demo, SJOBERGA)
    assert sjoberga["1. INLEDNING"] == 3
    assert sjoberga["2.2 Ett sammanhållet synsätt på våld"] == 5  # in the left column
    assert sjoberga["2.3 Förebyggande på tre nivåer"] == 5  # in the right column
    assert sjoberga["3.2 Styrgrupp"] == 8
    assert sjoberga["7. RELATERADE DOKUMENT"] == 16
    brovalla = _headings(demo, BROVALLA)
    assert brovalla["Handlingsplan mot våld i nära relationer 2025–2028"] == 1
    assert brovalla["6. Mål"] == 7
    assert brovalla["8. Aktiviteter"] == 11


def test_the_two_column_page_reads_column_by_column(demo: Project) -> None:
    _, text, page_starts = _document(demo, SJOBERGA)
    # this sentence runs from the foot of the left column to the top of the right one
    across = (
        "Kommunen gör ingen åtskillnad mellan våld som sker i det offentliga rummet och våld"
        " som sker i hemmet när det gäller ansvar och prioritering."
    )
    assert across in text
    assert _page_of(demo, SJOBERGA, across) == 5
    assert "tidig skolfrånvaro" in text, "a word hyphenated at a column's line end is joined"
    order = [
        "2. UTGÅNGSPUNKTER",
        "2.1 Lagar, strategier och överenskommelser",
        "2.2 Ett sammanhållet synsätt på våld",
        across,
        "Insatser som påverkar dessa faktorer gör nytta inom flera områden samtidigt.",
        "2.3 Förebyggande på tre nivåer",
        "2.4 Kommunens brottsförebyggande ansvar enligt lag",  # one column again, next page
        "3. ORGANISATION",
    ]
    positions = [text.index(passage) for passage in order]
    assert positions == sorted(positions)
    assert page_starts[4] == positions[0] and page_starts[5] == positions[-2]


def test_passages_of_the_pdfs_are_on_the_pages_they_were_set_on(demo: Project) -> None:
    assert _page_of(demo, SJOBERGA, "Dokumenttyp | Handlingsplan") == 1
    assert _page_of(demo, SJOBERGA, "Styrgruppen sammanträder sex gånger per år") == 8
    assert _page_of(demo, SJOBERGA, "Underlag samlas in under hösten.") == 10
    assert _page_of(demo, SJOBERGA, "Samtliga högstadieskolor ska arbeta med MVP") == 13
    assert _page_of(demo, BROVALLA, "Mörkertalet bedöms vara stort.") == 5
    assert _page_of(demo, BROVALLA, "Handlingsplanen utvärderas i sin helhet under 2028") == 14


def test_the_brovalla_plan_has_its_goals_and_its_table_of_activities(demo: Project) -> None:
    document_id, text, _ = _document(demo, BROVALLA)
    kinds = dict(
        demo.db.execute(
            "SELECT kind, count(*) FROM segments WHERE document_id = ? GROUP BY kind",
            [document_id],
        ).fetchall()
    )
    assert kinds["goal"] == 29  # the seven goals and their 22 delmål
    assert kinds["table"] >= 2  # the document facts and the activities
    # the ruled table of activities, read row by row; a row split over two lines is whole
    assert "Nr | Aktivitet | Ansvarig | Klart senast" in text
    assert "9 | Teckna avtal om behandling för våldsutövare | Socialchef | 2026-07-01" in text
    assert (
        "6 | Införa rutin för frågor om våld inom ekonomiskt bistånd, missbruk och äldreomsorg"
        " | IFO-chef, äldreomsorgschef | 2026-03-31"
    ) in text
    assert _page_of(demo, BROVALLA, "9 | Teckna avtal om behandling för våldsutövare") == 12
    # a word hyphenated at a line end is joined again
    assert "Handlingsplanen är ett svar på dessa brister." in text


# Passages the PDF reader (ingest/pdf_layout.py) once broke up in these two files, each
# read whole now: a title's line of digits, justified column text, a table cell wrapped
# in the first column, numbered lists with the number set apart from wrapped items.
_WHOLE_PASSAGES = [
    pytest.param(
        SJOBERGA,
        "GEMENSAM HANDLINGSPLAN FÖR TRYGGHET OCH VÅLDSPREVENTION 2025–2027",
        id="p1-title-line-without-letters",
    ),
    pytest.param(
        SJOBERGA,
        "regeringens strategi för ANDTS-politiken samt det nationella brottsförebyggande"
        " programmet Tillsammans mot brott. Lokalt bygger handlingsplanen på"
        " samverkansöverenskommelsen mellan Sjöberga kommun",
        id="p3-justified-column-lines-with-wide-word-spaces",
    ),
    pytest.param(
        SJOBERGA,
        "Enheten för trygghet och våldsprevention | Samordning, lägesbild, uppföljning, metodstöd",
        id="p4-table-cell-wrapped-in-first-column",
    ),
    pytest.param(
        BROVALLA,
        "1. Kommunen har en aktuell bild av våldet. En kartläggning av våld i nära relationer"
        " genomförs varje år",
        id="p2-numbered-list-with-wrapped-items",
    ),
    pytest.param(
        BROVALLA,
        "7. Arbetet samordnas med det brottsförebyggande arbetet. Våld i nära relationer ingår"
        " i kommunens gemensamma lägesbild",
        id="p3-justified-list-item-half-bold",
    ),
    pytest.param(
        BROVALLA,
        "Strukturerade riskbedömningar med FREDA görs i samtliga ärenden.",
        id="p2-3-list-item-over-a-page-break",
    ),
    pytest.param(
        SJOBERGA,
        "1. Invånarna ska vara och känna sig trygga i det offentliga rummet och i sina hem.",
        id="p6-numbered-list",
    ),
]


@pytest.mark.parametrize(("name", "passage"), _WHOLE_PASSAGES)
def test_passages_of_the_pdfs_are_read_whole(demo: Project, name: str, passage: str) -> None:
    _, text, _ = _document(demo, name)
    assert passage in text


def test_no_list_item_or_justified_line_of_the_pdfs_is_read_as_a_table(demo: Project) -> None:
    for name, tables in ((SJOBERGA, 14), (BROVALLA, 13)):
        document_id, text, _ = _document(demo, name)
        rows = [
            text[start:end]
            for start, end in demo.db.execute(
                "SELECT start, \"end\" FROM segments WHERE document_id = ? AND kind = 'table'",
                [document_id],
            )
        ]
        assert len(rows) == tables, name  # the facts on page 1 and the ruled tables, by page
        assert re.search(r"(?m)^\(?(?:\d{1,2}|[a-z])[.)] \|", text) is None, name


def _page_texts(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def test_the_pdfs_are_built_from_their_sources(tmp_path: Path) -> None:
    """Rebuilt from corpus/pdf-sources, each PDF holds the same text page by page as the
    committed one (the bytes differ with the reportlab and DejaVu versions)."""
    if importlib.util.find_spec("reportlab") is None:
        pytest.skip("reportlab is not installed (a test dependency): cannot rebuild the PDFs")
    spec = importlib.util.spec_from_file_location("build_pdfs", PDF_SOURCES / "build_pdfs.py")
    assert spec is not None and spec.loader is not None
    build_pdfs = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = build_pdfs  # its dataclasses look their module up
    try:
        spec.loader.exec_module(build_pdfs)
    finally:
        del sys.modules[spec.name]
    for font in build_pdfs.FONT_FILES.values():
        try:
            build_pdfs.find_font(font)
        except SystemExit:
            folders = ", ".join(str(folder) for folder in build_pdfs.FONT_FOLDERS)
            pytest.skip(
                f"the DejaVu Sans font {font} is not installed (looked in {folders} and"
                " with fc-list): cannot rebuild the PDFs"
            )
    result = subprocess.run(
        [sys.executable, str(PDF_SOURCES / "build_pdfs.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    built = sorted(path.name for path in tmp_path.glob("*.pdf"))
    assert built == sorted(PDF_PAGES)
    for name in built:
        committed = _page_texts(DEFAULT_CORPUS / "styrdokument" / name)
        rebuilt = _page_texts(tmp_path / name)
        assert len(rebuilt) == len(committed) == PDF_PAGES[name], name
        for number, (new, old) in enumerate(zip(rebuilt, committed, strict=True), start=1):
            assert new == old, (
                f"{name}, page {number}: its text differs from what"
                " corpus/pdf-sources/build_pdfs.py builds; run it again"
            )
