"""Word .docx files, read through python-docx in reading order.

The body is walked as XML so that nothing between paragraphs is lost: paragraphs with
their headings, tables (one paragraph per row, cells joined by " | ", nested tables and
merged cells flattened into their cell), content controls, text boxes (after the
paragraph that anchors them), tracked insertions (kept) and deletions (dropped), and
equations as their plain text. Footnotes, endnotes and comments are appended at the end
as notes. Headers, footers and images are left out, and every left-out or changed part
is named in the document's import notes: nothing is dropped silently.

Paragraphs are joined by a blank line, except a drop cap: a paragraph of one capital
followed by one going on in lower case (`D`, `rop cap`) is joined to it. A bold run that
opens a paragraph and ends in a colon is kept as the paragraph's bold label, which is how
many transcribers mark the speaker.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.model import Block, BlockKind, ParsedSource
from vinr_qual.ingest.normalise import normalise
from vinr_qual.ingest.plaintext import is_drop_cap
from vinr_qual.ingest.safezip import check_docx_archive

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"

_CONTAINERS = {
    W + "ins",
    W + "hyperlink",
    W + "smartTag",
    W + "customXml",
    W + "fldSimple",
    W + "sdt",
    W + "sdtContent",
    W + "moveTo",
    W + "dir",
    W + "bdo",
}
_DELETIONS = {W + "del", W + "moveFrom"}
_LEADING_TIMESTAMP = re.compile(r"^\s*[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s*$")
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
DGM = "{http://schemas.openxmlformats.org/drawingml/2006/diagram}"
V = "{urn:schemas-microsoft-com:vml}"
_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.IGNORECASE)
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass
class _Counts:
    deletions: int = 0
    insertions: int = 0
    textboxes: int = 0
    images: int = 0
    charts: int = 0
    diagrams: int = 0
    shapes: int = 0
    alt_texts: int = 0
    equations: int = 0
    symbols: int = 0
    alt_chunks: int = 0


@dataclass
class _Builder:
    """Collects paragraphs into one text, remembering where each one stands."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    blocks: list[Block] = field(default_factory=list)
    tables: list[tuple[int, int]] = field(default_factory=list)
    drop_caps: int = 0

    def add(
        self,
        raw: str,
        kind: BlockKind = "paragraph",
        level: int | None = None,
        bold_label: str | None = None,
        list_item: bool = False,
    ) -> Block | None:
        text = normalise(raw).strip()
        if not text:
            return None
        last = self.blocks[-1] if self.blocks else None
        if (
            last is not None
            and kind == last.kind == "paragraph"
            and is_drop_cap(self.parts[-1], text)  # the last part is the last block's text
        ):
            # the drop cap's word goes on here: "D" + "rop cap", or "I" + " kommunen"
            joined = self.parts[-1] + (" " if raw[:1].isspace() else "") + text
            self.parts[-1] = joined
            self.length = last.start + len(joined)
            block = Block(last.start, self.length, kind, level, bold_label, last.list_item)
            self.blocks[-1] = block
            self.drop_caps += 1
            return block
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        block = Block(self.length, self.length + len(text), kind, level, bold_label, list_item)
        self.parts.append(text)
        self.length += len(text)
        self.blocks.append(block)
        return block

    def text(self) -> str:
        return "".join(self.parts)


def read_docx(path: Path, where: str) -> ParsedSource:
    check_docx_archive(path, where)
    document = _open(path, where)
    counts = _Counts()
    builder = _Builder()
    styles = _heading_levels(document)
    body = document.element.body
    _blocks(body, builder, styles, counts)
    notes = _notes_and_skipped(document, builder, counts)
    if not builder.blocks:
        found = f" ({'; '.join(notes)})" if notes else ""
        raise ImportRefused(f"{where}: the document body has no text{found}")
    return ParsedSource(
        text=builder.text(),
        blocks=builder.blocks,
        source_format="docx",
        tables=builder.tables,
        notes=notes,
    )


