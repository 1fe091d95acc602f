"""PDF files with a text layer, read through PDFium (pypdfium2) glyph by glyph.

PDFium gives every character with its box, font size and font; `pdf_layout` turns the
glyphs of each page into reading order, paragraphs, headings, tables and footnotes, with
running headers, footers and page numbers left out. Pages without text are named in the
import notes.

Refused, with one line saying why: a file that is not a PDF or is cut short (no
end-of-file marker), a damaged PDF PDFium cannot open, a password-protected one, one with
no pages, more than MAX_PAGES pages or a page of more than MAX_PAGE_CHARS characters, one
whose streams inflate past MAX_STREAM_BYTES (one) or MAX_INFLATED_BYTES (all), and one
with no text layer at all (a scan, which needs text recognition first).

The inflation limits are checked before PDFium opens the file, by inflating each
compressed stream once into nothing but a byte count, so a "PDF bomb" costs a bounded
amount of memory; pages are then read one at a time and released.

PDFium is not thread-safe: every use of it here holds one lock.
"""

from __future__ import annotations

import ctypes
import mmap
import re
import threading
import zlib
from array import array
from pathlib import Path
from typing import Any

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.model import ParsedSource
from vinr_qual.ingest.pdf_layout import (
    CHUNK_GAP,
    SPACE_GAP,
    Composition,
    PageLines,
    Span,
    build_lines,
    compose,
)

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_PAGES = 2_000
MAX_PAGE_CHARS = 200_000
MAX_STREAM_BYTES = 64 * 1024 * 1024  # a content or font stream inflated
MAX_INFLATED_BYTES = 512 * 1024 * 1024  # all streams but images, inflated
MAX_NESTED_FILTERS = 2  # /FlateDecode applied twice is as far as a real file goes

_LOCK = threading.Lock()
_CHUNK = 1024 * 1024
_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_FLATE = re.compile(rb"/FlateDecode\b|/Fl\b")
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_FORCE_BOLD = 1 << 18
_MAPPED = {
    "\x02": "-",  # PDFium's mark for a hyphen at a line end
    "\ufffe": "-",
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}


def read_pdf(path: Path, where: str) -> ParsedSource:
    """Read a text PDF into normalised text with paragraphs, headings, tables, footnotes
    and page starts, or raise ImportRefused."""
    _check_file(path, where)
    with _LOCK:
        pages, encrypted = _read_pages(path, where)
    if not any(page.lines for page in pages):
        pictures = sum(page.images for page in pages)
        found = f", {pictures} with images" if pictures else ""
        raise ImportRefused(
            f"{where}: no text layer on any of its {len(pages)} pages{found} (a scanned PDF?);"
            " run text recognition (OCR) on it first"
        )
    composition = compose(pages)
    if not composition.blocks:
        raise ImportRefused(f"{where}: the PDF has no text besides page headers and footers")
    return ParsedSource(
        text=composition.text,
        blocks=composition.blocks,
        source_format="pdf",
        tables=composition.tables,
        notes=_notes(composition, encrypted),
        page_starts=composition.page_starts,
    )


def _notes(composition: Composition, encrypted: bool) -> list[str]:
    notes = []
    if composition.image_pages:
        notes.append(f"{_pages(composition.image_pages)} no text (images?)")
    if composition.blank_pages:
        blank = composition.blank_pages
        notes.append(f"{_pages(blank, 'is', 'are')} blank")
    if composition.furniture_lines:
        notes.append(
            f"{composition.furniture_lines} lines of running headers, footers and page"
            " numbers left out (found repeated on most pages)"
        )
    if composition.footnotes:
        count = composition.footnotes
        notes.append(
            f"{count} footnote{'s' if count > 1 else ''} kept as notes at the foot of their page"
        )
    if composition.column_pages:
        notes.append(f"{_pages(composition.column_pages, 'read', 'read')} in two columns")
    if encrypted:
        notes.append("the PDF is encrypted without a password to open it; its text was read")
    return notes


