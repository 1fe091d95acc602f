"""Build the PDF steering documents of the demo corpus from their text sources here.

    python corpus/pdf-sources/build_pdfs.py [--out FOLDER]

writes `<stem>.pdf` for every `<stem>.md.in` / `<stem>.txt.in` in this folder listed in
DOCUMENTS, into corpus/styrdokument/ (or FOLDER). The sources carry a `.in` suffix so
that the demo import, which reads every .md and .txt under corpus/, leaves them alone.
The output is deterministic (reportlab's invariant mode): the same sources, reportlab
version and font files give the same bytes on every run, which
tests/test_demo_corpus.py checks.

The markup of the sources, one block per paragraph (blocks are separated by blank lines):

    # Titel                      the document's title (level 1)
    ## 1. Kapitel                a chapter heading, ### 1.1 Avsnitt a section heading
    1. text / a) text / - text   list items, one per line
    | cell | cell |              table rows; a row |---|---| after the first makes it the
                                 header row (bold, shaded, repeated on a new page)
    **fet**                      bold text inside a paragraph, list item or cell
    ::: ny sida                  the next block starts a new page
    ::: två spalter              the blocks up to `::: en spalt` are set in two columns

Any other block is a paragraph; its lines are joined with spaces.

The text is set in DejaVu Sans, embedded, found among the system's fonts (it prints
å ä ö é – and § properly); without it the build stops and says so.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BalancedColumns,
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "styrdokument"
FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FONT_FILES = {FONT: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
FONT_FOLDERS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 2.5 * cm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN

# Where long compounds may break at a line end, as a Swedish hyphenation dictionary
# would allow; used for the justified text of the documents that ask for it.
BREAKS = [
    "anmälnings-statistik",
    "ansvars-fördelning",
    "bistånds-handläggning",
    "brotts-före-byggande",
    "folk-hälso-politiska",
    "funktions-ned-sättning",
    "för-hindra",
    "före-bygga",
    "före-skrifter",
    "förvaltnings-cheferna",
    "gemen-samma",
    "hand-lings-planen",
    "hög-stadie-skolor",
    "indi-kerad",
    "kart-lägg-ningen",
    "kommu-nens",
    "kommu-ners",
    "kommun-över-gripande",
    "kunskaps-baserat",
    "lokal-polis-området",
    "maskuli-nitet",
    "natio-nella",
    "offent-liga",
    "priori-tering",
    "rege-ringens",
    "resur-serna",
    "risk-faktorer",
    "samman-hållet",
    "samordnings-funktion",
    "samverkans-över-enskommelse",
    "skol-frånvaro",
    "social-styrelsens",
    "social-tjänst-lagen",
    "social-tjänsten",
    "strate-gier",
    "tillsam-mans",
    "univer-sell",
    "univer-sella",
    "uppdrags-beskrivning",
    "utbildnings-förvaltningen",
    "utbildnings-insatser",
    "vuxen-närvaro",
    "vålds-före-byggande",
    "åt-skillnad",
    "överens-kommelser",
]


@dataclass(frozen=True)
class Document:
    source: str  # file name in this folder
    title: str  # the PDF's title, and the running header's
    author: str
    running_header: bool  # title and municipality at the head, "Sida N av M" at the foot
    hyphenate: bool  # justified body text, long compounds broken at line ends


DOCUMENTS = [
    Document(
        source="Brovalla-handlingsplan-vald-i-nara-relationer.md.in",
        title="Handlingsplan mot våld i nära relationer 2025–2028",
        author="Brovalla kommun",
        running_header=False,
        hyphenate=True,
    ),
    Document(
        source="Sjöberga-gemensam-handlingsplan-trygghet-valdsprevention.txt.in",
        title="Gemensam handlingsplan för trygghet och våldsprevention 2025–2027",
        author="Sjöberga kommun",
        running_header=True,
        hyphenate=False,
    ),
]


# ---------------------------------------------------------------------------- fonts


def find_font(name: str) -> Path:
    """The system's copy of a DejaVu font file, or SystemExit saying none was found."""
    for folder in FONT_FOLDERS:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    if shutil.which("fc-list"):
        listed = subprocess.run(
            ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, check=False
        ).stdout.splitlines()
        for found in sorted(listed):
            if Path(found).name == name:
                return Path(found)
    raise SystemExit(
        f"build_pdfs.py: the font {name} (DejaVu Sans) is not installed; install it"
        " (Debian/Ubuntu: apt-get install fonts-dejavu-core) and run again"
    )


