"""Build PDF files for the tests and benchmarks, with reportlab, line by line.

Every line is placed where the builder says, so a test knows the exact line breaks (and
so the hyphenation at line ends), the running headers and footers, the page of every
passage, and the body text in reading order (`PdfBuilder.source_words`), against which
what an extractor reads can be compared.

Markup inside a line: `**fet**` is set in bold, `^1` is a raised footnote marker.

Besides paragraphs, headings, tables, columns and footnotes, the builder sets justified
text (`justified`: every word space of a line stretched alike, as Word, InDesign and
LibreOffice do), numbered lists with the number set apart and the wrapped lines hanging
indented (`numbered`), tables whose cells wrap onto further lines (`table(wrap=True)`)
and headings over several lines (`heading` given a list).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 70.0
RIGHT = PAGE_WIDTH - 70.0
TOP = PAGE_HEIGHT - 80.0  # the first baseline of the body
BOTTOM = 80.0  # no body baseline below this
BODY_FONT = "Helvetica"
BOLD_FONT = "Helvetica-Bold"
BODY_SIZE = 10.5
LEADING = 14.0
PARAGRAPH_GAP = 8.0
HEADING_SIZES = {1: 16.0, 2: 13.0, 3: 10.5}  # level 3 is bold at body size
NOTE_SIZE = 8.0
NOTE_LEADING = 10.0
GUTTER = 24.0
HEADER_Y = PAGE_HEIGHT - 40.0
FOOTER_Y = 36.0

_MARKUP = re.compile(r"(\*\*.+?\*\*|\^\d+)")


def wrap(text: str, width: float, size: float = BODY_SIZE, font: str = BODY_FONT) -> list[str]:
    """Greedy line breaking of plain text at spaces."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def plain(line: str) -> str:
    """A marked-up line as the reader sees its words: bold marks and markers gone."""
    return re.sub(r"\^\d+", "", line).replace("**", "")


@dataclass
class _Line:
    text: str  # with markup
    x: float
    y: float
    size: float
    bold: bool = False
    width: float | None = None  # justified: the words spread to fill this width


@dataclass
class _Page:
    lines: list[_Line] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    image: bool = False
    words: list[str] = field(default_factory=list)  # the body words, in reading order
    draw_order: list[int] | None = None  # the order the lines are written in, if not listed