def _pages(numbers: list[int], one: str = "has", many: str = "have") -> str:
    listed = ", ".join(str(number) for number in numbers[:20])
    if len(numbers) > 20:
        listed += f" and {len(numbers) - 20} more"
    return f"page {listed} {one}" if len(numbers) == 1 else f"pages {listed} {many}"


# ------------------------------------------------------------------- the file itself


def _check_file(path: Path, where: str) -> None:
    try:
        size = path.stat().st_size
        if size == 0:
            raise ImportRefused(f"{where}: the file is empty")
        if size > MAX_FILE_BYTES:
            raise ImportRefused(f"{where}: {size} bytes is more than a PDF may have")
        with (
            path.open("rb") as handle,
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data,
        ):
            if data.find(b"%PDF-", 0, 1024) == -1:
                raise ImportRefused(f"{where}: not a PDF file (no %PDF header)")
            if data.rfind(b"%%EOF", max(0, size - 1024)) == -1:
                raise ImportRefused(f"{where}: the PDF is truncated (it has no end-of-file marker)")
            _check_streams(data, where)
    except OSError as error:
        raise ImportRefused(f"{where}: cannot read the file ({error.strerror})") from error


def _check_streams(data: mmap.mmap, where: str) -> None:
    """Inflate every compressed stream but images into a byte count, refusing a file
    whose streams inflate past the limits; undecodable streams are left to PDFium."""
    total = 0
    for match in _STREAM.finditer(data):  # type: ignore[call-overload]
        start = match.end()
        head = data[max(0, match.start() - 2048) : match.start()]
        dictionary = head[head.rfind(b"obj") + 3 :] if b"obj" in head else head
        if _IMAGE.search(dictionary):
            continue  # image data is not decoded to read text
        filters = len(_FLATE.findall(dictionary))
        if filters == 0:
            continue
        if filters > MAX_NESTED_FILTERS:
            raise ImportRefused(
                f"{where}: a stream is compressed {filters} times over (a PDF bomb?)"
            )
        size = _inflated_size(data, start, filters, MAX_STREAM_BYTES)
        if size > MAX_STREAM_BYTES:
            raise ImportRefused(
                f"{where}: a stream inflates to more than {MAX_STREAM_BYTES // 2**20} MB"
                " (a PDF bomb?)"
            )
        total += size
        if total > MAX_INFLATED_BYTES:
            raise ImportRefused(
                f"{where}: its streams inflate to more than {MAX_INFLATED_BYTES // 2**20} MB"
                " (a PDF bomb?)"
            )


def _inflated_size(data: mmap.mmap, start: int, filters: int, limit: int) -> int:
    """How many bytes the deflate stream at `start` inflates to (through `filters`
    layers), counted up to a little past `limit` and never held whole; what is not
    deflate data counts as far as it went."""
    layers = [zlib.decompressobj() for _ in range(filters)]
    size = 0
    position = start
    try:
        while position < len(data) and not layers[0].eof and size <= limit:
            chunk = data[position : position + _CHUNK]
            position += _CHUNK
            size += _feed(layers, 0, chunk, limit - size)
    except zlib.error:
        pass
    return size


def _feed(layers: list[Any], depth: int, data: bytes, budget: int) -> int:
    """Bytes that come out of the last layer when `data` goes into layer `depth`."""
    layer = layers[depth]
    produced = 0
    while data and produced <= budget and not layer.eof:
        out = layer.decompress(data, _CHUNK)
        data = layer.unconsumed_tail
        if depth + 1 < len(layers):
            produced += _feed(layers, depth + 1, out, budget - produced) if out else 0
        else:
            produced += len(out)
    return produced


# ------------------------------------------------------------------------- PDFium


