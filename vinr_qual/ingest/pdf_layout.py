"""From the positioned text of PDF pages to one normalised text with its structure.

The PDF reader hands over, per page, spans of glyphs with their boxes, font sizes and
weights;
everything else is decided here from geometry alone, so that the order in which a
program wrote the text into the file does not matter:

- spans become lines (by vertical overlap) and lines become chunks, split where the gap
  between two spans is wider than a column gutter or a table cell's padding can be
  mistaken for; raised small spans are superscripts;
- running headers, footers and page numbers are the lines at the top or bottom of a page
  whose text (digits aside) comes back at the same height on many pages;
- footnotes are the small-type lines at the foot of a page that begin with a number;
- a page whose lines leave a free vertical band near the middle is read column by column
  (left, then right) within each stretch of lines that do not cross the band; a stretch
  whose lines hold several cells on a side is a table instead, read row by row;
- paragraphs are rebuilt from lines: a gap wider than the line spacing, an indented first
  line, a list marker or a short line ending a sentence starts a new one; a paragraph that
  runs on at the top of the next column or page (it does not end a sentence and the next
  line begins in lower case) is continued;
- hyphenation at line ends is undone unless the hyphen belongs to the word (`BF-arbetet`,
  `2023-2026`, `förskole- och skolverksamhet`, or a hyphenated form the document uses);
- headings are lines set larger than the body text, or bold at body size, that make a
  short paragraph; their levels follow the sizes (the largest is level 1).
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from vinr_qual.ingest.model import Block, BlockKind
from vinr_qual.ingest.normalise import normalise

SPACE_GAP = 0.15  # a gap wider than this (in ems) between two glyphs is a word space
CHUNK_GAP = 0.8  # wider than this is a gutter or a cell boundary: a new chunk
SUPERSCRIPT_SIZE = 0.85  # a superscript is set smaller than this share of its line
SUPERSCRIPT_RISE = 0.2  # and raised by at least this share of the line's size
NOTE_SIZE = 0.88  # footnotes are set smaller than this share of the body text
HEADING_SIZE = 1.12  # headings are set at least this much larger than the body text
PARAGRAPH_GAP = 1.3  # a line pitch this much above the usual one starts a paragraph
INDENT = 0.7  # an indentation of at least this (in ems) starts a paragraph
FURNITURE_SHARE = 0.4  # a running header comes back on at least this share of the pages
FURNITURE_LINES = 2  # lines looked at, at the top and at the bottom of each page
STRETCH_GAP = 4.0  # an empty band this high (in body sizes) ends a stretch of columns
MAX_HEADING_CHARS = 200
MAX_HEADING_SHARE = 0.15  # a style that sets more of the text than this is not for headings
MAX_HEADING_LINES = 3

_SENTENCE_END = tuple(".!?:;")
_LIST_MARK = re.compile(r"^(?:[•●○◦▪■□►▶✓✔*·–—-]\s|\(?\d{1,2}(?:\.\d{1,2})*[.)]\s|[a-zA-Z][.)]\s)")
_SECTION_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+\S")
_BULLET_ONLY = re.compile(r"^[•●○◦▪■□►▶✓✔*·–—-]$")
_LIST_LABEL = re.compile(r"^\(?(?:\d{1,2}|[a-zA-Z])[.)]$")  # "1.", "2)", "a)"
_NOTE_START = re.compile(r"^(\d{1,3})(?:[.)]\s*|\s+)(?=\S)")
_WORD = re.compile(r"\w+(?:-\w+)*")
_HYPHENS = ("-", "\u2010", "\u2011")
_SOFT_HYPHEN = "\u00ad"
# words after which a hyphen at a line end is a suspended compound: "förskole- och skola"
_CONJUNCTIONS = frozenset({"och", "eller", "samt", "respektive", "resp", "som", "till", "men"})
_SUPERSCRIPTS = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_ROMAN = re.compile(r"^[ivxlcdm]+$")


# ------------------------------------------------------------------------ spans, lines


@dataclass(slots=True)
class Span:
    """Glyphs drawn one after the other in one font, with no gap wider than a word
    space allows; `top` and `bottom` count from the top of the page."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass
class Chunk:
    """Spans of one line without a wide gap: `pieces` are (text, superscript) runs."""

    pieces: list[tuple[str, bool]]
    x0: float
    x1: float
    size: float
    bold: bool

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)


@dataclass
class Line:
    chunks: list[Chunk]
    top: float
    bottom: float

    @property
    def x0(self) -> float:
        return self.chunks[0].x0

    @property
    def x1(self) -> float:
        return self.chunks[-1].x1

    @property
    def text(self) -> str:
        return " ".join(chunk.text for chunk in self.chunks)

    @property
    def size(self) -> float:
        return max(self.chunks, key=lambda chunk: len(chunk.text)).size

    @property
    def bold(self) -> bool:
        return all(chunk.bold for chunk in self.chunks)

    def part(self, chunks: list[Chunk]) -> Line:
        return Line(chunks, self.top, self.bottom)


@dataclass
class PageLines:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line]
    images: bool = False


def build_lines(spans: Sequence[Span]) -> list[Line]:
    """The lines of one page, top to bottom, from its spans in any order."""
    rows: list[list[Span]] = []
    bands: list[tuple[float, float]] = []
    for span in sorted(spans, key=lambda span: span.top + span.bottom):
        top, bottom = span.top, span.bottom
        for index in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            band_top, band_bottom = bands[index]
            overlap = min(band_bottom, bottom) - max(band_top, top)
            if overlap >= 0.5 * min(band_bottom - band_top, bottom - top):
                rows[index].append(span)
                bands[index] = (min(band_top, top), max(band_bottom, bottom))
                break
        else:
            rows.append([span])
            bands.append((top, bottom))
    lines = [_line(row) for row in rows]
    lines.sort(key=lambda line: (line.top, line.x0))
    return lines


def _line(spans: list[Span]) -> Line:
    ordered: list[Span] = []
    for span in sorted(spans, key=lambda span: span.x0):
        if ordered and _overprint(ordered[-1], span):
            continue  # the same text drawn twice (a shadow or fake bold)
        ordered.append(span)
    sizes: Counter[float] = Counter()
    for span in ordered:
        sizes[round(span.size, 1)] += len(span.text)
    body = sizes.most_common(1)[0][0]
    body_bottom = statistics.median(s.bottom for s in ordered if round(s.size, 1) == body)
    raised = [
        span.size < SUPERSCRIPT_SIZE * body and span.bottom < body_bottom - SUPERSCRIPT_RISE * body
        for span in ordered
    ]
    chunks: list[Chunk] = []
    members: list[tuple[Span, bool]] = []
    for span, up in zip(ordered, raised, strict=True):
        if members:
            last = members[-1][0]
            em = max(min(last.size, span.size), 0.5 * body)
            if span.x0 - last.x1 > CHUNK_GAP * max(em, body):
                chunks.append(_chunk(members))
                members = []
        members.append((span, up))
    chunks.append(_chunk(members))
    if len(chunks) > 1 and _BULLET_ONLY.match(chunks[0].text):
        chunks[:2] = [_merged(chunks[0], chunks[1])]  # "•<tab>text"
    core = [span for span, up in zip(ordered, raised, strict=True) if not up] or ordered
    return Line(chunks, min(s.top for s in core), max(s.bottom for s in core))


def _merged(label: Chunk, chunk: Chunk) -> Chunk:
    pieces = [*label.pieces[:-1], (label.pieces[-1][0] + " ", label.pieces[-1][1])]
    return Chunk([*pieces, *chunk.pieces], label.x0, chunk.x1, chunk.size, chunk.bold)


def _overprint(previous: Span, span: Span) -> bool:
    return (
        span.text == previous.text
        and abs(span.x0 - previous.x0) < 0.15 * span.size
        and abs(span.top - previous.top) < 0.15 * span.size
    )