class PdfBuilder:
    """A document laid out top to bottom; pages break when the body is full."""

    def __init__(
        self,
        *,
        header: str | None = None,
        footer: str | None = None,
        page_number: str | None = "{page}",
        header_from_page: int = 1,
        word_by_word: bool = False,
    ) -> None:
        """`word_by_word` places every word on its own, with no space characters between
        them, as many programs write PDFs: only the gaps tell where words end."""
        self.header = header
        self.footer = footer
        self.page_number = page_number
        self.header_from_page = header_from_page
        self.word_by_word = word_by_word
        self.pages: list[_Page] = [_Page()]
        self.y = TOP

    # ----------------------------------------------------------------- layout helpers

    @property
    def page(self) -> _Page:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(_Page())
        self.y = TOP

    def _room(self, height: float) -> None:
        reserved = len(self.page.notes) * NOTE_LEADING + (12 if self.page.notes else 0)
        if self.y - height < BOTTOM + reserved:
            self.new_page()

    def _record(self, text: str) -> None:
        self.page.words.extend(plain(text).split())

    @property
    def source_words(self) -> list[str]:
        """The body words in reading order (headers, footers and note numbers aside)."""
        return [word for page in self.pages for word in page.words]

    # ----------------------------------------------------------------------- content

    def heading(self, text: str | Sequence[str], level: int = 1) -> None:
        """A heading; given a list, its lines one under the other (a two-line title)."""
        size = HEADING_SIZES[level]
        lines = [text] if isinstance(text, str) else list(text)
        self._room(size * (1.2 * len(lines) + 1) + LEADING)
        if self.y < TOP:
            self.y -= size * 0.8
        for index, line in enumerate(lines):
            if index:
                self.y -= size * 1.25
            self.page.lines.append(_Line(line, LEFT, self.y, size, bold=True))
            self._record(line)
        self.y -= size + PARAGRAPH_GAP

    def paragraph(
        self, lines: Sequence[str] | str, *, indent: float = 0.0, gap: bool = True
    ) -> None:
        """Lines as given (a list) or wrapped to the body width (a string)."""
        if isinstance(lines, str):
            lines = wrap(lines, RIGHT - LEFT - indent)
        for index, line in enumerate(lines):
            self._room(LEADING)
            x = LEFT + (indent if index == 0 else 0.0)
            self.page.lines.append(_Line(line, x, self.y, BODY_SIZE))
            self._record(line)
            self.y -= LEADING
        if gap:
            self.y -= PARAGRAPH_GAP

    def justified(
        self, lines: Sequence[str], *, x: float = LEFT, width: float = RIGHT - LEFT
    ) -> None:
        """A justified paragraph: its lines as given, each but the last with its word
        spaces stretched alike so that it fills `width`."""
        for index, line in enumerate(lines):
            self._room(LEADING)
            last = index == len(lines) - 1
            self.page.lines.append(_Line(line, x, self.y, BODY_SIZE, width=None if last else width))
            self._record(line)
            self.y -= LEADING
        self.y -= PARAGRAPH_GAP

    def numbered(
        self,
        items: Sequence[Sequence[str]],
        *,
        indent: float = 18.0,
        justify: bool = False,
        labels: Sequence[str] | None = None,
        hanging: bool = True,
    ) -> None:
        """A numbered list with a hanging indent: each item's label ("1.") at the margin,
        its text `indent` further in, and the item's further lines under its text (or,
        not `hanging`, back at the margin); each item is given as its lines. `justify`
        stretches every line but an item's last; `labels` replace the numbers."""
        for number, lines in enumerate(items, start=1):
            label = labels[number - 1] if labels else f"{number}."
            for index, line in enumerate(lines):
                self._room(LEADING)
                if index == 0:
                    self.page.lines.append(_Line(label, LEFT, self.y, BODY_SIZE))
                    self._record(label)
                x = LEFT + indent if index == 0 or hanging else LEFT
                stretch = justify and index < len(lines) - 1
                width = RIGHT - x if stretch else None
                self.page.lines.append(_Line(line, x, self.y, BODY_SIZE, width=width))
                self._record(line)
                self.y -= LEADING
            self.y -= 3
        self.y -= PARAGRAPH_GAP

    def table(
        self, rows: Sequence[Sequence[str]], widths: Sequence[float], *, wrap: bool = False
    ) -> None:
        """A ruled table, its first row in bold; with `wrap`, a cell too long for its
        column goes on over further lines, and its row grows to hold them."""
        padding = 4
        wrapped = [
            [
                _wrap(cell, width - 2 * padding, bold=index == 0) if wrap else [cell]
                for cell, width in zip(row, widths, strict=True)
            ]
            for index, row in enumerate(rows)
        ]
        heights = [LEADING * max(len(cell) for cell in row) + 4 for row in wrapped]
        self._room(sum(heights))
        top = self.y + BODY_SIZE
        for row_index, row in enumerate(wrapped):
            x = LEFT
            for cell, width in zip(row, widths, strict=True):
                for line_index, line in enumerate(cell):
                    y = self.y - line_index * LEADING
                    self.page.lines.append(
                        _Line(line, x + padding, y, BODY_SIZE, bold=row_index == 0)
                    )
                    self._record(line)
                x += width
            self.y -= heights[row_index]
        bottom = self.y + BODY_SIZE
        total = sum(widths)
        y = top + 2
        self.page.rules.append((LEFT, y, LEFT + total, y))
        for height in heights:
            y -= height
            self.page.rules.append((LEFT, y, LEFT + total, y))
        x = LEFT
        for width in [0.0, *widths]:
            x += width
            self.page.rules.append((x, top + 2, x, bottom + 2))
        self.y -= PARAGRAPH_GAP

    def columns(
        self,
        left: Sequence[Sequence[str]],
        right: Sequence[Sequence[str]],
        *,
        interleaved: bool = False,
        justify: bool = False,
    ) -> None:
        """Two columns of paragraphs (each a list of lines) on the current page; with
        `interleaved`, the lines are written row by row across both columns, as some
        programs write them, so that only their positions tell the reading order; with
        `justify`, every line but a paragraph's last fills the column's width."""
        width = (RIGHT - LEFT - GUTTER) / 2
        start = self.y
        first = len(self.page.lines)
        placed: list[list[int]] = []
        bottom = start
        for paragraphs, x in ((left, LEFT), (right, LEFT + width + GUTTER)):
            y = start
            order: list[int] = []
            for lines in paragraphs:
                for index, line in enumerate(lines):
                    if stringWidth(plain(line), BODY_FONT, BODY_SIZE) > width + 1:
                        raise ValueError(f"too wide for a column: {line!r}")
                    order.append(len(self.page.lines))
                    stretch = width if justify and index < len(lines) - 1 else None
                    self.page.lines.append(_Line(line, x, y, BODY_SIZE, width=stretch))
                    self._record(line)
                    y -= LEADING
                y -= PARAGRAPH_GAP
            placed.append(order)
            bottom = min(bottom, y)
        if interleaved:
            rows: list[int] = []
            for index in range(max(len(order) for order in placed)):
                rows.extend(order[index] for order in placed if index < len(order))
            self.page.draw_order = list(range(first)) + rows
        self.y = bottom

    def footnote(self, number: int, text: str) -> None:
        """A note at the foot of the current page (a new page if the body is full)."""
        if self.y < BOTTOM + (len(self.page.notes) + 1) * NOTE_LEADING + 12:
            self.new_page()
        self.page.notes.append((number, text))
        self._record(text)  # the marker number is not a word of the text

    def image_page(self) -> None:
        """A page holding one picture and no text, as a scanned page."""
        if self.page.lines or self.page.image:
            self.new_page()
        self.page.image = True
        self.new_page()

    # ------------------------------------------------------------------------ output

    def pdf_bytes(self, *, encrypt: str | None = None) -> bytes:
        pages = [page for page in self.pages if page.lines or page.image or page.notes]
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt, invariant=True)
        pdf.setTitle("Testdokument")
        total = len(pages)
        for number, page in enumerate(pages, start=1):
            _draw_page(pdf, page, self.word_by_word)
            self._furniture(pdf, number, total)
            pdf.showPage()
        pdf.save()
        return buffer.getvalue()

    def save(self, path: Path, *, encrypt: str | None = None) -> Path:
        path.write_bytes(self.pdf_bytes(encrypt=encrypt))
        return path

    def _furniture(self, pdf: canvas.Canvas, number: int, total: int) -> None:
        pdf.setFont(BODY_FONT, 8)
        if self.header and number >= self.header_from_page:
            pdf.drawString(LEFT, HEADER_Y, self.header)
        if self.footer:
            pdf.drawString(LEFT, FOOTER_Y, self.footer)
        if self.page_number:
            label = self.page_number.format(page=number, pages=total)
            pdf.drawRightString(RIGHT, FOOTER_Y, label)