def register_fonts() -> None:
    for font, file_name in FONT_FILES.items():
        if font not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(font, str(find_font(file_name))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


# ---------------------------------------------------------------------------- markup


@dataclass
class Block:
    kind: str  # heading, paragraph, item, table, page, columns, end-columns
    text: str = ""
    level: int = 0
    label: str = ""
    rows: list[list[str]] | None = None
    header: bool = False


_ITEM = re.compile(r"^(\d{1,2}\.|[a-z]\)|-)\s+(.*)$")
_RULE_ROW = re.compile(r"^\|(\s*:?-{3,}:?\s*\|)+$")


def parse(source: str) -> list[Block]:
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", source.strip()):
        lines = [line.rstrip() for line in chunk.strip().splitlines()]
        first = lines[0]
        if first == "::: ny sida":
            blocks.append(Block("page"))
        elif first == "::: två spalter":
            blocks.append(Block("columns"))
        elif first == "::: en spalt":
            blocks.append(Block("end-columns"))
        elif first.startswith("#"):
            marks, _, text = first.partition(" ")
            blocks.append(Block("heading", text.strip(), level=len(marks)))
        elif first.startswith("|"):
            rows = [_cells(line) for line in lines if not _RULE_ROW.match(line)]
            header = len(lines) > 1 and bool(_RULE_ROW.match(lines[1]))
            blocks.append(Block("table", rows=rows, header=header))
        elif _ITEM.match(first):
            for line in lines:
                match = _ITEM.match(line)
                if match is None:
                    raise ValueError(f"a list line that is not an item: {line!r}")
                label = "•" if match.group(1) == "-" else match.group(1)
                blocks.append(Block("item", match.group(2), label=label))
        else:
            blocks.append(Block("paragraph", " ".join(lines)))
    return blocks


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def inline(text: str) -> str:
    """Markup to reportlab's paragraph markup: escaped, with **fet** in bold."""
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escape(text))


# -------------------------------------------------------------------- hyphenation


def _hyphenation_points() -> dict[str, list[int]]:
    """Each entry without its hyphens: where it may break, the longest first part first;
    the longest entries first, so that the word matched is the longest that fits."""
    return {
        entry.replace("-", ""): [len(part) for part in _prefixes(entry.split("-"))]
        for entry in sorted(BREAKS, key=len, reverse=True)
    }


def _prefixes(parts: list[str]) -> Iterator[str]:
    for end in range(len(parts) - 1, 0, -1):
        yield "".join(parts[:end])


_POINTS = _hyphenation_points()


def hyphenator(word: str) -> list[tuple[str, str]]:
    """Where `word` may break, longest first part first (reportlab's hyphenator call)."""
    lowered = word.lower()
    for base, points in _POINTS.items():  # the longest entry first
        if lowered.startswith(base) and len(lowered) - len(base) <= 3:
            return [(word[:point], word[point:]) for point in points]
    return []


# -------------------------------------------------------------------------- styles


def styles(document: Document) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=10,
        leading=14,
        spaceAfter=6,
        alignment=TA_JUSTIFY if document.hyphenate else TA_LEFT,
        hyphenationLang=hyphenator if document.hyphenate else "",
        hyphenationMinWordLength=8,
    )
    return {
        "body": body,
        "column": ParagraphStyle(
            "column", parent=body, alignment=TA_JUSTIFY, hyphenationLang=hyphenator
        ),
        "item": ParagraphStyle("item", parent=body, leftIndent=18, bulletIndent=0, spaceAfter=3),
        "h1": ParagraphStyle(
            "h1", fontName=BOLD, fontSize=20, leading=25, spaceAfter=14, alignment=TA_LEFT
        ),
        "h2": ParagraphStyle(
            "h2", fontName=BOLD, fontSize=14, leading=18, spaceBefore=14, spaceAfter=6
        ),
        "h3": ParagraphStyle(
            "h3", fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4
        ),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12),
        "head-cell": ParagraphStyle("head-cell", fontName=BOLD, fontSize=9, leading=12),
    }


# ------------------------------------------------------------------------- layout


