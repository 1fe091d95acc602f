"""Filters typed as text, shared by the documents list and search, in either language.

`case:Kvarnby typ:styrdokument län:"Skåne län" code:l uncoded samverkan` reads as a case,
a document kind, a case attribute, a code, "not coded", and a free word. Keys and the
values of document kinds are accepted as the interface shows them in English and in
Swedish (`kind:steering` and `typ:styrdokument` are the same filter); any other key is a
case attribute.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, fields, replace
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


# `key:value` among a search's words: a "phrase", a key:value, other text, a bracket or
# comma, or spaces; together they cover every character of the query.
_QUERY_PIECE = re.compile(
    r'"[^"]*"?|(?P<key>[^\s:()",]+):(?P<value>"[^"]*"|[^\s()",]+)|[^\s"(),]+|[(),]|\s+'
)


@dataclass
class QueryFilters:
    """A search query with the filters typed among its words taken out."""

    words: str
    filters: Filters
    typed: list[str] = field(default_factory=list)


def query_filters(project: Project, query: str) -> QueryFilters:
    """The filters typed into a search query itself (`case:Kvarnby samverkan`).

    A `key:value` is a filter when its key is one of the filter keys (in either language)
    or the name of a case attribute; anything else (`09:30`, a word inside a "phrase")
    stays words to search for.
    """
    from vinr_qual.codebook.operations import find_code

    attributes: dict[str, str] | None = None
    words: list[str] = []
    typed: list[str] = []
    found = Filters()
    for piece in _QUERY_PIECE.finditer(query):
        name, value = piece.group("key"), piece.group("value")
        if name is None or value is None:
            words.append(piece.group())
            continue
        key = _key(name)
        if key not in KEYS:
            if attributes is None:
                attributes = {
                    str(row[0]).casefold(): str(row[0])
                    for row in project.db.execute("SELECT DISTINCT name FROM case_attributes")
                }
            if key not in attributes:
                words.append(piece.group())
                continue
        value = value.strip('"')
        if not value:
            words.append(piece.group())
            continue
        typed.append(piece.group())
        if key == "case":
            found.case = value
        elif key == "kind":
            found.kind = document_kind(value)
        elif key == "role":
            found.role = value
        elif key == "code":
            found.code_id = find_code(project, value)
        else:
            if found.attribute is not None:
                raise VinrQualError(
                    f"search: one case attribute at a time, please ({' '.join(typed)})"
                )
            found.attribute = (attributes[key] if attributes else name, value)
        words.append(" ")
    return QueryFilters("".join(words), found, typed)


def combined(given: Filters, typed: Filters, shown: list[str]) -> Filters:
    """The filters given and those typed in the query, together; the same filter given
    twice with different values is an error naming both."""
    together = replace(given, not_coded=given.not_coded or typed.not_coded)
    for item in fields(Filters):
        if item.name == "not_coded":
            continue
        mine, theirs = getattr(given, item.name), getattr(typed, item.name)
        if theirs is None:
            continue
        if mine is not None and _folded(mine) != _folded(theirs):
            raise VinrQualError(
                f"search: the query says {' '.join(shown)} but the filters say"
                f" {item.name.removesuffix('_id')} {_shown(mine)}; keep one"
            )
        setattr(together, item.name, theirs)
    return together


def _folded(value: object) -> object:
    if isinstance(value, tuple):
        return tuple(_folded(part) for part in value)
    return value.casefold() if isinstance(value, str) else value


def _shown(value: object) -> str:
    return "=".join(value) if isinstance(value, tuple) else str(value)
