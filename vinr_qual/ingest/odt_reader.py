"""OpenDocument text (.odt), as LibreOffice and other office suites save it.

The archive is checked first (`safezip`: bounded decompression, no DOCTYPE or ENTITY
in any XML part); then `content.xml` is parsed with entities and the network off. The body
is walked in reading order: paragraphs, headings with their outline level, lists (each
item a paragraph), sections, tables (one paragraph per row, cells joined by " | ") and the
text of indexes. Text boxes are read after the paragraph that anchors them. Footnotes,
endnotes and comments are appended at the end of the text as notes. Images, embedded
objects, drawn shapes without text and page headers and footers are left out, and every
left-out or moved part is counted in the import notes: nothing is dropped silently.

Whitespace follows the format: runs of blanks in the XML count as one space, and
`text:s`, `text:tab` and `text:line-break` stand for what they say.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.model import ParsedSource
from vinr_qual.ingest.safezip import check_archive
from vinr_qual.ingest.textbuilder import TextBuilder

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"

TEXT_MIMETYPES = (
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.text-template",
)
_SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
)
_BLANKS = re.compile(r"[ \t\r\n]+")
# declarations and form definitions: no text of the document is in them
_DECLARATIONS = {
    TEXT + "sequence-decls",
    TEXT + "variable-decls",
    TEXT + "user-field-decls",
    TEXT + "dde-connection-decls",
    OFFICE + "forms",
    TABLE + "calculation-settings",
    TABLE + "content-validations",
    TABLE + "label-ranges",
}
_ROW_GROUPS = {
    TABLE + "table-header-rows",
    TABLE + "table-rows",
    TABLE + "table-row-group",
}
_MARKERS = {TEXT + "change-start", TEXT + "change-end", TEXT + "change", OFFICE + "annotation-end"}


@dataclass
class _Counts:
    images: int = 0
    objects: int = 0
    shapes: int = 0
    textboxes: int = 0
    alt_texts: int = 0
    deletions: int = 0
    footnotes: int = 0
    endnotes: int = 0
    comments: int = 0


@dataclass
class _Inline:
    """Text of one paragraph, with blanks collapsed the way ODF reads them."""

    pieces: list[str] = field(default_factory=list)
    space_pending: bool = False  # the last thing added was a collapsible blank

    def xml_text(self, value: str | None) -> None:
        if not value:
            return
        collapsed = _BLANKS.sub(" ", value)
        if self.space_pending and collapsed.startswith(" "):
            collapsed = collapsed[1:]
        if collapsed:
            self.pieces.append(collapsed)
            self.space_pending = collapsed.endswith(" ")

    def literal(self, value: str) -> None:
        self.pieces.append(value)
        self.space_pending = False

    def text(self) -> str:
        return "".join(self.pieces)


@dataclass
class _Reader:
    builder: TextBuilder = field(default_factory=TextBuilder)
    counts: _Counts = field(default_factory=_Counts)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (label, text) at the end

    # blocks -------------------------------------------------------------------------

    def blocks(self, parent: etree._Element) -> None:
        for child in parent:
            self.block(child)

    def block(self, element: etree._Element) -> None:
        tag = element.tag
        if not isinstance(tag, str) or tag in _DECLARATIONS:
            return
        if tag == TEXT + "p":
            self.paragraph(element, None)
        elif tag == TEXT + "h":
            level = element.get(TEXT + "outline-level") or "1"
            self.paragraph(element, int(level) if level.isdigit() and int(level) > 0 else 1)
        elif tag == TABLE + "table":
            self.builder.add_table(list(self.rows(element)))
        elif tag == TEXT + "tracked-changes":
            self.counts.deletions += sum(1 for _ in element.iter(TEXT + "deletion"))
        elif tag in (DRAW + "frame", DRAW + "a") or tag.startswith(DRAW):
            boxes: list[etree._Element] = []
            self.drawing(element, boxes)
            for box in boxes:
                self.blocks(box)
        elif tag in _MARKERS or tag == TEXT + "soft-page-break":
            return
        else:  # lists, list items, sections, indexes and their bodies, anything new
            self.blocks(element)

    def paragraph(self, element: etree._Element, level: int | None) -> None:
        inline = _Inline()
        boxes: list[etree._Element] = []
        self.inline(element, inline, boxes, with_tail=False)
        self.builder.add(inline.text(), "heading" if level else "paragraph", level)
        for box in boxes:
            self.blocks(box)

    def rows(self, table: etree._Element) -> Iterator[list[str]]:
        for child in table:
            if child.tag == TABLE + "table-row":
                yield [self.cell(cell) for cell in child if cell.tag == TABLE + "table-cell"]
            elif child.tag in _ROW_GROUPS:
                yield from self.rows(child)

    def cell(self, cell: etree._Element) -> str:
        """A cell's text on one line; nested tables and lists flattened into it."""
        inner = _Reader(counts=self.counts, notes=self.notes)
        inner.blocks(cell)
        return " ".join(inner.builder.text().split())

    # inline content -------------------------------------------------------------------

    def inline(
        self,
        element: etree._Element,
        inline: _Inline,
        boxes: list[etree._Element],
        *,
        with_tail: bool = True,
    ) -> None:
        inline.xml_text(element.text)
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):  # comments and processing instructions
                pass
            elif tag == TEXT + "s":
                count = child.get(TEXT + "c") or "1"
                inline.literal(" " * (int(count) if count.isdigit() else 1))
            elif tag == TEXT + "tab":
                inline.literal("\t")
            elif tag == TEXT + "line-break":
                inline.literal("\n")
            elif tag == TEXT + "note":
                self.note(child)
            elif tag == OFFICE + "annotation":
                self.comment(child)
            elif tag.startswith(DRAW):
                self.drawing(child, boxes)
            elif tag in _MARKERS:
                pass
            else:  # spans, links, fields, ruby, meta: their text in place
                self.inline(child, inline, boxes, with_tail=False)
            inline.xml_text(child.tail)
        if with_tail:
            inline.xml_text(element.tail)

    def note(self, note: etree._Element) -> None:
        endnote = note.get(TEXT + "note-class") == "endnote"
        citation = note.find(TEXT + "note-citation")
        number = "".join(citation.itertext()).strip() if citation is not None else ""
        body = note.find(TEXT + "note-body")
        text = self.flat(body) if body is not None else ""
        if text:
            label = "Slutnot" if endnote else "Fotnot"
            self.notes.append((f"{label} {number}".strip(), text))
            if endnote:
                self.counts.endnotes += 1
            else:
                self.counts.footnotes += 1

    def comment(self, annotation: etree._Element) -> None:
        creator = annotation.find(DC + "creator")
        author = (creator.text or "").strip() if creator is not None else ""
        paragraphs = [child for child in annotation if child.tag in (TEXT + "p", TEXT + "list")]
        text = " ".join(self.flat(child) for child in paragraphs).strip()
        if text:
            self.notes.append((f"Kommentar av {author or 'okänd'}", text))
            self.counts.comments += 1

    def flat(self, element: etree._Element) -> str:
        inner = _Reader(counts=self.counts, notes=self.notes)
        if element.tag == TEXT + "note-body":
            inner.blocks(element)
        else:
            inner.block(element)
        return " ".join(inner.builder.text().split())

    def drawing(self, element: etree._Element, boxes: list[etree._Element]) -> None:
        """A frame or shape: its text boxes are read after the paragraph; images,
        objects and shapes without text are counted as skipped."""
        tag = element.tag
        if tag in (DRAW + "frame", DRAW + "a"):
            described = False
            for child in element:
                if child.tag == DRAW + "text-box":
                    self.counts.textboxes += 1
                    boxes.append(child)
                elif child.tag == DRAW + "image":
                    self.counts.images += 1
                elif child.tag in (DRAW + "object", DRAW + "object-ole", DRAW + "plugin"):
                    self.counts.objects += 1
                elif child.tag in (SVG + "title", SVG + "desc") and not described:
                    alt = " ".join("".join(child.itertext()).split())
                    if alt:
                        self.notes.append(("Bild", alt))
                        self.counts.alt_texts += 1
                        described = True
                elif isinstance(child.tag, str) and child.tag.startswith(DRAW):
                    self.drawing(child, boxes)
            return
        if any(True for _ in element.iter(TEXT + "p")):
            self.counts.textboxes += 1
            boxes.append(element)
        else:
            self.counts.shapes += 1


