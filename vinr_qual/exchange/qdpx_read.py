"""Read a REFI-QDA project package (.qdpx) made by any tool into a `Package`.

Nothing is extracted to disk except a rich-text source that must be read by one of our
readers (into a private temporary folder, removed after). The archive is checked first:
entries that climb out, absolute paths and symlinks are never used and are listed; a
zip bomb, XML that declares entities, and a package without exactly one .qde are
refused whole. Reading is lenient where real files are (NOTES.md §7): elements by local
name, GUIDs in any case or braces, any order of children. Every selection is placed on
its text in the counting that fits (see `positions`), and every one that cannot be
placed is named in `problems`.
"""

from __future__ import annotations

import datetime as dt
import stat
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from vinr_qual.codebook.model import Code, normal_id
from vinr_qual.errors import VinrQualError
from vinr_qual.exchange import package as pk
from vinr_qual.exchange.positions import Counting, Ruler, Span, choose_counting, fit
from vinr_qual.exchange.qdc import CodeReader, children, first_child, local_name
from vinr_qual.ingest.normalise import normalise_mapped
from vinr_qual.ingest.xml_safety import declares_entities, has_doctype

MAX_PACKAGE_BYTES = 4 * 1024**3
MAX_ENTRY_BYTES = 1024**3
MAX_TOTAL_BYTES = 4 * 1024**3
MAX_ENTRIES = 200_000
MAX_RATIO = 1000  # expanded to compressed, past the first megabytes
CHUNK = 1024 * 1024
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_comments=True
)
_TYPES = {"Text", "Boolean", "Integer", "Float", "Date", "DateTime"}
_VALUE_TYPES = {
    "TextValue": "Text",
    "BooleanValue": "Boolean",
    "IntegerValue": "Integer",
    "FloatValue": "Float",
    "DateValue": "Date",
    "DateTimeValue": "DateTime",
}


