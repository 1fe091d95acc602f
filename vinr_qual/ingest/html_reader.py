"""Web pages (.html, .htm), such as transcripts saved from a browser or a web editor.

The encoding comes from a byte-order mark, else from the page's `<meta charset>` (or its
`http-equiv` Content-Type), else from the bytes (UTF-8, then Windows-1252); a page that
says ISO-8859-1 is read as Windows-1252, as browsers do. The page is parsed with
lxml.html, the network off. Scripts, styles, templates and embedded frames are dropped;
the body is read in order with headings (`h1`–`h6`) as heading blocks, paragraphs,
list items, block quotes, preformatted text (its line breaks kept) and table rows (cells
joined by " | "). Images are left out (their alt text kept as a note), and the notes
count what was dropped.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from lxml import etree, html

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.decode import decode
from vinr_qual.ingest.model import ParsedSource
from vinr_qual.ingest.textbuilder import TextBuilder

MAX_HTML_BYTES = 50 * 1024 * 1024
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_BLANKS = re.compile(r"[ \t\r\n\f]+")
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_BLOCKS = {
    "p", "div", "li", "dt", "dd", "blockquote", "figcaption", "caption", "address",
    "section", "article", "header", "footer", "main", "nav", "aside", "ul", "ol", "dl",
    "form", "fieldset", "legend", "details", "summary", "center", "hr", "body", "html",
    "figure", "menu",
}  # fmt: skip
_DROPPED = {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg",
            "canvas", "head", "title", "meta", "link", "select", "button"}  # fmt: skip
# a DOCTYPE is normal in HTML, an entity declaration never is
_ENTITY_MARKERS = tuple("<!ENTITY".encode(codec) for codec in ("ascii", "utf-16-le", "utf-16-be"))
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_WINDOWS = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "iso8859-1", "l1"}


def _encoding(data: bytes, where: str) -> tuple[str, str, list[str]]:
    """(text, encoding, notes)."""
    notes: list[str] = []
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom):
            text, encoding = decode(data, where)
            return text, encoding, notes
    found = _META_CHARSET.search(data[:4096])
    if found:
        label = found.group(1).decode("ascii").lower()
        name = "cp1252" if label in _WINDOWS else label
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            notes.append(
                f"unknown charset {label!r} in the page; the encoding was told from the bytes"
            )
        else:
            if codec.startswith("utf-16") or codec.startswith("utf-32"):
                codec = "utf-8"  # a page read as bytes this far is not UTF-16: the tag lies
            try:
                return data.decode(codec), codec, notes
            except UnicodeDecodeError as error:
                notes.append(
                    f"the page says {label} but byte {error.start} is not {label};"
                    " the encoding was told from the bytes"
                )
    text, encoding = decode(data, where)
    return text, encoding, notes


@dataclass
class _Reader:
    builder: TextBuilder = field(default_factory=TextBuilder)
    dropped: dict[str, int] = field(default_factory=dict)
    images: int = 0
    alt_texts: list[str] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)

    def flush(self, kind: str = "paragraph", level: int | None = None) -> None:
        text = "".join(self.pieces)
        self.pieces = []
        lines = [" ".join(line.split()) for line in text.split("\n")]
        if kind == "pre":
            self.builder.add(text)
        elif kind == "heading":
            self.builder.add(" ".join(text.split()), "heading", level)
        else:
            self.builder.add("\n".join(line for line in lines if line))

    def walk(self, element: etree._Element, pre: bool = False) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        name = tag.lower()
        if name in _DROPPED:
            self.tail(element, pre)
            return
        if not tag:  # a comment or processing instruction: its tail only
            self.tail(element, pre)
            return
        if name == "table":
            self.flush()
            self.builder.add_table(self.rows(element))
            self.tail(element, pre)
            return
        if name == "img":
            self.images += 1
            alt = " ".join((element.get("alt") or "").split())
            if alt:
                self.alt_texts.append(alt)
            self.tail(element, pre)
            return
        if name == "br":
            self.pieces.append("\n")
            self.tail(element, pre)
            return
        is_heading = name in _HEADINGS
        is_block = is_heading or name in _BLOCKS or name == "pre"
        if is_block:
            self.flush()
        self.text(element.text, pre or name == "pre")
        for child in element:
            self.walk(child, pre or name == "pre")
        if is_heading:
            self.flush("heading", _HEADINGS[name])
        elif name == "pre":
            self.flush("pre")
        elif is_block:
            self.flush()
        self.tail(element, pre)

    def text(self, value: str | None, pre: bool) -> None:
        if value:
            self.pieces.append(value if pre else _BLANKS.sub(" ", value))

    def tail(self, element: etree._Element, pre: bool) -> None:
        self.text(element.tail, pre)

    def rows(self, table: etree._Element) -> list[list[str]]:
        rows: list[list[str]] = []
        for row in table.iter("tr"):
            if _nearest_table(row) is not table:
                continue
            cells = []
            for cell in row:
                if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th"):
                    inner = _Reader(alt_texts=self.alt_texts)
                    inner.walk(cell)
                    inner.flush()
                    self.images += inner.images
                    cells.append(" ".join(inner.builder.text().split()))
            rows.append(cells)
        return rows


def _nearest_table(row: etree._Element) -> etree._Element | None:
    for ancestor in row.iterancestors():
        if isinstance(ancestor.tag, str) and ancestor.tag.lower() == "table":
            return ancestor
    return None


def read_html(data: bytes, where: str) -> ParsedSource:
    if len(data) > MAX_HTML_BYTES:
        raise ImportRefused(f"{where}: {len(data)} bytes is more than a web page may have")
    if any(marker in data.upper() for marker in _ENTITY_MARKERS):
        raise ImportRefused(f"{where}: the page declares XML entities; refused for safety")
    text, encoding, notes = _encoding(data, where)
    text = _XML_DECLARATION.sub("", text)  # lxml refuses a declared encoding in a str
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise ImportRefused(f"{where}: cannot read the page ({error})") from error
    body = root.find("body")
    reader = _Reader()
    for name in sorted(_DROPPED - {"head", "title", "meta", "link"}):
        found = sum(1 for _ in root.iter(name))
        if found:
            reader.dropped[name] = found
    reader.walk(body if body is not None else root)
    reader.flush()
    for alt in reader.alt_texts:
        reader.builder.add(f"[Bild: {alt}]", "note")
    for name, count in sorted(reader.dropped.items()):
        what = {"script": "scripts", "style": "style sheets"}.get(name, f"<{name}> elements")
        notes.append(f"{count} {what} dropped")
    if reader.images:
        notes.append(f"{reader.images} images skipped")
    if reader.alt_texts:
        notes.append(f"{len(reader.alt_texts)} image descriptions (alt text) imported as notes")
    if not reader.builder.blocks:
        raise ImportRefused(f"{where}: the page has no text")
    return ParsedSource(
        text=reader.builder.text(),
        blocks=reader.builder.blocks,
        source_format="html",
        encoding=encoding,
        tables=reader.builder.tables,
        notes=notes,
    )
