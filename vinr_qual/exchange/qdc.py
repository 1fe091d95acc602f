"""REFI-QDA codebooks (.qdc), the exchange format of NVivo, ATLAS.ti, MAXQDA and QualCoder.

Reading is lenient, since real files often break the schema: elements are matched by local
name whatever the namespace variant, GUIDs in any case or braces, colours as #RGB,
#RRGGBBAA or rgb(), `Parent::Child` names (ATLAS.ti's flattened tree) made into a tree,
missing attributes given defaults, an empty `<Sets/>` ignored. Everything odd is reported
as a note. Writing is strict: the file validates against the standard's Codebook.xsd.

A code's Description carries its definition; where a code also has guidance and examples,
they follow under the headings "Använd när:", "Använd inte när:" and "Exempel:", which
this reader takes apart again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from vinr_qual import __version__
from vinr_qual.codebook.model import Code, Codebook, CodeSet, new_id, normal_id
from vinr_qual.errors import VinrQualError
from vinr_qual.ingest.xml_safety import declares_entities, has_doctype

NAMESPACE = "urn:QDA-XML:codebook:1.0"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_RGB = re.compile(r"^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*[\d.]+\s*)?\)$")
_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
USE_WHEN, NOT_WHEN, EXAMPLES = "Använd när:", "Använd inte när:", "Exempel:"
MAX_BYTES = 50 * 1024 * 1024


@dataclass
class QdcRead:
    codebook: Codebook
    origin: str | None = None
    namespace: str | None = None
    notes: list[str] = field(default_factory=list)


def read_qdc(path: Path) -> QdcRead:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise VinrQualError(f"{path}: cannot read ({error.strerror})") from error
    if len(data) > MAX_BYTES:
        raise VinrQualError(f"{path}: {len(data)} bytes is too large for a codebook")
    if declares_entities(data):
        raise VinrQualError(
            f"{path}: the XML declares entities (a DOCTYPE); refused for safety, nothing imported"
        )
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        line = error.lineno or 1
        raise VinrQualError(f"{path}:{line}: not XML ({error.msg})") from error
    if has_doctype(root):
        raise VinrQualError(
            f"{path}: the XML declares a DOCTYPE; refused for safety, nothing imported"
        )
    if etree.QName(root).localname != "CodeBook":
        raise VinrQualError(
            f"{path}: the root element is <{etree.QName(root).localname}>, not <CodeBook>;"
            " not a REFI-QDA codebook"
        )
    result = QdcRead(Codebook(), root.get("origin"), etree.QName(root).namespace)
    if result.namespace != NAMESPACE:
        result.notes.append(f"namespace {result.namespace!r} read as {NAMESPACE!r}")
    if data.startswith(b"\xef\xbb\xbf"):
        result.notes.append("a byte-order mark before the XML (ignored)")
    reader = CodeReader(result.notes)
    codes_element = first_child(root, "Codes")
    if codes_element is None:
        raise VinrQualError(f"{path}: no <Codes> element; not a REFI-QDA codebook")
    codes = [reader.code(element) for element in children(codes_element, "Code")]
    result.codebook.codes = unflatten(codes, result.notes)
    sets_element = first_child(root, "Sets")
    if sets_element is not None:
        sets = children(sets_element, "Set")
        if not sets:
            result.notes.append("an empty <Sets/> (not schema-valid) ignored")
        known = set(reader.seen)
        for element in sets:
            result.codebook.sets.append(reader.code_set(element, known))
    return result


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def first_child(element: etree._Element, name: str) -> etree._Element | None:
    return next((child for child in element if local_name(child) == name), None)


def children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local_name(child) == name]


class CodeReader:
    def __init__(self, notes: list[str]) -> None:
        self.notes = notes
        self.seen: dict[str, str] = {}

    def guid(self, element: etree._Element, what: str) -> str:
        """The element's GUID in our form; empty where it has none (or a bad or repeated
        one), so that loading matches the code by its path of names instead."""
        raw = element.get("guid")
        normal = normal_id(raw) if raw else None
        if normal is None:
            self.notes.append(f"{what}: {'no' if raw is None else 'a bad'} guid; matched by name")
            return ""
        if normal in self.seen:
            self.notes.append(f"{what}: guid {raw} used twice; the second matched by name")
            return ""
        return normal

    def code(self, element: etree._Element) -> Code:
        name = (element.get("name") or "").strip()
        what = f"code {name!r}" if name else "a code without a name"
        code_id = self.guid(element, what)
        if not name:
            name = f"(namnlös {len(self.seen) + 1})"
            self.notes.append(f"{what} named {name!r}")
        if code_id:
            self.seen[code_id] = name
        code = Code(name=name, id=code_id, codable=self.codable(element, what))
        code.color = self.color(element.get("color"), what)
        description = first_child(element, "Description")
        if description is not None and (description.text or "").strip():
            _split_description(code, description.text or "")
        code.children = [self.code(child) for child in children(element, "Code")]
        return code

    def codable(self, element: etree._Element, what: str) -> bool:
        value = element.get("isCodable")
        if value is None:
            self.notes.append(f"{what}: no isCodable; taken as true")
            return True
        if value.strip().lower() in ("true", "1"):
            return True
        if value.strip().lower() in ("false", "0"):
            return False
        self.notes.append(f"{what}: isCodable {value!r} taken as true")
        return True

    def color(self, value: str | None, what: str) -> str | None:
        if not value:
            return None
        value = value.strip()
        rgb = _RGB.match(value)
        if rgb:
            self.notes.append(f"{what}: colour {value!r} read as hex")
            return "#" + "".join(f"{min(255, int(part)):02X}" for part in rgb.groups())
        match = _HEX.match(value)
        if not match:
            self.notes.append(f"{what}: colour {value!r} not understood; left out")
            return None
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        elif len(digits) == 8:
            self.notes.append(f"{what}: colour {value!r} without its alpha")
            digits = digits[:6]
        return f"#{digits.upper()}" if value != f"#{digits}" else value

    def code_set(self, element: etree._Element, known: set[str]) -> CodeSet:
        name = (element.get("name") or "").strip() or "(namnlös mängd)"
        set_id = self.guid(element, f"set {name!r}") or new_id()
        description = first_child(element, "Description")
        members = []
        for member in children(element, "MemberCode"):
            raw = member.get("guid") or member.get("targetGUID")
            normal = normal_id(raw) if raw else None
            if normal in known:
                members.append(normal)
            else:
                self.notes.append(f"set {name!r}: member {raw!r} is no code here; left out")
        text = (description.text or "").strip() if description is not None else ""
        return CodeSet(set_id, name, text or None, [m for m in members if m])


def _split_description(code: Code, text: str) -> None:
    """Definition, then the guidance and examples this module writes after it."""
    parts = re.split(
        rf"^({re.escape(USE_WHEN)}|{re.escape(NOT_WHEN)}|{re.escape(EXAMPLES)})[ \t]*$\n?",
        text.strip(),
        flags=re.MULTILINE,
    )
    code.definition = parts[0].strip() or None
    for heading, body in zip(parts[1::2], parts[2::2], strict=False):
        body = body.strip()
        if heading == USE_WHEN:
            code.use_when = body or None
        elif heading == NOT_WHEN:
            code.not_when = body or None
        else:
            examples: list[str] = []
            for line in body.splitlines():
                if line.startswith("- ") or not examples:
                    examples.append(line.removeprefix("- "))
                else:
                    examples[-1] += "\n" + line  # an example that runs over several lines
            code.examples = [example.strip() for example in examples if example.strip()]


def unflatten(codes: list[Code], notes: list[str]) -> list[Code]:
    """Make `Parent::Child` names of a flat list into a tree; a parent that is not in the
    list itself becomes a folder."""
    if not any("::" in code.name for code in codes):
        return codes
    top: list[Code] = []
    by_path: dict[str, Code] = {}
    for code in codes:
        parts = [part.strip() for part in code.name.split("::")]
        siblings = top
        for depth in range(len(parts) - 1):
            path = "::".join(parts[: depth + 1])
            parent = by_path.get(path)
            if parent is None:
                parent = Code(name=parts[depth], codable=False, implicit=True)
                by_path[path] = parent
                siblings.append(parent)
            siblings = parent.children
        full = "::".join(parts)
        code.name = parts[-1]
        folder = by_path.get(full)
        if folder is not None:  # made for a child listed earlier: the code takes its place
            code.children = folder.children + code.children
            siblings[siblings.index(folder)] = code
        else:
            siblings.append(code)
        by_path[full] = code
    notes.append("'Parent::Child' names read as a tree of codes")
    return top


def write_qdc(codebook: Codebook, path: Path) -> None:
    if not codebook.codes:
        raise VinrQualError(f"{path}: the project has no codes to export")
    root = etree.Element(f"{{{NAMESPACE}}}CodeBook", nsmap={None: NAMESPACE})
    root.set("origin", f"vinr-qual {__version__}")
    codes = etree.SubElement(root, f"{{{NAMESPACE}}}Codes")
    for code in codebook.codes:
        _write_code(codes, code)
    if codebook.sets:
        sets = etree.SubElement(root, f"{{{NAMESPACE}}}Sets")
        for code_set in codebook.sets:
            element = etree.SubElement(
                sets, f"{{{NAMESPACE}}}Set", guid=code_set.id, name=code_set.name
            )
            if code_set.description:
                etree.SubElement(element, f"{{{NAMESPACE}}}Description").text = code_set.description
            for member in code_set.members:
                etree.SubElement(element, f"{{{NAMESPACE}}}MemberCode", guid=member)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def _write_code(parent: etree._Element, code: Code) -> None:
    element = etree.SubElement(
        parent,
        f"{{{NAMESPACE}}}Code",
        guid=code.id,
        name=code.name,
        isCodable="true" if code.codable else "false",
    )
    if code.color:
        element.set("color", code.color)
    description = description_of(code)
    if description:
        etree.SubElement(element, f"{{{NAMESPACE}}}Description").text = description
    for child in code.children:
        _write_code(element, child)


def description_of(code: Code) -> str:
    parts = [code.definition or ""]
    if code.use_when:
        parts.append(f"{USE_WHEN}\n{code.use_when}")
    if code.not_when:
        parts.append(f"{NOT_WHEN}\n{code.not_when}")
    if code.examples:
        parts.append(EXAMPLES + "\n" + "\n".join(f"- {example}" for example in code.examples))
    return "\n\n".join(part for part in parts if part).strip()