def read_odt(path: Path, where: str) -> ParsedSource:
    check_archive(path, where, kind="an OpenDocument text", required="content.xml")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        mimetype = (
            archive.read("mimetype").decode("ascii", "replace").strip()
            if ("mimetype" in names)
            else None
        )
        manifest = (
            archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
        )
        content = archive.read("content.xml")
        styles = archive.read("styles.xml") if "styles.xml" in names else None
    if mimetype is not None and mimetype not in TEXT_MIMETYPES:
        raise ImportRefused(f"{where}: an OpenDocument file but not a text document ({mimetype})")
    if b"encryption-data" in manifest:
        raise ImportRefused(f"{where}: the document is password-protected; save it without one")
    root = _parse(content, where, "content.xml")
    body = root.find(f"{OFFICE}body/{OFFICE}text")
    if body is None:
        raise ImportRefused(f"{where}: content.xml has no text body (office:text)")
    reader = _Reader()
    reader.blocks(body)
    for label, text in reader.notes:
        reader.builder.add(f"[{label}] {text}", "note")
    notes = _notes(reader.counts, styles, where)
    if not reader.builder.blocks:
        found = f" ({'; '.join(notes)})" if notes else ""
        raise ImportRefused(f"{where}: the document body has no text{found}")
    return ParsedSource(
        text=reader.builder.text(),
        blocks=reader.builder.blocks,
        source_format="odt",
        tables=reader.builder.tables,
        notes=notes,
    )


def _parse(data: bytes, where: str, part: str) -> etree._Element:
    try:
        return etree.fromstring(data, _SAFE_PARSER)
    except etree.XMLSyntaxError as error:
        raise ImportRefused(f"{where}: damaged XML in {part} ({error})") from error


def _notes(counts: _Counts, styles: bytes | None, where: str) -> list[str]:
    notes: list[str] = []
    if styles is not None:
        root = _parse(styles, where, "styles.xml")
        furniture = 0
        for tag in ("header", "footer", "header-left", "footer-left", "header-first",
                    "footer-first"):  # fmt: skip
            for element in root.iter(STYLE + tag):
                if "".join(element.itertext()).strip():
                    furniture += 1
        if furniture:
            notes.append(f"{furniture} headers/footers with text skipped (page furniture)")
    for count, what in (
        (counts.footnotes, "footnotes imported as notes at the end of the text"),
        (counts.endnotes, "endnotes imported as notes at the end of the text"),
        (counts.comments, "comments imported as notes at the end of the text"),
        (counts.textboxes, "text boxes imported after the paragraph that holds them"),
        (counts.alt_texts, "image descriptions (alt text) imported as notes"),
        (counts.images, "images skipped"),
        (counts.objects, "embedded objects (charts, formulas, OLE) skipped"),
        (counts.shapes, "drawn shapes without text skipped"),
        (counts.deletions, "tracked deletions dropped (the text as it would read accepted)"),
    ):
        if count:
            notes.append(f"{count} {what}")
    return notes
