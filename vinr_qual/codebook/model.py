"""A codebook in memory: a tree of codes with stable ids, independent of any file format."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

UNITS = ("sentence", "turn", "paragraph")
# the stretch a code is given to by default when a coder codes with nothing selected:
# "passage" asks for a selection (with none, the sentence at the cursor is taken)
CODING_UNITS = ("sentence", "turn", "paragraph", "passage")
# What a code says besides its id, name and place in the tree, in the order files list it.
VALUE_FIELDS = (
    "name_en",
    "definition",
    "use_when",
    "not_when",
    "examples",
    "color",
    "shortcut",
    "codable",
    "rules",
    "unit",
)
GUID = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def new_id() -> str:
    return str(uuid.uuid4())


def normal_id(value: str) -> str | None:
    """A GUID in the one form stored: lower case, no braces; None if it is not a GUID."""
    match = GUID.match(value.strip())
    return match.group(1).lower() if match else None


@dataclass
class Rules:
    """How auto-coding finds passages for a code; suggestions only, never codings."""

    unit: str = "sentence"
    keywords: list[str] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    fuzzy: int | None = None

    def as_dict(self) -> dict[str, object]:
        found: dict[str, object] = {"unit": self.unit}
        for name in ("keywords", "lemmas", "phrases", "patterns"):
            if getattr(self, name):
                found[name] = list(getattr(self, name))
        if self.fuzzy is not None:
            found["fuzzy"] = self.fuzzy
        return found

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Rules:
        fuzzy = data.get("fuzzy")
        return cls(
            unit=str(data.get("unit") or "sentence"),
            keywords=[str(x) for x in data.get("keywords") or []],  # type: ignore[attr-defined]
            lemmas=[str(x) for x in data.get("lemmas") or []],  # type: ignore[attr-defined]
            phrases=[str(x) for x in data.get("phrases") or []],  # type: ignore[attr-defined]
            patterns=[str(x) for x in data.get("patterns") or []],  # type: ignore[attr-defined]
            fuzzy=int(fuzzy) if fuzzy is not None else None,  # type: ignore[call-overload]
        )


@dataclass
class Code:
    name: str
    id: str = ""
    name_en: str | None = None
    definition: str | None = None
    use_when: str | None = None
    not_when: str | None = None
    examples: list[str] = field(default_factory=list)
    color: str | None = None
    shortcut: str | None = None
    codable: bool = True
    rules: Rules | None = None
    unit: str | None = None  # the default unit for coding by hand (CODING_UNITS)
    children: list[Code] = field(default_factory=list)
    # a folder a file implies by a path ("Hinder>>Resurser") without listing it itself
    implicit: bool = field(default=False, compare=False)


@dataclass
class CodeSet:
    """A named group of codes across the tree (REFI-QDA's Set)."""

    id: str
    name: str
    description: str | None = None
    members: list[str] = field(default_factory=list)


@dataclass
class Codebook:
    codes: list[Code] = field(default_factory=list)
    name: str | None = None
    description: str | None = None
    language: str | None = None
    # the id of the family whose codes say which field a passage is about (BF, VINR,
    # ANDTS): co-coded with any other code, and a dimension of the analyses
    field_family: str | None = None
    sets: list[CodeSet] = field(default_factory=list)

    def walk(self) -> Iterator[tuple[Code, Code | None, int]]:
        """Every code with its parent and its position among its siblings, depth first."""

        def visit(
            codes: list[Code], parent: Code | None
        ) -> Iterator[tuple[Code, Code | None, int]]:
            for position, code in enumerate(codes):
                yield code, parent, position
                yield from visit(code.children, code)

        yield from visit(self.codes, None)

    def by_id(self) -> dict[str, Code]:
        return {code.id: code for code, _, _ in self.walk()}

    def paths(self) -> dict[str, str]:
        """Each code's path of names from the top, joined by " > "."""
        found: dict[str, str] = {}
        for code, parent, _ in self.walk():
            found[code.id] = f"{found[parent.id]} > {code.name}" if parent else code.name
        return found