def _read_pages(path: Path, where: str) -> tuple[list[PageLines], bool]:
    import pypdfium2 as pdfium  # loaded only when a PDF is read
    import pypdfium2.raw as raw

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == raw.FPDF_ERR_FORMAT and _no_pages(path):
            raise ImportRefused(f"{where}: the PDF has no pages") from error
        raise ImportRefused(f"{where}: {_open_problem(error, raw)}") from error
    try:
        count = len(document)
        if count == 0:
            raise ImportRefused(f"{where}: the PDF has no pages")
        if count > MAX_PAGES:
            raise ImportRefused(f"{where}: {count} pages is more than a PDF may have ({MAX_PAGES})")
        encrypted = raw.FPDF_GetSecurityHandlerRevision(document.raw) != -1
        calls = _Calls(raw)
        pages = []
        for index in range(count):
            try:
                pages.append(_read_page(document, index, calls, where))
            except pdfium.PdfiumError as error:
                raise ImportRefused(f"{where}: page {index + 1} is damaged ({error})") from error
        return pages, encrypted
    finally:
        document.close()


def _no_pages(path: Path) -> bool:
    """Whether a file PDFium refuses declares an empty page tree and holds no page."""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        empty = re.search(rb"/Count\s+0\b", data) is not None  # type: ignore[call-overload]
        page = re.search(rb"/Type\s*/Page(?!s)\b", data) is not None  # type: ignore[call-overload]
    return empty and not page


def _open_problem(error: Any, raw: Any) -> str:
    code = getattr(error, "err_code", None)
    if code == raw.FPDF_ERR_PASSWORD:
        return "the PDF is password-protected (encrypted); remove the password and import it again"
    if code == raw.FPDF_ERR_SECURITY:
        return "the PDF is encrypted in a way that cannot be read"
    if code == raw.FPDF_ERR_FORMAT:
        return "the PDF is damaged and cannot be read"
    if code == raw.FPDF_ERR_FILE:
        return "cannot open the file"
    return f"cannot read the PDF ({error})"


class _Calls:
    """PDFium's per-character function called through a lean prototype (pointers as
    plain integers), which makes reading every glyph's box faster."""

    def __init__(self, raw: Any) -> None:
        address = ctypes.cast(raw.FPDFText_GetLooseCharBox, ctypes.c_void_p).value or 0
        pointer, integer = ctypes.c_void_p, ctypes.c_int
        self.box = ctypes.CFUNCTYPE(integer, pointer, integer, pointer)(address)
        self.raw = raw


def _read_page(document: Any, index: int, calls: _Calls, where: str) -> PageLines:
    raw = calls.raw
    page = document[index]
    try:
        box = page.get_bbox()
        left, bottom, right, top = box
        textpage = page.get_textpage()
        try:
            count = textpage.count_chars()
            if count > MAX_PAGE_CHARS:
                raise ImportRefused(
                    f"{where}: page {index + 1} holds {count} characters, more than a page"
                    f" of text may ({MAX_PAGE_CHARS})"
                )
            spans = _spans(textpage, count, calls, box) if count else []
        finally:
            textpage.close()
        lines = build_lines(spans)
        images = len(lines) < 8 and _has_images(page, raw)
        return PageLines(index + 1, right - left, top - bottom, lines, images)
    finally:
        page.close()


