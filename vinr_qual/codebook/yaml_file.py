"""The codebook as a YAML file: read with every problem and its line, ids written back.

ruamel.yaml reads the file as a round-trip tree, which knows the line of every key and
keeps comments, so that ids can be written back into a hand-edited file without
disturbing it. See codebooks/README.md for the format.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from vinr_qual.codebook.model import (
    CODING_UNITS,
    COLOR,
    RULE_SPEAKERS,
    TERM_FIELDS,
    UNITS,
    VALUE_FIELDS,
    Code,
    Codebook,
    Rules,
    new_id,
    normal_id,
)
from vinr_qual.errors import VinrQualError

TOP_FIELDS = ("codebook", "codes")
HEADER_FIELDS = ("name", "description", "language", "field_family")
CODE_FIELDS = ("id", "name", *VALUE_FIELDS, "codes")
TEXT_FIELDS = ("name_en", "definition", "use_when", "not_when")
RULE_FIELDS = (
    "unit",
    "speakers",
    "keywords",
    "lemmas",
    "phrases",
    "patterns",
    "fuzzy",
    "near",
    "not_near",
    "min_evidence",
    "also",
)
# what an `also:` block may hold: its own evidence and conditions, not the unit or speakers
ALSO_FIELDS = tuple(f for f in RULE_FIELDS if f not in ("unit", "speakers", "also"))


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


class CodebookError(VinrQualError):
    """A codebook file with problems; the message lists every one with its line."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        lines = [f"{path}:{problem.line}: {problem.message}" for problem in problems]
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"{path}: {count} in the codebook\n" + "\n".join(lines))