def _open(path: Path, where: str):  # type: ignore[no-untyped-def]
    import docx  # python-docx is imported only when a Word file is read

    try:
        return docx.Document(str(path))
    except KeyError as error:
        if _is_strict_ooxml(path):
            raise ImportRefused(
                f"{where}: a Strict Open XML document, which cannot be read; save it in Word"
                " as 'Word Document (.docx)'"
            ) from error
        raise ImportRefused(f"{where}: the Word package is incomplete ({error})") from error
    except ValueError as error:
        raise ImportRefused(f"{where}: not a Word document ({error})") from error
    except etree.XMLSyntaxError as error:
        raise ImportRefused(f"{where}: damaged XML inside the Word file ({error})") from error
    except Exception as error:  # python-docx raises many kinds on damaged packages
        raise ImportRefused(f"{where}: cannot read the Word file ({error})") from error


def _is_strict_ooxml(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        try:
            return b"purl.oclc.org/ooxml" in archive.read("_rels/.rels")
        except KeyError:
            return False


def _heading_levels(document) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Heading level by style id, from style names (Heading 1, Rubrik 1, Title)."""
    levels: dict[str, int] = {}
    try:
        styles = list(document.styles)
    except Exception:  # a document without a styles part
        return levels
    for style in styles:
        name = (getattr(style, "name", "") or "").strip()
        style_id = getattr(style, "style_id", None)
        if not style_id:
            continue
        match = _HEADING_STYLE.match(name)
        if match:
            levels[style_id] = int(match.group(1))
        elif name.lower() in {"title", "rubrik"}:
            levels[style_id] = 1
    return levels


def _blocks(
    parent: etree._Element, builder: _Builder, styles: dict[str, int], counts: _Counts
) -> None:
    for child in parent:
        tag = child.tag
        if tag == W + "p":
            _paragraph(child, builder, styles, counts)
        elif tag == W + "tbl":
            _table(child, builder, counts)
        elif tag in (W + "sdt", W + "sdtContent", W + "customXml"):
            _blocks(child, builder, styles, counts)
        elif tag == MC + "AlternateContent":
            _blocks(_chosen(child), builder, styles, counts)
        elif tag == W + "altChunk":
            counts.alt_chunks += 1


def _chosen(alternate: etree._Element) -> etree._Element:
    """The first choice of an mc:AlternateContent (its fallback repeats the same content)."""
    for child in alternate:
        if child.tag == MC + "Choice":
            return child
    for child in alternate:
        if child.tag == MC + "Fallback":
            return child
    return alternate


def _paragraph(
    p: etree._Element, builder: _Builder, styles: dict[str, int], counts: _Counts
) -> None:
    runs: list[tuple[str, bool]] = []
    textboxes: list[etree._Element] = []
    _inline(p, runs, textboxes, counts, bold=False)
    text = "".join(piece for piece, _ in runs)
    level = _level(p, styles)
    kind: BlockKind = "heading" if level else "paragraph"
    builder.add(text, kind, level, None if level else _bold_label(runs), _is_list_item(p))
    for box in textboxes:
        counts.textboxes += 1
        _blocks(box, builder, styles, counts)
    for described in p.iter(WP + "docPr"):
        if _held_elsewhere(described, p):
            continue
        alt = (described.get("descr") or "").strip()
        if alt and builder.add(f"[Bild: {alt}]", "note"):
            counts.alt_texts += 1


def _is_list_item(p: etree._Element) -> bool:
    """A paragraph of a numbered or bulleted Word list: numbering properties of its own,
    or a list style ("List Bullet", "Liststycke")."""
    ppr = p.find(W + "pPr")
    if ppr is None:
        return False
    if ppr.find(W + "numPr") is not None:
        return True
    style = ppr.find(W + "pStyle")
    name = (style.get(W + "val") or "").casefold() if style is not None else ""
    return name.startswith(("list", "lista", "liststycke"))


def _level(p: etree._Element, styles: dict[str, int]) -> int | None:
    ppr = p.find(W + "pPr")
    if ppr is None:
        return None
    style = ppr.find(W + "pStyle")
    if style is not None and style.get(W + "val") in styles:
        return styles[style.get(W + "val") or ""]
    outline = ppr.find(W + "outlineLvl")
    if outline is not None and (outline.get(W + "val") or "").isdigit():
        value = int(outline.get(W + "val") or "9")
        return value + 1 if value < 9 else None
    return None


def _is_bold(run: etree._Element) -> bool:
    rpr = run.find(W + "rPr")
    if rpr is None:
        return False
    bold = rpr.find(W + "b")
    if bold is not None:
        return bold.get(W + "val", "true").lower() not in {"0", "false", "off"}
    style = rpr.find(W + "rStyle")
    return style is not None and (style.get(W + "val") or "").lower() in {"strong", "stark"}


def _inline(
    parent: etree._Element,
    runs: list[tuple[str, bool]],
    textboxes: list[etree._Element],
    counts: _Counts,
    bold: bool,
) -> None:
    for child in parent:
        tag = child.tag
        if tag == W + "r":
            _run(child, runs, textboxes, counts)
        elif tag in _CONTAINERS:
            if tag in (W + "ins", W + "moveTo"):
                counts.insertions += 1
            _inline(child, runs, textboxes, counts, bold)
        elif tag in _DELETIONS:
            counts.deletions += 1
        elif tag == MC + "AlternateContent":
            _inline(_chosen(child), runs, textboxes, counts, bold)
        elif tag in (M + "oMath", M + "oMathPara"):
            counts.equations += 1
            runs.append(("".join(node.text or "" for node in child.iter(M + "t")), False))


def _run(
    run: etree._Element,
    runs: list[tuple[str, bool]],
    textboxes: list[etree._Element],
    counts: _Counts,
) -> None:
    bold = _is_bold(run)
    pieces: list[str] = []
    for child in run:
        tag = child.tag
        if tag == W + "t":
            pieces.append(child.text or "")
        elif tag == W + "tab" or tag == W + "ptab":
            pieces.append("\t")
        elif tag in (W + "br", W + "cr"):
            pieces.append("\n")
        elif tag == W + "noBreakHyphen":
            pieces.append("-")
        elif tag == W + "sym":
            counts.symbols += 1
        elif tag in (W + "drawing", W + "pict", W + "object", MC + "AlternateContent"):
            holder = _chosen(child) if tag == MC + "AlternateContent" else child
            boxes = [box for box in holder.iter(W + "txbxContent") if not _inside_textbox(box)]
            textboxes.extend(boxes)
            if not boxes:
                _count_object(holder, counts)
    if pieces:
        runs.append(("".join(pieces), bold))


def _held_elsewhere(element: etree._Element, paragraph: etree._Element) -> bool:
    """True when `element` sits in a text box of `paragraph` (read with the box) or in a
    fallback that repeats a choice already read."""
    for ancestor in element.iterancestors():
        if ancestor is paragraph:
            return False
        if ancestor.tag in (W + "txbxContent", MC + "Fallback"):
            return True
    return False


def _inside_textbox(box: etree._Element) -> bool:
    return any(ancestor.tag == W + "txbxContent" for ancestor in box.iterancestors())


def _count_object(holder: etree._Element, counts: _Counts) -> None:
    """Name what a drawing without a text box holds, so that the skip is reported."""
    if any(True for _ in holder.iter(C + "chart")):
        counts.charts += 1
    elif any(True for _ in holder.iter(DGM + "relIds")):
        counts.diagrams += 1
    elif any(True for _ in holder.iter(A + "blip")) or any(
        True for _ in holder.iter(V + "imagedata")
    ):
        counts.images += 1
    else:
        counts.shapes += 1


def _bold_label(runs: list[tuple[str, bool]]) -> str | None:
    """The speaker label of a paragraph that opens with a bold name and a colon."""
    index = 0
    lead = ""  # Word splits runs at will: "[00:01:10]", " " and a tab may all come apart
    while index < len(runs) and not runs[index][1]:
        lead += runs[index][0]
        index += 1
    if lead.strip() and not _LEADING_TIMESTAMP.match(lead):
        return None
    bold_text = ""
    while index < len(runs) and runs[index][1]:
        bold_text += runs[index][0]
        index += 1
    rest = "".join(piece for piece, _ in runs[index:])
    label = bold_text.strip()
    if not label:
        return None
    if label.endswith(":"):
        label = label[:-1].strip()
    elif not rest.lstrip().startswith(":"):
        return None
    if not label or len(label) > 40 or any(mark in label for mark in ".!?"):
        return None
    return label


def _table(table: etree._Element, builder: _Builder, counts: _Counts) -> None:
    first: Block | None = None
    last: Block | None = None
    for row in _children(table, W + "tr"):
        cells = []
        for cell in _children(row, W + "tc"):
            cells.append(_cell_text(cell, counts))
        block = builder.add(" | ".join(text for text in cells if text))
        if block:
            first = first or block
            last = block
    if first and last:
        builder.tables.append((first.start, last.end))


def _children(parent: etree._Element, tag: str) -> Iterable[etree._Element]:
    """Children with `tag`, looking through content controls and custom XML wrappers."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml"):
            yield from _children(child, tag)


