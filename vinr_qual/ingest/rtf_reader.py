"""Rich Text Format (.rtf), as Word, WordPad and TextEdit save it, read with striprtf.

striprtf turns RTF into plain text: code pages from `\\ansicpg` and the font table for
`\\'e5` escapes, `\\u229` escapes with their fallbacks skipped, destinations such as the
font table, styles, document info and pictures left out. Before it runs, the places this
reader needs are marked in the RTF with private-use characters that striprtf passes
through (`{\\uc1\\u57344?}`), and found again in its output:

- paragraphs (`\\par`) and line breaks inside them (`\\line`);
- headings: a paragraph with an outline level (`\\outlinelevel0` is level 1);
- tables: cells (`\\cell`) joined by " | ", one paragraph per row (`\\row`);
- footnotes, endnotes and comments: taken out of the paragraph they stand in and
  appended at the end of the text as notes.

Pictures, embedded objects, text boxes and page headers and footers are left out, and
the notes count them: nothing is dropped silently.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.model import ParsedSource
from vinr_qual.ingest.textbuilder import TextBuilder

MAX_RTF_BYTES = 100 * 1024 * 1024
NOTE_OPEN, NOTE_CLOSE, ENDNOTE, COMMENT = "\ue000", "\ue001", "\ue002", "\ue003"
CELL, ROW, LINE = "\ue004", "\ue005", "\ue006"
HEADING = 0xE010  # + outline level 0–8
_MARKS = {
    "cell": CELL,
    "nestcell": CELL,
    "row": ROW,
    "line": LINE,
    "ftnalt": ENDNOTE,
}
_NOTE_GROUPS = {"footnote": NOTE_OPEN, "annotation": NOTE_OPEN + COMMENT}
_TOKEN = re.compile(r"\\[\\{}]|\\\*|\\bin(\d+) ?|\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|[{}]")
_SKIPPED = {
    "pict": "images",
    "nonshppict": "",  # the same picture again, for older readers
    "object": "embedded objects",
    "shptxt": "text boxes (their text is not imported)",
    "header": "headers",
    "headerl": "headers",
    "headerr": "headers",
    "headerf": "headers",
    "footer": "footers",
    "footerl": "footers",
    "footerr": "footers",
    "footerf": "footers",
}
_CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")
_PRIVATE = re.compile("[\ue000-\ue0ff]")
_UNICODE = re.compile(r"\\u(-?\d{1,6})")


def _mark(character: str) -> str:
    return "{\\uc1\\u" + str(ord(character)) + "?}"


@dataclass
class _Marked:
    rtf: str
    counts: dict[str, int]


def _mark_places(rtf: str) -> _Marked:
    """The RTF with markers where paragraphs, cells, headings and notes are, and a count
    of each kind of part striprtf leaves out."""
    out: list[str] = []
    position = 0
    depth = 0
    note_depths: list[int] = []
    counts: dict[str, int] = {}
    pending_star: int | None = None  # where a `\*` stands, dropped before a note group
    for token in _TOKEN.finditer(rtf):
        text = token.group(0)
        out.append(rtf[position : token.start()])
        position = token.end()
        word = token.group(2)
        if text == "\\*":
            pending_star = len(out)
            out.append(text)
            continue
        if token.group(1) is not None:  # \binN: N bytes of data, copied untouched
            length = int(token.group(1))
            out.append(text + rtf[position : position + length])
            position += length
        elif text == "{":
            depth += 1
            out.append(text)
        elif text == "}":
            if note_depths and depth == note_depths[-1]:
                note_depths.pop()
                out.append(_mark(NOTE_CLOSE))
            depth -= 1
            out.append(text)
        elif word in _NOTE_GROUPS:
            if pending_star is not None and pending_star == len(out) - 2:
                out[pending_star] = ""
            note_depths.append(depth)
            counts[word] = counts.get(word, 0) + 1
            out.append("".join(_mark(mark) for mark in _NOTE_GROUPS[word]))
        elif word in _MARKS:
            out.append(_mark(_MARKS[word]))
            counts[word] = counts.get(word, 0) + 1
        elif word == "outlinelevel":
            level = int(token.group(3) or 0)
            out.append(text)
            if 0 <= level <= 8:
                out.append(_mark(chr(HEADING + level)))
        else:
            if word in _SKIPPED:
                counts[word] = counts.get(word, 0) + 1
            out.append(text)
        pending_star = None
    out.append(rtf[position:])
    return _Marked("".join(out), counts)


def _code_page(data: bytes) -> str:
    found = _CODE_PAGE.search(data[:4096])
    if found:
        name = f"cp{int(found.group(1))}"
        try:
            codecs.lookup(name)
            return name
        except LookupError:
            pass
    if re.search(rb"\\mac(?![a-z])", data[:4096]):
        return "mac_roman"
    return "cp1252"


def read_rtf(data: bytes, where: str) -> ParsedSource:
    if len(data) > MAX_RTF_BYTES:
        raise ImportRefused(f"{where}: {len(data)} bytes is more than an RTF file may have")
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise ImportRefused(f"{where}: not an RTF file (it should begin with {{\\rtf)")
    encoding = _code_page(data)
    rtf = data.decode(encoding, errors="replace").lstrip("\ufeff \t\r\n")
    if _PRIVATE.search(rtf) or any(
        0xE000 <= int(value) % 0x10000 <= 0xE0FF for value in _UNICODE.findall(rtf)
    ):
        raise ImportRefused(
            f"{where}: the RTF holds private-use characters that this reader uses as marks"
        )
    marked = _mark_places(rtf)
    from striprtf.striprtf import rtf_to_text  # imported only when an RTF file is read

    notes: list[str] = []
    try:
        try:
            plain = rtf_to_text(marked.rtf, encoding=encoding, errors="strict")
        except UnicodeDecodeError:
            plain = rtf_to_text(marked.rtf, encoding=encoding, errors="replace")
            notes.append(
                f"{plain.count(chr(0xFFFD))} characters that do not decode in their code"
                " page shown as \ufffd"
            )
    except (ValueError, IndexError, KeyError) as error:
        raise ImportRefused(f"{where}: cannot read the RTF ({error})") from error
    # \u escapes above U+FFFF come as UTF-16 surrogate pairs: join them
    plain = plain.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    body, found_notes = _take_notes(plain)
    builder = TextBuilder()
    _paragraphs(body, builder)
    for label, text in found_notes:
        builder.add(f"[{label}] {text}", "note")
    notes.extend(_skipped(marked.counts, found_notes))
    if not builder.blocks:
        raise ImportRefused(f"{where}: the document has no text")
    return ParsedSource(
        text=builder.text(),
        blocks=builder.blocks,
        source_format="rtf",
        encoding=encoding,
        tables=builder.tables,
        notes=notes,
    )


def _take_notes(plain: str) -> tuple[str, list[tuple[str, str]]]:
    """The text without its notes, and the notes as (label, text) in order."""
    body: list[str] = []
    found: list[tuple[str, str]] = []
    numbers = {"Fotnot": 0, "Slutnot": 0, "Kommentar": 0}
    position = 0
    while (start := plain.find(NOTE_OPEN, position)) != -1:
        body.append(plain[position:start])
        end = plain.find(NOTE_CLOSE, start)
        end = len(plain) if end == -1 else end
        inside = plain[start + 1 : end]
        kind = "Kommentar" if COMMENT in inside else "Slutnot" if ENDNOTE in inside else "Fotnot"
        text = " ".join(_PRIVATE.sub(" ", inside).split())
        if text:
            numbers[kind] += 1
            label = kind if kind == "Kommentar" else f"{kind} {numbers[kind]}"
            found.append((label, text))
        position = end + 1
    body.append(plain[position:])
    return "".join(body), found


def _paragraphs(body: str, builder: TextBuilder) -> None:
    rows: list[list[str]] = []
    for raw in re.split(f"\n|(?<={ROW})", body):
        is_row = CELL in raw or raw.endswith(ROW)
        if is_row:
            cells = [" ".join(cell.split()) for cell in raw.replace(ROW, "").split(CELL)]
            if any(cells):
                rows.append(cells)
            continue
        if rows and raw.strip():
            builder.add_table(rows)
            rows = []
        levels = [ord(mark) - HEADING for mark in raw if HEADING <= ord(mark) <= HEADING + 8]
        text = _PRIVATE.sub("", raw.replace(LINE, "\n"))
        if levels:
            builder.add(text, "heading", levels[-1] + 1)
        else:
            builder.add(text)
    if rows:
        builder.add_table(rows)


def _skipped(counts: dict[str, int], found_notes: list[tuple[str, str]]) -> list[str]:
    notes: list[str] = []
    kinds = {label.split()[0] for label, _ in found_notes}
    for kind, what in (
        ("Fotnot", "footnotes"),
        ("Slutnot", "endnotes"),
        ("Kommentar", "comments"),
    ):
        number = sum(1 for label, _ in found_notes if label.split()[0] == kind)
        if kind in kinds:
            notes.append(f"{number} {what} imported as notes at the end of the text")
    skipped: dict[str, int] = {}
    for word, count in counts.items():
        part = _SKIPPED.get(word)
        if part:
            skipped[part] = skipped.get(part, 0) + count
    if "images" in skipped:
        skipped["images"] = max(0, skipped["images"] - counts.get("nonshppict", 0))
    for what, count in skipped.items():
        if count:
            notes.append(f"{count} {what} skipped")
    return notes
