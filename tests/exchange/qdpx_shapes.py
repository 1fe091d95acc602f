"""Small REFI-QDA project packages (.qdpx) in the shapes other tools write, for import tests.

This is a library for tests, not a test module. Each builder in `SHAPES` writes one .qdpx
(a zip holding a project .qde and, mostly, a folder of source files) into a given folder
and returns a `Shape`: what a correct importer must find in it. The quirks follow
/work/shared/refi-qda/NOTES.md, the texts are short made-up Swedish interviews.

Texts and passages in a `Shape` are as the importer must store them: normalised once
(`as_stored`: one leading BOM removed, CRLF and lone CR made LF, C0 controls other than
tab and newline dropped, Unicode NFC). The positions in the .qde are in the producer's own
counting over the raw file text, as each builder's docstring says.

`not_carried` counts what a REFI-QDA package can hold but a text tool cannot keep, under
these keys: "picture sources", "picture selections", "video sources", "video selections",
"audio sources" (the media; a transcript is carried as a document), "audio selections",
"graphs" and "source set members" (a Set's MemberSource). Anything not named there is
carried.

`HOSTILE` maps a short description to a builder of a broken or malicious package; each
docstring says whether a correct importer refuses the whole package or imports the rest
and reports the problem (the keys in `HOSTILE_PARTIAL`; their good part is
`PARTIAL_SOURCE`, `PARTIAL_TEXT`, `PARTIAL_CODES` and `PARTIAL_GOOD`).
"""

from __future__ import annotations

import io
import re
import stat
import struct
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lxml import etree

from tests.ingest.pdf_fixtures import raw_pdf

REFI = "urn:QDA-XML:project:1.0"
TRANSANA_NAMESPACE = "urn:QDA-XML:project:0:10"

