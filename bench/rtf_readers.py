"""Which library to read .rtf files with: striprtf (what the RTF reader uses) measured
against the other candidates on the same files, with figures.

The candidates:

- vinr-qual's reader (`vinr_qual.ingest.rtf_reader.read_rtf`: striprtf on an RTF marked
  with private-use characters for paragraphs, cells, headings and notes);
- plain striprtf (`striprtf.striprtf.rtf_to_text`, as it comes);
- rtfparse, which parses RTF into a tree of groups, control words, symbols and text and
  ships one renderer only, `HTML_Decapsulator` (for HTML wrapped in Outlook's RTF): run
  once as it comes and once with a short text walker written here over its tree (as a
  project adopting it would have to write); its `parse_file` logs a failure and gives
  an empty tree rather than raising;
- pandoc through pypandoc-binary (`-t plain --wrap=none`; pandoc itself is GPL-2.0+, a
  separate program started for each file).

The RTF files are written here from Swedish sentences of our own, so the words each one
holds are known exactly:

- "Word": written the way Word writes RTF: `\\ansicpg1252`, font, colour and style tables,
  `{\\*\\generator}`, `{\\info}`, `{\\*\\rsidtbl}`, `{\\*\\xmlnstbl}`, and at the end
  `{\\*\\themedata}`, `{\\*\\latentstyles}`, `{\\*\\datastore}`; `\\'e5\\'e4\\'f6` for åäö,
  `\\u345?` for ř (outside cp1252), the en dash once as `\\'96` (it is in cp1252) and
  once as `\\u8211\\'96`, in turn; text in runs, `\\par` paragraphs, headings with
  `\\outlinelevel`, a `\\trowd` table with `\\cell` and `\\row`, `{\\footnote}`, a
  hyperlink field, `\\line` breaks, and a `{\\*\\shppict{\\pict}}{\\nonshppict{\\pict}}`
  picture with hex data;
- "TextEdit": as macOS TextEdit writes it: `\\cocoartf`, font table without braces,
  `\\uc0\\u8211 ` for characters outside Latin-1, paragraphs ended by a backslash and a
  newline, U+2028 line breaks, a table with `\\itap1`; no notes or pictures;
- "large": the Word kind, about 200 pages (60,000 words, `--pages`), for speed.

Measured per candidate and file (after taking out the labels "[Fotnot 1]", "[1]" and
"[image]", which candidates add by design):

- words lost: the source's words (`\\w+`, lower case, counted with repeats) missing from
  the output; words extra: output words the source does not hold (font names, style
  names, picture hex, URLs of fields leaking in, or words glued together), and the
  characters those extra words hold (picture hex runs together into one long "word");
- åäö: every source word with å, ä or ö (notes left out) found, and no mojibake;
- en dash and ř: as many in the output as in the source; for ř also no "?" in the
  output (the sentences hold none, the `\\u345?` fallback would);
- cells: no two neighbouring table cells, nor the last and first cells of two rows,
  glued together (the last word of one and the first of the next found with nothing
  between them);
- footnote: every footnote's text found in the output (not for TextEdit);
- speed on the large file: seconds (best of `--runs`) and MB/s (10^6 bytes).

A candidate that is not installed is skipped with a line saying so. Run:
`.venv/bin/python bench/rtf_readers.py [--pages N] [--runs N]`; results go to
bench/results/rtf_readers.json.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import logging
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS_PER_PAGE = 300
_WORD = re.compile(r"\w+")
_LABEL = re.compile(r"\[(?:Fotnot|Slutnot|Kommentar)(?: \d+)?\]|\[\^?\d+\]|\[image\]")
_MOJIBAKE = re.compile("[\ufffdÃÂ]")
_SWEDISH = re.compile("[åäöÅÄÖ]")

Extract = Callable[[Path], str]


# --- the documents -------------------------------------------------------------------


@dataclass
class Paragraph:
    text: str
    heading: int = 0  # 1 for a first-level heading; 0 for body text
    footnote: str = ""  # placed after the paragraph's first sentence
    link: str = ""  # a phrase of the text that is a hyperlink field


@dataclass
class Lines:
    lines: list[str]  # one paragraph, broken with \line (or U+2028)


@dataclass
class Table:
    rows: list[list[str]]


@dataclass
class Picture:
    seed: int
    size: int = 6_000  # bytes of picture data, written as hex


Block = Paragraph | Lines | Table | Picture


@dataclass
class Document:
    name: str
    blocks: list[Block]
    rtf: bytes = b""

    def body_words(self) -> list[str]:
        words: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                words += _WORD.findall(block.text)
            elif isinstance(block, Lines):
                words += _WORD.findall(" ".join(block.lines))
            elif isinstance(block, Table):
                words += _WORD.findall(" ".join(" ".join(row) for row in block.rows))
        return words

    def footnotes(self) -> list[str]:
        return [b.footnote for b in self.blocks if isinstance(b, Paragraph) and b.footnote]

    def text(self) -> str:
        """All the text the document holds, notes included."""
        parts: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                parts += [block.text, block.footnote]
            elif isinstance(block, Lines):
                parts += block.lines
            elif isinstance(block, Table):
                parts += [cell for row in block.rows for cell in row]
        return "\n".join(parts)

    def cell_pairs(self) -> list[tuple[str, str]]:
        """(last word, first word) of neighbouring cells, and of a row's last cell and
        the next row's first."""
        pairs: list[tuple[str, str]] = []
        for block in self.blocks:
            if not isinstance(block, Table):
                continue
            cells = [_WORD.findall(cell) for row in block.rows for cell in row]
            for before, after in itertools.pairwise(cells):
                if before and after:
                    pairs.append((before[-1], after[0]))
        return pairs


