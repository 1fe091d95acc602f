"""The .qdpx fixtures themselves: sound zips, XML that parses, valid against the schema
where meant, and positions that land on the passages each Shape promises."""

from __future__ import annotations

import io
import stat
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import shared_path
from tests.exchange.qdpx_shapes import (
    HOSTILE,
    HOSTILE_PARTIAL,
    PARTIAL_CODES,
    PARTIAL_GOOD,
    PARTIAL_SOURCE,
    PARTIAL_TEXT,
    REFI,
    SHAPES,
    ExpectedCoding,
    Shape,
    as_stored,
)

XSD = "refi-qda/Project-mrt2019.xsd"
SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)

# How each producer counts: (UTF-16 code units?, a CRLF line break counted as one?)
COUNTING = {
    "nvivo_windows": (True, False),
    "nvivo_mac": (False, False),
    "maxqda": (False, False),
    "atlas": (False, True),
    "qualcoder": (True, False),
    "qc": (False, False),
    "transana_like": (False, False),
}


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Shape]:
    folder = tmp_path_factory.mktemp("shapes")
    return {name: build(folder) for name, build in SHAPES.items()}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return {name: build(folder) for name, build in HOSTILE.items()}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(shared_path(XSD))))


def root_qde_names(archive: zipfile.ZipFile) -> list[str]:
    return [n for n in archive.namelist() if "/" not in n and n.lower().endswith(".qde")]


