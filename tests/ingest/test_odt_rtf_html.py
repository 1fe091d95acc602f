"""Other common documents: OpenDocument text, RTF, web pages and old Word .doc files.

Fixtures are written here: an .odt zipped by hand with its own XML, RTF with Swedish
letters as `\\'e5` and `\\u229` escapes, a Windows-1252 web page, and .doc files.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest import doc_reader
from vinr_qual.ingest.model import ParsedSource
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.ingest.readers import SUFFIXES, read_source
from vinr_qual.project import Project


def passages(parsed: ParsedSource, kind: str | None = None) -> list[str]:
    return [parsed.text[b.start : b.end] for b in parsed.blocks if kind in (None, b.kind)]


def segments(project: Project, kind: str) -> list[tuple[str, int | None]]:
    rows = project.db.execute(
        'SELECT substr(d.text, s.start + 1, s."end" - s.start), s.level FROM segments s'
        " JOIN documents d ON d.id = s.document_id WHERE s.kind = ? ORDER BY s.start",
        [kind],
    ).fetchall()
    return [(text, level) for text, level in rows]


def import_one(project: Project, path: Path) -> str:
    [outcome] = import_sources(project, [ImportRequest(path)])
    assert outcome.status == "imported", outcome.message
    return outcome.message


# OpenDocument text --------------------------------------------------------------------

ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
    ' xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
    ' xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
    ' xmlns:xlink="http://www.w3.org/1999/xlink"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
)

ODT_BODY = """
<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Figur"/></text:sequence-decls>
<text:h text:style-name="Heading_1" text:outline-level="1">Intervju med   Testby kommun</text:h>
<text:p>I: Vilka insatser <text:span text:style-name="T1">finns</text:span> för unga?<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Frågan ställdes efter pausen.</text:p></text:note-body></text:note></text:p>
<text:p>IP: Vi har tre:<text:s text:c="2"/>fältarbete,<text:tab/>läxhjälp<text:line-break/>och mentorer.</text:p>
<text:h text:outline-level="2">Insatser</text:h>
<text:list text:style-name="L1">
  <text:list-item><text:p>Fältassistenter på kvällar</text:p></text:list-item>
  <text:list-item><text:p>Läxhjälp i skolan</text:p>
    <text:list><text:list-item><text:p>för årskurs 7–9</text:p></text:list-item></text:list>
  </text:list-item>
</text:list>
<table:table table:name="Tabell1">
  <table:table-column table:number-columns-repeated="2"/>
  <table:table-header-rows>
    <table:table-row><table:table-cell><text:p>Aktör</text:p></table:table-cell><table:table-cell><text:p>Ansvar</text:p></table:table-cell></table:table-row>
  </table:table-header-rows>
  <table:table-row><table:table-cell><text:p>Socialtjänsten</text:p></table:table-cell><table:table-cell><text:p>Stöd till familjer</text:p></table:table-cell></table:table-row>