def sample_blocks() -> list[Block]:
    """A short municipal document with one of each part."""
    return [
        Paragraph("Handlingsplan mot våld i nära relationer 2025–2027", heading=1),
        Paragraph(
            "Socialtjänsten på Öråsen samordnar arbetet mot våld i nära relationer."
            " Samordnaren Jana Dvořák leder en arbetsgrupp med företrädare för skolan,"
            " polisen och hälso- och sjukvården. Gruppen träffas på kommunhuset i Älvängen.",
            footnote="Arbetsgruppen inrättades av socialnämnden i februari och"
            " sammanträder varannan vecka på förvaltningen.",
        ),
        Paragraph("Ansvar och samverkan", heading=2),
        Table(
            [
                ["Aktör", "Ansvar", "Kontaktperson"],
                ["Socialtjänsten", "Skyddsbedömning och stödsamtal", "Åsa Öberg"],
                ["Polisen", "Utredning och kontaktförbud", "Erik Ståhl"],
                ["Kvinnojouren Väddö", "Skyddat boende – akut", "Märta Ekström"],
            ]
        ),
        Paragraph("Bilden nedan visar hur en anmälan går vidare inom förvaltningen."),
        Picture(seed=1),
        Lines(["Socialförvaltningen Öråsen", "Box 418", "442 18 Älvängen"]),
        Paragraph(
            "Mer stöd finns på kommunens webbplats och i broschyren för våldsutsatta.",
            link="kommunens webbplats",
        ),
        Paragraph(
            "Uppföljningen sker varje år kl. 9–12 när nämnden går igenom måluppfyllelsen"
            " – resultatet redovisas för kommunfullmäktige i Öråsen."
        ),
    ]


def textedit_blocks() -> list[Block]:
    return [
        Paragraph("Anteckningar från samverkansmötet i Ödeshög", heading=1),
        Paragraph(
            "Kvinnofridssamordnaren öppnade mötet och gick igenom lägesbilden för hösten."
            " Länsstyrelsen har beviljat medel för 2026–2027 till utbildning av personal."
        ),
        Lines(["Närvarande: Åsa Öberg, socialtjänsten", "Jana Dvořák, skolan"]),
        Table(
            [
                ["Åtgärd", "Ansvarig"],
                ["Utbilda förskolans personal", "Förskoleförvaltningen"],
                ["Kartlägga skyddade boenden", "Socialtjänsten"],
            ]
        ),
        Paragraph("Nästa möte hålls i kommunhusets sal Vättern – alla är välkomna."),
    ]


_SUBJECTS = [
    "Socialtjänsten",
    "Kvinnofridssamordnaren",
    "Polisen i Öråsen",
    "Länsstyrelsen",
    "Skolans elevhälsa",
    "Styrgruppen för våldsförebyggande arbete",
    "Förvaltningen",
    "Kvinnojouren",
    "Familjecentralen i Älvängen",
    "Samordnaren Jana Dvořák",
]
_VERBS = [
    "samordnar",
    "följer upp",
    "ansvarar för",
    "rapporterar om",
    "planerar",
    "utvärderar",
    "stärker",
    "finansierar",
]
_OBJECTS = [
    "arbetet mot våld i nära relationer",
    "stödet till våldsutsatta barn",
    "utbildningen av förskolans personal",
    "den gemensamma lägesbilden",
    "insatserna för våldsutövare",
    "skyddade boenden för kvinnor och barn",
    "samverkan med hälso- och sjukvården",
    "kartläggningen av hedersrelaterat våld",
]
_TAILS = [
    "under 2025–2027.",
    "varje kvartal.",
    "tillsammans med civilsamhället.",
    "enligt nämndens beslut.",
    "i hela kommunen.",
    "när behovet är störst.",
    "med stöd av Länsstyrelsen – och med egna medel.",
    "på kvällar och helger kl. 17–22.",
]


def _sentence(chooser: random.Random) -> str:
    return " ".join(
        [
            chooser.choice(_SUBJECTS),
            chooser.choice(_VERBS),
            chooser.choice(_OBJECTS),
            chooser.choice(_TAILS),
        ]
    )


def large_blocks(pages: int, seed: int = 11) -> list[Block]:
    """About `pages` pages of the Word kind: chapters of paragraphs, with a footnote every
    few pages, a table, a picture and an address block now and then."""
    chooser = random.Random(seed)
    blocks: list[Block] = []
    words = 0
    number = 0
    while words < pages * WORDS_PER_PAGE:
        number += 1
        if number % 30 == 1:
            blocks.append(Paragraph(f"Kapitel {number // 30 + 1}: Åtgärder för året", heading=1))
        text = " ".join(_sentence(chooser) for _ in range(chooser.randint(4, 8)))
        footnote = ""
        if number % 4 == 0:
            footnote = f"Uppgiften kommer från förvaltningens årsrapport, avsnitt {number}."
        link = "kommunens webbplats" if number % 25 == 0 else ""
        if link:
            text += " Läs mer på kommunens webbplats."
        blocks.append(Paragraph(text, footnote=footnote, link=link))
        if number % 12 == 0:
            blocks.append(
                Table(
                    [
                        ["Insats", "Ansvar", "Uppföljning"],
                        [chooser.choice(_OBJECTS), chooser.choice(_SUBJECTS), "Årligen"],
                        [chooser.choice(_OBJECTS), chooser.choice(_SUBJECTS), "Kvartalsvis"],
                    ]
                )
            )
        if number % 40 == 0:
            blocks.append(Picture(seed=number, size=12_000))
        if number % 50 == 0:
            blocks.append(Lines(["Socialförvaltningen Öråsen", "Box 418", "442 18 Älvängen"]))
        words += len(_WORD.findall(text))
    return blocks


