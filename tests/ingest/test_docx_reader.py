"""The Word (.docx) importer, on files built here with python-docx.

Every fixture is made inside the test (in `tmp_path`), with Swedish text; parts that
python-docx cannot write (tracked changes, text boxes, footnotes) are injected as XML
or added to the zip after saving. The assertions are what a user would notice: the text
that is imported, in what order, with which structure, and what the import notes say.
"""

from __future__ import annotations

import random
import struct
import tracemalloc
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocumentObject
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.model import ParsedSource
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.ingest.readers import read_source
from vinr_qual.project import Project

MIB = 1024 * 1024
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
VML = 'xmlns:v="urn:schemas-microsoft-com:vml"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
WPS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'


# helpers -----------------------------------------------------------------------------


def save(document: DocumentObject, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def bold_paragraph(document: DocumentObject, bold: str, rest: str, before: str = "") -> Paragraph:
    """A paragraph of an optional normal run, a bold run and a normal run."""
    paragraph = document.add_paragraph()
    if before:
        paragraph.add_run(before)
    paragraph.add_run(bold).bold = True
    if rest:
        paragraph.add_run(rest)
    return paragraph


def block_texts(parsed: ParsedSource, kind: str | None = None) -> list[str]:
    return [
        parsed.text[block.start : block.end]
        for block in parsed.blocks
        if kind is None or block.kind == kind
    ]


def assert_blocks_consistent(parsed: ParsedSource) -> None:
    """Blocks are in order, inside the text, and the text is them joined by blank lines."""
    previous_end = -2
    for block in parsed.blocks:
        assert 0 <= block.start < block.end <= len(parsed.text)
        assert block.start == previous_end + 2
        assert parsed.text[block.start : block.end] == parsed.text[block.start : block.end].strip()
        previous_end = block.end
    assert parsed.text == "\n\n".join(block_texts(parsed))


def rewrite_zip(
    path: Path,
    change: Callable[[str, bytes], bytes | None],
    extra: dict[str, bytes] | None = None,
) -> Path:
    """Rewrite a saved package member by member: `change(name, data)` returns the new bytes
    (or None to leave the member out); `extra` members are appended."""
    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            changed = change(name, data)
            if changed is not None:
                archive.writestr(name, changed)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def tiny_png() -> bytes:
    """A valid 1x1 red PNG, so that python-docx can add a picture without Pillow."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def good_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Intervju i Trollhättan", level=1)
    document.add_paragraph("Intervjun handlar om våld i nära relationer.")
    document.add_paragraph("Samverkan med socialtjänsten är viktig.")
    return save(document, path)


# paragraphs and headings ---------------------------------------------------------------


def test_paragraphs_come_in_reading_order_joined_by_a_blank_line(tmp_path: Path) -> None:
    paragraphs = [
        "Första stycket handlar om trygghet i kommunen.",
        "Andra stycket: samverkan mellan skola och socialtjänst.",
        "Tredje stycket – åtgärder för äldre, ungdomar och föräldrar.",
    ]
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    parsed = read_source(save(document, tmp_path / "stycken.docx"))

    assert parsed.source_format == "docx"
    assert block_texts(parsed) == paragraphs
    assert [block.kind for block in parsed.blocks] == ["paragraph"] * 3
    assert parsed.text == "\n\n".join(paragraphs)
    assert_blocks_consistent(parsed)
    assert parsed.tables == []
    assert parsed.notes == []


def test_empty_paragraphs_and_runs_are_left_out_and_runs_are_joined(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Före tomrader.")
    document.add_paragraph("")
    document.add_paragraph("   ")
    paragraph = document.add_paragraph("Ett stycke ")
    paragraph.add_run("i tre ").italic = True
    paragraph.add_run("delar.")
    parsed = read_source(save(document, tmp_path / "tomma.docx"))

    assert block_texts(parsed) == ["Före tomrader.", "Ett stycke i tre delar."]
    assert_blocks_consistent(parsed)


def test_line_break_inside_a_paragraph_stays_in_that_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Rad ett i stycket.")
    paragraph.add_run().add_break()
    paragraph.add_run("Rad två i samma stycke.")
    document.add_paragraph("Nästa stycke.")
    parsed = read_source(save(document, tmp_path / "radbrytning.docx"))

    assert block_texts(parsed) == ["Rad ett i stycket.\nRad två i samma stycke.", "Nästa stycke."]


def test_text_is_nfc_normalised_and_positions_follow_it(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Återväxt på Öland och i Älvhamn.")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    document = docx.Document()
    document.add_paragraph(decomposed)
    document.add_paragraph("Sista stycket.")
    parsed = read_source(save(document, tmp_path / "nfd.docx"))

    assert block_texts(parsed) == ["Återväxt på Öland och i Älvhamn.", "Sista stycket."]
    assert unicodedata.is_normalized("NFC", parsed.text)


def test_headings_get_their_levels(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Intervju med samordnaren", level=1)
    document.add_paragraph("Inledande text om uppdraget.")
    document.add_heading("Bakgrund", level=2)
    document.add_paragraph("Kommunen startade arbetet 2019.")
    parsed = read_source(save(document, tmp_path / "rubriker.docx"))

    assert [(parsed.text[b.start : b.end], b.kind, b.level) for b in parsed.blocks] == [
        ("Intervju med samordnaren", "heading", 1),
        ("Inledande text om uppdraget.", "paragraph", None),
        ("Bakgrund", "heading", 2),
        ("Kommunen startade arbetet 2019.", "paragraph", None),
    ]
    assert all(block.bold_label is None for block in parsed.blocks)
    assert_blocks_consistent(parsed)


# tables ---------------------------------------------------------------------------------


def test_table_rows_become_paragraphs_with_cells_joined_by_bars(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Text före tabellen.")
    rows = [
        ["Kommun", "Roll", "År"],
        ["Trollhättan", "Samordnare", "2021"],
        ["Älvhamn", "Socialchef", "2023"],
    ]
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("Text efter tabellen.")
    parsed = read_source(save(document, tmp_path / "tabell.docx"))

    expected_rows = [" | ".join(values) for values in rows]
    assert block_texts(parsed) == ["Text före tabellen.", *expected_rows, "Text efter tabellen."]
    assert all(block.kind == "paragraph" for block in parsed.blocks)
    assert len(parsed.tables) == 1
    start, end = parsed.tables[0]
    assert parsed.text[start:end] == "\n\n".join(expected_rows)
    assert_blocks_consistent(parsed)


def test_merged_and_nested_cells_keep_all_their_text_in_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Inledning före den sammanslagna tabellen.")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "Vågrätt sammanslagen"
    table.cell(0, 1).text = "andra halvan"
    table.cell(0, 2).text = "Höger hörn"
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(1, 0).text = "Lodrätt sammanslagen"
    table.cell(2, 0).text = "nedre delen"
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(1, 1).text = "Cell med inre tabell"
    inner = table.cell(1, 1).add_table(rows=2, cols=2)
    for (row, col), value in {
        (0, 0): "Inre ett",
        (0, 1): "Inre två",
        (1, 0): "Inre tre",
        (1, 1): "Inre fyra",
    }.items():
        inner.cell(row, col).text = value
    table.cell(1, 2).text = "Mitt höger"
    table.cell(2, 1).text = "Nere mitten"
    table.cell(2, 2).text = "Nere höger"
    document.add_paragraph("Avslutning efter tabellen.")
    parsed = read_source(save(document, tmp_path / "sammanslagen.docx"))

    texts = block_texts(parsed)
    assert texts[0] == "Inledning före den sammanslagna tabellen."
    assert texts[-1] == "Avslutning efter tabellen."
    assert len(parsed.tables) == 1
    start, end = parsed.tables[0]
    table_text = parsed.text[start:end]
    assert parsed.text[:start].rstrip() == texts[0]
    assert parsed.text[end:].lstrip() == texts[-1]
    for value in [
        "Vågrätt sammanslagen",
        "andra halvan",
        "Höger hörn",
        "Lodrätt sammanslagen",
        "nedre delen",
        "Cell med inre tabell",
        "Inre ett",
        "Inre två",
        "Inre tre",
        "Inre fyra",
        "Mitt höger",
        "Nere mitten",
        "Nere höger",
    ]:
        assert table_text.count(value) == 1, value
    # reading order: the first row before the second, the nested table inside its cell
    order = [
        "Vågrätt sammanslagen",
        "Höger hörn",
        "Lodrätt sammanslagen",
        "Cell med inre tabell",
        "Inre ett",
        "Inre fyra",
        "Mitt höger",
        "Nere mitten",
        "Nere höger",
    ]
    positions = [table_text.index(value) for value in order]
    assert positions == sorted(positions)
    # the whole table is three row paragraphs; the nested table does not add rows of its own
    assert table_text.count("\n\n") == 2
    assert_blocks_consistent(parsed)


# bold speaker labels --------------------------------------------------------------------


def test_bold_name_with_colon_is_the_bold_label(tmp_path: Path) -> None:
    document = docx.Document()
    bold_paragraph(document, "Karin:", " Vi började med en kartläggning.")
    bold_paragraph(document, "Karin", ": Sedan kom handlingsplanen.")
    bold_paragraph(document, "I:", " Hur gick det till?", before="[00:03:12] ")
    bold_paragraph(document, "Viktigt", " att komma ihåg är att ingen kolon följer.")
    bold_paragraph(document, "Hela meningen är fetstil.", "")
    document.add_paragraph("Karin: utan fetstil ger ingen etikett.")
    parsed = read_source(save(document, tmp_path / "etiketter.docx"))

    assert [(parsed.text[b.start : b.end], b.bold_label) for b in parsed.blocks] == [
        ("Karin: Vi började med en kartläggning.", "Karin"),
        ("Karin: Sedan kom handlingsplanen.", "Karin"),
        ("[00:03:12] I: Hur gick det till?", "I"),
        ("Viktigt att komma ihåg är att ingen kolon följer.", None),
        ("Hela meningen är fetstil.", None),
        ("Karin: utan fetstil ger ingen etikett.", None),
    ]


# comments, tracked changes, text boxes, footnotes -------------------------------------


def test_comments_become_notes_at_the_end(tmp_path: Path) -> None:
    document = docx.Document()
    first = document.add_paragraph("Vi har ett nära samarbete med polisen.")
    document.add_paragraph("Ett stycke utan kommentar.")
    document.add_comment(
        first.runs, text="Fråga om vilka avtal som finns.", author="Anna Berg", initials="AB"
    )
    parsed = read_source(save(document, tmp_path / "kommentar.docx"))

    assert block_texts(parsed) == [
        "Vi har ett nära samarbete med polisen.",
        "Ett stycke utan kommentar.",
        "[Kommentar av Anna Berg] Fråga om vilka avtal som finns.",
    ]
    assert [block.kind for block in parsed.blocks] == ["paragraph", "paragraph", "note"]
    assert any("1 comments" in note for note in parsed.notes), parsed.notes
    assert_blocks_consistent(parsed)


def test_tracked_insertions_are_kept_and_deletions_dropped(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Arbetet leds av ")
    inserted = parse_xml(
        f'<w:ins {nsdecls("w")} w:id="1" w:author="Anna Berg" w:date="2025-03-01T10:00:00Z">'
        '<w:r><w:t xml:space="preserve">den nya </w:t></w:r></w:ins>'
    )
    deleted = parse_xml(
        f'<w:del {nsdecls("w")} w:id="2" w:author="Anna Berg" w:date="2025-03-01T10:00:00Z">'
        '<w:r><w:delText xml:space="preserve">gamla struket </w:delText></w:r></w:del>'
    )
    paragraph._p.append(inserted)
    paragraph._p.append(deleted)
    paragraph.add_run("samordnaren.")
    parsed = read_source(save(document, tmp_path / "spårade.docx"))

    assert parsed.text == "Arbetet leds av den nya samordnaren."
    assert "struket" not in parsed.text
    assert "1 tracked insertions kept" in parsed.notes
    assert any(note.startswith("1 tracked deletions dropped") for note in parsed.notes)


def _textbox(text: str) -> str:
    run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
    return f"<w:txbxContent><w:p>{run}</w:p></w:txbxContent>"


def test_vml_text_box_comes_after_its_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Stycket som håller rutan. ")
    run = paragraph.add_run()
    run._r.append(
        parse_xml(
            f'<w:pict {nsdecls("w")} {VML}><v:rect style="width:200pt;height:50pt">'
            f"<v:textbox>{_textbox('Text i VML-rutan.')}</v:textbox></v:rect></w:pict>"
        )
    )
    paragraph.add_run("Slutet på stycket.")
    document.add_paragraph("Nästa stycke.")
    parsed = read_source(save(document, tmp_path / "vml.docx"))

    assert block_texts(parsed) == [
        "Stycket som håller rutan. Slutet på stycket.",
        "Text i VML-rutan.",
        "Nästa stycke.",
    ]
    assert any("1 text boxes" in note for note in parsed.notes), parsed.notes


def test_alternate_content_text_box_appears_once_after_its_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Stycket före rutan. ")
    run = paragraph.add_run()
    box = _textbox("Faktaruta om Brottsförebyggande rådet.")
    choice_drawing = (
        '<w:drawing><wp:anchor><wp:docPr id="7" name="Textruta 7"/><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing>"
    )
    run._r.append(
        parse_xml(
            f"<mc:AlternateContent {nsdecls('w', 'wp', 'a')} {MC} {VML} {WPS}>"
            f'<mc:Choice Requires="wps">{choice_drawing}</mc:Choice>'
            f"<mc:Fallback><w:pict><v:rect><v:textbox>{box}</v:textbox></v:rect></w:pict>"
            "</mc:Fallback></mc:AlternateContent>"
        )
    )
    paragraph.add_run("Stycket efter rutan.")
    document.add_paragraph("Sista stycket.")
    parsed = read_source(save(document, tmp_path / "textruta.docx"))

    assert parsed.text.count("Faktaruta om Brottsförebyggande rådet.") == 1
    assert block_texts(parsed) == [
        "Stycket före rutan. Stycket efter rutan.",
        "Faktaruta om Brottsförebyggande rådet.",
        "Sista stycket.",
    ]
    assert any("1 text boxes" in note for note in parsed.notes), parsed.notes
    assert not any("images" in note for note in parsed.notes), parsed.notes


FOOTNOTES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:footnotes xmlns:w="{W_NS}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
    "</w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
    "<w:continuationSeparator/></w:r></w:p></w:footnote>"
    '<w:footnote w:id="1"><w:p><w:r><w:t>Enligt kommunens handlingsplan från 2022.</w:t>'
    "</w:r></w:p></w:footnote>"
    "</w:footnotes>"
)
FOOTNOTES_REL = (
    '<Relationship Id="rIdFotnoter"'
    ' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"'
    ' Target="footnotes.xml"/>'
)
FOOTNOTES_TYPE = (
    '<Override PartName="/word/footnotes.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
)


def test_footnotes_become_notes_at_the_end(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Arbetet följer handlingsplanen.")
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:footnoteReference w:id="1"/></w:r>'))
    document.add_paragraph("Ett andra stycke.")
    path = save(document, tmp_path / "fotnot.docx")

    def add_footnotes(name: str, data: bytes) -> bytes:
        if name == "word/_rels/document.xml.rels":
            return data.replace(b"</Relationships>", FOOTNOTES_REL.encode() + b"</Relationships>")
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", FOOTNOTES_TYPE.encode() + b"</Types>")
        return data

    rewrite_zip(path, add_footnotes, {"word/footnotes.xml": FOOTNOTES_XML.encode()})
    parsed = read_source(path)

    assert block_texts(parsed) == [
        "Arbetet följer handlingsplanen.",
        "Ett andra stycke.",
        "[Fotnot 1] Enligt kommunens handlingsplan från 2022.",
    ]
    assert parsed.blocks[-1].kind == "note"
    assert any("1 footnotes" in note for note in parsed.notes), parsed.notes
    assert_blocks_consistent(parsed)


def test_headers_footers_and_images_are_reported_as_skipped(tmp_path: Path) -> None:
    image = tmp_path / "bild.png"
    image.write_bytes(tiny_png())
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Sidhuvud: Trollhättans stad"
    section.footer.paragraphs[0].text = "Sidfot: sida 1"
    document.add_paragraph("Brödtexten om trygghetsarbetet.")
    document.add_picture(str(image))
    document.add_paragraph("Text efter bilden.")
    parsed = read_source(save(document, tmp_path / "sidhuvud.docx"))

    assert "Sidhuvud" not in parsed.text
    assert "Sidfot" not in parsed.text
    assert block_texts(parsed, "paragraph") == [
        "Brödtexten om trygghetsarbetet.",
        "Text efter bilden.",
    ]
    assert any("2 headers/footers with text skipped" in note for note in parsed.notes), parsed.notes
    assert any("1 images skipped" in note for note in parsed.notes), parsed.notes


# bad input ------------------------------------------------------------------------------


def _billion_laughs() -> bytes:
    entities = ['<!ENTITY lol "lol">']
    for n in range(1, 10):
        previous = f"&lol{n - 1};" if n > 1 else "&lol;"
        entities.append(f'<!ENTITY lol{n} "{previous * 10}">')
    return ("<!DOCTYPE w:document [\n" + "\n".join(entities) + "\n]>\n").encode()


BILLION_LAUGHS = _billion_laughs()


def corrupt_docx(path: Path) -> Path:
    data = random.Random(20250301).randbytes(4096)
    path.write_bytes(b"\x13\x37" + data)  # neither zip nor OLE magic
    return path


def entity_docx(path: Path) -> Path:
    good_docx(path)

    def add_doctype(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        declaration_end = data.index(b"?>") + 2
        body = data[declaration_end:].replace(b"<w:t>Samverkan", b"<w:t>&lol9; Samverkan", 1)
        assert b"&lol9;" in body
        return data[:declaration_end] + b"\n" + BILLION_LAUGHS + body

    return rewrite_zip(path, add_doctype)


def bomb_docx(path: Path) -> Path:
    """A real Word package plus a member of 101 MiB of zeros (about 100 KiB on disk)."""
    good_docx(path)
    zeros = bytes(MIB)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/image1.png", "w") as member,
    ):
        for _ in range(101):
            member.write(zeros)
    return path


def old_doc(path: Path) -> Path:
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504) + b"Gammalt Word-dokument")
    return path


def plain_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("anteckningar.txt", "Det här är ingen Word-fil.")
    return path


def spreadsheet_package(path: Path) -> Path:
    """An Open XML package, but a workbook rather than a Word document."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels"'
            ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns='
            '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
        )
    return path