class _Archive:
    """The package's entries by case-insensitive name, read through a bounded reader."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        try:
            size = path.stat().st_size
        except OSError as error:
            raise VinrQualError(f"{path}: cannot read ({error.strerror})") from error
        if size > MAX_PACKAGE_BYTES:
            raise VinrQualError(f"{path}: {size} bytes is larger than a package may be")
        if not zipfile.is_zipfile(path):
            raise VinrQualError(f"{path}: not a .qdpx package (it is not a zip archive)")
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError) as error:
            raise VinrQualError(f"{path}: damaged zip archive ({error})") from error
        if len(infos) > MAX_ENTRIES:
            raise VinrQualError(f"{path}: {len(infos)} entries is too many for a package")
        self.read_total = 0
        self.entries: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = info.filename
            problem = _unsafe(info)
            if problem:
                raise VinrQualError(
                    f"{path}: entry {name!r} {problem}; refused for safety, nothing imported"
                )
            if name.endswith("/"):
                continue
            self.entries.setdefault(name.casefold(), info)

    def qde(self) -> zipfile.ZipInfo:
        roots = [
            info for key, info in self.entries.items() if "/" not in key and key.endswith(".qde")
        ]
        if not roots:
            raise VinrQualError(f"{self.path}: no .qde project file at the package's root")
        if len(roots) > 1:
            names = ", ".join(sorted(info.filename for info in roots))
            raise VinrQualError(f"{self.path}: several .qde project files ({names}); expected one")
        return roots[0]

    def source(self, name: str) -> zipfile.ZipInfo | None:
        """An internal file by its base name, in the sources folder or at the root."""
        base = PurePosixPath(name.replace("\\", "/")).name.casefold()
        for folder in ("sources/", ""):
            found = self.entries.get(folder + base)
            if found is not None:
                return found
        return None

    def read(self, info: zipfile.ZipInfo) -> bytes:
        limit = min(MAX_ENTRY_BYTES, MAX_TOTAL_BYTES - self.read_total)
        parts: list[bytes] = []
        read = 0
        try:
            with self.zip.open(info) as entry:
                while chunk := entry.read(CHUNK):
                    read += len(chunk)
                    if read > limit:
                        raise VinrQualError(
                            f"{self.path}: entry {info.filename!r} expands beyond"
                            f" {limit // 1024**2} MiB (a zip bomb?); refused, nothing imported"
                        )
                    if read > 16 * CHUNK and read > MAX_RATIO * max(info.compress_size, 1):
                        raise VinrQualError(
                            f"{self.path}: entry {info.filename!r} expands more than"
                            f" {MAX_RATIO}:1 (a zip bomb?); refused, nothing imported"
                        )
                    parts.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise VinrQualError(
                f"{self.path}: entry {info.filename!r} is damaged ({error})"
            ) from error
        except (RuntimeError, NotImplementedError) as error:
            raise VinrQualError(
                f"{self.path}: entry {info.filename!r} cannot be read ({error})"
            ) from error
        self.read_total += read
        return b"".join(parts)


def _unsafe(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if "\x00" in name:
        return "has a NUL in its name"
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "has an absolute path"
    if ".." in parts:
        return "climbs out of the package (..)"
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    return None


@dataclass
class _Selection:
    guid: str
    start: int
    end: int
    name: str | None
    codings: list[tuple[str, str | None, str | None, str | None]]  # guid, code, user, when
    notes: list[str]
    description: str | None
    user: str | None
    created: str | None


@dataclass
class _Text:
    raw: str
    origin_format: str = "txt"
    remark: str | None = None


@dataclass
class _State:
    path: Path
    archive: _Archive
    result: pk.Package
    origin: str | None = None
    users: dict[str, str] = field(default_factory=dict)  # normal guid -> user guid kept
    codes: dict[str, Code] = field(default_factory=dict)
    variables: dict[str, pk.Variable] = field(default_factory=dict)
    fact_of_variable: dict[str, str] = field(default_factory=dict)
    notes: dict[str, pk.Note] = field(default_factory=dict)
    note_refs: list[tuple[str, pk.Note]] = field(default_factory=list)
    selections: dict[str, tuple[pk.Source, int, int, list[pk.Coding]]] = field(default_factory=dict)
    source_names: set[str] = field(default_factory=set)
    guids_seen: Counter[tuple[str, str]] = field(default_factory=Counter)
    temporary: tempfile.TemporaryDirectory[str] | None = None


def read_qdpx(path: Path) -> pk.Package:
    """The package's contents; raises VinrQualError where it must be refused whole."""
    problems: list[str] = []
    archive = _Archive(path, problems)
    with archive.zip:
        entry = archive.qde()
        data = archive.read(entry)
        root = _parse(path, entry.filename, data)
        result = pk.Package(name=root.get("name") or path.stem, problems=problems)
        state = _State(path, archive, result, origin=root.get("origin"))
        result.origin = state.origin
        namespace = etree.QName(root).namespace
        if namespace != "urn:QDA-XML:project:1.0":
            result.remarks.append(f"namespace {namespace!r} read as urn:QDA-XML:project:1.0")
        try:
            _read_project(state, root)
        finally:
            if state.temporary is not None:
                state.temporary.cleanup()
    return result


def _parse(path: Path, name: str, data: bytes) -> etree._Element:
    where = f"{path}: {name}"
    if declares_entities(data):
        raise VinrQualError(
            f"{where}: the XML declares entities (a DOCTYPE); refused for safety, nothing imported"
        )
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise VinrQualError(
            f"{where}:{error.lineno or 1}: not XML ({error.msg}); nothing imported"
        ) from error
    except (ValueError, LookupError) as error:
        raise VinrQualError(f"{where}: cannot read the XML ({error}); nothing imported") from error
    if has_doctype(root):
        raise VinrQualError(
            f"{where}: the XML declares a DOCTYPE; refused for safety, nothing imported"
        )
    if local_name(root) != "Project":
        raise VinrQualError(
            f"{where}: the root element is <{local_name(root)}>, not <Project>;"
            " not a REFI-QDA project"
        )
    return root


