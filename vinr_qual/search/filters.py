"""Filters typed as text, shared by the documents list and search, in either language.

`case:Kvarnby typ:styrdokument län:"Skåne län" code:l uncoded samverkan` reads as a case,
a document kind, a case attribute, a code, "not coded", and a free word. Keys and the
values of document kinds are accepted as the interface shows them in English and in
Swedish (`kind:steering` and `typ:styrdokument` are the same filter); any other key is a
case attribute.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vinr_qual.errors import VinrQualError

if TYPE_CHECKING:
    from vinr_qual.project import Project

# Document kinds as stored, and every name the interface shows them by.
KIND_NAMES: dict[str, tuple[str, ...]] = {
    "interview": ("interview", "intervju", "intervjuer"),
    "steering": ("steering", "styrdokument", "styrning"),
    "other": ("other", "övrigt", "annat"),
}
KEYS: dict[str, tuple[str, ...]] = {
    "case": ("case", "fall", "kommun"),
    "kind": ("kind", "typ", "sort"),
    "role": ("role", "roll"),
    "code": ("code", "kod"),
}
NOT_CODED = ("uncoded", "okodat", "okodad", "not-coded")


@dataclass
class Filters:
    """What search and the documents list narrow by; None is "any"."""

    case: str | None = None
    attribute: tuple[str, str] | None = None
    kind: str | None = None
    role: str | None = None
    code_id: str | None = None
    not_coded: bool = False


@dataclass
class ParsedFilter:
    """A filter as typed: the fields it names (code still as typed) and its free words."""

    case: str | None = None
    kind: str | None = None
    role: str | None = None
    code: str | None = None
    not_coded: bool = False
    attributes: dict[str, str] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)

    def filters(self, code_id: str | None = None) -> Filters:
        """As search's filters (the first attribute only: search narrows by one)."""
        attribute = next(iter(self.attributes.items()), None)
        return Filters(
            case=self.case,
            attribute=attribute,
            kind=self.kind,
            role=self.role,
            code_id=code_id,
            not_coded=self.not_coded,
        )


def document_kind(value: str) -> str:
    """The stored kind for a name of it in either language (a prefix is enough)."""
    folded = value.strip().casefold()
    for kind, names in KIND_NAMES.items():
        if folded in names:
            return kind
    starting = {kind for kind, names in KIND_NAMES.items() for n in names if n.startswith(folded)}
    if folded and len(starting) == 1:
        return starting.pop()
    shown = ", ".join(f"{names[0]}/{names[1]}" for names in KIND_NAMES.values())
    raise VinrQualError(f"kind {value!r} is not a document kind ({shown})")


def _key(name: str) -> str:
    folded = name.casefold()
    for key, names in KEYS.items():
        if folded in names:
            return key
    return folded


def parse_filter(text: str) -> ParsedFilter:
    """Read a typed filter; an unknown kind is an error naming the kinds there are."""
    try:
        parts = shlex.split(text)
    except ValueError:
        parts = text.split()
    parsed = ParsedFilter()
    for part in parts:
        name, sep, value = part.partition(":")
        if not (sep and name and value):
            if part.casefold() in NOT_CODED:
                parsed.not_coded = True
            else:
                parsed.words.append(part.casefold())
            continue
        key = _key(name)
        if key == "case":
            parsed.case = value
        elif key == "kind":
            parsed.kind = document_kind(value)
        elif key == "role":
            parsed.role = value
        elif key == "code":
            parsed.code = value
        else:
            parsed.attributes[name] = value
    return parsed


def search_filters(project: Project, text: str) -> Filters:
    """Search's filters from a typed filter, the code found by name, shortcut or id."""
    from vinr_qual.codebook.operations import find_code

    parsed = parse_filter(text)
    return parsed.filters(find_code(project, parsed.code) if parsed.code else None)