def empty_docx(path: Path) -> Path:
    path.write_bytes(b"")
    return path


BAD_FILES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "trasig": (corrupt_docx, "not a zip archive"),
    "entiteter": (entity_docx, "word/document.xml declares XML entities"),
    "zipbomb": (bomb_docx, "expands beyond 100 MiB"),
    "gammal": (old_doc, "old Word 97-2003 (.doc)"),
    "inte-word": (plain_zip, "not a Word document"),
    "kalkylblad": (spreadsheet_package, "not a Word document"),
    "tom": (empty_docx, "the file is empty"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_files_are_refused_naming_the_file_and_the_problem(tmp_path: Path, name: str) -> None:
    make, problem = BAD_FILES[name]
    path = make(tmp_path / f"{name}.docx")
    with pytest.raises(ImportRefused) as refused:
        read_source(path)
    message = str(refused.value)
    assert message.startswith(f"{path}: ")
    assert problem in message
    assert "\n" not in message
    assert "lollol" not in message  # entities are never expanded


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_file_fails_in_a_batch_while_the_good_file_is_imported(
    tmp_path: Path, project: Project, name: str
) -> None:
    make, problem = BAD_FILES[name]
    (tmp_path / "källor").mkdir()
    bad = make(tmp_path / "källor" / f"{name}.docx")
    good = good_docx(tmp_path / "källor" / "Trollhättan-01.docx")

    outcomes = import_sources(
        project,
        [
            ImportRequest(bad, SourceMetadata(case="Trasiga", kind="interview")),
            ImportRequest(good, SourceMetadata(case="Trollhättan", kind="interview")),
        ],
    )

    by_name = {outcome.name: outcome for outcome in outcomes}
    assert by_name[bad.name].status == "failed"
    assert by_name[bad.name].message.startswith(f"{bad}: ")
    assert problem in by_name[bad.name].message
    assert by_name[bad.name].document_id is None
    assert by_name[good.name].status == "imported"
    documents = list(project.db.query("SELECT id, name FROM documents"))
    assert [row["name"] for row in documents] == [good.name]
    good_id = documents[0]["id"]
    assert project.db.execute(
        "SELECT COUNT(*) FROM segments WHERE document_id != ?", [good_id]
    ).fetchone() == (0,)
    assert (
        project.db.execute(
            "SELECT COUNT(*) FROM segments WHERE document_id = ?", [good_id]
        ).fetchone()[0]
        > 0
    )


def test_zip_bomb_is_refused_with_little_memory(tmp_path: Path) -> None:
    path = bomb_docx(tmp_path / "zipbomb.docx")
    assert path.stat().st_size < 2 * MIB
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("word/media/image1.png").file_size > 100 * MIB

    tracemalloc.start()
    try:
        with pytest.raises(ImportRefused, match="zip bomb"):
            read_source(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * MIB


def test_entities_are_refused_before_any_expansion(tmp_path: Path) -> None:
    path = entity_docx(tmp_path / "entiteter.docx")
    with zipfile.ZipFile(path) as archive:
        assert b"<!ENTITY lol9" in archive.read("word/document.xml")
    tracemalloc.start()
    try:
        with pytest.raises(ImportRefused, match="DOCTYPE"):
            read_source(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * MIB


# speaker turns through the import -----------------------------------------------------


def _turns(project: Project, document_id: int) -> list[dict]:
    return list(
        project.db.query(
            'SELECT t.start, t."end", t.content_start, s.label, s.role, s.is_interviewer'
            " FROM segments t JOIN speakers s ON s.id = t.speaker_id"
            " WHERE t.document_id = ? AND t.kind = 'turn' ORDER BY t.start",
            [document_id],
        )
    )


def _document_text(project: Project, document_id: int) -> str:
    return project.db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()[
        0
    ]


def test_bold_names_become_speaker_turns(tmp_path: Path, project: Project) -> None:
    document = docx.Document()
    document.add_heading("Intervju med Karin, kvinnofridssamordnare", level=1)
    document.add_paragraph("Datum: 2025-03-01")
    exchange = [
        ("Intervjuare:", " Kan du berätta om ditt uppdrag?"),
        ("Karin:", " Jag samordnar kommunens arbete mot våld i nära relationer."),
        ("Intervjuare:", " Vilka samarbetar du med?"),
        ("Karin:", " Framför allt socialtjänsten, polisen och skolan."),
    ]
    for bold, rest in exchange:
        bold_paragraph(document, bold, rest)
    path = save(document, tmp_path / "Havsö-01-kvinnofridssamordnare.docx")

    [outcome] = import_sources(
        project, [ImportRequest(path, SourceMetadata(case="Havsö", kind="interview"))]
    )
    assert outcome.status == "imported", outcome.message
    text = _document_text(project, outcome.document_id)
    turns = _turns(project, outcome.document_id)

    assert [turn["label"] for turn in turns] == ["Intervjuare", "Karin", "Intervjuare", "Karin"]
    for turn, (bold, rest) in zip(turns, exchange, strict=True):
        assert text[turn["start"] : turn["end"]] == bold + rest
        assert text[turn["start"] :].startswith(turn["label"] + ":")
        assert text[turn["content_start"] : turn["end"]] == rest.strip()
    karin = turns[1]
    assert karin["content_start"] == karin["start"] + len("Karin: ")

    speakers = {
        row["label"]: row
        for row in project.db.query(
            "SELECT label, role, is_interviewer FROM speakers WHERE document_id = ?",
            [outcome.document_id],
        )
    }
    assert set(speakers) == {"Intervjuare", "Karin"}  # "Datum" is not a speaker
    assert speakers["Intervjuare"]["is_interviewer"] == 1
    assert speakers["Intervjuare"]["role"] == "intervjuare"
    assert speakers["Karin"]["is_interviewer"] == 0

    headings = list(
        project.db.query(
            "SELECT start, \"end\", level FROM segments WHERE document_id = ? AND kind = 'heading'",
            [outcome.document_id],
        )
    )
    assert [(text[h["start"] : h["end"]], h["level"]) for h in headings] == [
        ("Intervju med Karin, kvinnofridssamordnare", 1)
    ]
    first_turn = turns[0]["start"]
    assert "Datum: 2025-03-01" in text[:first_turn]


def test_time_stamp_before_a_bold_label_is_not_part_of_it(tmp_path: Path, project: Project) -> None:
    document = docx.Document()
    document.add_heading("Intervju 5", level=1)
    exchange = [
        ("[00:03:12] ", "I:", " Hur började det förebyggande arbetet?"),
        ("[00:03:20] ", "IP:", " Det började med en trygghetsmätning."),
        ("[00:04:05] ", "I:", " Vad hände sedan?"),
        ("[00:04:11] ", "IP:", " Vi tog fram en handlingsplan."),
    ]
    for stamp, bold, rest in exchange:
        bold_paragraph(document, bold, rest, before=stamp)
    path = save(document, tmp_path / "intervju-5.docx")

    parsed = read_source(path)
    assert [block.bold_label for block in parsed.blocks] == [None, "I", "IP", "I", "IP"]

    [outcome] = import_sources(
        project, [ImportRequest(path, SourceMetadata(case="Kvarnby", kind="interview"))]
    )
    assert outcome.status == "imported", outcome.message
    text = _document_text(project, outcome.document_id)
    turns = _turns(project, outcome.document_id)
    assert [turn["label"] for turn in turns] == ["I", "IP", "I", "IP"]
    for turn, (stamp, bold, rest) in zip(turns, exchange, strict=True):
        assert text[turn["start"] : turn["end"]] == stamp + bold + rest
        assert text[turn["content_start"] : turn["end"]] == rest.strip()
    labels = {
        row["label"]: row["is_interviewer"]
        for row in project.db.query(
            "SELECT label, is_interviewer FROM speakers WHERE document_id = ?",
            [outcome.document_id],
        )
    }
    assert labels == {"I": 1, "IP": 0}


# run splits, pictures in text boxes, charts ------------------------------------------


@pytest.mark.parametrize(
    "runs",
    [
        pytest.param(["[00:01:10]", " "], id="space-run-after-time-stamp"),
        pytest.param(["[00:01:10]", "\t"], id="tab-run-after-time-stamp"),
        pytest.param([" "], id="leading-space-run"),
    ],
)
def test_bold_label_survives_a_whitespace_run_before_it(tmp_path: Path, runs: list[str]) -> None:
    """Word splits runs wherever an edit was made, so the blank between a time stamp and
    a bold name is often a run of its own; the label is still the bold name."""
    document = docx.Document()
    paragraph = document.add_paragraph()
    for text in runs:
        paragraph.add_run(text)
    paragraph.add_run("Karin:").bold = True
    paragraph.add_run(" Vi började med en kartläggning.")
    parsed = read_source(save(document, tmp_path / "delade-körningar.docx"))

    assert parsed.text.endswith("Karin: Vi började med en kartläggning.")
    assert parsed.blocks[0].bold_label == "Karin"


def test_bold_names_after_split_time_stamps_become_turns(tmp_path: Path, project: Project) -> None:
    document = docx.Document()
    exchange = [
        ("[00:01:02]", "Intervjuare:", " Hur började arbetet?"),
        ("[00:01:10]", "Karin:", " Med en kartläggning av behoven."),
        ("[00:02:00]", "Intervjuare:", " Och sedan?"),
        ("[00:02:05]", "Karin:", " Sedan kom handlingsplanen."),
    ]
    for stamp, bold, rest in exchange:
        paragraph = document.add_paragraph()
        paragraph.add_run(stamp)
        paragraph.add_run(" ")
        paragraph.add_run(bold).bold = True
        paragraph.add_run(rest)
    path = save(document, tmp_path / "Kvarnby-01.docx")

    [outcome] = import_sources(project, [ImportRequest(path, SourceMetadata(case="Kvarnby"))])
    assert outcome.status == "imported", outcome.message
    turns = _turns(project, outcome.document_id)
    assert [turn["label"] for turn in turns] == ["Intervjuare", "Karin", "Intervjuare", "Karin"]


def test_alt_text_of_a_picture_in_a_text_box_is_imported_once(tmp_path: Path) -> None:
    image = tmp_path / "karta.png"
    image.write_bytes(tiny_png())
    document = docx.Document()
    document.add_picture(str(image))
    picture_run = document.paragraphs[-1].runs[0]._r
    for described in picture_run.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
    ):
        described.set("descr", "Karta över kommunens stadsdelar")
    picture_xml = picture_run.xml  # the picture run, to be put inside the text box
    document.element.body.remove(document.paragraphs[-1]._p)

    paragraph = document.add_paragraph("Stycket som håller rutan.")
    box = (
        f"<w:pict {nsdecls('w')} {VML}><v:rect><v:textbox><w:txbxContent>"
        "<w:p><w:r><w:t>Bildtext i rutan.</w:t></w:r></w:p>"
        "<w:p/></w:txbxContent></v:textbox></v:rect></w:pict>"
    )
    pict = parse_xml(box)
    pict.find(f".//{{{W_NS}}}txbxContent")[1].append(parse_xml(picture_xml))
    paragraph.add_run()._r.append(pict)
    parsed = read_source(save(document, tmp_path / "bild-i-ruta.docx"))

    assert parsed.text.count("[Bild: Karta över kommunens stadsdelar]") == 1, parsed.text
    assert any("1 image descriptions" in note for note in parsed.notes), parsed.notes


GRAPHIC = (
    '<w:r {w}><w:drawing><wp:inline {wp}><wp:extent cx="3000000" cy="2000000"/>'
    '<wp:docPr id="9" name="{name}"/><a:graphic {a}><a:graphicData uri="{uri}">{data}'
    "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
)
DRAWINGML = "http://schemas.openxmlformats.org/drawingml/2006"
R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
SKIPPED_DRAWINGS = {
    "chart": GRAPHIC.format(
        w=nsdecls("w"),
        wp=nsdecls("wp"),
        a=nsdecls("a"),
        name="Diagram 1",
        uri=f"{DRAWINGML}/chart",
        data=f'<c:chart xmlns:c="{DRAWINGML}/chart" {R_NS} r:id="rIdDiagram"/>',
    ),
    "smartart": GRAPHIC.format(
        w=nsdecls("w"),
        wp=nsdecls("wp"),
        a=nsdecls("a"),
        name="SmartArt 1",
        uri=f"{DRAWINGML}/diagram",
        data=(
            f'<dgm:relIds xmlns:dgm="{DRAWINGML}/diagram" {R_NS} r:dm="rIdData"'
            ' r:lo="rIdLayout" r:qs="rIdStyle" r:cs="rIdColors"/>'
        ),
    ),
    "vml-bild": (
        f'<w:r {nsdecls("w")} {VML} {R_NS}><w:pict><v:shape style="width:100pt;height:80pt">'
        '<v:imagedata r:id="rIdBild" o:title="" xmlns:o="urn:schemas-microsoft-com:office:office"/>'
        "</v:shape></w:pict></w:r>"
    ),
}


@pytest.mark.parametrize("kind", list(SKIPPED_DRAWINGS))
def test_charts_smartart_and_vml_pictures_are_named_as_skipped(tmp_path: Path, kind: str) -> None:
    """Nothing is dropped silently: a chart, a SmartArt graphic or an old-style (VML)
    picture in the body is named in the import notes, as a DrawingML picture is."""
    document = docx.Document()
    paragraph = document.add_paragraph("Figuren nedan visar anmälda brott per år.")
    paragraph._p.append(parse_xml(SKIPPED_DRAWINGS[kind]))
    document.add_paragraph("Texten fortsätter efter figuren.")
    parsed = read_source(save(document, tmp_path / f"{kind}.docx"))

    assert block_texts(parsed) == [
        "Figuren nedan visar anmälda brott per år.",
        "Texten fortsätter efter figuren.",
    ]
    assert any("skipped" in note for note in parsed.notes), parsed.notes