def flowables(blocks: list[Block], style: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = []
    columns: list[Flowable] | None = None
    for block in blocks:
        target = story if columns is None else columns
        body = style["body"] if columns is None else style["column"]
        if block.kind == "page":
            story.append(PageBreak())
        elif block.kind == "columns":
            columns = []
        elif block.kind == "end-columns":
            assert columns is not None, "::: en spalt without ::: två spalter"
            story.append(BalancedColumns(columns, nCols=2, innerPadding=0.8 * cm))
            columns = None
        elif block.kind == "heading":
            target.append(Paragraph(inline(block.text), style[f"h{min(block.level, 3)}"]))
        elif block.kind == "item":
            target.append(Paragraph(inline(block.text), style["item"], bulletText=block.label))
        elif block.kind == "table":
            assert block.rows is not None
            target.append(_table(block.rows, block.header, style))
            target.append(Spacer(1, 8))
        else:
            target.append(Paragraph(inline(block.text), body))
    assert columns is None, "::: två spalter without ::: en spalt"
    return story


def _table(rows: list[list[str]], header: bool, style: dict[str, ParagraphStyle]) -> Table:
    cells = [
        [
            Paragraph(inline(text), style["head-cell" if header and index == 0 else "cell"])
            for text in row
        ]
        for index, row in enumerate(rows)
    ]
    table = Table(
        cells, colWidths=_column_widths(rows), repeatRows=1 if header else 0, hAlign="LEFT"
    )
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#6b6b6b")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e8ee")))
    table.setStyle(TableStyle(commands))
    return table


def _column_widths(rows: list[list[str]]) -> list[float]:
    """Every column as wide as its longest cell when they all fit; otherwise the columns
    whose longest cell takes under two fifths of the width keep it, and the others share
    what is left by their longest cells."""
    count = max(len(row) for row in rows)
    longest = [
        max(_text_width(row[i] if i < len(row) else "") for row in rows) + 14 for i in range(count)
    ]
    if sum(longest) <= TEXT_WIDTH:
        return [width * TEXT_WIDTH / sum(longest) for width in longest]
    narrow = [width < 0.4 * TEXT_WIDTH for width in longest]
    room = TEXT_WIDTH - sum(w for w, keep in zip(longest, narrow, strict=True) if keep)
    wide = sum(w for w, keep in zip(longest, narrow, strict=True) if not keep)
    return [w if keep else w * room / wide for w, keep in zip(longest, narrow, strict=True)]


def _text_width(text: str) -> float:
    plain = text.replace("**", "")
    return pdfmetrics.stringWidth(plain, BOLD if text.startswith("**") else FONT, 9)


def _page_decoration(document: Document, total: int) -> Callable[[Canvas, SimpleDocTemplate], None]:
    def decorate(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        page = canvas.getPageNumber()
        if document.running_header:
            top = PAGE_HEIGHT - 1.5 * cm
            canvas.setFont(FONT, 8)
            canvas.drawString(MARGIN, top, document.title)
            canvas.drawRightString(PAGE_WIDTH - MARGIN, top, document.author)
            canvas.setLineWidth(0.4)
            canvas.line(MARGIN, top - 4, PAGE_WIDTH - MARGIN, top - 4)
            canvas.line(MARGIN, 1.6 * cm, PAGE_WIDTH - MARGIN, 1.6 * cm)
            canvas.drawCentredString(PAGE_WIDTH / 2, 1.1 * cm, f"Sida {page} av {total}")
        else:
            canvas.setFont(FONT, 9)
            canvas.drawCentredString(PAGE_WIDTH / 2, 1.3 * cm, str(page))
        canvas.restoreState()

    return decorate


def render(document: Document) -> bytes:
    """The document's PDF; laid out twice, the second time knowing the page count."""
    register_fonts()
    style = styles(document)
    blocks = parse((HERE / document.source).read_text(encoding="utf-8"))
    total = 0
    for _ in range(2):
        out = io.BytesIO()
        doc = SimpleDocTemplate(
            out,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=2.5 * cm,
            bottomMargin=2.3 * cm,
            title=document.title,
            author=document.author,
            subject="Styrdokument",
            creator="vinr-qual corpus/pdf-sources/build_pdfs.py",
            producer="ReportLab",
            lang="sv-SE",
            invariant=1,
        )
        decorate = _page_decoration(document, total)
        doc.build(flowables(blocks, style), onFirstPage=decorate, onLaterPages=decorate)
        total = doc.page
    return out.getvalue()


def output_name(document: Document) -> str:
    return document.source.removesuffix(".in").rsplit(".", 1)[0] + ".pdf"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write to")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for document in DOCUMENTS:
        target = args.out / output_name(document)
        target.write_bytes(render(document))
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