def _chunk(members: list[tuple[Span, bool]]) -> Chunk:
    pieces: list[tuple[str, bool]] = []
    sizes: Counter[float] = Counter()
    bold = letters = 0
    previous: Span | None = None
    for span, raised in members:
        text = span.text
        if previous is not None:
            em = max(min(previous.size, span.size), 1.0)
            if span.x0 - previous.x1 > SPACE_GAP * em:
                text = " " + text
        if pieces and pieces[-1][1] == raised:
            pieces[-1] = (pieces[-1][0] + text, raised)
        else:
            pieces.append((text, raised))
        if not raised:
            sizes[round(span.size, 1)] += len(span.text)
        count = len(span.text) - span.text.count(" ")
        letters += count
        bold += count if span.bold else 0
        previous = span
    size = sizes.most_common(1)[0][0] if sizes else members[0][0].size
    runs = [(normalise(text), raised) for text, raised in pieces]
    x1 = max(span.x1 for span, _ in members)
    return Chunk(runs, members[0][0].x0, x1, size, letters > 0 and bold >= 0.8 * letters)


# ------------------------------------------------------------------------ composition


@dataclass
class Composition:
    text: str
    blocks: list[Block]
    tables: list[tuple[int, int]]
    page_starts: list[int]
    furniture_lines: int = 0
    footnotes: int = 0
    column_pages: list[int] = field(default_factory=list)
    image_pages: list[int] = field(default_factory=list)
    blank_pages: list[int] = field(default_factory=list)


def compose(pages: Sequence[PageLines]) -> Composition:
    """The document's text, blocks, tables and page starts, in reading order."""
    furniture = _remove_furniture(pages)
    body = _body_size(pages)
    vocabulary = _vocabulary(pages)
    items: list[_Item] = []
    column_pages: list[int] = []
    footnotes = 0
    tables = itertools.count(1)
    for page in pages:
        lines, notes = _split_notes(page.lines, body)
        refs = {number for number, _ in notes}
        lines = [_resolved(line, refs) for line in lines]
        flows, columns = _flows(lines, body)
        if columns:
            column_pages.append(page.number)
        for flow_index, flow in enumerate(flows):
            items.extend(_flow_items(flow, page.number, flow_index, tables))
        for number, text in notes:
            items.append(_Item("note", page.number, -1, text=f"[Fotnot {number}] {text}"))
        footnotes += len(notes)
    pitches = _usual_pitches(items)
    writer = _Writer(len(pages), body, pitches, vocabulary, _style_shares(pages))
    for item in items:
        writer.add(item)
    writer.finish()
    empty = [page for page in pages if not any(item.page == page.number for item in items)]
    return Composition(
        text=writer.text(),
        blocks=writer.blocks,
        tables=writer.tables,
        page_starts=writer.page_starts(),
        furniture_lines=furniture,
        footnotes=footnotes,
        column_pages=column_pages,
        image_pages=[page.number for page in empty if page.images],
        blank_pages=[page.number for page in empty if not page.images],
    )


# ------------------------------------------------------------------ page furniture


def _furniture_key(text: str) -> str:
    words = re.sub(r"\d+", "#", text.lower()).split()
    return " ".join("#" if _ROMAN.match(word) else word for word in words)


def _remove_furniture(pages: Sequence[PageLines]) -> int:
    """Drop lines at the top or bottom of pages that repeat (numbers aside) at about the
    same height on many pages; returns how many were dropped."""
    seen: dict[tuple[str, str], list[tuple[PageLines, Line, float]]] = {}
    for page in pages:
        lines = page.lines
        for band, chosen in (
            ("top", lines[:FURNITURE_LINES]),
            ("bottom", lines[-FURNITURE_LINES:]),
        ):
            for line in chosen:
                key = _furniture_key(line.text)
                if not key or line.chunks[0].pieces[0][1]:  # a footnote's raised number
                    continue
                height = line.top if band == "top" else page.height - line.bottom
                seen.setdefault((band, key), []).append((page, line, height))
    with_text = sum(1 for page in pages if page.lines)
    needed = max(2, FURNITURE_SHARE * with_text)
    removed: dict[int, set[int]] = {}
    for found in seen.values():
        if len({id(page) for page, _, _ in found}) < needed:
            continue
        usual = statistics.median(height for _, _, height in found)
        for page, line, height in found:
            if abs(height - usual) <= max(0.02 * page.height, 2 * line.size):
                removed.setdefault(id(page), set()).add(id(line))
    count = 0
    for page in pages:
        gone = removed.get(id(page))
        if gone:
            kept = [line for line in page.lines if id(line) not in gone]
            count += len(page.lines) - len(kept)
            page.lines = kept
    return count