def _spans(textpage: Any, count: int, calls: _Calls, box: tuple[float, ...]) -> list[Span]:
    """The page's glyphs as spans: cut where the text object changes (PDFium's text
    rectangles, one per object on a line, tell where), where the line changes, where the
    text goes back, or where it leaves a gap wider than a word space can be."""
    raw = calls.raw
    left, _, right, top = box
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p).value
    text = textpage.get_text_range()
    if len(text) != count:  # characters outside the BMP: ask for each one
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, k) or 32) for k in range(count))
    ink = [k for k, char in enumerate(text) if not char.isspace()]
    boxes = array("f", bytes(16 * count))
    base = boxes.buffer_info()[0]
    char_box = calls.box
    for k in ink:
        char_box(handle, k, base + 16 * k)
    values = boxes.tolist()
    rects = _rects(textpage, raw)
    last_rect = len(rects) - 1
    spans: list[Span] = []
    parts: list[str] = []
    rect = -1
    r_left = r_right = r_top = r_bottom = 0.0
    size, bold = 0.0, False
    x0 = x1 = span_top = span_bottom = 0.0
    widest = 0.0  # the widest word space inside the span
    previous = -2
    for k in ink:
        position = 4 * k
        gx0, gx1 = values[position], values[position + 2]
        if gx1 - gx0 < 0.01 and gx0 == 0.0:
            continue  # no box: made up by PDFium
        char = text[k]
        if char in _MAPPED:
            char = _MAPPED[char]
        elif char < " ":
            continue
        middle = (gx0 + gx1) / 2
        if not left <= middle <= right:
            continue  # outside the page
        y_top, y_bottom = values[position + 1], values[position + 3]
        centre = (y_top + y_bottom) / 2
        half = (y_top - y_bottom) / 2
        new_object = False
        if not (r_left - 1 <= middle <= r_right + 1 and r_bottom - half <= centre <= r_top + half):
            for step in (1, 2, 3):
                if rect + step > last_rect:
                    break
                c_left, c_top, c_right, c_bottom = rects[rect + step]
                if (
                    c_left - 1 <= middle <= c_right + 1
                    and c_bottom - half <= centre <= c_top + half
                ):
                    rect += step
                    r_left, r_top, r_right, r_bottom = c_left, c_top, c_right, c_bottom
                    new_object = True
                    break
            if rect < 0:  # not in any rectangle PDFium made: its own object
                new_object = True
        gtop, gbottom = top - y_top, top - y_bottom
        if (
            new_object
            or not parts
            or gx0 < x1 - 0.5 * size
            or gx0 - x1 > CHUNK_GAP * size
            or abs(gtop - span_top) > 0.3 * size
        ):
            if parts:
                spans.append(
                    Span(
                        "".join(parts),
                        x0 - left,
                        x1 - left,
                        span_top,
                        span_bottom,
                        size,
                        bold,
                        widest,
                    )
                )
            if new_object or size <= 0:
                size, bold = _font(textpage, k, raw)
            parts = [char] if size > 0 else []
            x0, x1, span_top, span_bottom = gx0, gx1, gtop, gbottom
            widest = 0.0
        else:
            gap = gx0 - x1
            if previous != k - 1 or gap > SPACE_GAP * size:
                parts.append(" ")
                if gap > widest:
                    widest = gap
            parts.append(char)
            if gx1 > x1:
                x1 = gx1
        previous = k
    if parts:
        spans.append(
            Span("".join(parts), x0 - left, x1 - left, span_top, span_bottom, size, bold, widest)
        )
    return spans


def _rects(textpage: Any, raw: Any) -> list[tuple[float, float, float, float]]:
    """PDFium's text rectangles of the page (left, top, right, bottom), in text order."""
    values = [ctypes.c_double() for _ in range(4)]
    found = []
    for index in range(raw.FPDFText_CountRects(textpage.raw, 0, -1)):
        raw.FPDFText_GetRect(textpage.raw, index, *values)
        left, top, right, bottom = (value.value for value in values)
        found.append((left, top, right, bottom))
    return found


def _font(textpage: Any, index: int, raw: Any) -> tuple[float, bool]:
    size = float(raw.FPDFText_GetFontSize(textpage.raw, index))
    weight = raw.FPDFText_GetFontWeight(textpage.raw, index)
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int(0)
    raw.FPDFText_GetFontInfo(textpage.raw, index, buffer, 256, ctypes.byref(flags))
    name = buffer.value.decode("utf-8", "replace")
    bold = weight >= 600 or bool(flags.value & _FORCE_BOLD) or bool(_BOLD_NAME.search(name))
    return size, bold


def _has_images(page: Any, raw: Any) -> bool:
    kinds = {raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM}
    for index in range(raw.FPDFPage_CountObjects(page.raw)):
        if raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page.raw, index)) in kinds:
            return True
    return False