def _read_project(state: _State, root: etree._Element) -> None:
    result = state.result
    for element in root:
        name = local_name(element)
        if name == "Users":
            _read_users(state, element)
        elif name == "CodeBook":
            _read_codebook(state, element)
        elif name == "Variables":
            _read_variables(state, element)
        elif name == "Notes":
            for note in children(element, "Note"):
                _read_note(state, note)
    # cases and sources refer to variables and notes; read them after, in any order
    for element in root:
        name = local_name(element)
        if name == "Sources":
            _read_sources(state, element)
    for element in root:
        name = local_name(element)
        if name == "Cases":
            for case in children(element, "Case"):
                _read_case(state, case)
        elif name == "Links":
            for link in children(element, "Link"):
                _read_link(state, link)
        elif name == "Sets":
            for code_set in children(element, "Set"):
                _read_set(state, code_set)
        elif name == "Graphs":
            result.not_carried["graphs"] += len(children(element, "Graph"))
        elif name == "Description":
            result.description = (element.text or "").strip() or None
        elif name == "NoteRef":
            _refer(state, element, "project", None)
    for reference, note in state.note_refs:
        found = state.notes.get(reference)
        if found is None:
            result.problems.append(f"{state.path}: a reference to unknown note {reference}")
            continue
        found.target, found.target_guid = note.target, note.target_guid
        found.code_guid, found.start, found.end = note.code_guid, note.start, note.end
    result.notes = list(state.notes.values())
    for (kind, guid), count in state.guids_seen.items():
        if count > 1:
            result.problems.append(
                f"{state.path}: GUID {guid} is used by {count} {kind} elements; the later ones"
                " were given GUIDs of their own"
            )


def _guid(state: _State, element: etree._Element, what: str) -> str:
    """The element's GUID normalised; a new one where it has none, a bad one or one met
    before (the problem is listed)."""
    raw = element.get("guid")
    normal = normal_id(raw) if raw else None
    if normal is None:
        state.result.problems.append(
            f"{state.path}: {what} has {'no' if raw is None else 'a bad'} GUID ({raw!r}); given one"
        )
        return pk.derived_guid("missing", what, str(id(element)))
    # GUIDs are unique within a kind of element only (ATLAS.ti gives a PDF selection and
    # its text selection one), so a repeat is looked for among the element's own kind
    kind = local_name(element)
    state.guids_seen[kind, normal] += 1
    if state.guids_seen[kind, normal] > 1:
        return pk.derived_guid("again", normal, str(state.guids_seen[kind, normal]))
    return normal


def _ref(element: etree._Element) -> str | None:
    raw = element.get("targetGUID") or element.get("guid")
    return normal_id(raw) if raw else None


def _user(state: _State, element: etree._Element, *attributes: str) -> str | None:
    for attribute in attributes:
        raw = element.get(attribute)
        normal = normal_id(raw) if raw else None
        if normal and normal in state.users:
            return normal
        if normal:
            state.result.problems.append(
                f"{state.path}: {attribute} {raw} is no user of the package; coder unknown"
            )
    return None