</table:table>
<text:p>Bild:<draw:frame draw:name="Bild1"><draw:image xlink:href="Pictures/a.png"/><svg:desc>Karta över Testby</svg:desc></draw:frame> slut.</text:p>
<text:p>Ankare<draw:frame draw:name="Ruta1"><draw:text-box><text:p>Text i en ruta.</text:p></draw:text-box></draw:frame></text:p>
<text:p>I: Och hur följs de upp?</text:p>
<text:p>IP: Varje termin, i en rapport.</text:p>
<text:p>Sista stycket.<office:annotation><dc:creator>Eva</dc:creator><dc:date>2025-03-01</dc:date><text:p>Kontrollera citatet.</text:p></office:annotation></text:p>
"""

ODT_STYLES = (
    f'<office:document-styles {ODT_NS}><office:master-styles><style:master-page style:name="Standard">'
    "<style:header><text:p>Konfidentiellt</text:p></style:header>"
    "</style:master-page></office:master-styles></office:document-styles>"
)


def write_odt(
    path: Path,
    body: str = ODT_BODY,
    *,
    mimetype: str = "application/vnd.oasis.opendocument.text",
    doctype: bool = False,
) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        + ('<!DOCTYPE office:document-content [<!ENTITY x "xxxx">]>' if doctype else "")
        + f'<office:document-content {ODT_NS} office:version="1.3">'
        + f"<office:body><office:text>{body}</office:text></office:body>"
        + "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", ODT_STYLES)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("Pictures/a.png", b"\x89PNG\r\n\x1a\n")
    return path


def test_odt_reads_headings_lists_tables_and_notes_in_order(tmp_path: Path) -> None:
    parsed = read_source(write_odt(tmp_path / "intervju.odt"))
    assert parsed.source_format == "odt"
    assert passages(parsed) == [
        "Intervju med Testby kommun",
        "I: Vilka insatser finns för unga?",
        "IP: Vi har tre:  fältarbete,\tläxhjälp\noch mentorer.",
        "Insatser",
        "Fältassistenter på kvällar",
        "Läxhjälp i skolan",
        "för årskurs 7–9",
        "Aktör | Ansvar",
        "Socialtjänsten | Stöd till familjer",
        "Bild: slut.",
        "Ankare",
        "Text i en ruta.",
        "I: Och hur följs de upp?",
        "IP: Varje termin, i en rapport.",
        "Sista stycket.",
        "[Fotnot 1] Frågan ställdes efter pausen.",
        "[Bild] Karta över Testby",
        "[Kommentar av Eva] Kontrollera citatet.",
    ]
    assert [(b.kind, b.level) for b in parsed.blocks if b.kind == "heading"] == [
        ("heading", 1),
        ("heading", 2),
    ]
    assert [b.kind for b in parsed.blocks][-3:] == ["note", "note", "note"]
    [(start, end)] = parsed.tables
    assert parsed.text[start:end] == "Aktör | Ansvar\n\nSocialtjänsten | Stöd till familjer"
    assert parsed.notes == [
        "1 headers/footers with text skipped (page furniture)",
        "1 footnotes imported as notes at the end of the text",
        "1 comments imported as notes at the end of the text",
        "1 text boxes imported after the paragraph that holds them",
        "1 image descriptions (alt text) imported as notes",
        "1 images skipped",
    ]
    assert "Konfidentiellt" not in parsed.text and "Figur" not in parsed.text


def test_odt_imports_with_headings_tables_notes_and_turns(tmp_path: Path, project: Project) -> None:
    message = import_one(project, write_odt(tmp_path / "intervju.odt"))
    assert "1 images skipped" in message
    assert segments(project, "heading") == [("Intervju med Testby kommun", 1), ("Insatser", 2)]
    assert segments(project, "table") == [
        ("Aktör | Ansvar\n\nSocialtjänsten | Stöd till familjer", None)
    ]
    assert next(text for text, _ in segments(project, "note")).startswith("[Fotnot 1]")
    turns = [text for text, _ in segments(project, "turn")]
    assert turns[0] == "I: Vilka insatser finns för unga?"
    assert turns[-1].startswith("IP: Varje termin, i en rapport.")


def test_odt_with_a_doctype_is_refused_before_parsing(tmp_path: Path) -> None:
    path = write_odt(tmp_path / "farlig.odt", doctype=True)
    with pytest.raises(ImportRefused, match=r"farlig\.odt: part content\.xml declares XML"):
        read_source(path)


def test_an_opendocument_spreadsheet_named_odt_is_refused(tmp_path: Path) -> None:
    path = write_odt(
        tmp_path / "kalkyl.odt", mimetype="application/vnd.oasis.opendocument.spreadsheet"
    )
    with pytest.raises(ImportRefused, match=r"kalkyl\.odt: .*not a text document"):
        read_source(path)


def test_a_zip_that_is_no_odt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "arkiv.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("annat.txt", "hej")
    with pytest.raises(ImportRefused, match=r"arkiv\.odt: a zip archive but not .*content\.xml"):
        read_source(path)


def test_an_odt_without_text_is_refused_naming_what_it_holds(tmp_path: Path) -> None:
    body = '<text:p><draw:frame><draw:image xlink:href="Pictures/a.png"/></draw:frame></text:p>'
    with pytest.raises(ImportRefused, match=r"tom\.odt: the document body has no text .*1 images"):
        read_source(write_odt(tmp_path / "tom.odt", body))


# RTF ----------------------------------------------------------------------------------

WORDPAD_RTF = (
    r"{\rtf1\ansi\ansicpg1252\deff0\nouicompat{\fonttbl{\f0\fnil\fcharset0 Calibri;}}"
    r"{\*\generator Riched20 10.0.19041}\viewkind4\uc1 \pard\sa200\sl276\slmult1\f0\fs22\lang29 "
    "Intervjuare: Hur ser samverkan ut i kommunen?\\par\r\n"
    r"Respondent: Vi tr\'e4ffas varje m\'e5nad med polisen. Det \'e4r ett f\'f6rs\'f6k att n\'e5"
    " ungdomarna tidigt.\\par\r\n"
    r"Intervjuare: \'c4r det n\'e5got som saknas?\par" "\r\n"
    r"Respondent: \'d6ppenhet kring vad socialtj\'e4nsten f\'e5r dela.\par}"
)  # fmt: skip

WORD_RTF = (
    r"{\rtf1\adeflang1025\ansi\ansicpg1252\uc1\deff0{\fonttbl{\f0\froman\fcharset0 Times New Roman;}"
    r"{\f1\fswiss\fcharset238 Arial CE;}}{\colortbl;\red0\green0\blue0;}"
    r"{\stylesheet{\s0 Normal;}{\s1\outlinelevel0 heading 1;}}"
    r"{\info{\title Intervju Testby}{\author Anna}}"
    r"{\header\pard\plain Sidhuvud som inte ska med\par}"
    r"\pard\s1\outlinelevel0\b Intervju med samordnaren\b0\par "
    r"\pard\s0 Intervjuare: Ber\u228\'e4tta om ert arbete med v\u229\'e5ldsprevention.\par "
    r"Samordnare: Vi har en handlingsplan\chftn{\footnote\pard\plain\chftn Antagen av"
    r" fullm\u228\'e4ktige 2023.} sedan tv\u229\'e5 \u229\'e5r tillbaka.\par "
    r"{\field{\*\fldinst HYPERLINK \"http://example.org\"}{\fldrslt Planen finns p\u229\'e5 webben}}\par "
    r"\trowd\cellx3000\cellx6000\intbl Akt\u246\'f6r\cell Ansvar\cell\row "
    r"\trowd\cellx3000\cellx6000\intbl Skolan\cell Tidiga insatser\cell\row "
    r"\pard{\*\shppict{\pict\pngblip\picw10\pich10 89504e470d0a1a0a0000000d49484452}}"
    r"{\nonshppict{\pict\wmetafile8 0100090000}}\par "
    r"Samordnare: \u8220\'93Det tar tid\u8221\'94 \endash  s\u229\'e5 \u228\'e4r det.\line Punkt."
    r"{\*\atnid EV}{\*\atnauthor Eva}\chatn{\*\annotation\pard\plain Kolla citatet.}\par "
    r"Emoji: \u-10179?\u-8704?\par}"
)

UC0_RTF = (
    r"{\rtf1\ansi\ansicpg1252\uc0 {\fonttbl{\f0 Arial;}}\f0 "
    r"SPEAKER_00: Tack f\u246r att du st\u228ller upp.\par "
    r"SPEAKER_01: Sj\u228lvklart, \u197\u196\u214  \u229\u228\u246  och \u8364 .\par "
    r"SPEAKER_00: F\u246rsta fr\u229gan.\par}"
)


def test_wordpad_rtf_with_hex_escapes_reads_swedish_letters(tmp_path: Path) -> None:
    path = tmp_path / "wordpad.rtf"
    path.write_bytes(WORDPAD_RTF.encode("ascii"))
    parsed = read_source(path)
    assert parsed.source_format == "rtf" and parsed.encoding == "cp1252"
    assert passages(parsed) == [
        "Intervjuare: Hur ser samverkan ut i kommunen?",
        "Respondent: Vi träffas varje månad med polisen. Det är ett försök att nå ungdomarna"
        " tidigt.",
        "Intervjuare: Är det något som saknas?",
        "Respondent: Öppenhet kring vad socialtjänsten får dela.",
    ]
    assert parsed.notes == []


def test_word_rtf_keeps_headings_tables_footnotes_and_names_what_is_skipped(
    tmp_path: Path,
) -> None:
    path = tmp_path / "word.rtf"
    path.write_bytes(WORD_RTF.encode("ascii"))
    parsed = read_source(path)
    assert passages(parsed) == [
        "Intervju med samordnaren",
        "Intervjuare: Berätta om ert arbete med våldsprevention.",
        "Samordnare: Vi har en handlingsplan sedan två år tillbaka.",
        "Planen finns på webben",
        "Aktör | Ansvar",
        "Skolan | Tidiga insatser",
        "Samordnare: “Det tar tid” – så är det.\nPunkt.",
        "Emoji: 😀",
        "[Fotnot 1] Antagen av fullmäktige 2023.",
        "[Kommentar] Kolla citatet.",
    ]
    assert next((b.kind, b.level) for b in parsed.blocks) == ("heading", 1)
    assert [b.kind for b in parsed.blocks][-2:] == ["note", "note"]
    [(start, end)] = parsed.tables
    assert parsed.text[start:end] == "Aktör | Ansvar\n\nSkolan | Tidiga insatser"
    assert parsed.notes == [
        "1 footnotes imported as notes at the end of the text",
        "1 comments imported as notes at the end of the text",
        "1 headers skipped",
        "1 images skipped",
    ]
    for absent in ("Sidhuvud", "Times New Roman", "Anna", "89504e", "HYPERLINK"):
        assert absent not in parsed.text


def test_rtf_with_uc0_unicode_escapes(tmp_path: Path, project: Project) -> None:
    path = tmp_path / "uc0.rtf"
    path.write_bytes(UC0_RTF.encode("ascii"))
    parsed = read_source(path)
    assert passages(parsed) == [
        "SPEAKER_00: Tack för att du ställer upp.",
        "SPEAKER_01: Självklart, ÅÄÖ åäö och €.",
        "SPEAKER_00: Första frågan.",
    ]
    import_one(project, path)
    stored = project.db.execute("SELECT text FROM documents").fetchone()[0]
    assert stored == parsed.text


def test_rtf_imports_with_heading_and_notes(tmp_path: Path, project: Project) -> None:
    path = tmp_path / "word.rtf"
    path.write_bytes(WORD_RTF.encode("ascii"))
    import_one(project, path)
    assert segments(project, "heading") == [("Intervju med samordnaren", 1)]
    assert [text for text, _ in segments(project, "note")] == [
        "[Fotnot 1] Antagen av fullmäktige 2023.",
        "[Kommentar] Kolla citatet.",
    ]


def test_a_file_that_is_no_rtf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fel.rtf"
    path.write_bytes(b"Vanlig text, inte RTF.")
    with pytest.raises(ImportRefused, match=r"fel\.rtf: not an RTF file"):
        read_source(path)


# HTML ---------------------------------------------------------------------------------

CP1252_PAGE = """<!DOCTYPE html>
<html lang="sv"><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>Intervju – Testby</title>
<style>p { color: red; }</style>
<script>var hemligt = "ska inte med";</script>
</head>
<body>
<h1>Intervju med rektorn</h1>
<p>I: Hur arbetar skolan med trygghet?</p>
<p>IP: Vi har rastvärdar   och
 ett elevråd – det fungerar.<br>Men det räcker inte.</p>