# --- writing RTF ---------------------------------------------------------------------

_RUN = "{\\rtlch\\fcs1 \\af0 \\ltrch\\fcs0 \\insrsid9974612 "
_BODY = (
    "\\pard\\plain \\ltrpar\\ql \\li0\\ri0\\sa160\\sl259\\slmult1\\widctlpar\\wrapdefault"
    "\\aspalpha\\aspnum\\faauto\\adjustright\\rin0\\lin0\\itap0 \\rtlch\\fcs1 \\af0\\afs22"
    "\\alang1025 \\ltrch\\fcs0 \\fs22\\lang1053\\langfe1033\\loch\\f1\\hich\\af1\\dbch\\af0"
    "\\cgrid\\langnp1053\\langfenp1033 "
)
_HEADING = (
    "\\pard\\plain \\ltrpar\\s{style}\\ql \\li0\\ri0\\sb240\\keepn\\widctlpar\\wrapdefault"
    "\\aspalpha\\aspnum\\faauto\\outlinelevel{level}\\adjustright\\rin0\\lin0\\itap0"
    " \\rtlch\\fcs1 \\af2\\afs32\\alang1025 \\ltrch\\fcs0 \\fs32\\cf3\\lang1053\\langfe1033"
    "\\loch\\f2\\hich\\af2\\dbch\\af0\\cgrid\\langnp1053\\langfenp1033 "
)
_CELL_PARAGRAPH = (
    "\\pard\\plain \\ltrpar\\ql \\li0\\ri0\\widctlpar\\intbl\\wrapdefault\\aspalpha\\aspnum"
    "\\faauto\\adjustright\\rin0\\lin0\\yts11 \\rtlch\\fcs1 \\af0\\afs22\\alang1025 \\ltrch"
    "\\fcs0 \\fs22\\lang1053\\langfe1033\\loch\\f1\\hich\\af1\\dbch\\af0\\cgrid\\langnp1053"
    "\\langfenp1033 "
)
_BORDERS = "".join(f"\\trbrdr{side}\\brdrs\\brdrw10 " for side in "tlbrhv")
_CELL_BORDERS = "".join(f"\\clbrdr{side}\\brdrs\\brdrw10 " for side in "tlbr")
_WORD_HEAD = (
    "{\\rtf1\\adeflang1025\\ansi\\ansicpg1252\\uc1\\adeff0\\deff0\\stshfdbch0\\stshfloch1"
    "\\stshfhich1\\stshfbi0\\deflang1053\\deflangfe1053\\themelang1053\\themelangfe0"
    "\\themelangcs0\r\n"
    "{\\fonttbl{\\f0\\fbidi \\froman\\fcharset0\\fprq2{\\*\\panose 02020603050405020304}"
    "Times New Roman;}{\\f1\\fbidi \\fswiss\\fcharset0\\fprq2{\\*\\panose 020f0502020204030204}"
    "Calibri;}\r\n{\\f2\\fbidi \\fswiss\\fcharset0\\fprq2{\\*\\panose 020f0302020204030204}"
    "Calibri Light;}{\\f3\\fbidi \\fswiss\\fcharset238\\fprq2 Calibri CE;}}\r\n"
    "{\\colortbl;\\red0\\green0\\blue0;\\red5\\green99\\blue193;\\red47\\green84\\blue150;"
    "\\ctextone\\ctint255\\cshade255\\red0\\green0\\blue0;}\r\n"
    "{\\*\\defchp \\fs22\\loch\\af1\\hich\\af1\\dbch\\af0 }{\\*\\defpap \\ql \\li0\\ri0"
    "\\sa160\\sl259\\slmult1\\widctlpar\\wrapdefault\\aspalpha\\aspnum\\faauto\\adjustright"
    "\\rin0\\lin0\\itap0 }\r\n"
    "{\\stylesheet{\\ql \\li0\\ri0\\sa160\\sl259\\slmult1\\widctlpar\\wrapdefault\\aspalpha"
    "\\aspnum\\faauto\\adjustright\\rin0\\lin0\\itap0 \\rtlch\\fcs1 \\af0\\afs22\\alang1025"
    " \\ltrch\\fcs0 \\fs22\\lang1053\\langfe1033\\loch\\f1\\hich\\af1\\dbch\\af0\\cgrid"
    "\\langnp1053\\langfenp1033 \\snext0 \\sqformat \\spriority0 Normal;}\r\n"
    "{\\s1\\ql \\li0\\ri0\\sb240\\keepn\\widctlpar\\wrapdefault\\aspalpha\\aspnum\\faauto"
    "\\outlinelevel0\\adjustright\\rin0\\lin0\\itap0 \\rtlch\\fcs1 \\af2\\afs32\\alang1025"
    " \\ltrch\\fcs0 \\fs32\\cf3\\lang1053\\langfe1033\\loch\\f2\\hich\\af2\\dbch\\af0\\cgrid"
    "\\langnp1053\\langfenp1033 \\sbasedon0 \\snext0 \\slink15 \\sqformat \\spriority9"
    " \\styrsid9974612 heading 1;}\r\n"
    "{\\s2\\ql \\li0\\ri0\\sb40\\keepn\\widctlpar\\wrapdefault\\aspalpha\\aspnum\\faauto"
    "\\outlinelevel1\\adjustright\\rin0\\lin0\\itap0 \\rtlch\\fcs1 \\af2\\afs26\\alang1025"
    " \\ltrch\\fcs0 \\fs26\\cf3\\lang1053\\langfe1033\\loch\\f2\\hich\\af2\\dbch\\af0\\cgrid"
    "\\langnp1053\\langfenp1033 \\sbasedon0 \\snext0 \\slink16 \\sunhideused \\sqformat"
    " \\spriority9 heading 2;}\r\n"
    "{\\*\\cs10 \\additive \\ssemihidden \\sunhideused \\spriority1 Default Paragraph Font;}"
    "{\\*\\cs17 \\additive \\rtlch\\fcs1 \\af0 \\ltrch\\fcs0 \\super \\sbasedon10"
    " \\ssemihidden \\sunhideused \\styrsid9974612 footnote reference;}\r\n"
    "{\\s18\\ql \\li0\\ri0\\widctlpar\\wrapdefault\\aspalpha\\aspnum\\faauto\\adjustright"
    "\\rin0\\lin0\\itap0 \\rtlch\\fcs1 \\af0\\afs20\\alang1025 \\ltrch\\fcs0 \\fs20\\lang1053"
    "\\langfe1033\\loch\\f1\\hich\\af1\\dbch\\af0\\cgrid\\langnp1053\\langfenp1033"
    " \\sbasedon0 \\snext18 \\slink19 \\ssemihidden \\sunhideused \\styrsid9974612"
    " footnote text;}\r\n"
    "{\\*\\cs20 \\additive \\rtlch\\fcs1 \\af0 \\ltrch\\fcs0 \\ul\\cf2 \\sbasedon10"
    " \\sunhideused \\styrsid9974612 Hyperlink;}}\r\n"
    "{\\*\\rsidtbl \\rsid1\\rsid5508421\\rsid9974612}\r\n"
    "{\\mmathPr\\mmathFont34\\mbrkBin0\\mbrkBinSub0\\msmallFrac0\\mdispDef1\\mlMargin0"
    "\\mrMargin0\\mdefJc1\\mwrapIndent1440\\mintLim0\\mnaryLim1}\r\n"
    "{\\info{\\title Handlingsplan mot v\\'e5ld}{\\author Anna Lind}{\\operator Anna Lind}"
    "{\\creatim\\yr2025\\mo11\\dy19\\hr9\\min12}{\\revtim\\yr2025\\mo11\\dy19\\hr10\\min2}"
    "{\\version2}{\\edmins14}{\\nofpages3}{\\nofwords612}{\\nofchars3244}"
    "{\\*\\company \\'d6r\\'e5sens kommun}{\\nofcharsws3850}{\\vern127}}\r\n"
    "{\\*\\generator Microsoft Word 16.0;}\r\n"
    "{\\*\\xmlnstbl {\\xmlns1 http://schemas.microsoft.com/office/word/2003/wordml}}\r\n"
    "\\paperw11906\\paperh16838\\margl1417\\margr1417\\margt1417\\margb1417\\gutter0"
    "\\ltrsect \r\n\\deftab1304\\widowctrl\\ftnbj\\aenddoc\\hyphhotz425\\trackmoves0"
    "\\trackformatting1\\donotembedsysfont1\\relyonvml0\\donotembedlingdata0\\grfdocevents0"
    "\\validatexml1\\showplaceholdtext0\\ignoremixedcontent0\\saveinvalidxml0\\showxmlerrors1"
    "\\noxlattoyen\\expshrtn\\noultrlspc\\dntblnsbdb\\nospaceforul\\formshade\\horzdoc"
    "\\dgmargin\\dghspace180\\dgvspace180\\dghorigin1417\\dgvorigin1417\\dghshow1\\dgvshow1"
    "\\jexpand\\viewkind1\\viewscale100\\pgbrdrhead\\pgbrdrfoot\\splytwnine\\ftnlytwnine"
    "\\htmautsp\\nolnhtadjtbl\\useltbaljst\\nojkernpunct\\rsidroot9974612 \\fet0"
    "{\\*\\wgrffmtfilter 2450}\\nofeaturethrottle1\\ilfomacatclnup0\r\n"
    "{\\*\\ftnsep \\ltrpar \\pard\\plain \\ltrpar\\ql \\li0\\ri0\\widctlpar\\wrapdefault"
    "\\aspalpha\\aspnum\\faauto\\adjustright\\rin0\\lin0\\itap0 {\\rtlch\\fcs1 \\af0"
    " \\ltrch\\fcs0 \\insrsid9974612 \\chftnsep \\par }}\r\n"
    "\\ltrpar \\sectd \\ltrsect\\linex0\\headery708\\footery708\\colsx708\\endnhere"
    "\\sectlinegrid360\\sectdefaultcl\\sftnbj {\\*\\pnseclvl1\\pnucrm\\pnstart1\\pnindent720"
    "\\pnhang {\\pntxta .}}\r\n"
)
_LATENT = "".join(
    f"\\lsdqformat1 \\lsdpriority{priority} \\lsdlocked0 {name};"
    for priority, name in ((0, "Normal"), (9, "heading 1"), (9, "heading 2"), (10, "Title"))
)


