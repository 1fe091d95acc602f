"""From the positioned text of PDF pages to one normalised text with its structure.

The PDF reader hands over, per page, spans of glyphs with their boxes, font sizes and
weights;
everything else is decided here from geometry alone, so that the order in which a
program wrote the text into the file does not matter:

- spans become lines (by vertical overlap) and lines become chunks, split where the gap
  between two spans is wider than a column gutter or a table cell's padding can be
  mistaken for; raised small spans are superscripts;
- chunks that only a justified line's stretched word spaces set apart are joined again:
  a line's word spaces are all alike, and unlike cells and columns nothing above or
  below lines up with them;
- running headers, footers and page numbers are the lines at the top or bottom of a page
  whose text (digits aside) comes back at the same height on many pages;
- footnotes are the small-type lines at the foot of a page that begin with a number;
- a page whose lines leave a free vertical band near the middle is read column by column
  (left, then right) within each stretch of lines that do not cross the band; a stretch
  whose lines hold several cells on a side is a table instead, read row by row;
- a list item whose label stands apart from its text ("1.<tab>text") is one line of
  text, its wrapped lines hanging under the text go on with it (over a page break too);
- a table is two or more lines whose cells line up in columns; a line whose chunks stand
  in the columns (a wrapped cell, in the first column too when it is set closer than the
  rows are apart) goes to the cells of the row above;
- paragraphs are rebuilt from lines: a gap wider than the line spacing, an indented first
  line, a list marker or a short line ending a sentence starts a new one; a paragraph that
  runs on at the top of the next column or page (it does not end a sentence and the next
  line begins in lower case) is continued;
- hyphenation at line ends is undone unless the hyphen belongs to the word (`BF-arbetet`,
  `2023-2026`, `förskole- och skolverksamhet`, or a hyphenated form the document uses);
- headings are lines set larger than the body text, or bold at body size, that make a
  short paragraph (a line of digits such as "2025–2027" in the heading's style goes with
  it); their levels follow the sizes (the largest is level 1).
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
JUSTIFIED_SPREAD = 0.15  # a line's word spaces differ by less than this (in ems, or share)
LONE_CELL_GAP = 2.0  # a single gap at least this wide (in ems) is a cell gap, never a space
ALIGNED = 2.0  # cells of a table column start (or end) within this many points
WORD_ALIGNED = 1.0  # closer still for a justified line's word to count as lined up
LABEL_GAP = 4.0  # a list label stands at most this far (in ems) before its text
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
    space: float = 0.0  # the widest word space inside the span (0 for one word)


@dataclass
class Chunk:
    """Spans of one line without a wide gap: `pieces` are (text, superscript) runs;
    `space` is the widest word space inside (0 for a single word)."""

    pieces: list[tuple[str, bool]]
    x0: float
    x1: float
    size: float
    bold: bool
    space: float = 0.0

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)


@dataclass
class Line:
    """`hang` is where the text of a list item starts after its label ("•", "1."), so
    where its wrapped lines stand when they hang indented (0 for other lines)."""

    chunks: list[Chunk]
    top: float
    bottom: float
    hang: float = 0.0

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
        hang = self.hang if chunks and chunks[0].x0 == self.chunks[0].x0 else 0.0
        return Line(chunks, self.top, self.bottom, hang)


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
    _rejoin_spaced(lines)
    for line in lines:
        chunks = line.chunks
        if len(chunks) > 1 and _BULLET_ONLY.match(chunks[0].text):
            line.hang = chunks[1].x0
            chunks[:2] = [_merged(chunks[0], chunks[1])]  # "•<tab>text"
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
    core = [span for span, up in zip(ordered, raised, strict=True) if not up] or ordered
    return Line(chunks, min(s.top for s in core), max(s.bottom for s in core))


def _merged(label: Chunk, chunk: Chunk) -> Chunk:
    pieces = [*label.pieces[:-1], (label.pieces[-1][0] + " ", label.pieces[-1][1])]
    return Chunk([*pieces, *chunk.pieces], label.x0, chunk.x1, chunk.size, chunk.bold, chunk.space)


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
    space = 0.0
    previous: Span | None = None
    for span, raised in members:
        text = span.text
        space = max(space, span.space)
        if previous is not None:
            em = max(min(previous.size, span.size), 1.0)
            if span.x0 - previous.x1 > SPACE_GAP * em:
                text = " " + text
                space = max(space, span.x0 - previous.x1)
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
    bold_enough = letters > 0 and bold >= 0.8 * letters
    return Chunk(runs, members[0][0].x0, x1, size, bold_enough, space)


# ------------------------------------------------------------------ justified lines


def _rejoin_spaced(lines: list[Line]) -> None:
    """Join again the chunks of a line that only its word spaces set apart: justified
    text stretches every word space of a line alike, so in a narrow column or a line of
    long words they grow wider than a cell gap. A run of gaps next to each other that are
    about as wide as each other (and as the spaces inside their chunks) are word spaces,
    unless the lines above and below line up with them as table rows line up their
    cells: with half of them or more, or (a column's gutter) with one from both sides. A
    lone gap is a word space unless a line next to it lines up with it or it is wider
    than a justified line stretches a space (`LONE_CELL_GAP`). A list label
    ("1.", "•") keeps its own gap."""
    for index, line in enumerate(lines):
        chunks = line.chunks
        if len(chunks) < 2:
            continue
        first = chunks[0].text
        label = 1 if _BULLET_ONLY.match(first) or _LIST_LABEL.match(first) else 0
        em = max(line.size, 1.0)
        gaps = [after.x0 - before.x1 for before, after in itertools.pairwise(chunks)]
        spaces = [False] * len(gaps)
        run = label
        while run < len(gaps):
            end, low, high = run + 1, gaps[run], gaps[run]
            while end < len(gaps) and _alike(min(low, gaps[end]), max(high, gaps[end]), em):
                low, high = min(low, gaps[end]), max(high, gaps[end])
                end += 1
            members = chunks[run : end + 1]
            if not any(chunk.space and chunk.space < high - 0.25 * em for chunk in members):
                sides = [
                    _sides(lines, index, chunks[gap], chunks[gap + 1]) for gap in range(run, end)
                ]
                if end - run == 1:
                    # a lone gap this wide is a cell's, even where no row near lines up
                    spaces[run] = sides[0][0] == 0 and gaps[run] < LONE_CELL_GAP * em
                elif 2 * sum(found > 0 for found, _ in sides) < end - run:
                    for gap, (found, looked) in zip(range(run, end), sides, strict=True):
                        spaces[gap] = found < looked or found == 0
            run = end
        if any(spaces):
            joined = [[chunks[0]]]
            for gap, chunk in enumerate(chunks[1:]):
                if spaces[gap]:
                    joined[-1].append(chunk)
                else:
                    joined.append([chunk])
            line.chunks = [group[0] if len(group) == 1 else _joined(group) for group in joined]


def _alike(low: float, high: float, em: float) -> bool:
    """Whether gaps from `low` to `high` wide may be one line's stretched word spaces."""
    return high - low <= max(JUSTIFIED_SPREAD * em, JUSTIFIED_SPREAD * low)


def _lines_up(other: Line, before: Chunk, after: Chunk) -> bool:
    """Whether the gap between `before` and `after` lines up with `other` as the cells of
    a table column do: a chunk there starts where the gap ends (after a gap of its own,
    or as a wrapped cell's line); or, numbers set flush right, ends where the chunk
    before or after the gap ends."""
    last = len(other.chunks) - 1
    for position, chunk in enumerate(other.chunks):
        if abs(chunk.x0 - after.x0) <= WORD_ALIGNED and (position > 0 or chunk.x0 > before.x0):
            return True
        if not _has_digit(chunk.text):
            continue
        if (
            position < last
            and abs(chunk.x1 - before.x1) <= WORD_ALIGNED
            and _has_digit(before.text)
        ):
            return True
        if position > 0 and abs(chunk.x1 - after.x1) <= WORD_ALIGNED and _has_digit(after.text):
            return True
    return False


def _sides(lines: list[Line], index: int, before: Chunk, after: Chunk) -> tuple[int, int]:
    """Of the nearest lines above and below lines[index] (within three line heights)
    that stand over or under the gap between `before` and `after`, how many line up with
    it, and how many there are."""
    line = lines[index]
    reach = 3 * max(line.size, 1.0)
    found = looked = 0
    for step in (-1, 1):
        other = index + step
        while 0 <= other < len(lines) and abs(lines[other].top - line.top) <= reach:
            candidate = lines[other]
            if candidate.x0 < after.x1 and candidate.x1 > before.x0:
                looked += 1
                found += _lines_up(candidate, before, after)
                break
            other += step
    return found, looked


def _has_digit(text: str) -> bool:
    return any(char.isdigit() for char in text)


def _joined(chunks: list[Chunk]) -> Chunk:
    """Chunks of one line made one, with a word space between them."""
    pieces: list[tuple[str, bool]] = []
    sizes: Counter[float] = Counter()
    for chunk in chunks:
        for position, (text, raised) in enumerate(chunk.pieces):
            if position == 0 and pieces:
                text = " " + text
            if pieces and pieces[-1][1] == raised:
                pieces[-1] = (pieces[-1][0] + text, raised)
            else:
                pieces.append((text, raised))
        sizes[chunk.size] += len(chunk.text)
    space = max(after.x0 - before.x1 for before, after in itertools.pairwise(chunks))
    first, last = chunks[0], chunks[-1]
    size = sizes.most_common(1)[0][0]
    bold = all(chunk.bold for chunk in chunks)  # as the line's weight was: all its chunks'
    return Chunk(pieces, first.x0, last.x1, size, bold, space)


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
    several = sum(len(line.chunks) > 1 and not _list_item(line) for line in left + right)
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
        line = lines[position]
        hang = _list_item(line)
        if hang:
            merged = Line([_merged(*line.chunks)], line.top, line.bottom, hang)
            yield _Item("line", page, index, line=merged, left=flow.left, right=flow.right)
            position += 1
            continue
        rows = _table(lines, position)
        if rows:
            table = next(tables)
            for cells in _cells(rows):
                yield _Item("row", page, index, cells=cells, table=table)
            position += sum(len(row) for row in rows)
            continue
        yield _Item("line", page, index, line=line, left=flow.left, right=flow.right)
        position += 1


def _list_item(line: Line) -> float:
    """Where the text starts of a list item's first line whose label ("1.", "2)", "a)")
    stands apart from its text by a tab (a hanging indent), or 0 for another line."""
    chunks = line.chunks
    if len(chunks) != 2 or not _LIST_LABEL.match(chunks[0].text):
        return 0.0
    if chunks[1].x0 - chunks[0].x1 > LABEL_GAP * max(line.size, 1.0):
        return 0.0  # too far apart for a label and its text: two cells
    return chunks[1].x0


def _table(lines: list[Line], start: int) -> list[list[Line]]:
    """The rows (each its lines) of a table that starts at `start`, or [] when none does:
    two or more lines whose cells line up in columns, with the lines of cells that wrap.
    A row begins in the first column, its other chunks where columns of the rows above
    start (or, numbers set flush right, end). A line whose chunks all start where columns
    do, right of the first, is a row's wrapped cells; so is one lone chunk in the first
    column that fits it, set closer under the line above than the rows are set apart (or
    followed by another row)."""
    first = lines[start]
    if len(first.chunks) < 2:
        return []
    left = first.x0
    starts = [chunk.x0 for chunk in first.chunks]
    cells = list(first.chunks[1:])
    rows = [[first]]
    row_gaps: list[float] = []  # from the bottom of a row to the top of the next
    position = start + 1
    while position < len(lines):
        line = lines[position]
        previous = lines[position - 1]
        if line.top - previous.top > 3.5 * line.size:
            break
        if line.x0 > left + ALIGNED:
            if not all(_in_column(chunk, starts, cells) for chunk in line.chunks):
                break
            rows[-1].append(line)  # wrapped cells, the first one empty
        elif len(line.chunks) >= 2:
            if not _row_lines_up(line, starts, cells):
                break
            row_gaps.append(line.top - previous.bottom)
            rows.append([line])
        elif _wrapped_first_cell(lines, position, left, starts, row_gaps):
            rows[-1].append(line)
        else:
            break
        starts.extend(chunk.x0 for chunk in line.chunks)
        cells.extend(line.chunks[1:] if line.x0 <= left + ALIGNED else line.chunks)
        position += 1
    return rows if len(rows) >= 2 else []


def _in_column(chunk: Chunk, starts: list[float], cells: list[Chunk]) -> bool:
    """Whether a chunk starts where a column does, or ends where a (flush right) cell
    of numbers does."""
    if any(abs(chunk.x0 - start) <= ALIGNED for start in starts):
        return True
    return _has_digit(chunk.text) and any(
        abs(chunk.x1 - cell.x1) <= ALIGNED and _has_digit(cell.text) for cell in cells
    )


def _row_lines_up(line: Line, starts: list[float], cells: list[Chunk]) -> bool:
    """Whether most cells of a line after its first stand in columns of the table."""
    others = line.chunks[1:]
    aligned = sum(_in_column(chunk, starts[1:] or starts, cells) for chunk in others)
    return aligned >= 1 and 2 * aligned >= len(others)


def _wrapped_first_cell(
    lines: list[Line], position: int, left: float, starts: list[float], row_gaps: list[float]
) -> bool:
    """Whether the lone chunk of lines[position], in the first column of a table, is the
    wrapped end of the first cell of the row above."""
    line, previous = lines[position], lines[position - 1]
    chunk = line.chunks[0]
    size = max(line.size, 1.0)
    if abs(chunk.x0 - left) > ALIGNED or line.top - previous.top > 1.6 * size:
        return False
    inner = [start for start in starts if start > left + ALIGNED]
    if not inner or chunk.x1 >= min(inner) - ALIGNED:
        return False  # wider than the first column
    if row_gaps and line.top - previous.bottom < min(row_gaps) - 0.15 * size:
        return True  # set closer than the rows are
    following = position + 1
    while following < len(lines) and len(lines[following].chunks) == 1:
        candidate = lines[following]
        if abs(candidate.x0 - left) > ALIGNED or candidate.x1 >= min(inner) - ALIGNED:
            return False
        following += 1
    if following >= len(lines):
        return False
    after = lines[following]
    return (
        abs(after.x0 - left) <= ALIGNED
        and after.top - lines[following - 1].top <= 3.5 * after.size
        and _row_lines_up(after, starts, [])
    )


def _cells(rows: list[list[Line]]) -> list[list[str]]:
    """The cells of each row: the text of its lines' chunks, column by column (the
    columns being where chunks start), joined line after line."""
    columns: list[float] = []
    for x0 in sorted(chunk.x0 for row in rows for line in row for chunk in line.chunks):
        if not columns or x0 - columns[-1] > 1.5 * ALIGNED:
            columns.append(x0)
    texts: list[list[str]] = []
    for row in rows:
        found: dict[int, str] = {}
        for line in row:
            for chunk in line.chunks:
                column = max(i for i, x0 in enumerate(columns) if x0 <= chunk.x0 + ALIGNED)
                before = found.get(column)
                if before is None:
                    found[column] = chunk.text
                else:
                    kept, joiner = _joint(before, chunk.text, Counter())
                    found[column] = kept + joiner + chunk.text
        texts.append([found[column] for column in sorted(found)])
    return texts


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
    hang: float = 0.0  # where a list item's text starts after its label


def _letterless(line: Line, current: _Paragraph) -> bool:
    """A line of digits and dashes set as the last line of the open paragraph is."""
    last = current.lines[-1]
    return (
        not any(char.isalpha() for char in line.text)
        and any(char.isdigit() for char in line.text)
        and round(line.size * 2) == round(last.size * 2)
        and line.bold == last.bold
    )


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
        if not heading and current is not None and current.heading and _letterless(line, current):
            # "2025–2027" under a title goes with it, though no letter says it is a heading
            heading = self._continues(current, item, True)
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
            item.page, item.flow, start, [line], text, heading, item.left, item.right, line.hang
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
            # a list item's lines hang under its text: one there goes on with the item
            hanging = bool(current.hang) and abs(line.x0 - current.hang) <= ALIGNED
            if heading or (line.x0 > item.left + INDENT * em and not hanging):
                return False
            ends = current.text.rstrip().endswith(_SENTENCE_END)
            hyphen = current.text.endswith((*_HYPHENS, _SOFT_HYPHEN))
            return not ends and (hyphen or hanging or text[:1].islower())
        pitch = line.top - last.top
        usual = self.pitches.get(round(line.size * 2) / 2, 1.2 * line.size)
        if pitch > PARAGRAPH_GAP * usual or pitch <= 0:
            return False
        if current.hang and abs(last.x0 - current.hang) <= ALIGNED and line.x0 < last.x0 - ALIGNED:
            return False  # a list item's lines hang indented: one further left is not its own
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