<h2>Samverkan</h2>
<ul><li>Polisen</li><li>Fältgruppen</li></ul>
<table><tr><th>Aktör</th><th>Roll</th></tr><tr><td>Skolan</td><td>Förebygga</td></tr></table>
<p><img src="karta.png" alt="Karta över skolgården"> Slut på sidan.</p>
<noscript>Aktivera JavaScript</noscript>
</body></html>
"""


def test_a_cp1252_page_is_decoded_by_its_meta_tag(tmp_path: Path) -> None:
    path = tmp_path / "sida.html"
    path.write_bytes(CP1252_PAGE.encode("cp1252"))
    parsed = read_source(path)
    assert parsed.source_format == "html" and parsed.encoding == "cp1252"
    assert passages(parsed) == [
        "Intervju med rektorn",
        "I: Hur arbetar skolan med trygghet?",
        "IP: Vi har rastvärdar och ett elevråd – det fungerar.\nMen det räcker inte.",
        "Samverkan",
        "Polisen",
        "Fältgruppen",
        "Aktör | Roll",
        "Skolan | Förebygga",
        "Slut på sidan.",
        "[Bild: Karta över skolgården]",
    ]
    assert [(b.kind, b.level) for b in parsed.blocks if b.kind == "heading"] == [
        ("heading", 1),
        ("heading", 2),
    ]
    assert "hemligt" not in parsed.text and "color" not in parsed.text
    assert "1 scripts dropped" in parsed.notes and "1 style sheets dropped" in parsed.notes
    assert "1 <noscript> elements dropped" in parsed.notes
    assert "1 images skipped" in parsed.notes


def test_a_page_saying_latin_1_is_read_as_windows_1252(tmp_path: Path) -> None:
    page = '<html><head><meta charset="ISO-8859-1"></head><body><p>Så – “ja”</p></body></html>'
    path = tmp_path / "latin.htm"
    path.write_bytes(page.encode("cp1252"))
    assert read_source(path).text == "Så – “ja”"


def test_a_page_without_a_charset_is_told_from_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "utan.html"
    path.write_bytes("<p>Blåbär och hallon</p>".encode("cp1252"))
    parsed = read_source(path)
    assert parsed.text == "Blåbär och hallon" and parsed.encoding == "cp1252"
    path.write_bytes("\ufeff<p>Blåbär</p>".encode())
    assert read_source(path).text == "Blåbär"


def test_a_page_imports_with_its_headings_and_turns(tmp_path: Path, project: Project) -> None:
    path = tmp_path / "sida.html"
    path.write_bytes(CP1252_PAGE.encode("cp1252"))
    import_one(project, path)
    assert segments(project, "heading") == [("Intervju med rektorn", 1), ("Samverkan", 2)]
    assert segments(project, "table") == [("Aktör | Roll\n\nSkolan | Förebygga", None)]
    stored = project.db.execute("SELECT source_encoding FROM documents").fetchone()[0]
    assert stored == "cp1252"


def test_a_page_declaring_entities_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "entitet.html"
    path.write_bytes(b'<!DOCTYPE html [<!ENTITY a "aaaa">]><html><body><p>&a;</p></body></html>')
    with pytest.raises(ImportRefused, match=r"entitet\.html: the page declares XML entities"):
        read_source(path)


# Word 97-2003 .doc --------------------------------------------------------------------

OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def test_a_doc_is_refused_with_the_hint_to_save_as_docx_without_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(doc_reader, "soffice", lambda: None)
    path = tmp_path / "gammal.doc"
    path.write_bytes(OLE_DOC)
    with pytest.raises(ImportRefused) as caught:
        read_source(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: an old Word 97-2003 (.doc) file; save it as .docx")
    assert "\n" not in message


def test_a_refused_doc_is_reported_and_nothing_written(
    tmp_path: Path, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(doc_reader, "soffice", lambda: None)
    path = tmp_path / "gammal.doc"
    path.write_bytes(OLE_DOC)
    [outcome] = import_sources(project, [ImportRequest(path)])
    assert outcome.status == "failed" and ".docx" in outcome.message
    assert project.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_a_doc_that_is_rtf_inside_is_read_as_rtf(tmp_path: Path) -> None:
    path = tmp_path / "rtf-i-doc.doc"
    path.write_bytes(WORDPAD_RTF.encode("ascii"))
    parsed = read_source(path)
    assert parsed.notes[0] == "a .doc file that is RTF inside; read as RTF"
    assert passages(parsed)[2] == "Intervjuare: Är det något som saknas?"


@pytest.mark.skipif(
    doc_reader.soffice() is None,
    reason="LibreOffice (soffice) is not on PATH, so .doc conversion cannot be tried",
)
def test_a_doc_is_converted_with_libreoffice_when_soffice_is_there(
    tmp_path: Path, project: Project
) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Intervju i Testby", level=1)
    document.add_paragraph("I: Hur länge har du arbetat här?")
    document.add_paragraph("IP: I åtta år, på fältgruppen.")
    document.add_paragraph("I: Och innan dess?")
    document.add_paragraph("IP: Fritidsgården.")
    source = tmp_path / "original.docx"
    document.save(str(source))
    program = doc_reader.soffice()
    assert program is not None
    profile = (tmp_path / "profil").as_uri()
    subprocess.run(
        [program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc",
         "--outdir", str(tmp_path / "doc"), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    path = tmp_path / "intervju.doc"
    shutil.move(tmp_path / "doc" / "original.doc", path)
    assert path.read_bytes()[:8] == OLE_DOC[:8]
    parsed = read_source(path)
    assert parsed.source_format == "doc"
    assert "converted from Word 97-2003 (.doc) to .docx with LibreOffice" in parsed.notes[0]
    assert "IP: I åtta år, på fältgruppen." in passages(parsed)
    message = import_one(project, path)
    assert "LibreOffice" in message
    assert [text for text, _ in segments(project, "turn")] == [
        "I: Hur länge har du arbetat här?",
        "IP: I åtta år, på fältgruppen.",
        "I: Och innan dess?",
        "IP: Fritidsgården.",
    ]


def test_every_new_suffix_is_registered() -> None:
    for suffix in (".odt", ".rtf", ".html", ".htm", ".doc"):
        assert suffix in SUFFIXES