def _draw_page(pdf: canvas.Canvas, page: _Page, word_by_word: bool = False) -> None:
    if page.image:
        _draw_picture(pdf)
    order = page.draw_order or []
    order = order + [index for index in range(len(page.lines)) if index not in set(order)]
    for index in order:
        _draw_line(pdf, page.lines[index], word_by_word)
    for x1, y1, x2, y2 in page.rules:
        pdf.setLineWidth(0.5)
        pdf.line(x1, y1, x2, y2)
    if page.notes:
        y = BOTTOM - 6 + (len(page.notes) - 1) * NOTE_LEADING + 14
        pdf.setLineWidth(0.5)
        pdf.line(LEFT, y + 10, LEFT + 120, y + 10)
        for number, text in page.notes:
            pdf.setFont(BODY_FONT, NOTE_SIZE * 0.75)
            pdf.drawString(LEFT, y + 3, str(number))
            pdf.setFont(BODY_FONT, NOTE_SIZE)
            pdf.drawString(LEFT + 10, y, text)
            y -= NOTE_LEADING


def _wrap(text: str, width: float, *, bold: bool = False) -> list[str]:
    return wrap(text, width, font=BOLD_FONT if bold else BODY_FONT) or [""]


def _draw_justified(pdf: canvas.Canvas, line: _Line, width: float) -> None:
    """Every word on its own, the spaces between them stretched alike to fill `width`
    (footnote markers are not supported here)."""
    words: list[tuple[str, str]] = []  # (word, font)
    for piece in _MARKUP.split(line.text):
        if not piece or piece.startswith("^"):
            continue
        bold = line.bold or piece.startswith("**")
        font = BOLD_FONT if bold else BODY_FONT
        words.extend((word, font) for word in piece.strip("*").split())
    natural = sum(stringWidth(word, font, line.size) for word, font in words)
    gap = (width - natural) / max(len(words) - 1, 1)
    x = line.x
    for word, font in words:
        pdf.setFont(font, line.size)
        pdf.drawString(x, line.y, word)
        x += stringWidth(word, font, line.size) + gap


def _draw_line(pdf: canvas.Canvas, line: _Line, word_by_word: bool = False) -> None:
    if line.width is not None:
        _draw_justified(pdf, line, line.width)
        return
    x = line.x
    for piece in _MARKUP.split(line.text):
        if not piece:
            continue
        if piece.startswith("^"):
            size = line.size * 0.6
            pdf.setFont(BODY_FONT, size)
            pdf.drawString(x, line.y + line.size * 0.35, piece[1:])
            x += stringWidth(piece[1:], BODY_FONT, size)
            continue
        bold = line.bold or piece.startswith("**")
        text = piece.strip("*") if piece.startswith("**") else piece
        font = BOLD_FONT if bold else BODY_FONT
        pdf.setFont(font, line.size)
        if not word_by_word:
            pdf.drawString(x, line.y, text)
            x += stringWidth(text, font, line.size)
            continue
        space = stringWidth(" ", font, line.size)
        for index, word in enumerate(text.split(" ")):
            if index:
                x += space
            if word:
                pdf.drawString(x, line.y, word)
                x += stringWidth(word, font, line.size)


