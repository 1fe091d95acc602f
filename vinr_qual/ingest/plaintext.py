"""Plain text (.txt) and Markdown (.md): paragraphs are runs of lines between blank lines.

A text with no blank lines at all has one paragraph per line. In Markdown, `#` headings
are headings of their level (the heading segment covers the words, not the `#` marks)
and a table's lines form one paragraph inside a table segment. The text itself is kept
as the file has it, markup included, so that positions match the file, with one
exception: a drop cap, a paragraph of one capital followed by a paragraph that goes on in
lower case (`D` and `rop cap`), is joined to its word, and the notes say so.
"""

from __future__ import annotations

import itertools
import re

from vinr_qual.ingest.decode import decode_text
from vinr_qual.ingest.model import Block, ParsedSource
from vinr_qual.ingest.normalise import normalise

_ATX_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_TABLE_LINE = re.compile(r"^\s*\|")


def read_plain_text(data: bytes, where: str, *, markdown: bool = False) -> ParsedSource:
    decoded = decode_text(data, where)
    text = normalise(decoded.text)
    notes = list(decoded.notes)
    blocks, tables = _blocks(text, markdown)
    joined, text = _join_drop_caps(text, blocks)
    if joined:
        blocks, tables = _blocks(text, markdown)
        were = "drop cap (a paragraph of one letter) was" if joined == 1 else "drop caps were"
        notes.append(f"{joined} {were} joined to the word it begins")
    return ParsedSource(
        text=text,
        blocks=blocks,
        source_format="md" if markdown else "txt",
        encoding=decoded.encoding,
        tables=tables,
        notes=notes,
    )


def _blocks(text: str, markdown: bool) -> tuple[list[Block], list[tuple[int, int]]]:
    lines = _lines(text)
    if markdown:
        return _markdown_blocks(text, lines)
    return _paragraph_blocks(text, lines), []


def is_drop_cap(first: str, following: str) -> bool:
    """A paragraph of one capital letter, and the next one going on in lower case."""
    return len(first) == 1 and first.isalpha() and first.isupper() and following[:1].islower()


def _join_drop_caps(text: str, blocks: list[Block]) -> tuple[int, str]:
    """(how many, the text) with each drop cap joined to the paragraph it begins."""
    cuts: list[tuple[int, int]] = []
    for block, following in itertools.pairwise(blocks):
        if block.kind != "paragraph" or following.kind != "paragraph":
            continue
        if is_drop_cap(text[block.start : block.end], text[following.start : following.end]):
            cuts.append((block.end, following.start))
    if not cuts:
        return 0, text
    pieces = []
    position = 0
    for end, start in cuts:
        pieces.append(text[position:end])
        position = start
    pieces.append(text[position:])
    return len(cuts), "".join(pieces)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its newline."""
    spans = []
    start = 0
    for match in re.finditer("\n", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _is_blank(text: str, span: tuple[int, int]) -> bool:
    return not text[span[0] : span[1]].strip()


def _trimmed(text: str, start: int, end: int, kind: str = "paragraph") -> Block | None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    lead = len(piece) - len(piece.lstrip())
    return Block(start + lead, start + lead + len(stripped), kind)  # type: ignore[arg-type]


def _paragraph_blocks(text: str, lines: list[tuple[int, int]]) -> list[Block]:
    has_blank_separators = any(_is_blank(text, span) for span in lines[:-1])
    blocks: list[Block] = []
    if not has_blank_separators:
        for start, end in lines:
            block = _trimmed(text, start, end)
            if block:
                blocks.append(block)
        return blocks
    run_start: int | None = None
    run_end = 0
    for span in lines:
        if _is_blank(text, span):
            if run_start is not None:
                block = _trimmed(text, run_start, run_end)
                if block:
                    blocks.append(block)
            run_start = None
        else:
            if run_start is None:
                run_start = span[0]
            run_end = span[1]
    if run_start is not None:
        block = _trimmed(text, run_start, run_end)
        if block:
            blocks.append(block)
    return blocks


def _markdown_blocks(
    text: str, lines: list[tuple[int, int]]
) -> tuple[list[Block], list[tuple[int, int]]]:
    blocks: list[Block] = []
    tables: list[tuple[int, int]] = []
    group: list[tuple[int, int]] = []
    group_is_table = False

    def flush() -> None:
        nonlocal group
        if group:
            block = _trimmed(text, group[0][0], group[-1][1])
            if block:
                blocks.append(block)
                if group_is_table:
                    tables.append((block.start, block.end))
        group = []

    for span in lines:
        line = text[span[0] : span[1]]
        heading = _ATX_HEADING.match(line)
        if _is_blank(text, span):
            flush()
        elif heading and heading.group(2):
            flush()
            words_start = span[0] + heading.start(2)
            blocks.append(
                Block(words_start, span[0] + heading.end(2), "heading", len(heading.group(1)))
            )
        else:
            is_table = bool(_TABLE_LINE.match(line))
            if group and is_table != group_is_table:
                flush()
            group_is_table = is_table
            group.append(span)
    flush()
    return blocks, tables


def read_markdown(data: bytes, where: str) -> ParsedSource:
    return read_plain_text(data, where, markdown=True)


def parsed_text(text: str, source_format: str = "txt") -> ParsedSource:
    """A text already normalised (a REFI-QDA source) with its paragraphs, kept exactly as
    it is so that positions given over it stay true: no drop caps joined."""
    blocks, tables = _blocks(text, markdown=False)
    return ParsedSource(text=text, blocks=blocks, source_format=source_format, tables=tables)
