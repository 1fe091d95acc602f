"""Write a `Package` as a REFI-QDA project package (.qdpx) that validates.

project.qde lists its children in the schema's order, leaves out empty lists (the
schema wants at least one child in each), and keeps every text in `sources/<guid>.txt`
as UTF-8. Positions follow a profile: the standard's (code points over LF text, the
default), NVivo's (UTF-16 code units over CRLF text with a BOM, a CRLF counted as two)
or MAXQDA's and ATLAS.ti's (CRLF text, a line break counted as one).

Notes on a case, and framework summaries (on a case and a code), are carried as notes
with links, since the standard's cases have no NoteRef.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from vinr_qual import __version__
from vinr_qual.codebook.model import Code
from vinr_qual.errors import VinrQualError
from vinr_qual.exchange import package as pk
from vinr_qual.exchange.positions import Counting, Ruler, export_index, export_text
from vinr_qual.exchange.qdc import description_of
from vinr_qual.store.clock import now

NAMESPACE = "urn:QDA-XML:project:1.0"


@dataclass(frozen=True)
class Profile:
    name: str
    crlf: bool
    bom: bool
    counting: Counting


PROFILES = {
    "standard": Profile("standard", False, False, Counting()),
    "nvivo": Profile("nvivo", True, True, Counting(utf16=True, crlf_as_two=True)),
    "maxqda": Profile("maxqda", True, False, Counting(utf16=False, crlf_as_two=False)),
}


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _sub(parent: etree._Element, tag: str, /, **attributes: str | None) -> etree._Element:
    element = etree.SubElement(parent, _tag(tag))
    for key, value in attributes.items():
        if value is not None:
            element.set(key, value)
    return element


def project_xml(package: pk.Package, profile: Profile) -> tuple[bytes, dict[str, bytes]]:
    """The project.qde and the files of the sources folder."""
    root = etree.Element(_tag("Project"), nsmap={None: NAMESPACE})
    root.set("name", package.name)
    root.set("origin", f"vinr-qual {__version__}")
    if package.users:
        root.set("creatingUserGUID", package.users[0].guid)
    root.set("creationDateTime", now())
    users = {user.guid for user in package.users}
    notes_on = _notes_by_target(package)
    if package.users:
        element = _sub(root, "Users")
        for user in package.users:
            _sub(element, "User", guid=user.guid, name=user.name, id=user.initials)
    if package.codebook.codes:
        codes = _sub(_sub(root, "CodeBook"), "Codes")
        for code in package.codebook.codes:
            _write_code(codes, code, notes_on)
    if package.variables or any(source.facts or source.kind for source in package.sources):
        variables = _sub(root, "Variables")
        for variable in package.variables:
            _sub(
                variables,
                "Variable",
                guid=variable.guid,
                name=variable.name,
                typeOfVariable=variable.type,
            )
        for fact, label in pk.DOCUMENT_VARIABLES.items():
            if fact == "kind" or any(fact in source.facts for source in package.sources):
                _sub(
                    variables,
                    "Variable",
                    guid=pk.derived_guid("variable", "document", fact),
                    name=label,
                    typeOfVariable="Date" if fact == "date" and _all_dates(package) else "Text",
                )
    types = {variable.guid: variable.type for variable in package.variables}
    if package.cases:
        cases = _sub(root, "Cases")
        for case in package.cases:
            element = _sub(cases, "Case", guid=case.guid, name=case.name)
            if case.description:
                _sub(element, "Description").text = case.description
            for guid, value in case.values.items():
                _value(element, guid, value, types.get(guid, "Text"))
            for source_guid in case.sources:
                _sub(element, "SourceRef", targetGUID=source_guid)
    files: dict[str, bytes] = {}
    if package.sources:
        sources = _sub(root, "Sources")
        for source in package.sources:
            files[f"{source.guid}.txt"] = _write_source(
                sources, source, profile, notes_on, users, _all_dates(package)
            )
    written_notes = [note for note in package.notes if note.text.strip()]
    if written_notes:
        notes = _sub(root, "Notes")
        for note in written_notes:
            element = _sub(
                notes,
                "Note",
                guid=note.guid,
                name=note.name or _note_name(note),
                creatingUser=note.user_guid if note.user_guid in users else None,
                creationDateTime=note.created,
            )
            _sub(element, "PlainTextContent").text = note.text
    links = [note for note in written_notes if note.target in ("case", "framework")]
    if links:
        element = _sub(root, "Links")
        for note in links:
            targets = [note.target_guid]
            if note.target == "framework":
                targets.append(note.code_guid)
            for target in targets:
                _sub(
                    element,
                    "Link",
                    guid=pk.derived_guid("link", note.guid, target or ""),
                    name="Ramverkssammanfattning" if note.target == "framework" else "Memo",
                    direction="OneWay",
                    originGUID=note.guid,
                    targetGUID=target,
                )
    if package.codebook.sets or package.source_sets:
        sets = _sub(root, "Sets")
        for code_set in package.codebook.sets:
            element = _sub(sets, "Set", guid=code_set.id, name=code_set.name)
            if code_set.description:
                _sub(element, "Description").text = code_set.description
            for member in code_set.members:
                _sub(element, "MemberCode", targetGUID=member)
        for source_set in package.source_sets:
            element = _sub(sets, "Set", guid=source_set.guid, name=source_set.name)
            for member in source_set.sources:
                _sub(element, "MemberSource", targetGUID=member)
    if package.description:
        _sub(root, "Description").text = package.description
    for note in notes_on.get(("project", None), []):
        _sub(root, "NoteRef", targetGUID=note.guid)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data, files


def _notes_by_target(package: pk.Package) -> dict[tuple[str, str | None], list[pk.Note]]:
    found: dict[tuple[str, str | None], list[pk.Note]] = {}
    for note in package.notes:
        if note.text.strip():
            key = note.target_guid if note.target != "project" else None
            found.setdefault((note.target, key), []).append(note)
    return found


def _note_name(note: pk.Note) -> str:
    return {"framework": "Ramverk", "project": "Projektmemo"}.get(note.target, "Memo")


def _all_dates(package: pk.Package) -> bool:
    from vinr_qual.exchange.from_project import _is_date

    dates = [source.facts["date"] for source in package.sources if "date" in source.facts]
    return bool(dates) and all(_is_date(value) for value in dates)


def _write_code(
    parent: etree._Element, code: Code, notes_on: dict[tuple[str, str | None], list[pk.Note]]
) -> None:
    element = _sub(
        parent,
        "Code",
        guid=code.id,
        name=code.name,
        isCodable="true" if code.codable else "false",
        color=code.color,
    )
    description = description_of(code)
    if description:
        _sub(element, "Description").text = description
    for note in notes_on.get(("code", code.id), []):
        _sub(element, "NoteRef", targetGUID=note.guid)
    for child in code.children:
        _write_code(element, child, notes_on)


def _value(parent: etree._Element, guid: str, value: str, kind: str) -> None:
    element = _sub(parent, "VariableValue")
    _sub(element, "VariableRef", targetGUID=guid)
    _sub(element, f"{kind}Value").text = value


def _write_source(
    parent: etree._Element,
    source: pk.Source,
    profile: Profile,
    notes_on: dict[tuple[str, str | None], list[pk.Note]],
    users: set[str],
    dates: bool,
) -> bytes:
    element = _sub(
        parent,
        "TextSource",
        guid=source.guid,
        name=source.name,
        plainTextPath=f"internal://{source.guid}.txt",
        creatingUser=source.user_guid if source.user_guid in users else None,
        creationDateTime=source.created,
    )
    raw = export_text(source.text, crlf=profile.crlf, bom=profile.bom)
    ruler = Ruler(raw, profile.counting)

    def position(index: int) -> str:
        return str(
            ruler.position(export_index(source.text, index, crlf=profile.crlf, bom=profile.bom))
        )

    for coding in source.codings:
        selection = _sub(
            element,
            "PlainTextSelection",
            guid=pk.derived_guid("selection", coding.guid),
            name=_quoted(source.text[coding.start : coding.end]),
            startPosition=position(coding.start),
            endPosition=position(coding.end),
            creatingUser=coding.user_guid if coding.user_guid in users else None,
            creationDateTime=coding.created,
        )
        written = _sub(
            selection,
            "Coding",
            guid=coding.guid,
            creatingUser=coding.user_guid if coding.user_guid in users else None,
            creationDateTime=coding.created,
        )
        _sub(written, "CodeRef", targetGUID=coding.code_guid)
        for note in notes_on.get(("coding", coding.guid), []):
            _sub(written, "NoteRef", targetGUID=note.guid)
    for note in notes_on.get(("passage", source.guid), []):
        if note.start is None or note.end is None:
            continue
        selection = _sub(
            element,
            "PlainTextSelection",
            guid=pk.derived_guid("selection", note.guid),
            name=_quoted(source.text[note.start : note.end]),
            startPosition=position(note.start),
            endPosition=position(note.end),
        )
        _sub(selection, "NoteRef", targetGUID=note.guid)
    for note in notes_on.get(("document", source.guid), []):
        _sub(element, "NoteRef", targetGUID=note.guid)
    facts = {"kind": source.kind, **source.facts}
    for fact in pk.DOCUMENT_VARIABLES:
        if fact in facts:
            kind = "Date" if fact == "date" and dates else "Text"
            _value(element, pk.derived_guid("variable", "document", fact), facts[fact], kind)
    return raw.encode("utf-8")


def _quoted(passage: str) -> str:
    flat = " ".join(passage.split())
    return flat if len(flat) <= 60 else flat[:59] + "…"


def write_qdpx(package: pk.Package, path: Path, *, profile: str = "standard") -> None:
    """Write the package whole or not at all: into a temporary file beside `path`, made
    readable by its owner only, then moved into place."""
    if profile not in PROFILES:
        raise VinrQualError(f"unknown profile {profile!r}; use {', '.join(PROFILES)}")
    if not path.parent.is_dir():
        raise VinrQualError(f"{path}: the folder {path.parent} does not exist")
    qde, files = project_xml(package, PROFILES[profile])
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with (
            os.fdopen(descriptor, "wb") as handle,
            zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            archive.writestr("project.qde", qde)
            for name, data in files.items():
                archive.writestr(f"sources/{name}", data)
        os.chmod(temporary, 0o600)
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise VinrQualError(f"{path}: cannot write ({error.strerror})") from error