def _draw_picture(pdf: canvas.Canvas) -> None:
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    image = Image.new("L", (420, 594), 255)
    draw = ImageDraw.Draw(image)
    for row in range(40, 560, 18):  # lines of "print", as a scan shows them
        draw.rectangle((40, row, 380 - (row * 7) % 90, row + 8), fill=30)
    pdf.drawImage(ImageReader(image), 0, 0, PAGE_WIDTH, PAGE_HEIGHT)


# ----------------------------------------------------------------- whole documents


def image_only_pdf(pages: int = 2) -> bytes:
    builder = PdfBuilder(page_number=None)
    for _ in range(pages):
        builder.image_page()
    return builder.pdf_bytes()


def zero_page_pdf() -> bytes:
    """A well-formed PDF whose page tree has no pages."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def raw_pdf(objects: Sequence[bytes], streams: dict[int, bytes] | None = None) -> bytes:
    """A PDF from object bodies (1-based: object 1 the catalog); `streams` gives the
    stream data of objects whose body is a stream dictionary."""
    streams = streams or {}
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body
        if number in streams:
            out += b"\nstream\n" + streams[number] + b"\nendstream"
        out += b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def many_pages_pdf(pages: int) -> bytes:
    """A PDF whose page tree holds `pages` empty pages sharing one page object's shape."""
    kids = b" ".join(b"%d 0 R" % (3 + index) for index in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    return raw_pdf(objects)


def deflate_bomb_pdf(inflated_mib: int) -> bytes:
    """A one-page PDF whose content stream inflates to `inflated_mib` MiB of spaces."""
    import zlib

    compressor = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    data = b"".join(compressor.compress(chunk) for _ in range(inflated_mib))
    data += compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>" % len(data),
    ]
    return raw_pdf(objects, {4: data})


# ------------------------------------------------------------ a steering document

GOALS = [
    "Våld i nära relationer ska minska i hela kommunen",
    "Barn som bevittnat våld ska få stöd inom två veckor",
    "Kommunens medarbetare ska kunna upptäcka våld tidigt",
    "Samverkan med polis och region ska vara strukturerad",
    "Våldsutsatta ska erbjudas skyddat boende utan dröjsmål",
]
SENTENCES = [
    "Socialnämnden ansvarar för att stödet till våldsutsatta håller god kvalitet.",
    "Arbetet följs upp årligen i samverkan med Polisen och Västra Götalandsregionen.",
    "Förskola och skola har en viktig roll i att tidigt uppmärksamma barn som far illa.",
    "Kommunen ska säkerställa att personal har kunskap om hedersrelaterat våld och förtryck.",
    "Insatserna ska utgå från barnets bästa och den våldsutsattas behov av skydd.",
    "Uppföljningen redovisas för kommunstyrelsen i samband med årsbokslutet.",
    "Frivilligorganisationer och kvinnojourer är viktiga aktörer i det förebyggande arbetet.",
    "Målgruppen omfattar även äldre personer och personer med funktionsnedsättning.",
]


def steering_document(pages: int, *, seed: int = 7, word_by_word: bool = False) -> PdfBuilder:
    """A municipal action plan of about `pages` pages: chapters with goals and actions,
    running header, footer and page numbers, a table and a footnote per chapter."""
    import random

    chooser = random.Random(seed)
    builder = PdfBuilder(
        header="Handlingsplan mot våld i nära relationer 2024–2027",
        footer="Trollhättans stad · Kommunstyrelsen",
        page_number="Sida {page} av {pages}",
        word_by_word=word_by_word,
    )
    chapter = 0
    while len(builder.pages) < pages:
        chapter += 1
        builder.heading(f"{chapter} Inriktning för område {chapter}", 1)
        builder.paragraph(" ".join(chooser.choice(SENTENCES) for _ in range(6)))
        for goal in range(1, 4):
            builder.heading(f"Mål {chapter}.{goal} {chooser.choice(GOALS)}", 2)
            for _ in range(2):
                builder.paragraph(" ".join(chooser.choice(SENTENCES) for _ in range(5)))
            builder.paragraph(f"Åtgärd {goal} Ansvarig nämnd tar fram rutiner under {2023 + goal}.")
        builder.table(
            [["Mål", "Indikator", "Ansvar"]]
            + [[f"{chapter}.{n}", "Andel med stöd", "Socialnämnden"] for n in range(1, 4)],
            [80, 200, 150],
        )
        if not builder.page.notes:
            builder.footnote(chapter, "Enligt socialtjänstlagen (2001:453) och SOSFS 2014:4.")
    while len(builder.pages) > pages:
        builder.pages.pop()
    return builder


Build = Callable[[], PdfBuilder]