def _when(state: _State, value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        state.result.problems.append(f"{state.path}: date {value!r} not understood; left out")
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _read_users(state: _State, element: etree._Element) -> None:
    names: set[str] = set()
    for user in children(element, "User"):
        guid = _guid(state, user, "a user")
        name = (user.get("name") or "").strip() or (user.get("id") or "").strip()
        name = name or f"Användare {guid[:8]}"
        while name.casefold() in names:
            name += f" ({guid[:4]})"
        names.add(name.casefold())
        state.users[guid] = guid
        state.result.users.append(pk.User(guid, name, user.get("id")))


def _read_codebook(state: _State, element: etree._Element) -> None:
    codes = first_child(element, "Codes")
    if codes is None:
        return
    notes: list[str] = []
    reader = CodeReader(notes)
    top = [reader.code(child) for child in children(codes, "Code")]
    for note in notes:  # a GUID repeated or malformed is a problem; the rest are remarks
        serious = "used twice" in note or "a bad guid" in note
        (state.result.problems if serious else state.result.remarks).append(f"{state.path}: {note}")
    from vinr_qual.exchange.qdc import unflatten

    state.result.codebook.codes = unflatten(top, state.result.remarks)
    for code, _, _ in state.result.codebook.walk():
        if code.id:
            state.codes[code.id] = code
    for code_element in codes.iter():
        if local_name(code_element) != "Code":
            continue
        code_guid = normal_id(code_element.get("guid") or "")
        for reference in children(code_element, "NoteRef"):
            target = _ref(reference)
            if target and code_guid:
                state.note_refs.append((target, pk.Note("", "", "code", code_guid)))


def _read_variables(state: _State, element: etree._Element) -> None:
    for variable in children(element, "Variable"):
        guid = _guid(state, variable, "a variable")
        name = (variable.get("name") or "").strip() or f"variabel {len(state.variables) + 1}"
        kind = variable.get("typeOfVariable") or "Text"
        if kind not in _TYPES:
            state.result.problems.append(
                f"{state.path}: variable {name!r} has type {kind!r}; read as Text"
            )
            kind = "Text"
        description = first_child(variable, "Description")
        found = pk.Variable(
            guid,
            name,
            kind,  # type: ignore[arg-type]
            (description.text or "").strip() or None if description is not None else None,
        )
        state.variables[guid] = found
        for fact, label in pk.DOCUMENT_VARIABLES.items():
            if name.casefold() == label.casefold():
                state.fact_of_variable[guid] = fact
        state.result.variables.append(found)


def _values(state: _State, element: etree._Element, owner: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for value in children(element, "VariableValue"):
        reference = first_child(value, "VariableRef")
        target = _ref(reference) if reference is not None else None
        if target is None or target not in state.variables:
            state.result.problems.append(
                f"{state.path}: {owner}: a value of unknown variable"
                f" {reference.get('targetGUID') if reference is not None else None}; left out"
            )
            continue
        found = next((c for c in value if local_name(c) in _VALUE_TYPES), None)
        text = (found.text or "").strip() if found is not None else ""
        if not text:
            continue
        if found is not None and local_name(found) == "BooleanValue":
            text = "true" if text.lower() in ("true", "1") else "false"
        values[target] = text
    return values


def _read_case(state: _State, element: etree._Element) -> None:
    guid = _guid(state, element, "a case")
    values = _values(state, element, f"case {element.get('name')!r}")
    sources = [ref for ref in map(_ref, children(element, "SourceRef")) if ref]
    name = (element.get("name") or "").strip()
    if not name:
        if len(sources) == 1:  # Quirkos: a nameless case per document holds its variables
            name = next((s.name for s in state.result.sources if s.guid == sources[0]), "")
        name = name or f"Fall {guid[:8]}"
    description = first_child(element, "Description")
    case = pk.Case(
        guid,
        name,
        (description.text or "").strip() or None if description is not None else None,
        values,
        [s for s in sources if any(src.guid == s for src in state.result.sources)],
    )
    for missing in set(sources) - set(case.sources):
        state.result.problems.append(
            f"{state.path}: case {name!r} refers to unknown source {missing}; left out"
        )
    state.result.not_carried["case code references"] += len(children(element, "CodeRef"))
    state.result.not_carried["case selection references"] += len(children(element, "SelectionRef"))
    state.result.cases.append(case)


def _read_note(state: _State, element: etree._Element) -> None:
    guid = _guid(state, element, "a note")
    text = _text_of(state, element, f"note {element.get('name')!r}")
    raw = text.raw if text else ""
    note = pk.Note(
        guid,
        normalise_mapped(raw)[0].strip(),
        name=element.get("name"),
        user_guid=_user(state, element, "creatingUser", "modifyingUser"),
        created=_when(state, element.get("creationDateTime")),
    )
    state.notes[guid] = note
    selections = children(element, "PlainTextSelection")
    if selections:
        state.result.not_carried["selections in notes"] += len(selections)


def _refer(state: _State, element: etree._Element, target: pk.NoteTarget, guid: str | None,
           **extra: int | str | None) -> None:  # fmt: skip
    reference = _ref(element)
    if reference:
        note = pk.Note("", "", target, guid)
        for key, value in extra.items():
            setattr(note, key, value)
        state.note_refs.append((reference, note))


def _read_link(state: _State, element: etree._Element) -> None:
    origin = normal_id(element.get("originGUID") or "")
    target = normal_id(element.get("targetGUID") or "")
    note_guid, other = (origin, target) if origin in state.notes else (target, origin)
    if note_guid in state.notes and other:
        note = state.notes[note_guid]
        if other in state.selections:
            source, start, end, codings = state.selections[other]
            if len(codings) == 1:
                note.target, note.target_guid = "coding", codings[0].guid
            else:
                note.target, note.target_guid, note.start, note.end = (
                    "passage",
                    source.guid,
                    start,
                    end,
                )
            return
        if any(source.guid == other for source in state.result.sources):
            note.target, note.target_guid = "document", other
            return
        if other in state.codes:
            if note.target == "case":  # a framework summary: linked to a case and a code
                note.target, note.code_guid = "framework", other
            else:
                note.target, note.target_guid = "code", other
            return
        if any(case.guid == other for case in state.result.cases):
            if note.target == "code" and note.target_guid:
                note.target, note.code_guid, note.target_guid = "framework", note.target_guid, other
            else:
                note.target, note.target_guid = "case", other
            return
    state.result.not_carried["links"] += 1


def _read_set(state: _State, element: etree._Element) -> None:
    from vinr_qual.codebook.model import CodeSet

    guid = _guid(state, element, "a set")
    name = (element.get("name") or "").strip() or "(namnlös mängd)"
    codes = [ref for ref in map(_ref, children(element, "MemberCode")) if ref]
    sources = [ref for ref in map(_ref, children(element, "MemberSource")) if ref]
    known = [code for code in codes if code in state.codes]
    for missing in set(codes) - set(known):
        state.result.problems.append(
            f"{state.path}: set {name!r} lists unknown code {missing}; left out"
        )
    description = first_child(element, "Description")
    text = (description.text or "").strip() if description is not None else ""
    if known or not sources:
        state.result.codebook.sets.append(CodeSet(guid, name, text or None, known))
    if sources:
        state.result.source_sets.append(pk.SourceSet(guid, name, sources))
        state.result.not_carried["source set members"] += len(sources)
    state.result.not_carried["notes in sets"] += len(children(element, "MemberNote"))


# sources ---------------------------------------------------------------------------


def _read_sources(state: _State, element: etree._Element) -> None:
    for source in element:
        kind = local_name(source)
        if kind == "TextSource":
            _read_text_source(state, source, source, "interview")
        elif kind == "PDFSource":
            _read_pdf_source(state, source)
        elif kind in ("AudioSource", "VideoSource"):
            _read_media_source(state, source, kind)
        elif kind == "PictureSource":
            state.result.not_carried["picture sources"] += 1
            state.result.not_carried["picture selections"] += len(
                children(source, "PictureSelection")
            )


def _read_pdf_source(state: _State, element: etree._Element) -> None:
    selections = children(element, "PDFSelection")
    state.result.not_carried["PDF region selections"] += sum(
        1 for s in selections if children(s, "Coding")
    )
    representation = first_child(element, "Representation")
    name = element.get("name") or (
        representation.get("name") if representation is not None else None
    )
    if representation is not None:
        _read_text_source(state, representation, element, "other", name=name)
        return
    text = _rich_text(state, element.get("path"), f"source {name!r}")
    if text is None:
        state.result.problems.append(f"{state.path}: PDF source {name!r} has no text; left out")
        return
    _make_source(state, element, element, text, "other", name, [])


def _read_media_source(state: _State, element: etree._Element, kind: str) -> None:
    what = "audio" if kind == "AudioSource" else "video"
    selections = children(element, "AudioSelection" if what == "audio" else "VideoSelection")
    state.result.not_carried[f"{what} sources"] += 1
    state.result.not_carried[f"{what} selections"] += len(selections)
    for transcript in children(element, "Transcript"):
        name = transcript.get("name") or element.get("name")
        text = _text_of(state, transcript, f"transcript {name!r}")
        if text is None:
            continue
        points = {}
        for point in children(transcript, "SyncPoint"):
            point_guid = normal_id(point.get("guid") or "")
            try:
                points[point_guid] = int(point.get("position") or "")
            except ValueError:
                continue
        picked: list[etree._Element] = []
        spans: list[tuple[etree._Element, int, int]] = []
        for selection in children(transcript, "TranscriptSelection"):
            start = points.get(normal_id(selection.get("fromSyncPoint") or ""))
            end = points.get(normal_id(selection.get("toSyncPoint") or ""))
            if start is None or end is None:
                state.result.problems.append(
                    f"{state.path}: transcript {name!r}: a selection between unknown sync"
                    " points; left out"
                )
                continue
            picked.append(selection)
            spans.append((selection, start, end))
        _make_source(state, transcript, element, text, "interview", name, spans)


def _read_text_source(
    state: _State,
    element: etree._Element,
    owner: etree._Element,
    kind: str,
    *,
    name: str | None = None,
) -> None:
    name = name or element.get("name")
    text = _text_of(state, element, f"source {name!r}")
    if text is None:
        state.result.problems.append(f"{state.path}: source {name!r} has no text; left out")
        return
    spans = []
    for selection in children(element, "PlainTextSelection"):
        try:
            start, end = (
                int(selection.get("startPosition", "")),
                int(selection.get("endPosition", "")),
            )
        except ValueError:
            state.result.problems.append(
                f"{state.path}: source {name!r}: selection {selection.get('guid')} has no"
                " whole-number positions; left out"
            )
            continue
        spans.append((selection, start, end))
    _make_source(state, element, owner, text, kind, name, spans)


def _make_source(
    state: _State,
    element: etree._Element,
    owner: etree._Element,
    text: _Text,
    kind: str,
    name: str | None,
    spans: list[tuple[etree._Element, int, int]],
) -> None:
    result = state.result
    guid = _guid(state, owner, f"source {name!r}")
    name = (name or "").strip() or f"Källa {guid[:8]}"
    taken = state.source_names
    while name.casefold() in taken:
        result.problems.append(f"{state.path}: source name {name!r} used twice; renamed")
        name = f"{name} ({guid[:4]})"
    taken.add(name.casefold())
    stored, mapping = normalise_mapped(text.raw)
    source = pk.Source(
        guid,
        name,
        stored,
        kind,
        user_guid=_user(state, owner, "creatingUser", "modifyingUser"),
        created=_when(state, owner.get("creationDateTime")),
        source_format=text.origin_format,
    )
    if text.remark:
        result.remarks.append(f"source {name!r}: {text.remark}")
    values = _values(state, owner, f"source {name!r}")
    for variable, value in values.items():
        fact = state.fact_of_variable.get(variable)
        if fact == "kind":
            if value in ("interview", "steering", "other"):
                source.kind = value
        elif fact:
            source.facts[fact] = value
        else:
            source.values[variable] = value
    for reference in children(owner, "NoteRef"):
        _refer(state, reference, "document", guid)
    marked = [Span(s, e, sel.get("name")) for sel, s, e in spans]
    # a text read from a rich-text file may have been counted by its producer with one
    # line break between paragraphs where our reader puts a blank line: try both
    readings: list[tuple[str, list[int] | None]] = [(text.raw, None)]
    if text.origin_format != "txt" and "\n\n" in text.raw:
        readings.append(_single_breaks(text.raw))
    best: tuple[float, str, list[int] | None, Counting, bool] | None = None
    for raw, back in readings:
        counting, fitted = choose_counting(raw, marked, state.origin)
        score = fit(raw, marked, counting)
        if best is None or score > best[0]:
            best = (score, raw, back, counting, fitted)
    assert best is not None
    _, counted, back, counting, fitted = best
    if back is not None:
        result.remarks.append(
            f"source {name!r}: positions counted with one line break between paragraphs"
        )
    if fitted or counting.utf16 or not counting.crlf_as_two or counting.bom_counted:
        source.counting = counting.describe()
        how = "chosen as the one that fits its selections" if fitted else "as its producer counts"
        if spans and (fitted or not Ruler(counted, counting).plain):
            result.remarks.append(
                f"source {name!r}: positions read in {counting.describe()} ({how})"
            )
    ruler = Ruler(counted, counting)

    def stored_index(raw_index: int) -> int:
        if back is not None:
            raw_index = back[raw_index]
        return raw_index if mapping is None else mapping[raw_index]

    for selection, start, end in spans:
        where = f"{state.path}: source {name!r}: selection {selection.get('guid')} at {start}–{end}"
        if start > end:
            result.problems.append(f"{where} is inverted (start after end); left out")
            continue
        first, last = ruler.raw_index(start), ruler.raw_index(end, end=True)
        if first is None or last is None:
            beyond = end > ruler.length or start < 0
            result.problems.append(
                f"{where} "
                + (
                    f"lies beyond the text ({ruler.length} positions); left out"
                    if beyond
                    else "falls inside a character; left out"
                )
            )
            continue
        begin, finish = stored_index(first), stored_index(last)
        selection_guid = _guid(state, selection, f"{where}")
        user = _user(state, selection, "creatingUser", "modifyingUser")
        codings: list[pk.Coding] = []
        if finish <= begin:
            if children(selection, "Coding"):
                result.problems.append(f"{where} is empty; left out")
            continue
        for coding in children(selection, "Coding"):
            reference = first_child(coding, "CodeRef")
            code_guid = _ref(reference) if reference is not None else None
            if code_guid is None or code_guid not in state.codes:
                result.problems.append(
                    f"{where}: a coding refers to unknown code"
                    f" {reference.get('targetGUID') if reference is not None else None}; left out"
                )
                continue
            found = pk.Coding(
                _guid(state, coding, f"{where}: a coding"),
                code_guid,
                begin,
                finish,
                _user(state, coding, "creatingUser") or user,
                _when(state, coding.get("creationDateTime"))
                or _when(state, selection.get("creationDateTime")),
            )
            codings.append(found)
            for note in children(coding, "NoteRef"):
                _refer(state, note, "coding", found.guid)
        source.codings.extend(codings)
        state.selections[selection_guid] = (source, begin, finish, codings)
        description = first_child(selection, "Description")
        comment = (description.text or "").strip() if description is not None else ""
        if comment:
            note_guid = pk.derived_guid("comment", selection_guid)
            state.notes[note_guid] = pk.Note(
                note_guid,
                comment,
                "coding" if len(codings) == 1 else "passage",
                codings[0].guid if len(codings) == 1 else guid,
                start=None if len(codings) == 1 else begin,
                end=None if len(codings) == 1 else finish,
                user_guid=user,
                created=_when(state, selection.get("creationDateTime")),
            )
        for note in children(selection, "NoteRef"):
            if len(codings) == 1:
                _refer(state, note, "coding", codings[0].guid)
            else:
                _refer(state, note, "passage", guid, start=begin, end=finish)
    whole = children(element, "Coding")
    for coding in whole:
        reference = first_child(coding, "CodeRef")
        code_guid = _ref(reference) if reference is not None else None
        if code_guid in state.codes and stored:
            source.codings.append(
                pk.Coding(
                    _guid(state, coding, f"source {name!r}: a coding"),
                    code_guid or "",
                    0,
                    len(stored),
                    _user(state, coding, "creatingUser"),
                    _when(state, coding.get("creationDateTime")),
                )
            )
            result.remarks.append(f"source {name!r}: a coding of the whole source kept as one")
        else:
            result.problems.append(f"source {name!r}: a coding of unknown code; left out")
    result.sources.append(source)


def _single_breaks(text: str) -> tuple[str, list[int]]:
    """TEXT with each blank line between paragraphs made a single line break, and for each
    of its indices (and its end) the index in TEXT."""
    kept: list[str] = []
    back: list[int] = []
    for index, char in enumerate(text):
        if char == "\n" and text[index - 1 : index] == "\n" and text[index - 2 : index - 1] != "\n":
            continue  # the second of two breaks goes
        kept.append(char)
        back.append(index)
    back.append(len(text))
    return "".join(kept), back


def _text_of(state: _State, element: etree._Element, what: str) -> _Text | None:
    """The plain text of a text source, note or transcript: inline, from its plain text
    file, or failing both (missing, or a stub of a byte or two) from its rich text file."""
    content = first_child(element, "PlainTextContent")
    if content is not None and (content.text or "").strip():
        return _Text(content.text or "")
    plain = element.get("plainTextPath")
    raw: str | None = None
    if plain:
        info = _internal(state, plain, what)
        if info is not None:
            raw = _decode(state, state.archive.read(info), f"{what} ({info.filename})")
    if raw is not None and len(raw.strip().lstrip("\ufeff")) > 1:
        return _Text(raw)
    rich = element.get("richTextPath")
    if rich:
        text = _rich_text(state, rich, what)
        if text is not None:
            return text
    if raw is not None:
        return _Text(raw)
    if content is not None:
        return _Text(content.text or "")
    return None


def _internal(state: _State, reference: str, what: str) -> zipfile.ZipInfo | None:
    scheme, _, rest = reference.partition("://")
    if not rest:  # qc writes a bare file name
        scheme, rest = "internal", reference
    if scheme.lower() != "internal":
        state.result.problems.append(
            f"{state.path}: {what}: file {reference!r} is outside the package; not read"
        )
        return None
    info = state.archive.source(rest)
    if info is None:
        state.result.problems.append(
            f"{state.path}: {what}: file {reference!r} is missing from the package"
        )
    return info


def _decode(state: _State, data: bytes, what: str) -> str:
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return "\ufeff" + data[2:].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        state.result.problems.append(
            f"{state.path}: {what} is not valid UTF-8 (byte {error.start}); read with"
            " replacement characters"
        )
        return data.decode("utf-8", errors="replace")


def _rich_text(state: _State, reference: str | None, what: str) -> _Text | None:
    if not reference:
        return None
    info = _internal(state, reference, what)
    if info is None:
        return None
    suffix = PurePosixPath(info.filename).suffix.lower()
    from vinr_qual.errors import ImportRefused
    from vinr_qual.ingest.readers import PATH_READERS, read_source

    if suffix not in PATH_READERS and suffix not in (".txt", ".pdf", ".docx"):
        state.result.problems.append(f"{state.path}: {what}: cannot read {suffix} text")
        return None
    if state.temporary is None:
        state.temporary = tempfile.TemporaryDirectory(prefix="vinr-qual-qdpx-")
    target = Path(state.temporary.name) / f"source{len(state.result.sources)}{suffix}"
    target.write_bytes(state.archive.read(info))
    target.chmod(0o600)
    try:
        parsed = read_source(target, f"{state.path}: {info.filename}")
    except ImportRefused as error:
        state.result.problems.append(str(error))
        return None
    finally:
        target.unlink(missing_ok=True)
    return _Text(
        parsed.text,
        suffix.lstrip("."),
        f"text read from {info.filename} (its plain text is missing or empty);"
        " positions were counted over that text",
    )