def _hex_lines(data: bytes) -> str:
    text = data.hex()
    return "\r\n".join(text[i : i + 128] for i in range(0, len(text), 128))


def _random_bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


def _word_tail() -> str:
    theme = b"PK\x03\x04" + _random_bytes(99, 2_000)
    scheme = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<a:clrMap/>'
    return (
        "{\\*\\themedata " + _hex_lines(theme) + "}\r\n"
        "{\\*\\colorschememapping " + _hex_lines(scheme) + "}\r\n"
        "{\\*\\latentstyles\\lsdstimax376\\lsdlockeddef0\\lsdsemihiddendef0"
        "\\lsdunhideuseddef0\\lsdqformatdef0\\lsdprioritydef99{\\lsdlockedexcept "
        + _LATENT
        + "}}\r\n{\\*\\datastore 01050000\r\n02000000\r\n"
        + _hex_lines(_random_bytes(98, 600))
        + "}}\r\n"
    )


class WordWriter:
    """RTF as Word writes it."""

    def __init__(self) -> None:
        self.dashes = 0

    def escape(self, text: str) -> str:
        out: list[str] = []
        for character in text:
            if character in "\\{}":
                out.append("\\" + character)
            elif ord(character) < 128:
                out.append(character)
            elif character == "–":
                self.dashes += 1
                out.append("\\'96" if self.dashes % 2 else "\\u8211\\'96")
            else:
                try:
                    byte = character.encode("cp1252")[0]
                except UnicodeEncodeError:
                    value = ord(character)
                    out.append(f"\\u{value - 0x10000 if value > 0x7FFF else value}?")
                else:
                    out.append(f"\\'{byte:02x}")
        return "".join(out)

    def runs(self, text: str, number: int = 0) -> str:
        """The text in runs of a few words each, every fourth in italics."""
        words = text.split(" ")
        out: list[str] = []
        for index, start in enumerate(range(0, len(words), 7)):
            chunk = " ".join(words[start : start + 7])
            if start + 7 < len(words):
                chunk += " "
            style = "\\i " if (index + number) % 4 == 3 else ""
            out.append(_RUN + style + self.escape(chunk) + "}")
        return "\r\n".join(out)

    def footnote(self, text: str) -> str:
        return (
            "{\\rtlch\\fcs1 \\af0 \\ltrch\\fcs0 \\cs17\\super\\insrsid9974612 \\chftn "
            "{\\footnote \\ltrpar \\pard\\plain \\ltrpar\\s18\\ql \\li0\\ri0\\widctlpar"
            "\\wrapdefault\\aspalpha\\aspnum\\faauto\\adjustright\\rin0\\lin0\\itap0 \\rtlch"
            "\\fcs1 \\af0\\afs20\\alang1025 \\ltrch\\fcs0 \\fs20\\lang1053\\langfe1033\\cgrid"
            "\\langnp1053\\langfenp1033 {\\rtlch\\fcs1 \\af0 \\ltrch\\fcs0 \\cs17\\super"
            "\\insrsid9974612 \\chftn }" + _RUN + " " + self.escape(text) + "}}}"
        )

    def link(self, phrase: str) -> str:
        return (
            "{\\field{\\*\\fldinst {\\rtlch\\fcs1 \\af0 \\ltrch\\fcs0 \\insrsid9974612 "
            ' HYPERLINK "https://www.orasen.se/stod-vid-vald" }{\\rtlch\\fcs1 \\af0 \\ltrch'
            "\\fcs0 \\insrsid9974612 {\\*\\datafield 00d0c9ea79f9bace118c8200aa004ba90b02"
            "000000170000002400000068007400740070007300}}}{\\fldrslt {\\rtlch\\fcs1 \\af0"
            " \\ltrch\\fcs0 \\cs20\\ul\\cf2\\insrsid9974612 " + self.escape(phrase) + "}}}"
        )

    def paragraph(self, block: Paragraph, number: int) -> str:
        if block.heading:
            start = _HEADING.format(style=block.heading, level=block.heading - 1)
            return start + self.runs(block.text) + "\r\n" + _RUN + "\\par }"
        text = block.text
        parts: list[str] = []
        if block.footnote:
            end = text.find(". ") + 1
            parts += [self.runs(text[:end], number), self.footnote(block.footnote)]
            text = text[end:]
        if block.link:
            before, after = text.split(block.link, 1)
            parts += [self.runs(before, number), self.link(block.link), self.runs(after)]
        else:
            parts.append(self.runs(text, number))
        return _BODY + "\r\n".join(p for p in parts if p) + "\r\n" + _RUN + "\\par }"

    def lines(self, block: Lines) -> str:
        inner = ("\\line " + "}\r\n" + _RUN).join(self.escape(line) for line in block.lines)
        return _BODY + _RUN + inner + "\\par }"

    def table(self, block: Table) -> str:
        columns = len(block.rows[0])
        width = 9070 // columns
        out: list[str] = []
        for number, row in enumerate(block.rows):
            properties = (
                f"\\trowd \\irow{number}\\irowband{number}\\ltrrow\\ts11\\trgaph70"
                f"\\trleft-108{_BORDERS}\\trftsWidth1\\trftsWidthB3\\trftsWidthA3\\trautofit1"
                "\\trpaddl70\\trpaddr70\\trpaddfl3\\trpaddfr3\\tblrsid9974612\\tbllkhdrrows"
                "\\tbllkhdrcols\\tbllknocolband\\tblind0\\tblindtype3 "
                + ("\\lastrow \\ltrrow" if number == len(block.rows) - 1 else "")
                + "".join(
                    f"\\clvertalt{_CELL_BORDERS}\\cltxlrtb\\clftsWidth3\\clwWidth{width}"
                    f"\\clshdrawnil \\cellx{width * (column + 1) - 108}"
                    for column in range(columns)
                )
            )
            cells = "".join(
                _CELL_PARAGRAPH + self.runs(cell) + "\r\n" + _RUN + "\\cell }" for cell in row
            )
            out.append(
                properties
                + "\r\n"
                + cells
                + "\\pard\\plain \\ltrpar\\ql \\li0\\ri0\\sa160\\sl259\\slmult1\\widctlpar"
                "\\intbl\\wrapdefault\\aspalpha\\aspnum\\faauto\\adjustright\\rin0\\lin0 "
                + _RUN
                + properties
                + "\\row }"
            )
        return "\r\n".join(out) + "\r\n" + _BODY.replace("\\pard\\plain", "\\pard", 1)

    def picture(self, block: Picture) -> str:
        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _random_bytes(block.seed, block.size)
        wmf = b"\x01\x00\x09\x00\x00\x03" + _random_bytes(block.seed + 1, block.size // 2)
        size = "\\picscalex100\\picscaley100\\piccropl0\\piccropr0\\piccropt0\\piccropb0"
        size += "\\picw4233\\pich2822\\picwgoal2400\\pichgoal1600"
        return (
            _BODY
            + _RUN
            + "{\\*\\shppict{\\pict{\\*\\picprop\\shplid1025{\\sp{\\sn shapeType}{\\sv 75}}"
            "{\\sp{\\sn fFlipH}{\\sv 0}}{\\sp{\\sn fFlipV}{\\sv 0}}{\\sp{\\sn fLayoutInCell}"
            "{\\sv 1}}}"
            + size
            + f"\\pngblip\\bliptag{-1_000_000 - block.seed}{{\\*\\blipuid 6af0e80a"
            f"{block.seed:024x}}}\r\n"
            + _hex_lines(png)
            + "}}{\\nonshppict{\\pict"
            + size
            + f"\\wmetafile8\\bliptag{-1_000_000 - block.seed}\r\n"
            + _hex_lines(wmf)
            + "}}}\r\n"
            + _RUN
            + "\\par }"
        )

    def write(self, blocks: list[Block]) -> bytes:
        out = [_WORD_HEAD]
        for number, block in enumerate(blocks):
            if isinstance(block, Paragraph):
                out.append(self.paragraph(block, number))
            elif isinstance(block, Lines):
                out.append(self.lines(block))
            elif isinstance(block, Table):
                out.append(self.table(block))
            else:
                out.append(self.picture(block))
        out.append(_word_tail())
        return "\r\n".join(out).encode("ascii")


def _textedit_escape(text: str) -> str:
    out: list[str] = []
    for character in text:
        if character in "\\{}":
            out.append("\\" + character)
        elif ord(character) < 128:
            out.append(character)
        elif ord(character) < 256:
            out.append(f"\\'{ord(character):02x}")
        else:
            out.append(f"\\uc0\\u{ord(character)} ")
    return "".join(out)


_TEXTEDIT_PARAGRAPH = (
    "\\pard\\tx566\\tx1133\\tx1700\\tx2267\\tx2834\\tx3401\\tx3968\\tx4535\\tx5102\\tx5669"
    "\\tx6236\\tx6803\\pardirnatural\\partightenfactor0\n"
)


def textedit_rtf(blocks: list[Block]) -> bytes:
    """RTF as macOS TextEdit writes it."""
    out = [
        "{\\rtf1\\ansi\\ansicpg1252\\cocoartf2822\n\\cocoatextscaling0\\cocoaplatform0"
        "{\\fonttbl\\f0\\fswiss\\fcharset0 Helvetica;\\f1\\fswiss\\fcharset0"
        " Helvetica-Bold;}\n{\\colortbl;\\red255\\green255\\blue255;\\red0\\green0\\blue0;}\n"
        "{\\*\\expandedcolortbl;;\\cssrgb\\c0\\c0\\c0;}\n\\paperw11900\\paperh16840"
        "\\margl1440\\margr1440\\vieww11520\\viewh8400\\viewkind0\n"
    ]
    for block in blocks:
        if isinstance(block, Paragraph):
            font = "\\f1\\b\\fs28 " if block.heading else "\\f0\\b0\\fs24 "
            out.append(f"{_TEXTEDIT_PARAGRAPH}\n{font}\\cf0 {_textedit_escape(block.text)}\\\n")
        elif isinstance(block, Lines):
            text = "\u2028".join(block.lines)
            out.append(f"{_TEXTEDIT_PARAGRAPH}\n\\f0\\fs24 \\cf0 {_textedit_escape(text)}\\\n")
        elif isinstance(block, Table):
            columns = len(block.rows[0])
            for number, row in enumerate(block.rows):
                out.append(
                    "\\itap1\\trowd \\taflags1 \\trgaph108\\trleft-108 \\trbrdrt\\brdrnil"
                    " \\trbrdrl\\brdrnil \\trbrdrr\\brdrnil \n"
                    + "".join(
                        "\\clvertalc \\clshdrawnil \\clwWidth2980\\clftsWidth3 \\clbrdrt\\brdrs"
                        "\\brdrw20\\brdrcf2 \\clbrdrl\\brdrs\\brdrw20\\brdrcf2 \\clbrdrb\\brdrs"
                        "\\brdrw20\\brdrcf2 \\clbrdrr\\brdrs\\brdrw20\\brdrcf2 \\clpadl100"
                        f" \\clpadr100 \\gaph\\cellx{2880 * (column + 1)}\n"
                        for column in range(columns)
                    )
                )
                for column, cell in enumerate(row):
                    last = column == columns - 1
                    ending = ("\\lastrow" if number == len(block.rows) - 1 else "") + "\\row"
                    out.append(
                        "\\pard\\intbl\\itap1\\pardeftab720\\partightenfactor0\n\n"
                        f"\\f0\\fs24 \\cf0 {_textedit_escape(cell)}\\cell "
                        + (ending + "\n\n" if last else "\n")
                    )
    text = "".join(out)
    text = text.removesuffix("\\\n") + "}"
    return text.encode("ascii")


def documents(pages: int) -> list[Document]:
    made = [
        Document("Word", sample_blocks()),
        Document("TextEdit", textedit_blocks()),
        Document(f"large ({pages} p.)", large_blocks(pages)),
    ]
    for document in made:
        if document.name == "TextEdit":
            document.rtf = textedit_rtf(document.blocks)
        else:
            document.rtf = WordWriter().write(document.blocks)
        if "?" in document.text():
            raise SystemExit(f"{document.name}: the sentences must hold no '?'")
    return made


# --- the candidates ------------------------------------------------------------------


def _vinr_qual(path: Path) -> str:
    from vinr_qual.ingest.rtf_reader import read_rtf

    return read_rtf(path.read_bytes(), str(path)).text


def _striprtf(path: Path) -> str:
    from striprtf.striprtf import rtf_to_text

    return str(rtf_to_text(path.read_bytes().decode("cp1252")))


def _rtfparse_tree(path: Path) -> Any:
    from rtfparse.parser import Rtf_Parser

    logging.getLogger("rtfparse").setLevel(logging.CRITICAL)  # it logs every token
    return Rtf_Parser(rtf_file=io.BytesIO(path.read_bytes())).parse_file()


def _rtfparse_html(path: Path) -> str:
    from rtfparse.renderers.html_decapsulator import HTML_Decapsulator

    out = io.StringIO()
    HTML_Decapsulator().render(_rtfparse_tree(path), out)
    return out.getvalue()


_WALK_SKIP = frozenset(
    {"fonttbl", "colortbl", "stylesheet", "info", "pict", "header", "footer", "headerl"}
    | {"headerr", "headerf", "footerl", "footerr", "footerf", "listtable", "mmathPr"}
)
_WALK_BREAK = {"par": "\n", "line": "\n", "row": "\n", "sect": "\n", "page": "\n"}
_WALK_WORDS = {"cell": "\t", "nestcell": "\t", "tab": "\t", "endash": "–", "emdash": "—"}
_WALK_SYMBOLS = {"~": "\xa0", "-": "", "_": "\u2011", "\n": "\n", "\r": "\n"}


def _walk(group: Any, out: list[str], skip_count: int) -> None:
    """The text of an rtfparse group: ignorable (`\\*`) and known non-text groups left
    out, `\\uN` with its fallback characters skipped."""
    from rtfparse import entities

    pending = 0  # fallback characters still to skip after a \uN
    for item in group.structure:
        if isinstance(item, entities.Group):
            pending = 0
            if not item.ignorable and item.name not in _WALK_SKIP:
                _walk(item, out, skip_count)
        elif isinstance(item, entities.Control_Word):
            name = item.control_name
            if name == "u" and item.parameter != "":
                out.append(chr(int(item.parameter) % 0x10000))
                pending = skip_count
                continue
            pending = 0
            if name == "uc" and item.parameter != "":
                skip_count = int(item.parameter)
            else:
                out.append(_WALK_BREAK.get(name) or _WALK_WORDS.get(name, ""))
        elif isinstance(item, entities.Control_Symbol):
            if pending:
                pending -= 1
            elif item.char:  # \'hh, decoded by rtfparse
                out.append(item.text)
            else:
                out.append(_WALK_SYMBOLS.get(item.text, item.text))
        elif isinstance(item, entities.Plain_Text):
            text = item.text
            if pending:
                cut = min(pending, len(text))
                text, pending = text[cut:], pending - cut
            out.append(text)


def _rtfparse_walked(path: Path) -> str:
    out: list[str] = []
    _walk(_rtfparse_tree(path), out, 1)
    return "".join(out)


def _pandoc(path: Path) -> str:
    import pypandoc

    return str(pypandoc.convert_file(str(path), "plain", format="rtf", extra_args=["--wrap=none"]))


@dataclass
class Candidate:
    module: str
    extract: Extract
    licence: str


CANDIDATES: dict[str, Candidate] = {
    "vinr-qual read_rtf (striprtf + marks)": Candidate("striprtf", _vinr_qual, "BSD-3-Clause"),
    "striprtf rtf_to_text": Candidate("striprtf", _striprtf, "BSD-3-Clause"),
    "rtfparse HTML_Decapsulator": Candidate("rtfparse", _rtfparse_html, "MIT"),
    "rtfparse tree + walker here": Candidate("rtfparse", _rtfparse_walked, "MIT"),
    "pandoc (pypandoc-binary)": Candidate(
        "pypandoc", _pandoc, "pypandoc MIT; bundled pandoc binary GPL-2.0-or-later"
    ),
}


def _installed(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    if module == "pypandoc":
        import pypandoc

        try:
            pypandoc.get_pandoc_version()
        except OSError:
            return False
    return True


def _version(module: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    name = {"pypandoc": "pypandoc-binary"}.get(module, module)
    try:
        found = version(name)
    except PackageNotFoundError:
        return "?"
    if module == "pypandoc":
        import pypandoc

        found += f" (pandoc {pypandoc.get_pandoc_version()})"
    return found


# --- measuring -----------------------------------------------------------------------


def _bag(text: str) -> Counter[str]:
    return Counter(word.lower() for word in _WORD.findall(text))


def measure(document: Document, output: str) -> dict[str, object]:
    output = _LABEL.sub(" ", output)
    found = _bag(output)
    source = _bag(" ".join(document.body_words() + document.footnotes()))
    lost = sum(max(0, count - found[word]) for word, count in source.items())
    extra = found - source
    row: dict[str, object] = {
        "words": sum(source.values()),
        "lost": lost,
        "extra": sum(extra.values()),
        "extra chars": sum(len(word) * count for word, count in extra.items()),
        "extra examples": [word for word, _ in extra.most_common(6)],
    }
    body = Counter(word.lower() for word in document.body_words() if _SWEDISH.search(word))
    swedish_lost = sum(max(0, count - found[word]) for word, count in body.items())
    mojibake = len(_MOJIBAKE.findall(output))
    row["åäö"] = (
        "yes"
        if not swedish_lost and not mojibake
        else f"no ({swedish_lost} lost{f', {mojibake} mojibake' if mojibake else ''})"
    )
    text = document.text()
    dashes, got = text.count("–"), output.count("–")
    row["en dash"] = "yes" if dashes == got else f"no ({got}/{dashes})"
    letters, got, questions = text.count("ř"), output.count("ř"), output.count("?")
    row["ř"] = (
        "yes"
        if letters == got and not questions
        else f"no ({got}/{letters}{f', {questions} ?' if questions else ''})"
    )
    pairs = document.cell_pairs()
    lowered = output.lower()
    glued = sum(1 for a, b in pairs if (a + b).lower() in lowered)
    row["cells apart"] = "yes" if not glued else f"no ({glued}/{len(pairs)} glued)"
    flat = " ".join(output.split())
    notes = document.footnotes()
    present = sum(1 for note in notes if " ".join(note.split()) in flat)
    row["footnote"] = (
        "n/a" if not notes else "yes" if present == len(notes) else f"no ({present}/{len(notes)})"
    )
    return row


def run(candidate: Candidate, document: Document, path: Path) -> dict[str, object]:
    try:
        output = candidate.extract(path)
    except Exception as error:  # a candidate's failure is a result, not a crash
        return {"failed": f"{type(error).__name__}: {error}"[:200]}
    return measure(document, output)


def speed(candidate: Candidate, path: Path, runs: int) -> dict[str, object]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        candidate.extract(path)
        times.append(time.perf_counter() - start)
    best = min(times)
    return {
        "seconds": round(best, 3),
        "MB/s": round(path.stat().st_size / 1e6 / best, 3),
        "all seconds": [round(t, 3) for t in times],
    }


_COLUMNS = ["lost", "extra (chars)", "åäö", "en dash", "ř", "cells apart", "footnote"]


def _cell(figures: dict[str, Any], column: str) -> str:
    if column == "lost":
        return f"{figures['lost']}/{figures['words']}"
    if column == "extra (chars)":
        return f"{figures['extra']} ({figures['extra chars']})"
    return str(figures[column])


def print_table(results: dict[str, dict[str, Any]], names: list[str]) -> None:
    header = ["candidate", "file", *_COLUMNS, "s", "MB/s"]
    lines = [header]
    failures: list[str] = []
    for candidate, row in results.items():
        for name in names:
            figures = row["files"][name]
            if "failed" in figures:
                failures.append(f"{candidate}, {name}: {figures['failed']}")
                continue
            timing = row.get("speed", {}) if name == names[-1] else {}
            cells = [_cell(figures, column) for column in _COLUMNS]
            speeds = [str(timing.get("seconds", "")), str(timing.get("MB/s", ""))]
            lines.append([candidate, name, *cells, *speeds])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
    for failure in failures:
        print(f"failed: {failure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    made = documents(args.pages)
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, document in enumerate(made):
            path = Path(folder) / f"{number}.rtf"
            path.write_bytes(document.rtf)
            paths.append(path)
        large = made[-1]
        print(
            f"files: {', '.join(f'{d.name} {len(d.rtf):,} bytes' for d in made)};"
            f" large: {len(large.body_words()):,} body words, {len(large.footnotes())} footnotes"
        )
        for name, candidate in CANDIDATES.items():
            if not _installed(candidate.module):
                print(f"{name}: {candidate.module} not installed, skipped")
                continue
            row: dict[str, Any] = {
                "version": _version(candidate.module),
                "licence": candidate.licence,
                "files": {},
            }
            for document, path in zip(made, paths, strict=True):
                row["files"][document.name] = run(candidate, document, path)
            if "failed" not in row["files"][large.name]:
                row["speed"] = speed(candidate, paths[-1], args.runs)
            results[name] = row
    print()
    print_table(results, [document.name for document in made])
    print()
    for name, row in results.items():
        print(f"{name}: {row['version']}, {row['licence']}")
    out = ROOT / "bench" / "results" / "rtf_readers.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    summary = {
        "files": {d.name: {"bytes": len(d.rtf), "words": len(d.body_words())} for d in made},
        "runs": args.runs,
        "candidates": results,
    }
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