def _cell_text(cell: etree._Element, counts: _Counts) -> str:
    texts = []
    for p in cell.iter(W + "p"):
        if any(ancestor.tag == MC + "Fallback" for ancestor in p.iterancestors()):
            continue
        runs: list[tuple[str, bool]] = []
        _inline(p, runs, [], counts, bold=False)
        text = " ".join("".join(piece for piece, _ in runs).split())
        if text:
            texts.append(text)
    return " ".join(texts)


def _notes_and_skipped(document, builder: _Builder, counts: _Counts) -> list[str]:  # type: ignore[no-untyped-def]
    notes: list[str] = []
    parts: dict[str, list] = {"footnotes": [], "endnotes": [], "comments": [], "hdrftr": []}
    for rel in document.part.rels.values():
        if rel.is_external:
            continue
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind in ("footnotes", "endnotes", "comments"):
            parts[kind].append(rel.target_part)
        elif kind in ("header", "footer"):
            parts["hdrftr"].append(rel.target_part)
    for kind, element, label in (
        ("footnotes", "footnote", "Fotnot"),
        ("endnotes", "endnote", "Slutnot"),
    ):
        found = 0
        for part in parts[kind]:
            for note in etree.fromstring(part.blob, _SAFE_PARSER).iter(W + element):
                if note.get(W + "type") in ("separator", "continuationSeparator"):
                    continue
                text = _cell_text(note, counts)
                if text and builder.add(f"[{label} {note.get(W + 'id')}] {text}", "note"):
                    found += 1
        if found:
            notes.append(f"{found} {kind} imported as notes at the end of the text")
    found = 0
    for part in parts["comments"]:
        for comment in etree.fromstring(part.blob, _SAFE_PARSER).iter(W + "comment"):
            author = comment.get(W + "author") or "okänd"
            text = _cell_text(comment, counts)
            if text and builder.add(f"[Kommentar av {author}] {text}", "note"):
                found += 1
    if found:
        notes.append(f"{found} comments imported as notes at the end of the text")
    with_text = 0
    for part in parts["hdrftr"]:
        root = etree.fromstring(part.blob, _SAFE_PARSER)
        if "".join(node.text or "" for node in root.iter(W + "t")).strip():
            with_text += 1
    if with_text:
        notes.append(f"{with_text} headers/footers with text skipped (page furniture)")
    for count, what in (
        (counts.deletions, "tracked deletions dropped (the text as it would read accepted)"),
        (counts.insertions, "tracked insertions kept"),
        (counts.textboxes, "text boxes imported after the paragraph that holds them"),
        (counts.images, "images skipped"),
        (counts.charts, "charts skipped"),
        (counts.diagrams, "SmartArt diagrams skipped (their text is not imported)"),
        (counts.shapes, "drawn shapes without text skipped"),
        (counts.alt_texts, "image descriptions (alt text) imported as notes"),
        (counts.equations, "equations imported as plain text"),
        (counts.symbols, "symbol characters (w:sym) skipped"),
        (counts.alt_chunks, "embedded alternative-format chunks skipped"),
        (builder.drop_caps, "drop caps joined to the word they begin"),
    ):
        if count:
            notes.append(f"{count} {what}")
    return notes