_GUID_ROOT = uuid.UUID("3f0d9a52-8c41-5e27-b6a3-d1c07e9b4f18")
_ZIP_TIME = (2019, 5, 14, 12, 0, 0)
_PROJECT_ORDER = (
    "Users",
    "CodeBook",
    "Variables",
    "Cases",
    "Sources",
    "Notes",
    "Links",
    "Sets",
    "Graphs",
    "Description",
    "NoteRef",
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MIB = 1024 * 1024
_BOMB_MIB = 1025  # just over 1 GiB once expanded


@dataclass(frozen=True)
class ExpectedCoding:
    source: str  # the source's name as the importer should name the document
    code_path: str  # names from the top code down, joined with " > "
    passage: str  # the exact text of the coded passage in the text as stored
    coder: str | None  # the user's name, or None where the file names no user


@dataclass
class Shape:
    path: Path  # the .qdpx written
    producer: str  # e.g. "NVivo 14 (Windows)"
    texts: dict[str, str]  # source name -> its text as the importer must store it
    codings: list[ExpectedCoding]
    codes: list[str]  # every code path, " > " joined
    users: list[str]  # user names
    cases: dict[str, list[str]]  # case name -> source names
    attributes: dict[str, dict[str, str]]  # case name -> {variable name: value as text}
    notes: list[str]  # texts of the notes/memos that must be carried
    not_carried: dict[str, int]  # what cannot be carried, e.g. {"graphs": 1}


def as_stored(text: str) -> str:
    """TEXT normalised the way the importer stores every text, once."""
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", text)
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------------------------------
# GUIDs, positions, text files


class _Guids:
    """Deterministic GUIDs for one builder, spelled the way its producer spells them."""

    def __init__(self, scope: str, style: Callable[[str], str] = str.lower) -> None:
        self._scope = scope
        self._style = style

    def __call__(self, label: str) -> str:
        return self._style(str(uuid.uuid5(_GUID_ROOT, f"{self._scope}/{label}")))


def _braced(guid: str) -> str:
    return "{" + guid + "}"


def _bare(guid: str) -> str:
    """A GUID without braces, as used in internal file names."""
    return guid.strip("{}")


def _hex_guid(label: str) -> str:
    """A qc-style pseudo-GUID: the hex of an ASCII label, padded into the 8-4-4-4-12 form."""
    if len(label) > 16 or not label.isascii():
        raise ValueError(f"a pseudo-GUID label must be at most 16 ASCII characters: {label!r}")
    digits = label.encode("ascii").hex().ljust(32, "0")
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _units(text: str, utf16: bool) -> int:
    return len(text.encode("utf-16-le")) // 2 if utf16 else len(text)


def _span(counted: str, passage: str, *, utf16: bool = False) -> tuple[int, int]:
    """Start and exclusive end of PASSAGE in COUNTED (the text as the producer counts it),
    in code points or UTF-16 code units; the passage must occur exactly once."""
    start = counted.find(passage)
    if start < 0 or counted.find(passage, start + 1) >= 0:
        raise ValueError(f"the passage must occur exactly once: {passage!r}")
    end = start + len(passage)
    return _units(counted[:start], utf16), _units(counted[:end], utf16)


def _crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def _txt(text: str, *, bom: bool = False, crlf: bool = False) -> bytes:
    """A UTF-8 text file, with a BOM and CRLF line ends where asked."""
    return ("\ufeff" if bom else "").encode("utf-8") + (_crlf(text) if crlf else text).encode(
        "utf-8"
    )


def _tiny_png(width: int = 40, height: int = 30) -> bytes:
    """A valid RGB PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xe7\x6f\x51" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _tiny_pdf(line: str) -> bytes:
    """A valid one-page PDF showing one line of ASCII text."""
    stream = f"BT /F1 12 Tf 72 770 Td ({line}) Tj ET".encode("ascii")
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>" % len(stream),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ],
        {4: stream},
    )


def _docx(paragraphs: list[str]) -> bytes:
    """A .docx of plain paragraphs, written with python-docx."""
    import docx  # python-docx, imported only where a Word file is written

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    properties = document.core_properties
    properties.created = properties.modified = datetime(2019, 5, 14, 12, 0, 0)
    properties.author = properties.last_modified_by = "Lena Ek"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------
# XML


@dataclass
class _Code:
    name: str
    codable: bool = True
    children: list[_Code] = field(default_factory=list)
    color: str | None = None
    note: str | None = None  # the GUID of a Note the code refers to


def _project(
    name: str, origin: str, *, namespace: str = REFI, **attrs: str | None
) -> etree._Element:
    root = etree.Element(f"{{{namespace}}}Project", nsmap={None: namespace})
    for key, value in {"name": name, "origin": origin, **attrs}.items():
        if value is not None:
            root.set(key, value)
    return root


def _el(
    parent: etree._Element, tag: str, text: str | None = None, **attrs: str | int | None
) -> etree._Element:
    """A child element in the parent's namespace; attributes that are None are left out."""
    element = etree.SubElement(parent, f"{{{etree.QName(parent).namespace}}}{tag}")
    for key, value in attrs.items():
        if value is not None:
            element.set(key, str(value))
    if text is not None:
        element.text = text
    return element


def _qde(root: etree._Element, *, declaration: bool = True) -> bytes:
    """The project as UTF-8 bytes, its top-level elements in the schema's order."""
    root[:] = sorted(root, key=lambda child: _PROJECT_ORDER.index(etree.QName(child).localname))
    return etree.tostring(root, xml_declaration=declaration, encoding="UTF-8", pretty_print=True)


def _users(root: etree._Element, users: list[tuple[str, str, str | None]]) -> None:
    """Users from (guid, name, initials)."""
    element = _el(root, "Users")
    for guid, name, initials in users:
        _el(element, "User", guid=guid, name=name, id=initials)


def _codebook(root: etree._Element, guids: _Guids, codes: list[_Code]) -> dict[str, str]:
    """The codebook, nested as CODES are; returns each code's GUID by its " > " path."""
    found: dict[str, str] = {}

    def add(parent: etree._Element, code: _Code, prefix: str) -> None:
        path = f"{prefix} > {code.name}" if prefix else code.name
        element = _el(
            parent,
            "Code",
            guid=guids(f"code:{path}"),
            name=code.name,
            isCodable="true" if code.codable else "false",
            color=code.color,
        )
        if code.note is not None:
            _el(element, "NoteRef", targetGUID=code.note)
        found[path] = element.get("guid") or ""
        for child in code.children:
            add(element, child, path)

    listing = _el(_el(root, "CodeBook"), "Codes")
    for code in codes:
        add(listing, code, "")
    return found


def _paths(codes: list[_Code], prefix: str = "") -> list[str]:
    """Every code's " > " path, parents before their children."""
    paths: list[str] = []
    for code in codes:
        path = f"{prefix} > {code.name}" if prefix else code.name
        paths += [path, *_paths(code.children, path)]
    return paths


def _variables(root: etree._Element, guids: _Guids, variables: list[tuple[str, str]]) -> None:
    """Project variables from (name, typeOfVariable); the GUID comes from the name."""
    element = _el(root, "Variables")
    for name, kind in variables:
        _el(element, "Variable", guid=guids(f"variable:{name}"), name=name, typeOfVariable=kind)


def _value(parent: etree._Element, variable: str, kind: str, value: str) -> None:
    element = _el(parent, "VariableValue")
    _el(element, "VariableRef", targetGUID=variable)
    _el(element, f"{kind}Value", value)


def _selection(
    parent: etree._Element,
    guid: str,
    span: tuple[int, int],
    *,
    name: str | None = None,
    user: str | None = None,
    when: str | None = None,
    description: str | None = None,
) -> etree._Element:
    selection = _el(
        parent,
        "PlainTextSelection",
        guid=guid,
        name=name,
        startPosition=span[0],
        endPosition=span[1],
        creatingUser=user,
        creationDateTime=when,
    )
    if description is not None:
        _el(selection, "Description", description)
    return selection


def _coding(
    selection: etree._Element,
    guid: str,
    code: str,
    user: str | None = None,
    when: str | None = None,
    note: str | None = None,
) -> None:
    coding = _el(selection, "Coding", guid=guid, creatingUser=user, creationDateTime=when)
    _el(coding, "CodeRef", targetGUID=code)
    if note is not None:
        _el(coding, "NoteRef", targetGUID=note)


# ---------------------------------------------------------------------------------------
# Zips


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info


def _package(
    folder: Path,
    name: str,
    qde_bytes: bytes | None,
    files: dict[str, bytes],
    qde_name: str = "project.qde",
    *,
    directories: tuple[str, ...] = (),
) -> Path:
    """Write FOLDER/NAME.qdpx: directory entries, the .qde (unless None), then FILES."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        for directory in directories:
            info = zipfile.ZipInfo(directory, date_time=_ZIP_TIME)
            info.external_attr = ((stat.S_IFDIR | 0o755) << 16) | 0x10
            archive.writestr(info, b"")
        if qde_bytes is not None:
            archive.writestr(_info(qde_name), qde_bytes)
        for entry, data in files.items():
            archive.writestr(_info(entry), data)
    return path


# ---------------------------------------------------------------------------------------
# The producers' shapes


def nvivo_windows(folder: Path) -> Shape:
    """NVivo 14 for Windows.

    Positions: UTF-16 code units over the .txt without its BOM, CRLF counted as 2, end
    exclusive (the 🙂 and 👍🏽 before the later codings count 2 units per character).
    Lower-case GUIDs; `internal://<guid>.txt` files in `Sources/` with a UTF-8 BOM and
    CRLF. Nested codes whose parent is codable; two users with initials in `id`. One span
    is repeated once per coding: one selection carrying two Codings and a second selection
    over the same span. The code Samverkan refers to a Note whose text is a .txt. The case
    has a VariableValue of every type and a SourceRef. An annotation arrives as a Note and
    a Link (origin the note, target an uncoded selection): the annotation's text is in
    `notes`, the Link is its anchor and is not counted as lost. A coded PictureSelection on
    a PictureSource is not carried.
    """
    g = _Guids("nvivo_windows")
    anna, erik = g("user:anna"), g("user:erik")
    when = "2019-05-14T10:12:31Z"
    text = (
        "I: Hur ser arbetet mot mäns våld mot kvinnor ut i Åsby i dag? 🙂\n"
        "IP: Vi har haft en samordnare sedan 2018, och socialtjänsten gör skyddsbedömningar.\n"
        "I: Vilka samverkar ni med? 👍🏽\n"
        "IP: Polisen, kvinnojouren och hälso- och sjukvården. Det fungerar ganska bra,"
        " men ibland är det trögt.\n"
        "I: Vad är svårast?\n"
        "IP: Att nå män som utövar våld. Där har vi knappt börjat.\n"
    )
    code_note = (
        "Samverkan gäller kontakter med andra myndigheter och ideella organisationer.\n"
        "Interna möten kodas inte här."
    )
    annotation = "Otydligt vad IP menar med ”ganska bra”: fråga vid nästa intervju."

    def span(passage: str) -> tuple[int, int]:
        return _span(_crlf(text), _crlf(passage), utf16=True)

    root = _project(
        "Våld i nära relationer – Åsby", "NVivo 14", creatingUserGUID=anna, creationDateTime=when
    )
    _users(root, [(anna, "Anna Berg", "AB"), (erik, "Erik Lind", "EL")])
    codes = [
        _Code("Organisation"),
        _Code(
            "Samverkan",
            note=g("note:samverkan"),
            children=[_Code("Polisen"), _Code("Kvinnojouren")],
        ),
        _Code("Förebyggande arbete", children=[_Code("Män som utövar våld")]),
    ]
    code = _codebook(root, g, codes)

    variables = [
        ("Kommuntyp", "Text", "Landsbygdskommun"),
        ("Har samordnare", "Boolean", "true"),
        ("Invånare", "Integer", "11843"),
        ("Andel utbildad personal", "Float", "0.75"),
        ("Handlingsplan antagen", "Date", "2018-09-01"),
        ("Intervjuad", "DateTime", "2019-05-14T09:30:00Z"),
    ]
    _variables(root, g, [(name, kind) for name, kind, _ in variables])
    source_guid = g("source:interview")
    case = _el(_el(root, "Cases"), "Case", guid=g("case:asby"), name="Åsby")
    for name, kind, value in variables:
        _value(case, g(f"variable:{name}"), kind, value)
    _el(case, "SourceRef", targetGUID=source_guid)

    sources = _el(root, "Sources")
    source = _el(
        sources,
        "TextSource",
        guid=source_guid,
        name="Intervju Åsby",
        plainTextPath=f"internal://{source_guid}.txt",
        creatingUser=anna,
        creationDateTime=when,
    )
    coordinator = "Vi har haft en samordnare sedan 2018"
    partners = "Polisen, kvinnojouren och hälso- och sjukvården."
    hardest = "Vad är svårast?\nIP: Att nå män som utövar våld."
    selection = _selection(source, g("sel:coordinator"), span(coordinator), user=anna, when=when)
    _coding(selection, g("coding:1"), code["Organisation"], anna, when)
    selection = _selection(source, g("sel:partners"), span(partners), user=anna, when=when)
    _coding(selection, g("coding:2"), code["Samverkan"], anna, when)
    _coding(selection, g("coding:3"), code["Samverkan > Polisen"], anna, when)
    selection = _selection(source, g("sel:partners-again"), span(partners), user=erik, when=when)
    _coding(selection, g("coding:4"), code["Samverkan"], erik, when)
    selection = _selection(source, g("sel:hardest"), span(hardest), user=erik, when=when)
    _coding(selection, g("coding:5"), code["Förebyggande arbete > Män som utövar våld"], erik)
    annotated = _selection(source, g("sel:annotated"), span("ganska bra"), user=anna, when=when)

    picture_guid = g("source:picture")
    picture = _el(
        sources,
        "PictureSource",
        guid=picture_guid,
        name="Affisch från kvinnojouren",
        path=f"internal://{picture_guid}.png",
        creatingUser=anna,
    )
    area = _el(
        picture,
        "PictureSelection",
        guid=g("sel:picture"),
        firstX=4,
        firstY=4,
        secondX=30,
        secondY=20,
        creatingUser=anna,
    )
    _coding(area, g("coding:6"), code["Samverkan > Kvinnojouren"], anna, when)

    notes = _el(root, "Notes")
    for label, name in [("note:samverkan", "Om Samverkan"), ("note:annotation", "Anteckning")]:
        guid = g(label)
        _el(notes, "Note", guid=guid, name=name, plainTextPath=f"internal://{guid}.txt")
    _el(
        _el(root, "Links"),
        "Link",
        guid=g("link:annotation"),
        name="Anteckning",
        direction="OneWay",
        originGUID=g("note:annotation"),
        targetGUID=annotated.get("guid"),
    )

    files = {
        f"Sources/{source_guid}.txt": _txt(text, bom=True, crlf=True),
        f"Sources/{g('note:samverkan')}.txt": _txt(code_note, bom=True, crlf=True),
        f"Sources/{g('note:annotation')}.txt": _txt(annotation, bom=True, crlf=True),
        f"Sources/{picture_guid}.png": _tiny_png(),
    }
    document = "Intervju Åsby"
    return Shape(
        path=_package(folder, "nvivo_windows", _qde(root), files),
        producer="NVivo 14 (Windows)",
        texts={document: as_stored(text)},
        codings=[
            ExpectedCoding(document, "Organisation", coordinator, "Anna Berg"),
            ExpectedCoding(document, "Samverkan", partners, "Anna Berg"),
            ExpectedCoding(document, "Samverkan > Polisen", partners, "Anna Berg"),
            ExpectedCoding(document, "Samverkan", partners, "Erik Lind"),
            ExpectedCoding(
                document, "Förebyggande arbete > Män som utövar våld", hardest, "Erik Lind"
            ),
        ],
        codes=_paths(codes),
        users=["Anna Berg", "Erik Lind"],
        cases={"Åsby": [document]},
        attributes={"Åsby": {name: value for name, _, value in variables}},
        notes=[as_stored(code_note), as_stored(annotation)],
        not_carried={"picture sources": 1, "picture selections": 1},
    )


def nvivo_mac(folder: Path) -> Shape:
    """NVivo for Mac.

    Positions: code points over the .docx's paragraphs joined with "\\n", end exclusive.
    GUIDs in braces (file names without them). The text source's plainTextPath file is a
    1-byte stub (" "): the content is only in the .docx at richTextPath, so the importer
    must read the .docx, and `texts` holds the text as our docx reader reads it
    (vinr_qual.ingest.docx_reader joins paragraphs with a blank line, "\\n\\n"). Every
    passage lies inside one paragraph, so it reads the same under either joining; the
    importer must map the positions paragraph by paragraph. The zip has a directory entry
    `sources/` and an empty `sources/.root`. One Coding names no user but its selection
    does (the coder falls back to the selection's creatingUser); one names no user at all.
    """
    g = _Guids("nvivo_mac", _braced)
    lena = g("user:lena")
    paragraphs = [
        "I: Berätta om kommunens handlingsplan mot våld i nära relationer.",
        "IP: Planen antogs av kommunfullmäktige i våras och gäller till 2022.",
        "I: Hur följer ni upp den?",
        "IP: Socialnämnden får en rapport varje år, men få läser den på riktigt.",
        "IP: Nästa steg är att utbilda skolpersonal om våld i ungas relationer.",
    ]
    counted = "\n".join(paragraphs)
    plan = "Planen antogs av kommunfullmäktige i våras"
    report = "Socialnämnden får en rapport varje år"
    school = "utbilda skolpersonal om våld i ungas relationer"

    root = _project("Norrvik", "NVivo for Mac", creatingUserGUID=lena)
    _users(root, [(lena, "Lena Ek", "LE")])
    codes = [
        _Code("Styrning", children=[_Code("Handlingsplan"), _Code("Uppföljning")]),
        _Code("Förebyggande"),
    ]
    code = _codebook(root, g, codes)
    source_guid = g("source:interview")
    file_id = _bare(source_guid)
    source = _el(
        _el(root, "Sources"),
        "TextSource",
        guid=source_guid,
        name="Intervju Norrvik",
        richTextPath=f"internal://{file_id}.docx",
        plainTextPath=f"internal://{file_id}.txt",
        creatingUser=lena,
    )
    selection = _selection(source, g("sel:plan"), _span(counted, plan), user=lena)
    _coding(selection, g("coding:1"), code["Styrning > Handlingsplan"], lena)
    selection = _selection(source, g("sel:report"), _span(counted, report), user=lena)
    _coding(selection, g("coding:2"), code["Styrning > Uppföljning"])
    selection = _selection(source, g("sel:school"), _span(counted, school))
    _coding(selection, g("coding:3"), code["Förebyggande"])

    files = {
        "sources/.root": b"",
        f"sources/{file_id}.txt": b" ",
        f"sources/{file_id}.docx": _docx(paragraphs),
    }
    document = "Intervju Norrvik"
    return Shape(
        path=_package(folder, "nvivo_mac", _qde(root), files, directories=("sources/",)),
        producer="NVivo for Mac",
        texts={document: "\n\n".join(as_stored(paragraph) for paragraph in paragraphs)},
        codings=[
            ExpectedCoding(document, "Styrning > Handlingsplan", plan, "Lena Ek"),
            ExpectedCoding(document, "Styrning > Uppföljning", report, "Lena Ek"),
            ExpectedCoding(document, "Förebyggande", school, None),
        ],
        codes=_paths(codes),
        users=["Lena Ek"],
        cases={},
        attributes={},
        notes=[],
        not_carried={},
    )


def maxqda(folder: Path) -> Shape:
    """MAXQDA 24.

    Positions: code points over the LF .txt (no BOM), end exclusive. Upper-case GUIDs,
    folder `sources`. "Socialtjänsten" in the Bergby file is decomposed (a + U+0308, as
    text pasted on a Mac can be): the positions count it as two code points, the stored NFC
    text as one, so the importer must map positions over the raw text before normalising.
    Document variables are VariableValues inside the TextSources, with no Cases: the
    importer gives each such document a case of its own name carrying them. A selection
    with a Description and no Coding is a comment: its description is in `notes`. Code
    names repeat under different parents ("Resurser"). A Set with MemberCodes (carried as a
    code set) and a MemberSource (not carried).
    """
    g = _Guids("maxqda", str.upper)
    maria = g("user:maria")
    when = "2019-04-10T14:03:22Z"
    bergby = (
        "I: Vem ansvarar för frågan hos er?\n"
        "IP: Socialtja\u0308nsten har huvudansvaret, men resurserna räcker inte.\n"
        "I: Och skolan?\n"
        "IP: Skolan har inga resurser alls för det här, tyvärr.\n"
        "IP: Kuratorerna gör vad de kan.\n"
    )
    dalby = (
        "I: Finns det en samordnare i Dalby?\n"
        "IP: Ja, på halvtid sedan i höstas.\n"
        "IP: Socialtjänsten samarbetar med kvinnojouren varje vecka.\n"
    )
    comment = "Fråga om antalet kuratorer i uppföljningen."

    root = _project("Bergby och Dalby", "MAXQDA 24", creatingUserGUID=maria)
    _users(root, [(maria, "Maria Holm", "MH")])
    codes = [
        _Code("Organisation", color="#4A90D9"),
        _Code("Socialtjänsten", color="#D0021B", children=[_Code("Resurser", color="#D0021B")]),
        _Code("Skolan", color="#7ED321", children=[_Code("Resurser", color="#7ED321")]),
    ]
    code = _codebook(root, g, codes)
    variables = [("Kommun", "Text"), ("Invånare", "Integer"), ("Intervjudatum", "Date")]
    _variables(root, g, variables)

    sources = _el(root, "Sources")
    values: dict[str, dict[str, str]] = {}
    codings: list[ExpectedCoding] = []
    files: dict[str, bytes] = {}
    documents = [
        (
            "Intervju Bergby",
            bergby,
            ["Bergby", "24500", "2019-04-02"],
            [
                ("resurserna räcker inte", "Socialtjänsten > Resurser"),
                ("Skolan har inga resurser alls för det här", "Skolan > Resurser"),
            ],
        ),
        (
            "Intervju Dalby",
            dalby,
            ["Dalby", "8100", "2019-04-09"],
            [
                ("på halvtid sedan i höstas", "Organisation"),
                ("Socialtjänsten samarbetar med kvinnojouren", "Socialtjänsten"),
            ],
        ),
    ]
    for document, text, row, coded in documents:
        guid = g(f"source:{document}")
        source = _el(
            sources,
            "TextSource",
            guid=guid,
            name=document,
            plainTextPath=f"internal://{guid}.txt",
            creatingUser=maria,
            creationDateTime=when,
        )
        for number, (passage, path) in enumerate(coded):
            label = f"{document}:{number}"
            selection = _selection(source, g(f"sel:{label}"), _span(text, passage), user=maria)
            _coding(selection, g(f"coding:{label}"), code[path], maria, when)
            codings.append(ExpectedCoding(document, path, passage, "Maria Holm"))
        if document == "Intervju Bergby":
            _selection(
                source,
                g("sel:comment"),
                _span(text, "Kuratorerna gör vad de kan."),
                user=maria,
                when=when,
                description=comment,
            )
        for (name, kind), value in zip(variables, row, strict=True):
            _value(source, g(f"variable:{name}"), kind, value)
        values[document] = {name: value for (name, _), value in zip(variables, row, strict=True)}
        files[f"sources/{guid}.txt"] = _txt(text)

    group = _el(_el(root, "Sets"), "Set", guid=g("set:resurser"), name="Resursfrågor")
    _el(group, "Description", "Allt om resurser, i socialtjänsten och i skolan.")
    _el(group, "MemberCode", targetGUID=code["Socialtjänsten > Resurser"])
    _el(group, "MemberCode", targetGUID=code["Skolan > Resurser"])
    _el(group, "MemberSource", targetGUID=g("source:Intervju Bergby"))

    return Shape(
        path=_package(folder, "maxqda", _qde(root), files),
        producer="MAXQDA 24",
        texts={document: as_stored(text) for document, text, _, _ in documents},
        codings=codings,
        codes=_paths(codes),
        users=["Maria Holm"],
        cases={document: [document] for document, _, _, _ in documents},
        attributes=values,
        notes=[comment],
        not_carried={"source set members": 1},
    )


def atlas(folder: Path) -> Shape:
    """ATLAS.ti 23.

    Positions: code points over the text with each line break counted as 1 (the .txt has
    CRLF; the 😕 before the codings counts 1), end exclusive; the PDF's representation is
    inline LF text counted the same way. The .qde is `Trial.qde` (not project.qde, and not
    named after the .qdpx); folder `Sources`; upper-case GUIDs. Selection names hold the
    quoted text, cut with "…" when long. Codes are a flat list named `Parent::Child`: the
    importer splits them on "::" into a hierarchy, and a parent that is not a code of its
    own ("Samverkan") becomes a folder. The PDFSource's Representation carries coded
    PlainTextSelections: its text is a document named after the PDF source. The PDF's one
    PDFSelection is the area of a text quotation and shares its GUID (ATLAS.ti does this);
    it has no coding, so nothing is lost with it. The VideoSource (external,
    `relative:///` against an absolute basePath) with its coded VideoSelection, and the
    Graph, are not carried.
    """
    g = _Guids("atlas", str.upper)
    johan = g("user:johan")
    when = "2019-06-03T09:41:07Z"
    text = (
        "I: Hur har arbetet förändrats sedan den nationella strategin? 😕\n"
        "IP: Vi samarbetar mer med polisen nu, vi har gemensamma möten varje månad.\n"
        "IP: Socialtjänsten har fått en särskild våldsgrupp.\n"
        "I: Och det förebyggande?\n"
        "IP: I skolan har vi börjat med Mentorer i våldsprevention.\n"
    )
    plan_text = (
        "Handlingsplan mot våld i nära relationer\n"
        "Kommunen ska erbjuda stöd till alla som utsatts för våld.\n"
        "Våldsutövare ska erbjudas behandling.\n"
    )

    def quote(passage: str) -> str:
        words = passage.replace("\n", " ")
        return words if len(words) <= 30 else words[:29] + "…"

    root = _project(
        "Trial",
        "ATLAS.ti 23",
        creatingUserGUID=johan,
        creationDateTime=when,
        basePath="C:/Users/johan/Documents/Scientific Software/ATLAS.ti/Media",
    )
    _users(root, [(johan, "Johan Sjö", None)])
    flat = [
        "Samverkan::Polisen",
        "Samverkan::Socialtjänsten",
        "Förebyggande",
        "Förebyggande::Skolan",
        "Stöd till våldsutsatta",
    ]
    code = _codebook(root, g, [_Code(name) for name in flat])

    sources = _el(root, "Sources")
    source_guid = g("source:interview")
    source = _el(
        sources,
        "TextSource",
        guid=source_guid,
        name="Intervju Ekby",
        plainTextPath=f"internal://{source_guid}.txt",
        creatingUser=johan,
        creationDateTime=when,
    )
    coded = [
        ("Vi samarbetar mer med polisen nu, vi har gemensamma möten varje månad.", 0),
        ("Socialtjänsten har fått en särskild våldsgrupp.", 1),
        ("Och det förebyggande?\nIP: I skolan har vi börjat med Mentorer i våldsprevention.", 3),
    ]
    for number, (passage, which) in enumerate(coded):
        selection = _selection(
            source,
            g(f"sel:{number}"),
            _span(text, passage),
            name=quote(passage),
            user=johan,
            when=when,
        )
        _coding(selection, g(f"coding:{number}"), code[flat[which]], johan, when)

    pdf_guid = g("source:pdf")
    pdf = _el(
        sources,
        "PDFSource",
        guid=pdf_guid,
        name="Handlingsplan Ekby 2019",
        path=f"internal://{pdf_guid}.pdf",
        creatingUser=johan,
        creationDateTime=when,
    )
    support = "erbjuda stöd till alla som utsatts för våld"
    treatment = "Våldsutövare ska erbjudas behandling."
    shared = g("sel:pdf-support")
    _el(pdf, "PDFSelection", guid=shared, page=1, firstX=72, firstY=752, secondX=420, secondY=738)
    representation = _el(
        pdf, "Representation", guid=g("source:pdf-text"), name="Handlingsplan Ekby 2019"
    )
    _el(representation, "PlainTextContent", plan_text)
    for guid, passage, path, number in [
        (shared, support, "Stöd till våldsutsatta", 10),
        (g("sel:pdf-treatment"), treatment, "Förebyggande", 11),
    ]:
        selection = _selection(
            representation, guid, _span(plan_text, passage), name=quote(passage), user=johan
        )
        _coding(selection, g(f"coding:{number}"), code[path], johan, when)

    video_guid = g("source:video")
    video = _el(
        sources,
        "VideoSource",
        guid=video_guid,
        name="Fokusgrupp Ekby",
        path=f"relative:///{video_guid}.mov",
        creatingUser=johan,
    )
    clip = _el(
        video,
        "VideoSelection",
        guid=g("sel:video"),
        name="Polisen om samverkan",
        begin=61000,
        end=95500,
        creatingUser=johan,
    )
    _coding(clip, g("coding:video"), code["Samverkan::Polisen"], johan, when)

    graph = _el(_el(root, "Graphs"), "Graph", guid=g("graph:1"), name="Samverkansnätverk")
    for label, x in [("Samverkan::Polisen", 40), ("Samverkan::Socialtjänsten", 260)]:
        _el(
            graph,
            "Vertex",
            guid=g(f"vertex:{label}"),
            representedGUID=code[label],
            name=label,
            firstX=x,
            firstY=40,
            secondX=x + 180,
            secondY=80,
            shape="RoundedRectangle",
        )
    _el(
        graph,
        "Edge",
        guid=g("edge:1"),
        name="samarbetar med",
        sourceVertex=g("vertex:Samverkan::Polisen"),
        targetVertex=g("vertex:Samverkan::Socialtjänsten"),
        direction="Bidirectional",
        lineStyle="solid",
    )

    files = {
        f"Sources/{source_guid}.txt": _txt(text, crlf=True),
        f"Sources/{pdf_guid}.pdf": _tiny_pdf("Handlingsplan mot vald i nara relationer"),
    }
    interview, plan = "Intervju Ekby", "Handlingsplan Ekby 2019"
    return Shape(
        path=_package(folder, "atlas", _qde(root), files, qde_name="Trial.qde"),
        producer="ATLAS.ti 23",
        texts={interview: as_stored(text), plan: as_stored(plan_text)},
        codings=[
            ExpectedCoding(interview, "Samverkan > Polisen", coded[0][0], "Johan Sjö"),
            ExpectedCoding(interview, "Samverkan > Socialtjänsten", coded[1][0], "Johan Sjö"),
            ExpectedCoding(interview, "Förebyggande > Skolan", coded[2][0], "Johan Sjö"),
            ExpectedCoding(plan, "Stöd till våldsutsatta", support, "Johan Sjö"),
            ExpectedCoding(plan, "Förebyggande", treatment, "Johan Sjö"),
        ],
        codes=[
            "Samverkan",
            "Samverkan > Polisen",
            "Samverkan > Socialtjänsten",
            "Förebyggande",
            "Förebyggande > Skolan",
            "Stöd till våldsutsatta",
        ],
        users=["Johan Sjö"],
        cases={},
        attributes={},
        notes=[],
        not_carried={"video sources": 1, "video selections": 1, "graphs": 1},
    )


def qualcoder(folder: Path) -> Shape:
    """QualCoder 3.5.

    Positions: UTF-16 code units (Qt cursor positions) over the text without its BOM,
    end exclusive; the .txt is written with a BOM and LF, and emoji (😊, 🙏) stand before
    codings. Lower-case GUIDs, folder `sources`, a colour on every code. Categories are
    codes with isCodable="false" holding codes, nested two deep. A Coding refers to a memo
    Note; the project has a Description and a project-level NoteRef: all three texts are in
    `notes` (the description as a project memo). One case with a text attribute.
    """
    g = _Guids("qualcoder")
    sara = g("user:sara")
    when = "2019-09-12T15:20:00Z"
    text = (
        "I: Vad gör ni för barn som har bevittnat våld? 😊\n"
        "IP: Vi har stödsamtal i grupp, det heter Trappan.\n"
        "IP: Förskolan ringer oss när de är oroliga. 🙏\n"
        "IP: Men väntetiden är fyra månader.\n"
    )
    description = "Stöd till barn som har upplevt våld, intervjuer i Fjällby kommun."
    project_memo = "Intervjuerna gjordes våren 2019. Alla informanter har godkänt inspelning."
    coding_memo = "Trappan är en manualbaserad stödgrupp för barn."
    group = "Vi har stödsamtal i grupp, det heter Trappan."
    preschool = "Förskolan ringer oss när de är oroliga."
    waiting = "väntetiden är fyra månader"

    def span(passage: str) -> tuple[int, int]:
        return _span(text, passage, utf16=True)

    root = _project("Fjällby", "QualCoder 3.5", creatingUserGUID=sara, creationDateTime=when)
    _users(root, [(sara, "Sara Nyström", None)])
    codes = [
        _Code(
            "Stöd",
            codable=False,
            color="#F4A261",
            children=[
                _Code(
                    "Barn som bevittnat våld",
                    color="#E76F51",
                    children=[_Code("Gruppverksamhet", color="#2A9D8F")],
                )
            ],
        ),
        _Code(
            "Samverkan",
            codable=False,
            color="#264653",
            children=[_Code("Förskola", color="#E9C46A")],
        ),
    ]
    code = _codebook(root, g, codes)
    _variables(root, g, [("Län", "Text")])
    source_guid = g("source:interview")
    case = _el(_el(root, "Cases"), "Case", guid=g("case:fjallby"), name="Fjällby")
    _value(case, g("variable:Län"), "Text", "Jämtlands län")
    _el(case, "SourceRef", targetGUID=source_guid)

    source = _el(
        _el(root, "Sources"),
        "TextSource",
        guid=source_guid,
        name="Intervju Fjällby",
        plainTextPath=f"internal://{source_guid}.txt",
        creatingUser=sara,
        creationDateTime=when,
    )
    path_group = "Stöd > Barn som bevittnat våld > Gruppverksamhet"
    selection = _selection(source, g("sel:group"), span(group), user=sara, when=when)
    _coding(selection, g("coding:1"), code[path_group], sara, when, note=g("note:coding"))
    selection = _selection(source, g("sel:preschool"), span(preschool), user=sara, when=when)
    _coding(selection, g("coding:2"), code["Samverkan > Förskola"], sara, when)
    selection = _selection(source, g("sel:waiting"), span(waiting), user=sara, when=when)
    _coding(selection, g("coding:3"), code["Stöd > Barn som bevittnat våld"], sara, when)

    notes = _el(root, "Notes")
    for label, name, memo in [
        ("note:coding", "Memo om Trappan", coding_memo),
        ("note:project", "Projektmemo", project_memo),
    ]:
        note = _el(notes, "Note", guid=g(label), name=name, creatingUser=sara)
        _el(note, "PlainTextContent", memo)
    _el(root, "Description", description)
    _el(root, "NoteRef", targetGUID=g("note:project"))

    document = "Intervju Fjällby"
    files = {f"sources/{source_guid}.txt": _txt(text, bom=True)}
    return Shape(
        path=_package(folder, "qualcoder", _qde(root), files),
        producer="QualCoder 3.5",
        texts={document: as_stored(text)},
        codings=[
            ExpectedCoding(document, path_group, group, "Sara Nyström"),
            ExpectedCoding(document, "Samverkan > Förskola", preschool, "Sara Nyström"),
            ExpectedCoding(document, "Stöd > Barn som bevittnat våld", waiting, "Sara Nyström"),
        ],
        codes=_paths(codes),
        users=["Sara Nyström"],
        cases={"Fjällby": [document]},
        attributes={"Fjällby": {"Län": "Jämtlands län"}},
        notes=[description, project_memo, coding_memo],
        not_carried={},
    )


def qc(folder: Path) -> Shape:
    """qc 1.3.2 (cproctor/qualitative-coding).

    Positions: code points over LF text with no BOM, whole lines: each coding runs from a
    line's start to just after its "\\n" (so the passages end in "\\n"), end exclusive. No
    XML declaration; pseudo-GUIDs made of the hex of ASCII labels; bare
    `plainTextPath="board_2017.txt"` with no scheme (treated as internal) naming files by
    their original names in `sources/`; flat codes, no colours.
    """
    g = _hex_guid
    chris = g("user:chris")
    board = (
        "I: Vad beslutade styrgruppen 2017?\n"
        "IP: Att ta fram en gemensam rutin för våld i nära relationer.\n"
        "IP: Att alla chefer ska gå utbildningen.\n"
        "I: Blev det så?\n"
        "IP: Nej, bara hälften av cheferna gick.\n"
    )
    interview = (
        "I: Hur når ni männen?\n"
        "IP: Vi har en telefonlinje för män som vill sluta slå.\n"
        "IP: Den används för lite.\n"
    )
    board_lines = board.splitlines(keepends=True)
    interview_lines = interview.splitlines(keepends=True)

    root = _project("styrgrupp", "qc 1.3.2")
    _users(root, [(chris, "chris", None)])
    codes = [_Code("beslut"), _Code("utbildning"), _Code("våldsutövare")]
    listing = _el(_el(root, "CodeBook"), "Codes")
    labels = {
        "beslut": "code:beslut",
        "utbildning": "code:utbildning",
        "våldsutövare": "code:valds",
    }
    for item in codes:
        _el(listing, "Code", guid=g(labels[item.name]), name=item.name, isCodable="true")

    sources = _el(root, "Sources")
    codings: list[ExpectedCoding] = []
    files: dict[str, bytes] = {}
    documents = [
        (
            "board_2017",
            board,
            [
                (board_lines[1] + board_lines[2], "beslut"),
                (board_lines[2], "utbildning"),
                (board_lines[4], "utbildning"),
            ],
        ),
        ("intervju_ip2", interview, [(interview_lines[1], "våldsutövare")]),
    ]
    number = 0
    for document, text, coded in documents:
        source = _el(
            sources,
            "TextSource",
            guid=g(f"src:{document}"),
            name=document,
            plainTextPath=f"{document}.txt",
        )
        for passage, name in coded:
            number += 1
            selection = _selection(source, g(f"sel:{number}"), _span(text, passage))
            _coding(selection, g(f"coding:{number}"), g(labels[name]), chris)
            codings.append(ExpectedCoding(document, name, passage, "chris"))
        files[f"sources/{document}.txt"] = _txt(text)

    return Shape(
        path=_package(folder, "qc", _qde(root, declaration=False), files),
        producer="qc 1.3.2",
        texts={document: as_stored(text) for document, text, _ in documents},
        codings=codings,
        codes=_paths(codes),
        users=["chris"],
        cases={},
        attributes={},
        notes=[],
        not_carried={},
    )


def transana_like(folder: Path) -> Shape:
    """A Transana-like project, as in the specification's example 3.

    Positions: code points over inline PlainTextContent (LF), end exclusive; a
    TranscriptSelection's passage runs from its fromSyncPoint's position to its
    toSyncPoint's. Namespace `urn:QDA-XML:project:0:10`; dates with no timezone; no files
    at all (no sources folder): every text is inline and the audio is external. Each
    transcript is a document named after the Transcript, or after its AudioSource where the
    transcript has no name; its TranscriptSelection codings are carried. The AudioSources
    themselves and the coded AudioSelection are not. Keyword groups are non-codable codes.
    """
    g = _Guids("transana", str.upper)
    ulla = g("user:ulla")
    when = "2018-10-04T22:56:11"
    field_notes = (
        "Möte med kvinnofridssamordnaren i Lövsta.\n"
        "Hon berättade att kommunen saknar ett eget skyddat boende.\n"
    )
    lovsta = (
        "I: Hur ser det ut med skyddat boende?\n"
        "IP: Vi köper platser av en ideell förening i grannkommunen.\n"
        "IP: Det blir dyrt, och kvinnorna hamnar långt från jobb och skola.\n"
    )
    hagby = (
        "I: Finns det skyddat boende i Hagby?\n"
        "IP: Nej, inte i kommunen, men vi har avtal med kvinnojouren.\n"
    )
    lacking = "kommunen saknar ett eget skyddat boende"

    root = _project(
        "Skyddat boende",
        "Transana 3.32",
        namespace=TRANSANA_NAMESPACE,
        creatingUserGUID=ulla,
        creationDateTime=when,
        modifiedDateTime="2018-10-05T08:02:40",
    )
    _users(root, [(ulla, "Ulla Persson", "UP")])
    codes = [
        _Code("Boende", codable=False, children=[_Code("Skyddat boende")]),
        _Code("Ekonomi", codable=False, children=[_Code("Kostnader")]),
    ]
    code = _codebook(root, g, codes)
    sources = _el(root, "Sources")
    notes_source = _el(
        sources,
        "TextSource",
        guid=g("source:notes"),
        name="Fältanteckningar Lövsta",
        creatingUser=ulla,
        creationDateTime=when,
    )
    _el(notes_source, "PlainTextContent", field_notes)
    selection = _selection(
        notes_source, g("sel:notes"), _span(field_notes, lacking), user=ulla, when=when
    )
    _coding(selection, g("coding:notes"), code["Boende > Skyddat boende"], ulla, when)

    codings = [
        ExpectedCoding(
            "Fältanteckningar Lövsta", "Boende > Skyddat boende", lacking, "Ulla Persson"
        )
    ]
    recordings = [
        (
            "Intervju Lövsta",
            "Intervju Lövsta, transkript",
            lovsta,
            [
                (
                    "Vi köper platser av en ideell förening i grannkommunen.",
                    "Boende > Skyddat boende",
                ),
                (
                    "Det blir dyrt, och kvinnorna hamnar långt från jobb och skola.",
                    "Ekonomi > Kostnader",
                ),
            ],
        ),
        (
            "Intervju Hagby",
            None,
            hagby,
            [
                (
                    "Nej, inte i kommunen, men vi har avtal med kvinnojouren.",
                    "Boende > Skyddat boende",
                )
            ],
        ),
    ]
    texts = {"Fältanteckningar Lövsta": as_stored(field_notes)}
    for audio_name, transcript_name, text, coded in recordings:
        audio = _el(
            sources,
            "AudioSource",
            guid=g(f"audio:{audio_name}"),
            name=audio_name,
            path=f"absolute:///C:/Transana/Media/{audio_name.split()[-1].lower()}.mp3",
            creatingUser=ulla,
            creationDateTime=when,
        )
        transcript = _el(
            audio,
            "Transcript",
            guid=g(f"transcript:{audio_name}"),
            name=transcript_name,
            creatingUser=ulla,
            creationDateTime=when,
        )
        _el(transcript, "PlainTextContent", text)
        document = transcript_name or audio_name
        texts[document] = as_stored(text)
        spans = [_span(text, passage) for passage, _ in coded]
        for number, (start, end) in enumerate(spans):
            for edge, position in [("from", start), ("to", end)]:
                _el(
                    transcript,
                    "SyncPoint",
                    guid=g(f"sync:{audio_name}:{number}:{edge}"),
                    timeStamp=position * 80,
                    position=position,
                )
        for number, (passage, path) in enumerate(coded):
            piece = _el(
                transcript,
                "TranscriptSelection",
                guid=g(f"sel:{audio_name}:{number}"),
                fromSyncPoint=g(f"sync:{audio_name}:{number}:from"),
                toSyncPoint=g(f"sync:{audio_name}:{number}:to"),
                creatingUser=ulla,
                creationDateTime=when,
            )
            _coding(piece, g(f"coding:{audio_name}:{number}"), code[path], ulla, when)
            codings.append(ExpectedCoding(document, path, passage, "Ulla Persson"))
        if transcript_name is not None:
            clip = _el(
                audio,
                "AudioSelection",
                guid=g(f"clip:{audio_name}"),
                begin=spans[0][0] * 80,
                end=spans[0][1] * 80,
                creatingUser=ulla,
            )
            _coding(clip, g(f"coding:clip:{audio_name}"), code["Boende > Skyddat boende"], ulla)

    return Shape(
        path=_package(folder, "transana_like", _qde(root), {}),
        producer="Transana (specification example 3)",
        texts=texts,
        codings=codings,
        codes=_paths(codes),
        users=["Ulla Persson"],
        cases={},
        attributes={},
        notes=[],
        not_carried={"audio sources": 2, "audio selections": 1},
    )


SHAPES: dict[str, Callable[[Path], Shape]] = {
    "nvivo_windows": nvivo_windows,
    "nvivo_mac": nvivo_mac,
    "maxqda": maxqda,
    "atlas": atlas,
    "qualcoder": qualcoder,
    "qc": qc,
    "transana_like": transana_like,
}


# ---------------------------------------------------------------------------------------
# Hostile and broken packages

PARTIAL_SOURCE = "Intervju Kallby"
PARTIAL_TEXT = (
    "I: Hur samverkar ni med polisen?\n"
    "IP: Vi har gemensamma ärendedragningar varannan vecka.\n"
    "IP: Men resurserna för uppföljning saknas.\n"
)
PARTIAL_CODES = ["Samverkan", "Resurser"]
PARTIAL_GOOD = ExpectedCoding(
    PARTIAL_SOURCE, "Samverkan", "gemensamma ärendedragningar varannan vecka", "Ida Holm"
)


@dataclass
class _Base:
    """The valid project every hostile package starts from (one document, one coding)."""

    root: etree._Element
    codes: etree._Element
    sources: etree._Element
    source: etree._Element
    code: dict[str, str]
    guids: _Guids
    user: str
    files: dict[str, bytes]


def _base(scope: str) -> _Base:
    g = _Guids(scope)
    ida = g("user:ida")
    root = _project("Kallby", "vinr-qual test fixtures", creatingUserGUID=ida)
    _users(root, [(ida, "Ida Holm", "IH")])
    code = _codebook(root, g, [_Code(name) for name in PARTIAL_CODES])
    sources = _el(root, "Sources")
    guid = g("source:kallby")
    source = _el(
        sources,
        "TextSource",
        guid=guid,
        name=PARTIAL_SOURCE,
        plainTextPath=f"internal://{guid}.txt",
        creatingUser=ida,
    )
    selection = _selection(
        source, g("sel:good"), _span(PARTIAL_TEXT, PARTIAL_GOOD.passage), user=ida
    )
    _coding(selection, g("coding:good"), code["Samverkan"], ida)
    listing = root.find(f"{{{REFI}}}CodeBook/{{{REFI}}}Codes")
    assert listing is not None
    return _Base(
        root=root,
        codes=listing,
        sources=sources,
        source=source,
        code=code,
        guids=g,
        user=ida,
        files={f"sources/{guid}.txt": _txt(PARTIAL_TEXT)},
    )


def _base_package(folder: Path, name: str) -> Path:
    base = _base(name)
    return _package(folder, name, _qde(base.root), base.files)


def entry_climbing_out(folder: Path) -> Path:
    """A valid project plus a zip entry `../evil.txt`. Refuse the whole package before
    extracting anything; nothing may be written outside the import's own folder."""
    path = _base_package(folder, "entry_climbing_out")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(_info("../evil.txt"), b"utanf\xc3\xb6r\n")
    return path


def absolute_entry(folder: Path) -> Path:
    """A valid project plus a zip entry `/tmp/evil.txt`. Refuse the whole package before
    extracting anything."""
    path = _base_package(folder, "absolute_entry")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(_info("/tmp/evil.txt"), b"absolut\n")
    return path


def symlink_entry(folder: Path) -> Path:
    """A second source, "Intervju Länk", whose file `sources/link.txt` is a symlink entry
    (S_IFLNK in external_attr) pointing at /etc/passwd. Refuse the whole package; never
    create or follow the link."""
    base = _base("symlink_entry")
    _el(
        base.sources,
        "TextSource",
        guid=base.guids("source:link"),
        name="Intervju Länk",
        plainTextPath="internal://link.txt",
    )
    path = _package(folder, "symlink_entry", _qde(base.root), base.files)
    with zipfile.ZipFile(path, "a") as archive:
        info = zipfile.ZipInfo("sources/link.txt", date_time=_ZIP_TIME)
        info.create_system = 3  # Unix, so that external_attr holds a mode
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, b"/etc/passwd")
    return path


def zip_bomb(folder: Path) -> Path:
    """A second source, "Intervju Bomb", whose .txt is one deflated entry of just over
    1 GiB of zeros (about 1 MB compressed, over 1000:1). Refuse the whole package, having
    read no more than the importer's size limit: the declared sizes may lie, so the
    expansion must be bounded while reading. Building it streams: it takes a few seconds."""
    base = _base("zip_bomb")
    guid = base.guids("source:bomb")
    _el(
        base.sources,
        "TextSource",
        guid=guid,
        name="Intervju Bomb",
        plainTextPath=f"internal://{guid}.txt",
    )
    path = _package(folder, "zip_bomb", _qde(base.root), base.files)
    block = bytes(_MIB)
    with (
        zipfile.ZipFile(path, "a") as archive,
        archive.open(_info(f"sources/{guid}.txt"), "w", force_zip64=True) as entry,
    ):
        for _ in range(_BOMB_MIB):
            entry.write(block)
    return path


_DOCTYPE = """<!DOCTYPE Project [
  <!ENTITY secret SYSTEM "file:///etc/passwd">
  <!ENTITY one "våld våld våld våld våld våld våld våld våld våld">
  <!ENTITY many "&one;&one;&one;&one;&one;&one;&one;&one;&one;&one;">
]>"""
_ENCODINGS = {
    "UTF-8": (b"", "utf-8"),
    "UTF-16": (b"\xff\xfe", "utf-16-le"),
    "UTF-32": (b"\xff\xfe\x00\x00", "utf-32-le"),
}


def _doctype_package(folder: Path, name: str, encoding: str) -> Path:
    base = _base(name)
    _el(base.root, "Description", "@ENTITIES@")
    _qde(base.root)  # puts the Description in its place
    body = etree.tostring(base.root, encoding="unicode", pretty_print=True)
    document = f'<?xml version="1.0" encoding="{encoding}"?>\n{_DOCTYPE}\n' + body.replace(
        "@ENTITIES@", "&secret;&many;"
    )
    bom, codec = _ENCODINGS[encoding]
    return _package(folder, name, bom + document.encode(codec), base.files)


def doctype_utf8(folder: Path) -> Path:
    """A .qde in UTF-8 with a DOCTYPE declaring an external entity (file:///etc/passwd) and
    nested internal ones, used in the project Description. Refuse the whole package
    (a REFI-QDA project never has a DTD); never resolve or expand the entities."""
    return _doctype_package(folder, "doctype_utf8", "UTF-8")


def doctype_utf16(folder: Path) -> Path:
    """As doctype_utf8, but the .qde is UTF-16 (little-endian, with a BOM, declared
    "UTF-16"), so a byte search for b"<!DOCTYPE" misses it. Refuse the whole package."""
    return _doctype_package(folder, "doctype_utf16", "UTF-16")


def doctype_utf32(folder: Path) -> Path:
    """As doctype_utf8, but the .qde is UTF-32 (little-endian, with a BOM, declared
    "UTF-32"), which lxml parses and a UTF-8/UTF-16 scan misses. Refuse the whole
    package."""
    return _doctype_package(folder, "doctype_utf32", "UTF-32")


def positions_beyond_text(folder: Path) -> Path:
    """A valid project plus a coded selection (Resurser) wholly past the end of the text.
    Import the rest (PARTIAL_SOURCE with PARTIAL_TEXT, PARTIAL_CODES, PARTIAL_GOOD) and
    report the selection as past the end; leave that coding out (clamping leaves nothing)."""
    base = _base("positions_beyond_text")
    length = len(PARTIAL_TEXT)
    selection = _selection(
        base.source, base.guids("sel:beyond"), (length + 100, length + 140), user=base.user
    )
    _coding(selection, base.guids("coding:beyond"), base.code["Resurser"], base.user)
    return _package(folder, "positions_beyond_text", _qde(base.root), base.files)


def inverted_positions(folder: Path) -> Path:
    """A valid project plus a coded selection (Resurser) whose startPosition is greater
    than its endPosition (the span of "resurserna för uppföljning saknas", swapped). Import
    the rest (PARTIAL_*) and report the selection; leave that coding out rather than guess
    that the ends were swapped."""
    base = _base("inverted_positions")
    start, end = _span(PARTIAL_TEXT, "resurserna för uppföljning saknas")
    selection = _selection(base.source, base.guids("sel:inverted"), (end, start), user=base.user)
    _coding(selection, base.guids("coding:inverted"), base.code["Resurser"], base.user)
    return _package(folder, "inverted_positions", _qde(base.root), base.files)


def unknown_code_reference(folder: Path) -> Path:
    """A valid project plus a coding whose CodeRef names a GUID that no code has. Import
    the rest (PARTIAL_*), report the coding and leave it out; create no code for it."""
    base = _base("unknown_code_reference")
    span = _span(PARTIAL_TEXT, "resurserna för uppföljning saknas")
    selection = _selection(base.source, base.guids("sel:unknown"), span, user=base.user)
    _coding(selection, base.guids("coding:unknown"), base.guids("code:nowhere"), base.user)
    return _package(folder, "unknown_code_reference", _qde(base.root), base.files)


def missing_source_file(folder: Path) -> Path:
    """A valid project plus a second source, "Intervju Saknad", with a coded selection,
    whose plainTextPath names a file the zip does not hold. Import the rest (PARTIAL_*),
    report the missing file by the source's name and leave that source and its coding out."""
    base = _base("missing_source_file")
    guid = base.guids("source:missing")
    source = _el(
        base.sources,
        "TextSource",
        guid=guid,
        name="Intervju Saknad",
        plainTextPath=f"internal://{guid}.txt",
        creatingUser=base.user,
    )
    selection = _selection(source, base.guids("sel:missing"), (0, 10), user=base.user)
    _coding(selection, base.guids("coding:missing"), base.code["Resurser"], base.user)
    return _package(folder, "missing_source_file", _qde(base.root), base.files)


def duplicate_guids(folder: Path) -> Path:
    """A valid project plus two more codes, "Stöd" then "Skydd", with one and the same GUID
    (no coding refers to it). Import the rest (PARTIAL_* as they are), keep the first code
    of that GUID ("Stöd") and report the second ("Skydd") as a duplicate GUID, leaving it
    out."""
    base = _base("duplicate_guids")
    shared = base.guids("code:shared")
    for name in ["Stöd", "Skydd"]:
        _el(base.codes, "Code", guid=shared, name=name, isCodable="true")
    return _package(folder, "duplicate_guids", _qde(base.root), base.files)


def two_qde_files(folder: Path) -> Path:
    """Two .qde files at the root (`project.qde` and `Kopia.qde`, both valid). Refuse the
    whole package: which project is meant cannot be told."""
    base = _base("two_qde_files")
    qde = _qde(base.root)
    return _package(folder, "two_qde_files", qde, {"Kopia.qde": qde, **base.files})


def no_qde_file(folder: Path) -> Path:
    """Only the sources folder, no .qde at all. Refuse the whole package."""
    base = _base("no_qde_file")
    return _package(folder, "no_qde_file", None, base.files)


def truncated_qde(folder: Path) -> Path:
    """A .qde cut off halfway, so not well-formed XML. Refuse the whole package, naming
    the XML error."""
    base = _base("truncated_qde")
    qde = _qde(base.root)
    return _package(folder, "truncated_qde", qde[: len(qde) // 2], base.files)


def empty_zip(folder: Path) -> Path:
    """A zip with no entries at all (22 bytes). Refuse the whole package."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "empty_zip.qdpx"
    with zipfile.ZipFile(path, "w"):
        pass
    return path


HOSTILE: dict[str, Callable[[Path], Path]] = {
    "entry climbing out (../evil.txt)": entry_climbing_out,
    "absolute entry (/tmp/evil.txt)": absolute_entry,
    "symlink entry": symlink_entry,
    "zip bomb (over 1 GiB of zeros)": zip_bomb,
    "DOCTYPE with entities, UTF-8": doctype_utf8,
    "DOCTYPE with entities, UTF-16": doctype_utf16,
    "DOCTYPE with entities, UTF-32": doctype_utf32,
    "positions beyond the text": positions_beyond_text,
    "inverted positions (start > end)": inverted_positions,
    "CodeRef to an unknown GUID": unknown_code_reference,
    "plainTextPath to a missing file": missing_source_file,
    "two codes with one GUID": duplicate_guids,
    "two .qde files at the root": two_qde_files,
    "no .qde file": no_qde_file,
    "truncated .qde (not XML)": truncated_qde,
    "empty zip": empty_zip,
}

# The packages whose good part (PARTIAL_*) a correct importer imports, reporting the rest;
# every other package in HOSTILE is refused whole.
HOSTILE_PARTIAL = frozenset(
    {
        "positions beyond the text",
        "inverted positions (start > end)",
        "CodeRef to an unknown GUID",
        "plainTextPath to a missing file",
        "two codes with one GUID",
    }
)