# ------------------------------------------------------------------- text statistics


def _body_size(pages: Sequence[PageLines]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            for chunk in line.chunks:
                sizes[round(chunk.size * 2) / 2] += len(chunk.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _style(size: float, bold: bool) -> tuple[float, bool]:
    return round(size * 2) / 2, bold


def _style_shares(pages: Sequence[PageLines]) -> dict[tuple[float, bool], float]:
    """The share of the text set in each style (size and weight)."""
    counts: Counter[tuple[float, bool]] = Counter()
    for page in pages:
        for line in page.lines:
            counts[_style(line.size, line.bold)] += len(line.text)
    total = sum(counts.values()) or 1
    return {style: count / total for style, count in counts.items()}


def _vocabulary(pages: Sequence[PageLines]) -> Counter[str]:
    words: Counter[str] = Counter()
    for page in pages:
        for line in page.lines:
            words.update(word.lower() for word in _WORD.findall(line.text))
    return words


# ------------------------------------------------------------------------ footnotes


def _split_notes(lines: list[Line], body: float) -> tuple[list[Line], list[tuple[int, str]]]:
    """Footnotes: the trailing small-type lines of a page, from one that begins with a
    number (set raised or not); each line beginning with a number starts a note."""
    first = len(lines)
    while first > 0 and lines[first - 1].size < NOTE_SIZE * body:
        first -= 1
    start = next((i for i in range(first, len(lines)) if _note_number(lines[i])), None)
    if start is None:
        return lines, []
    notes: list[tuple[int, list[str]]] = []
    for line in lines[start:]:
        found = _note_number(line)
        if found:
            notes.append((found[0], [found[1]]))
        else:
            notes[-1][1].append(line.text)
    return lines[:start], [(number, _joined_lines(parts)) for number, parts in notes]


def _note_number(line: Line) -> tuple[int, str] | None:
    pieces = line.chunks[0].pieces
    rest_chunks = " ".join(chunk.text for chunk in line.chunks[1:])
    if pieces[0][1] and pieces[0][0].strip().isdigit() and len(pieces[0][0].strip()) <= 3:
        rest = "".join(text for text, _ in pieces[1:]).strip()
        rest = f"{rest} {rest_chunks}".strip()
        return (int(pieces[0][0]), rest) if rest else None
    text = line.text
    match = _NOTE_START.match(text)
    if match:
        return int(match.group(1)), text[match.end() :].strip()
    return None


def _joined_lines(parts: list[str]) -> str:
    text = parts[0]
    for part in parts[1:]:
        text, joiner = _joint(text, part, Counter())
        text += joiner + part
    return text


def _resolved(line: Line, refs: set[int]) -> Line:
    """Superscripts made text: a footnote reference to a note on the page is dropped (as
    the Word reader drops them), any other becomes superscript characters (m², x³)."""
    changed = False
    chunks = []
    for chunk in line.chunks:
        if not any(raised for _, raised in chunk.pieces):
            chunks.append(chunk)
            continue
        changed = True
        pieces: list[tuple[str, bool]] = []
        for text, raised in chunk.pieces:
            if raised:
                number = text.strip()
                text = "" if number.isdigit() and int(number) in refs else _superscript(text)
            if text:
                if pieces:
                    pieces[-1] = (pieces[-1][0] + text, False)
                else:
                    pieces.append((text, False))
        if pieces:
            merged = re.sub(r" {2,}", " ", pieces[0][0]).strip()
            chunks.append(Chunk([(merged, False)], chunk.x0, chunk.x1, chunk.size, chunk.bold))
    if not changed:
        return line
    return line.part(chunks) if chunks else line


def _superscript(text: str) -> str:
    converted = text.strip().translate(_SUPERSCRIPTS)
    return converted if all(not char.isascii() for char in converted) else text


# ------------------------------------------------------------------ columns and tables


@dataclass
class _Flow:
    """Lines read one after the other: a column of a stretch, or the whole width."""

    lines: list[Line]
    left: float
    right: float


def _flow(lines: list[Line]) -> _Flow:
    starts = Counter(round(line.x0) for line in lines)
    repeated = [start for start, count in starts.items() if count > 1]
    left = min(repeated) if repeated else min(line.x0 for line in lines)
    return _Flow(lines, left, max(line.x1 for line in lines))


def _flows(lines: list[Line], body: float) -> tuple[list[_Flow], bool]:
    """The page's lines as flows in reading order, and whether columns were found."""
    if len(lines) < 4:
        return ([_flow(lines)] if lines else []), False
    gutter = _gutter(lines, body)
    if gutter is None:
        return [_flow(lines)], False
    g0, g1 = gutter
    flows: list[_Flow] = []
    columns = False
    wide: list[Line] = []
    stretch: list[Line] = []

    def flush_stretch() -> None:
        nonlocal columns
        if not stretch:
            return
        split = _as_columns(stretch, g0, g1)
        if split is None:
            wide.extend(stretch)
        else:
            flush_wide()
            columns = True
            flows.extend(_flow(side) for side in split if side)
        stretch.clear()

    def flush_wide() -> None:
        if wide:
            flows.append(_flow(list(wide)))
            wide.clear()

    for line in lines:
        if any(chunk.x0 < g1 and chunk.x1 > g0 for chunk in line.chunks):
            flush_stretch()
            wide.append(line)
        else:
            if stretch and line.top - stretch[-1].bottom > STRETCH_GAP * body:
                flush_stretch()  # columns do not reach across a wide empty band
            stretch.append(line)
    flush_stretch()
    flush_wide()
    return flows, columns


def _gutter(lines: list[Line], body: float) -> tuple[float, float] | None:
    """A vertical band near the middle of the text that few lines cross."""
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    width = right - left
    if width < 20 * body:
        return None
    events: list[tuple[float, int]] = []
    for line in lines:
        for chunk in line.chunks:
            events.append((chunk.x0, 1))
            events.append((chunk.x1, -1))
    events.sort()
    zone0, zone1 = left + 0.2 * width, left + 0.8 * width
    depth = 0
    best: tuple[int, float, float, float] | None = None  # (crossing, -width, x0, x1)
    for (x, step), (following, _) in itertools.pairwise(events):
        depth += step
        a, b = max(x, zone0), min(following, zone1)
        if b - a < 0.5 * body:
            continue
        candidate = (depth, -(b - a), a, b)
        if best is None or candidate < best:
            best = candidate
    if best is None or best[0] > 0.3 * len(lines):
        return None
    return best[2], best[3]


def _as_columns(lines: list[Line], g0: float, g1: float) -> list[list[Line]] | None:
    """Left and right column of a stretch of lines that do not cross the gutter, or None
    when the stretch reads row by row (a table, a form, a line of two fields)."""
    left = [line.part([c for c in line.chunks if c.x1 <= g0]) for line in lines]
    right = [line.part([c for c in line.chunks if c.x0 >= g1]) for line in lines]
    left = [line for line in left if line.chunks]
    right = [line for line in right if line.chunks]
    if len(left) < 2 or len(right) < 2 or len(left) + len(right) < 5:
        return None
    several = sum(len(line.chunks) > 1 for line in left + right)
    if several > 0.2 * (len(left) + len(right)):
        return None
    for side in (left, right):
        widths = [line.x1 - line.x0 for line in side]
        longest = max(widths)
        if sum(width >= 0.6 * longest for width in widths) < 0.5 * len(widths):
            return None
    return [left, right]


# ------------------------------------------------------------------------------ items


@dataclass
class _Item:
    kind: str  # "line", "row", "note"
    page: int
    flow: int
    line: Line | None = None
    text: str = ""
    cells: list[str] = field(default_factory=list)
    table: int = 0
    left: float = 0.0
    right: float = 0.0


def _flow_items(flow: _Flow, page: int, index: int, tables: Iterator[int]) -> Iterable[_Item]:
    lines = flow.lines
    position = 0
    while position < len(lines):
        end = _table_end(lines, position)
        if end > position and _numbered_list(lines[position:end]):
            for line in lines[position:end]:
                merged = line.part([_merged(line.chunks[0], line.chunks[1])])
                yield _Item("line", page, index, line=merged, left=flow.left, right=flow.right)
            position = end
            continue
        if end > position:
            table = next(tables)
            for row in _rows(lines[position:end]):
                yield _Item("row", page, index, cells=row, table=table)
            position = end
            continue
        yield _Item("line", page, index, line=lines[position], left=flow.left, right=flow.right)
        position += 1


def _numbered_list(lines: list[Line]) -> bool:
    """Lines of a list numbered "1.", "2." with a tab after the number, not a table."""
    return all(len(line.chunks) == 2 and _LIST_LABEL.match(line.chunks[0].text) for line in lines)


def _table_end(lines: list[Line], start: int) -> int:
    """The end of a table that starts at `start` (== start when none does): two or more
    lines of several cells that line up, with their wrapped continuation lines."""
    if len(lines[start].chunks) < 2:
        return start
    columns = [chunk for chunk in lines[start].chunks]
    end = start + 1
    rows = 1
    while end < len(lines):
        line = lines[end]
        pitch = line.top - lines[end - 1].top
        if pitch > 3.5 * line.size:
            break
        aligned = sum(any(_aligned(chunk, column) for column in columns) for chunk in line.chunks)
        if len(line.chunks) >= 2 and aligned >= min(2, len(line.chunks)):
            rows += 1
        elif aligned == len(line.chunks) and line.x0 > columns[0].x0 + 3:
            pass  # a continuation: the first cell is empty
        else:
            break
        columns.extend(line.chunks)
        end += 1
    return end if rows >= 2 else start


def _aligned(chunk: Chunk, column: Chunk) -> bool:
    return abs(chunk.x0 - column.x0) <= 4 or abs(chunk.x1 - column.x1) <= 4


def _rows(lines: list[Line]) -> list[list[str]]:
    starts = sorted({round(chunk.x0) for line in lines for chunk in line.chunks})
    rows: list[list[str]] = []
    first = lines[0].chunks[0].x0
    for line in lines:
        cells = [chunk.text for chunk in line.chunks]
        if rows and line.x0 > first + 3:
            previous = rows[-1]
            # a wrapped cell: its text goes to the cell of the previous row it stands under
            row_starts = _row_starts(lines, line, starts)
            for chunk, column in zip(line.chunks, row_starts, strict=True):
                target = min(column, len(previous) - 1)
                previous[target] = f"{previous[target]} {chunk.text}".strip()
            continue
        rows.append(cells)
    return rows


def _row_starts(lines: list[Line], line: Line, starts: list[int]) -> list[int]:
    """For each chunk of a continuation line, the index of the cell above it."""
    header = max(lines, key=lambda candidate: len(candidate.chunks))
    indexes = []
    for chunk in line.chunks:
        best = 0
        for index, column in enumerate(header.chunks):
            if column.x0 <= chunk.x0 + 4:
                best = index
        indexes.append(best)
    return indexes


def _usual_pitches(items: Sequence[_Item]) -> dict[float, float]:
    """The usual distance from one line to the next, by font size."""
    found: dict[float, Counter[float]] = {}
    previous: _Item | None = None
    for item in items:
        if item.kind == "line" and previous is not None and previous.kind == "line":
            a, b = previous.line, item.line
            assert a is not None and b is not None
            if item.page == previous.page and item.flow == previous.flow:
                size = round(b.size * 2) / 2
                pitch = b.top - a.top
                if round(a.size * 2) / 2 == size and 0.9 * size <= pitch <= 2.5 * size:
                    found.setdefault(size, Counter())[round(pitch * 2) / 2] += 1
        previous = item
    return {size: counts.most_common(1)[0][0] for size, counts in found.items()}


# ------------------------------------------------------------------------ hyphenation


def _joint(before: str, after: str, vocabulary: Counter[str]) -> tuple[str, str]:
    """How a line ending `before` joins the next line `after`: (before, as it is kept;
    the text put between). A hyphen at the line end is dropped unless it belongs to the
    word."""
    if before.endswith(_SOFT_HYPHEN):
        return before[:-1], ""
    if not before.endswith(_HYPHENS) or len(before) < 2 or not before[-2].isalnum():
        return before, " "
    prefix_match = re.search(r"(\w+)\W$", before)
    suffix_match = re.match(r"\w+", after)
    if prefix_match is None or suffix_match is None:
        return before, " " if suffix_match is None else ""
    prefix, suffix = prefix_match.group(1), suffix_match.group(0)
    if suffix.lower() in _CONJUNCTIONS:
        return before, " "
    if not any(char.islower() for char in prefix) or suffix[0].isupper() or suffix[0].isdigit():
        return before, ""
    hyphenated = f"{prefix}-{suffix}".lower()
    if vocabulary[hyphenated] > vocabulary[(prefix + suffix).lower()]:
        return before, ""
    return before[:-1], ""


# ----------------------------------------------------------------------------- writer


@dataclass
class _Paragraph:
    page: int
    flow: int
    start: int  # where it will stand in the text
    lines: list[Line]
    text: str
    heading: bool
    left: float
    right: float


class _Writer:
    """Appends blocks one after the other, keeping track of positions and page starts."""

    def __init__(
        self,
        pages: int,
        body: float,
        pitches: dict[float, float],
        vocabulary: Counter[str],
        shares: dict[tuple[float, bool], float],
    ) -> None:
        self.shares = shares
        self.parts: list[str] = []
        self.length = 0
        self.blocks: list[Block] = []
        self.tables: list[tuple[int, int]] = []
        self.starts: list[int | None] = [None] * pages
        self.body = body
        self.pitches = pitches
        self.vocabulary = vocabulary
        self.open: _Paragraph | None = None
        self.pending: list[_Item] = []  # notes held back while a paragraph may run on
        self.table: tuple[int, int] | None = None  # (table id, start of its first row)
        self.last_table = 0
        self.heading_styles: list[tuple[float, bool]] = []
        self.heading_texts: list[str] = []

    # positions

    def _separator(self, row_of: int = 0) -> str:
        if not self.parts:
            return ""
        return "\n" if row_of and row_of == self.last_table else "\n\n"

    def _mark_page(self, page: int, position: int) -> None:
        if self.starts[page - 1] is None:
            self.starts[page - 1] = position

    def _append(self, text: str, kind: BlockKind, level: int | None = None, row_of: int = 0) -> int:
        separator = self._separator(row_of)
        self.parts.append(separator + text)
        start = self.length + len(separator)
        self.length = start + len(text)
        self.blocks.append(Block(start, self.length, kind, level))
        return start

    # items

    def add(self, item: _Item) -> None:
        if item.kind == "note":
            if self.open is not None:
                self.pending.append(item)
            else:
                self._note(item)
            return
        if item.kind == "row":
            self._close()
            self._row(item)
            return
        assert item.line is not None
        self._line(item)

    def _note(self, item: _Item) -> None:
        self._end_table()
        text = item.text.strip()
        start = self.length + len(self._separator())
        self._mark_page(item.page, start)
        self._append(text, "note")

    def _row(self, item: _Item) -> None:
        text = " | ".join(cell for cell in item.cells if cell)
        if not text:
            return
        if self.table is None or self.table[0] != item.table:
            self._end_table()
        start = self.length + len(self._separator(item.table))
        self._mark_page(item.page, start)
        self._append(text, "paragraph", row_of=item.table)
        if self.table is None:
            self.table = (item.table, start)
        self.last_table = item.table

    def _end_table(self) -> None:
        if self.table is not None:
            self.tables.append((self.table[1], self.length))
            self.table = None
        self.last_table = 0

    def _line(self, item: _Item) -> None:
        line = item.line
        assert line is not None
        text = line.text
        heading = self._heading_style(line)
        current = self.open
        if current is not None and self._continues(current, item, heading):
            before, joiner = _joint(current.text, text, self.vocabulary)
            offset = len(before) + len(joiner)
            self._mark_page(item.page, current.start + offset)
            current.text = before + joiner + text
            current.lines.append(line)
            current.page, current.flow = item.page, item.flow
            current.left, current.right = item.left, item.right
            return
        self._close()
        self._end_table()
        start = self.length + len(self._separator())
        self._mark_page(item.page, start)
        self.open = _Paragraph(
            item.page, item.flow, start, [line], text, heading, item.left, item.right
        )

    def _heading_style(self, line: Line) -> bool:
        if not any(char.isalpha() for char in line.text):
            return False
        if self.shares.get(_style(line.size, line.bold), 0.0) > MAX_HEADING_SHARE:
            return False  # headings are a small part of a text
        if line.size >= HEADING_SIZE * self.body:
            return True
        return line.bold and line.size >= 0.95 * self.body

    def _continues(self, current: _Paragraph, item: _Item, heading: bool) -> bool:
        line = item.line
        assert line is not None
        last = current.lines[-1]
        text = line.text
        em = max(line.size, 1.0)
        same_style = (
            heading == current.heading
            and round(line.size * 2) == round(last.size * 2)
            and (not heading or line.bold == last.bold)
        )
        if not same_style or _LIST_MARK.match(text):
            return False
        if item.page != current.page or item.flow != current.flow:
            # the top of the next column or page: only a paragraph cut mid-sentence goes on
            if heading or line.x0 > item.left + INDENT * em:
                return False
            ends = current.text.rstrip().endswith(_SENTENCE_END)
            hyphen = current.text.endswith((*_HYPHENS, _SOFT_HYPHEN))
            return not ends and (hyphen or text[:1].islower())
        pitch = line.top - last.top
        usual = self.pitches.get(round(line.size * 2) / 2, 1.2 * line.size)
        if pitch > PARAGRAPH_GAP * usual or pitch <= 0:
            return False
        indented = line.x0 > last.x0 + INDENT * em and line.x0 > item.left + INDENT * em
        if indented and not _LIST_MARK.match(current.text):
            return False  # a first-line indent (a list item's own lines hang indented)
        short = last.x1 < current.right - 0.3 * (current.right - current.left)
        if short and current.text.rstrip().endswith(_SENTENCE_END):
            first = text[:1]
            if first.isupper() or first.isdigit():
                return False
        return True

    def _close(self) -> None:
        current = self.open
        if current is None:
            return
        self.open = None
        text = current.text.strip()
        is_heading = (
            current.heading
            and len(current.lines) <= MAX_HEADING_LINES
            and len(text) <= MAX_HEADING_CHARS
            and (
                current.lines[0].size >= HEADING_SIZE * self.body
                or not text.endswith((".", ",", ";"))
            )
        )
        kind: BlockKind = "heading" if is_heading else "paragraph"
        if text:
            start = self._append(text, kind)
            assert start == current.start, "nothing is written while a paragraph is open"
            if is_heading:
                line = current.lines[0]
                self.heading_styles.append(_style(line.size, line.bold))
                self.heading_texts.append(text)
        notes, self.pending = self.pending, []
        for note in notes:
            self._note(note)

    def finish(self) -> None:
        self._close()
        self._end_table()
        levels = _heading_levels(self.heading_styles, self.heading_texts)
        style_of = iter(self.heading_styles)
        self.blocks = [
            Block(block.start, block.end, "heading", levels[next(style_of)])
            if block.kind == "heading"
            else block
            for block in self.blocks
        ]

    def text(self) -> str:
        return "".join(self.parts)

    def page_starts(self) -> list[int]:
        starts: list[int] = []
        following = self.length
        for start in reversed(self.starts):
            following = start if start is not None and start <= following else following
            starts.append(following)
        return starts[::-1]


def _heading_levels(
    styles: list[tuple[float, bool]], texts: list[str]
) -> dict[tuple[float, bool], int]:
    """A level for each heading style: the depth of the section numbers its headings
    carry ("2.1 Syfte" is level 2); a style without numbers is one level below the
    nearest larger numbered style (level 1 if none is larger); with no numbered headings
    at all, the sizes rank the levels."""
    depths: dict[tuple[float, bool], Counter[int]] = {}
    for style, text in zip(styles, texts, strict=True):
        match = _SECTION_NUMBER.match(text)
        if match:
            depths.setdefault(style, Counter())[match.group(1).count(".") + 1] += 1
    ranked = sorted(set(styles), key=lambda style: (-style[0], not style[1]))
    if not depths:
        return {style: min(index + 1, 6) for index, style in enumerate(ranked)}
    levels = {style: counts.most_common(1)[0][0] for style, counts in depths.items()}
    for index, style in enumerate(ranked):
        if style in levels:
            continue
        larger = [levels[other] for other in ranked[:index] if other in levels]
        levels[style] = min(larger[-1] + 1, 6) if larger else 1
    return levels