def _yaml(width: int = 1_000_000) -> YAML:
    """A round-trip YAML; the default width keeps a hand-written file's lines as they were."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = width
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_tree(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise VinrQualError(f"{path}: cannot read the codebook ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise VinrQualError(f"{path}: not UTF-8 (byte {error.start})") from error
    try:
        return _yaml().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        reason = (error.problem or error.context or "not valid YAML").strip()
        raise CodebookError(path, [Problem(line, f"not valid YAML: {reason}")]) from error
    except YAMLError as error:
        raise CodebookError(path, [Problem(1, f"not valid YAML: {error}")]) from error


def load_codebook(path: Path) -> Codebook:
    """Read and validate a codebook file; raises CodebookError listing every problem."""
    tree = read_tree(path)
    checker = _Checker()
    codebook = checker.codebook(tree)
    if checker.problems:
        raise CodebookError(path, sorted(checker.problems, key=lambda p: p.line))
    return codebook


def write_missing_ids(path: Path, codebook: Codebook | None = None) -> int:
    """Write ids into the file for the codes that have none; returns how many.

    The ids are those `codebook` (as loaded from this file, then given ids by a load into
    a project) has for the codes, in file order; without it, new GUIDs. The file must be
    valid. Comments and layout are kept.
    """
    tree = read_tree(path)
    chosen = iter([code.id for code, _, _ in codebook.walk()] if codebook else [])
    added = 0

    def visit(codes: Any) -> None:
        nonlocal added
        for node in codes or []:
            code_id = next(chosen, None) or new_id()
            if not node.get("id"):
                position = list(node.keys()).index("name") + 1 if "name" in node else 0
                node.insert(position, "id", code_id)
                added += 1
            visit(node.get("codes"))

    visit(tree.get("codes"))
    if added:
        buffer = io.StringIO()
        _yaml().dump(tree, buffer)
        _write_atomically(path, buffer.getvalue())
    return added


def save_codebook(codebook: Codebook, path: Path) -> None:
    """Write a codebook as YAML (used to export a project's codebook)."""
    tree = CommentedMap()
    header = CommentedMap()
    for name in HEADER_FIELDS:
        value = getattr(codebook, name)
        if value:
            header[name] = value
    if header:
        tree["codebook"] = header
    tree["codes"] = CommentedSeq(_code_node(code) for code in codebook.codes)
    buffer = io.StringIO()
    _yaml(width=100).dump(tree, buffer)
    _write_atomically(path, buffer.getvalue())


def _code_node(code: Code) -> CommentedMap:
    node = CommentedMap()
    node["name"] = code.name
    node["id"] = code.id
    for name in ("name_en", "definition", "use_when", "not_when"):
        if getattr(code, name):
            node[name] = getattr(code, name)
    if code.examples:
        node["examples"] = CommentedSeq(code.examples)
    if code.color:
        node["color"] = code.color
    if code.shortcut:
        node["shortcut"] = code.shortcut
    if not code.codable:
        node["codable"] = False
    if code.unit:
        node["unit"] = code.unit
    if code.rules:
        node["rules"] = CommentedMap(
            (key, CommentedSeq(value) if isinstance(value, list) else value)
            for key, value in code.rules.as_dict().items()
        )
    if code.children:
        node["codes"] = CommentedSeq(_code_node(child) for child in code.children)
    return node


def _write_atomically(path: Path, text: str) -> None:
    """Write beside the file and rename, so a crash never leaves half a codebook."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as output:
            output.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _line(node: Any, key: str | None = None) -> int:
    """1-based line of a node, or of one of its keys."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return 1
    if key is not None:
        try:
            return int(lc.key(key)[0]) + 1
        except (KeyError, TypeError):
            pass
    return int(lc.line) + 1


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.ids: dict[str, int] = {}
        self.shortcuts: dict[str, int] = {}

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def codebook(self, tree: Any) -> Codebook:
        if not isinstance(tree, dict):
            self.problem(1, "the file should be a mapping with `codes:` (and `codebook:`)")
            return Codebook()
        for key in tree:
            if key not in TOP_FIELDS:
                self.problem(_line(tree, key), f"unknown field {key!r} (known: codebook, codes)")
        header = tree.get("codebook") or {}
        result = Codebook()
        if not isinstance(header, dict):
            self.problem(_line(tree, "codebook"), "`codebook:` should be a mapping")
        else:
            for key, value in header.items():
                if key not in HEADER_FIELDS:
                    self.problem(
                        _line(header, key),
                        f"unknown field {key!r} in codebook (known: {', '.join(HEADER_FIELDS)})",
                    )
                elif value is not None and not isinstance(value, str):
                    self.problem(_line(header, key), f"codebook {key} should be text")
                else:
                    setattr(result, key, value)
        codes = tree.get("codes")
        if codes is None:
            self.problem(1, "no `codes:` list")
        elif not isinstance(codes, list):
            self.problem(_line(tree, "codes"), "`codes:` should be a list of codes")
        else:
            result.codes = self.codes(codes, ancestors=[])
        return result

    def codes(self, nodes: list[Any], ancestors: list[str]) -> list[Code]:
        found = []
        for node in nodes:
            if not isinstance(node, dict):
                self.problem(_line(nodes), "each code should be a mapping with at least `name:`")
                continue
            code = self.code(node, ancestors)
            if code:
                found.append(code)
        return found

    def code(self, node: Any, ancestors: list[str]) -> Code | None:
        line = _line(node)
        for key in node:
            if key not in CODE_FIELDS:
                hint = _closest(str(key), CODE_FIELDS)
                self.problem(
                    _line(node, key),
                    f"unknown field {key!r}" + (f" (did you mean {hint!r}?)" if hint else ""),
                )
        name = node.get("name")
        if not isinstance(name, str) or not name.strip():
            self.problem(line, "a code needs a non-empty `name`")
            name = ""
        code = Code(name=name.strip())
        raw_id = node.get("id")
        if raw_id is not None:
            normal = normal_id(str(raw_id))
            if normal is None:
                self.problem(_line(node, "id"), f"id {raw_id!r} is not a GUID")
            elif normal in ancestors:
                self.problem(_line(node, "id"), f"code {name!r} is inside itself (id {normal})")
            elif normal in self.ids:
                self.problem(
                    _line(node, "id"),
                    f"duplicate id {normal} (first on line {self.ids[normal]})",
                )
            else:
                self.ids[normal] = _line(node, "id")
                code.id = normal
        for key in TEXT_FIELDS:
            value = node.get(key)
            if value is not None and not isinstance(value, str):
                self.problem(_line(node, key), f"{key} should be text")
            elif value is not None:
                setattr(code, key, value.strip() or None)
        examples = node.get("examples")
        if examples is not None:
            if isinstance(examples, str):
                code.examples = [examples]
            elif isinstance(examples, list) and all(isinstance(x, str) for x in examples):
                code.examples = [str(x) for x in examples]
            else:
                self.problem(_line(node, "examples"), "examples should be a list of passages")
        color = node.get("color")
        if color is not None:
            if not isinstance(color, str) or not COLOR.match(color):
                self.problem(_line(node, "color"), f"colour {color!r} is not #RRGGBB")
            else:
                code.color = color
        shortcut = node.get("shortcut")
        if shortcut is not None:
            shortcut = str(shortcut)
            if len(shortcut) != 1 or not shortcut.isprintable() or shortcut.isspace():
                self.problem(_line(node, "shortcut"), f"shortcut {shortcut!r} should be one key")
            elif shortcut in self.shortcuts:
                self.problem(
                    _line(node, "shortcut"),
                    f"duplicate shortcut {shortcut!r} (first on line {self.shortcuts[shortcut]})",
                )
            else:
                self.shortcuts[shortcut] = _line(node, "shortcut")
                code.shortcut = shortcut
        unit = node.get("unit")
        if unit is not None:
            if unit not in CODING_UNITS:
                self.problem(
                    _line(node, "unit"), f"unit {unit!r} is not one of {', '.join(CODING_UNITS)}"
                )
            else:
                code.unit = str(unit)
        codable = node.get("codable")
        if codable is not None:
            if not isinstance(codable, bool):
                self.problem(_line(node, "codable"), "codable should be true or false")
            else:
                code.codable = codable
        rules = node.get("rules")
        if rules is not None:
            code.rules = self.rules(node, rules)
        children = node.get("codes")
        if children is not None:
            if not isinstance(children, list):
                self.problem(_line(node, "codes"), "codes should be a list of codes")
            else:
                code.children = self.codes(
                    children, [*ancestors, code.id] if code.id else ancestors
                )
        return code

    def rules(self, node: Any, rules: Any) -> Rules | None:
        if not isinstance(rules, dict):
            self.problem(_line(node, "rules"), "rules should be a mapping")
            return None
        self.rule_block(rules, RULE_FIELDS, "rule field")
        unit = rules.get("unit", "sentence")
        if unit not in UNITS:
            self.problem(_line(rules, "unit"), f"unit {unit!r} is not one of {', '.join(UNITS)}")
        speakers = rules.get("speakers", "interviewee")
        if speakers not in RULE_SPEAKERS:
            self.problem(
                _line(rules, "speakers"),
                f"speakers {speakers!r} is not one of {', '.join(RULE_SPEAKERS)}",
            )
        also = rules.get("also")
        if also is not None:
            if not isinstance(also, list) or not all(isinstance(b, dict) for b in also):
                self.problem(_line(rules, "also"), "also should be a list of rule blocks")
            else:
                for block in also:
                    self.rule_block(block, ALSO_FIELDS, "field in an `also` block")
        try:
            return Rules.from_dict(dict(rules))
        except (TypeError, ValueError, AttributeError):
            return None

    def rule_block(self, rules: Any, known: tuple[str, ...], what: str) -> None:
        """The evidence and conditions of a rule block: terms, fuzzy, near, not_near and
        min_evidence (see codebooks/README.md)."""
        for key in rules:
            if key not in known:
                self.problem(
                    _line(rules, key), f"unknown {what} {key!r} (known: {', '.join(known)})"
                )
        terms = 0
        for key in TERM_FIELDS:
            value = rules.get(key)
            if value is not None and not (
                isinstance(value, list) and all(isinstance(x, str) and x.strip() for x in value)
            ):
                self.problem(_line(rules, key), f"{key} should be a list of non-empty texts")
            elif value:
                terms += len(value)
        for pattern in rules.get("patterns") or []:
            try:
                re.compile(str(pattern))
            except re.error as error:
                self.problem(_line(rules, "patterns"), f"pattern {pattern!r}: {error}")
        fuzzy = rules.get("fuzzy")
        if fuzzy is not None and (
            isinstance(fuzzy, bool) or not isinstance(fuzzy, int) or not 0 <= fuzzy <= 100
        ):
            self.problem(_line(rules, "fuzzy"), "fuzzy should be a whole number from 0 to 100")
        for key in ("near", "not_near"):
            value = rules.get(key)
            if value is None:
                continue
            words = value
            if isinstance(value, dict):
                for inner in value:
                    if inner not in ("words", "window", "before", "after"):
                        self.problem(
                            _line(value, inner),
                            f"unknown field {inner!r} in {key} (words, window, before, after)",
                        )
                words = value.get("words")
                for inner in ("window", "before", "after"):
                    size = value.get(inner)
                    if size is not None and (
                        isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= 200
                    ):
                        self.problem(
                            _line(value, inner),
                            f"{key} {inner} should be a whole number from 0 to 200",
                        )
            if not (
                isinstance(words, list)
                and words
                and all(isinstance(x, str) and x.strip() and _is_near_term(x) for x in words)
            ):
                self.problem(
                    _line(rules, key),
                    f"{key} should be a list of words (a trailing * matches any ending),"
                    " or a mapping of words and window",
                )
            if not terms:
                self.problem(
                    _line(rules, key),
                    f"{key} needs keywords, lemmas, phrases or patterns to go with",
                )
        minimum = rules.get("min_evidence")
        if minimum is not None:
            if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
                self.problem(
                    _line(rules, "min_evidence"), "min_evidence should be a whole number from 1"
                )
            elif minimum > terms:
                self.problem(
                    _line(rules, "min_evidence"),
                    f"min_evidence {minimum} asks for more terms than the rule has ({terms})",
                )


def _is_near_term(term: str) -> bool:
    """Words (letters, digits, hyphens), each with at most a trailing `*`."""
    return all(re.fullmatch(r"[\w-]+\*?", word) for word in term.split())


def _closest(word: str, choices: tuple[str, ...]) -> str | None:
    from rapidfuzz import process

    found = process.extractOne(word, choices, score_cutoff=75)
    return found[0] if found else None