def qde_bytes(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        [name] = root_qde_names(archive)
        return archive.read(name)


def in_refi_namespace(data: bytes) -> etree._Element:
    """The .qde parsed, moved into the 1.0 namespace if it is in another (Transana's)."""
    root = etree.fromstring(data, SAFE)
    namespace = etree.QName(root).namespace
    if namespace is not None and namespace != REFI:
        root = etree.fromstring(data.replace(namespace.encode(), REFI.encode()), SAFE)
    return root


def key(guid: str | None) -> str:
    return (guid or "").strip("{}").lower()


@dataclass
class ReadBack:
    """What a plain reading of a package finds, with the given counting."""

    texts: dict[str, str] = field(default_factory=dict)
    codings: list[ExpectedCoding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_back(path: Path, utf16: bool, crlf_as_one: bool) -> ReadBack:
    """A minimal independent reading of a package: enough to check the fixtures' positions,
    code paths and coders against their Shapes, and to see the planted defects."""
    found = ReadBack()
    with zipfile.ZipFile(path) as archive:
        by_name = {n.rsplit("/", 1)[-1].lower(): n for n in archive.namelist()}
        [qde] = root_qde_names(archive)
        root = etree.fromstring(archive.read(qde), SAFE)
        paths: dict[str, str] = {}

        def walk(parent: etree._Element, prefix: list[str]) -> None:
            for code in parent.iterchildren("{*}Code"):
                path = [*prefix, (code.get("name") or "").replace("::", " > ")]
                if key(code.get("guid")) in paths:
                    found.problems.append("duplicate guid")
                else:
                    paths[key(code.get("guid"))] = " > ".join(path)
                walk(code, path)

        listing = root.find("{*}CodeBook/{*}Codes")
        if listing is not None:
            walk(listing, [])
        users = {key(user.get("guid")): user.get("name") for user in root.iter("{*}User")}

        def text_of(source: etree._Element) -> str | None:
            content = source.find("{*}PlainTextContent")
            if content is not None:
                return content.text or ""
            location = (source.get("plainTextPath") or "").split("://", 1)[-1]
            entry = by_name.get(location.rsplit("/", 1)[-1].lower())
            if entry is None:
                found.problems.append("missing file")
                return None
            raw = archive.read(entry).decode("utf-8").removeprefix("\ufeff")
            rich = source.get("richTextPath")
            if not raw.strip() and rich:
                import docx

                data = archive.read(by_name[rich.rsplit("/", 1)[-1].lower()])
                raw = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
            return raw.replace("\r\n", "\n") if crlf_as_one else raw

        def cut(text: str, start: int, end: int) -> str | None:
            units = text.encode("utf-16-le") if utf16 else text
            length = len(units) // 2 if utf16 else len(units)
            if start > end:
                found.problems.append("inverted")
                return None
            if end > length:
                found.problems.append("beyond")
                return None
            if isinstance(units, bytes):
                return as_stored(units[2 * start : 2 * end].decode("utf-16-le"))
            return as_stored(units[start:end])

        def coded(selection: etree._Element, document: str, passage: str | None) -> None:
            for coding in selection.iterchildren("{*}Coding"):
                target = coding.find("{*}CodeRef")
                code = key(target.get("targetGUID") if target is not None else None)
                if code not in paths:
                    found.problems.append("unknown code")
                    continue
                user = coding.get("creatingUser") or selection.get("creatingUser")
                coder = users.get(key(user)) if user else None
                if passage is not None:
                    found.codings.append(ExpectedCoding(document, paths[code], passage, coder))

        def document(source: etree._Element, name: str) -> None:
            text = text_of(source)
            if text is None:
                return
            found.texts[name] = as_stored(text)
            for selection in source.iterchildren("{*}PlainTextSelection"):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                coded(selection, name, cut(text, start, end))

        for source in root.iter("{*}TextSource"):
            document(source, source.get("name") or "")
        for pdf in root.iter("{*}PDFSource"):
            representation = pdf.find("{*}Representation")
            if representation is not None:
                document(representation, pdf.get("name") or "")
        for transcript in root.iter("{*}Transcript"):
            name = transcript.get("name") or transcript.getparent().get("name") or ""
            text = text_of(transcript) or ""
            found.texts[name] = as_stored(text)
            points = {
                key(point.get("guid")): int(point.get("position") or 0)
                for point in transcript.iterchildren("{*}SyncPoint")
            }
            for selection in transcript.iterchildren("{*}TranscriptSelection"):
                start = points[key(selection.get("fromSyncPoint"))]
                end = points[key(selection.get("toSyncPoint"))]
                coded(selection, name, cut(text, start, end))
    return found


@pytest.mark.parametrize("name", SHAPES)
def test_each_shape_is_a_zip_with_one_qde_that_parses(name: str, shapes: dict[str, Shape]) -> None:
    path = shapes[name].path
    assert path.name == f"{name}.qdpx"
    assert zipfile.is_zipfile(path)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert len(root_qde_names(archive)) == 1
    root = etree.fromstring(qde_bytes(path), SAFE)
    assert etree.QName(root).localname == "Project"


@pytest.mark.parametrize("name", SHAPES)
def test_each_shape_is_valid_against_the_schema(
    name: str, shapes: dict[str, Shape], schema: etree.XMLSchema
) -> None:
    root = in_refi_namespace(qde_bytes(shapes[name].path))
    assert schema.validate(root), schema.error_log


@pytest.mark.parametrize("name", SHAPES)
def test_positions_land_on_the_promised_passages(name: str, shapes: dict[str, Shape]) -> None:
    shape = shapes[name]
    found = read_back(shape.path, *COUNTING[name])
    assert found.problems == []
    assert Counter(found.codings) == Counter(shape.codings)
    for document, text in found.texts.items():
        if name != "nvivo_mac":  # there the reader's text joins paragraphs differently
            assert shape.texts[document] == text
    assert set(found.texts) == set(shape.texts)


@pytest.mark.parametrize("name", SHAPES)
def test_each_shape_hangs_together(name: str, shapes: dict[str, Shape]) -> None:
    shape = shapes[name]
    assert shape.codings and shape.texts and shape.users
    assert len(set(shape.codes)) == len(shape.codes)
    for path in shape.codes:  # every parent is listed too
        assert " > ".join(path.split(" > ")[:-1]) in {"", *shape.codes}
    for text in [*shape.texts.values(), *shape.notes]:
        assert as_stored(text) == text and text
    for coding in shape.codings:
        assert coding.passage and coding.passage in shape.texts[coding.source]
        assert coding.code_path in shape.codes
        assert coding.coder is None or coding.coder in shape.users
    for sources in shape.cases.values():
        assert set(sources) <= set(shape.texts)
    assert set(shape.attributes) <= set(shape.cases)
    assert all(count > 0 for count in shape.not_carried.values())


@pytest.mark.parametrize("name", SHAPES)
def test_guids_are_unique_except_where_the_producer_shares_them(
    name: str, shapes: dict[str, Shape]
) -> None:
    root = etree.fromstring(qde_bytes(shapes[name].path), SAFE)
    owners: dict[str, list[str]] = {}
    for element in root.iter():
        if element.get("guid"):
            owners.setdefault(key(element.get("guid")), []).append(etree.QName(element).localname)
    shared = sorted(sorted(tags) for tags in owners.values() if len(tags) > 1)
    expected = [["PDFSelection", "PlainTextSelection"]] if name == "atlas" else []
    assert shared == expected


# Countings that must miss: astral characters or CRLF stand before the codings (the
# QualCoder text is LF only, so there the line-break axis cannot matter).
WRONG_COUNTING = {
    "nvivo_windows": [(False, False), (False, True), (True, True)],
    "atlas": [(False, False), (True, False), (True, True)],
    "qualcoder": [(False, False), (False, True)],
}


@pytest.mark.parametrize("name", WRONG_COUNTING)
def test_the_counting_matters_where_the_text_makes_it_matter(
    name: str, shapes: dict[str, Shape]
) -> None:
    shape = shapes[name]
    for model in WRONG_COUNTING[name]:
        found = read_back(shape.path, *model)
        assert found.problems or Counter(found.codings) != Counter(shape.codings), model


def test_the_builders_are_repeatable(tmp_path: Path) -> None:
    for name, build in SHAPES.items():
        first, second = build(tmp_path / "a"), build(tmp_path / "b")
        assert qde_bytes(first.path) == qde_bytes(second.path), name
        assert first.codings == second.codings


def test_the_producers_quirks_are_in_the_files(shapes: dict[str, Shape]) -> None:
    def entries(name: str) -> dict[str, bytes]:
        with zipfile.ZipFile(shapes[name].path) as archive:
            return {n: archive.read(n) for n in archive.namelist()}

    windows = entries("nvivo_windows")
    texts = [data for entry, data in windows.items() if entry.endswith(".txt")]
    assert all(entry.startswith(("project.qde", "Sources/")) for entry in windows)
    assert all(data.startswith(b"\xef\xbb\xbf") for data in texts)
    assert sum(b"\r\n" in data for data in texts) == 2  # the interview and the code note
    assert any(ord(c) > 0xFFFF for c in shapes["nvivo_windows"].texts["Intervju Åsby"])

    mac = entries("nvivo_mac")
    assert mac["sources/"] == b"" and mac["sources/.root"] == b""
    assert [len(data) for entry, data in mac.items() if entry.endswith(".txt")] == [1]
    assert b"{" in qde_bytes(shapes["nvivo_mac"].path)

    raw = [d.decode() for e, d in entries("maxqda").items() if e.endswith(".txt")]
    assert any("a\u0308" in text for text in raw)  # decomposed: NFC moves later positions
    assert all("a\u0308" not in text for text in shapes["maxqda"].texts.values())
    assert "Trial.qde" in entries("atlas") and "project.qde" not in entries("atlas")
    assert b"Samverkan::Polisen" in qde_bytes(shapes["atlas"].path)
    assert qde_bytes(shapes["qc"].path).startswith(b"<Project")
    assert b'plainTextPath="board_2017.txt"' in qde_bytes(shapes["qc"].path)
    assert all(c.passage.endswith("\n") for c in shapes["qc"].codings)
    assert (
        entries("qualcoder")[next(e for e in entries("qualcoder") if e.endswith(".txt"))][:3]
        == b"\xef\xbb\xbf"
    )
    transana = qde_bytes(shapes["transana_like"].path)
    assert b"urn:QDA-XML:project:0:10" in transana and b'Z"' not in transana
    assert list(entries("transana_like")) == ["project.qde"]


def test_the_docx_text_is_what_our_reader_reads(shapes: dict[str, Shape], tmp_path: Path) -> None:
    from vinr_qual.ingest.docx_reader import read_docx

    shape = shapes["nvivo_mac"]
    with zipfile.ZipFile(shape.path) as archive:
        [entry] = [n for n in archive.namelist() if n.endswith(".docx")]
        docx_path = tmp_path / "source.docx"
        docx_path.write_bytes(archive.read(entry))
    assert read_docx(docx_path, "nvivo_mac").text == shape.texts["Intervju Norrvik"]


# --- hostile packages --------------------------------------------------------------------


def test_every_hostile_builder_writes_a_package(hostile: dict[str, Path]) -> None:
    for name, path in hostile.items():
        assert path.is_file() and path.suffix == ".qdpx", name
        assert zipfile.is_zipfile(path), name


def test_the_escaping_entries_are_there(hostile: dict[str, Path]) -> None:
    with zipfile.ZipFile(hostile["entry climbing out (../evil.txt)"]) as archive:
        assert "../evil.txt" in archive.namelist()
    with zipfile.ZipFile(hostile["absolute entry (/tmp/evil.txt)"]) as archive:
        assert "/tmp/evil.txt" in archive.namelist()
    with zipfile.ZipFile(hostile["symlink entry"]) as archive:
        link = archive.getinfo("sources/link.txt")
        assert stat.S_ISLNK(link.external_attr >> 16)


def test_the_zip_bomb_is_a_bomb_without_being_opened(hostile: dict[str, Path]) -> None:
    path = hostile["zip bomb (over 1 GiB of zeros)"]
    assert path.stat().st_size < 5 * 1024 * 1024
    with zipfile.ZipFile(path) as archive:
        biggest = max(archive.infolist(), key=lambda info: info.file_size)
    assert biggest.file_size > 1 << 30
    assert biggest.file_size / biggest.compress_size > 1000


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16", "UTF-32"])
def test_the_doctypes_parse_only_with_entities_off(hostile: dict[str, Path], encoding: str) -> None:
    data = qde_bytes(hostile[f"DOCTYPE with entities, {encoding}"])
    assert (b"<!DOCTYPE" in data) == (encoding == "UTF-8")
    root = etree.fromstring(data, SAFE)
    tree = root.getroottree()
    assert tree.docinfo.encoding.upper().startswith(encoding)  # lxml says UTF-32LE
    assert data.startswith(b"\xff\xfe") == (encoding != "UTF-8")
    assert tree.docinfo.internalDTD is not None
    assert etree.QName(root).localname == "Project"


def test_the_refused_layouts(hostile: dict[str, Path]) -> None:
    def names(description: str) -> list[str]:
        with zipfile.ZipFile(hostile[description]) as archive:
            return archive.namelist()

    assert sorted(n for n in names("two .qde files at the root") if n.endswith(".qde")) == [
        "Kopia.qde",
        "project.qde",
    ]
    assert not [n for n in names("no .qde file") if n.lower().endswith(".qde")]
    assert names("empty zip") == []
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(qde_bytes(hostile["truncated .qde (not XML)"]), SAFE)


PLANTED = {
    "positions beyond the text": "beyond",
    "inverted positions (start > end)": "inverted",
    "CodeRef to an unknown GUID": "unknown code",
    "plainTextPath to a missing file": "missing file",
    "two codes with one GUID": "duplicate guid",
}


@pytest.mark.parametrize("description", sorted(HOSTILE_PARTIAL))
def test_partly_broken_packages_are_otherwise_sound(
    description: str, hostile: dict[str, Path], schema: etree.XMLSchema
) -> None:
    path = hostile[description]
    root = etree.fromstring(qde_bytes(path), SAFE)
    assert schema.validate(root), schema.error_log
    found = read_back(path, utf16=False, crlf_as_one=False)
    assert found.problems == [PLANTED[description]]
    assert found.codings == [PARTIAL_GOOD]
    assert found.texts[PARTIAL_SOURCE] == PARTIAL_TEXT
    names = [code.get("name") for code in root.iter("{*}Code")]
    assert names[: len(PARTIAL_CODES)] == PARTIAL_CODES
