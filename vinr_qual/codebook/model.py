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


# who may be coded by a rule in an interview: the interviewee's speech by default; text
# outside every speaker turn (header lines, time stamps) never
RULE_SPEAKERS = ("interviewee", "interviewer", "all")
NEAR_WINDOW = 10  # words either side of a piece of evidence within which `near:` looks
NOT_NEAR_WINDOW = 3  # and `not_near:` (negations: inte, ingen, saknar, aldrig)
TERM_FIELDS = ("keywords", "lemmas", "phrases", "patterns")


@dataclass
class Context:
    """Words looked for around a piece of evidence: up to `before` words before it and
    `after` words after it. A word ending in `*` matches any ending (`budget*`)."""

    words: list[str]
    before: int
    after: int

    def as_value(self, default: int) -> object:
        if self.before == self.after == default:
            return list(self.words)
        if self.before == self.after:
            return {"words": list(self.words), "window": self.before}
        return {"words": list(self.words), "before": self.before, "after": self.after}

    @classmethod
    def of(cls, value: object, default: int) -> Context | None:
        """`[words]`, or `{words: [...], window: N}` (both sides), or with `before: N`
        and `after: M` for one side each (they override the window)."""
        if not value:
            return None
        if isinstance(value, dict):
            window = value.get("window")
            window = default if window is None else int(window)
            before, after = value.get("before"), value.get("after")
            return cls(
                [str(x) for x in value.get("words") or []],
                window if before is None else int(before),
                window if after is None else int(after),
            )
        return cls([str(x) for x in value], default, default)  # type: ignore[attr-defined]


@dataclass
class Rules:
    """How auto-coding finds passages for a code; suggestions only, never codings.

    A unit is suggested when at least `min_evidence` different terms (keywords, lemmas,
    phrases, patterns) are found in it, each with one of the `near` words around it (if
    any are given) and none of the `not_near` words; or when one of the `also` blocks
    (the same fields; the unit and speakers of this one) finds it so.
    """

    unit: str = "sentence"
    keywords: list[str] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    fuzzy: int | None = None
    speakers: str = "interviewee"
    near: Context | None = None
    not_near: Context | None = None
    min_evidence: int = 1
    also: list[Rules] = field(default_factory=list)

    def as_dict(self, *, nested: bool = False) -> dict[str, object]:
        found: dict[str, object] = {} if nested else {"unit": self.unit}
        if not nested and self.speakers != "interviewee":
            found["speakers"] = self.speakers
        for name in TERM_FIELDS:
            if getattr(self, name):
                found[name] = list(getattr(self, name))
        if self.fuzzy is not None:
            found["fuzzy"] = self.fuzzy
        if self.near:
            found["near"] = self.near.as_value(NEAR_WINDOW)
        if self.not_near:
            found["not_near"] = self.not_near.as_value(NOT_NEAR_WINDOW)
        if self.min_evidence != 1:
            found["min_evidence"] = self.min_evidence
        if self.also and not nested:
            found["also"] = [block.as_dict(nested=True) for block in self.also]
        return found

    @classmethod
    def from_dict(cls, data: dict[str, object], *, parent: Rules | None = None) -> Rules:
        fuzzy = data.get("fuzzy")
        rules = cls(
            unit=parent.unit if parent else str(data.get("unit") or "sentence"),
            keywords=[str(x) for x in data.get("keywords") or []],  # type: ignore[attr-defined]
            lemmas=[str(x) for x in data.get("lemmas") or []],  # type: ignore[attr-defined]
            phrases=[str(x) for x in data.get("phrases") or []],  # type: ignore[attr-defined]
            patterns=[str(x) for x in data.get("patterns") or []],  # type: ignore[attr-defined]
            fuzzy=int(fuzzy) if fuzzy is not None else None,  # type: ignore[call-overload]
            speakers=parent.speakers if parent else str(data.get("speakers") or "interviewee"),
            near=Context.of(data.get("near"), NEAR_WINDOW),
            not_near=Context.of(data.get("not_near"), NOT_NEAR_WINDOW),
            min_evidence=int(data.get("min_evidence") or 1),  # type: ignore[call-overload]
        )
        if parent is None:
            rules.also = [
                cls.from_dict(dict(block), parent=rules)
                for block in data.get("also") or []  # type: ignore[attr-defined]
            ]
        return rules

    def blocks(self) -> list[Rules]:
        """This block and its `also` blocks: each finds units on its own."""
        return [self, *self.also]


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
