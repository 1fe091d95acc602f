"""Who said it, as a report may say it: attribution lines from a template, and the aliases
cases are reported under. This module is the one writer of the `case_aliases` table.

A template is set per project and per document kind (settings `attribution.interview`,
`attribution.steering`, `attribution.other`) and names fields in braces:

- `{alias}` the case's report alias ("Kommun B"); `{case}` its real name;
- `{role}` the speaker's role (the document's interviewee role for a passage outside a
  turn), `{kind}` the document kind in Swedish, `{number}` the interview's number in the
  project ("Intervju 7": documents of the kind by case alias and date), `{title}`,
  `{date}`, `{year}`;
- `{time}` "00:12:31" and `{page}` "s. 12" (or "s. 12–13");
- any case attribute by its name, `{kommungrupp}`, `{län}`; and `{band:NAME}` a number
  attribute as a population band ("större stad" wording comes from the attribute itself).

Aliases are "Kommun A", "Kommun B", … in a stable order: the cases' names at first, then
whatever order the author gives (`reorder`); an alias can also be set by hand.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from vinr_qual.cases.places import Place, Places, clock
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project

DEFAULT_TEMPLATES = {
    "interview": "{alias}, {role}",
    "steering": "{title}, {page}",
    "other": "{alias}, {title}",
}
KINDS_SV = {"interview": "intervju", "steering": "styrdokument", "other": "dokument"}
ALIAS_PREFIX = "Kommun"
_BANDS = [(0, "mindre kommun"), (10_000, "mellanstor kommun"), (50_000, "större stad"),
          (200_000, "storstad")]  # fmt: skip
_FIELDS = {"alias", "case", "role", "kind", "number", "title", "date", "year", "time", "page"}


def template(project: Project, kind: str) -> str:
    return project.setting(f"attribution.{kind}") or DEFAULT_TEMPLATES.get(kind, "{alias}")


def set_template(project: Project, kind: str, text: str) -> None:
    if kind not in DEFAULT_TEMPLATES:
        raise VinrQualError(f"{kind!r}: a template is for interview, steering or other")
    names = template_fields(text)
    attributes = set(attribute_names(project))
    unknown = [
        name
        for name in names
        if name not in _FIELDS and name not in attributes and not name.startswith("band:")
    ]
    if unknown:
        raise VinrQualError(
            f"the template names {', '.join('{' + n + '}' for n in unknown)}, which is neither"
            f" a field ({', '.join(sorted(_FIELDS))}) nor a case attribute"
        )
    project.set_setting(f"attribution.{kind}", text)


def template_fields(text: str) -> list[str]:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name]
    except ValueError as error:
        raise VinrQualError(f"the template {text!r} is not well formed: {error}") from error


def attribute_names(project: Project) -> list[str]:
    return [
        str(name)
        for (name,) in project.db.execute("SELECT DISTINCT name FROM case_attributes ORDER BY 1")
    ]


# aliases ------------------------------------------------------------------------------


def letters(number: int) -> str:
    """0 → A, 25 → Z, 26 → AA: as spreadsheets name columns."""
    name = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def aliases(project: Project) -> dict[str, str]:
    """Every case's alias, by case name; cases without one get the next letters, in the
    order of their names (and keep them: later cases never shift earlier ones). On a
    read-only project the new ones are given for this reading only."""
    _ensure_aliases(project)
    found = {
        str(name): str(alias)
        for name, alias in project.db.execute(
            "SELECT c.name, a.alias FROM case_aliases a JOIN cases c ON c.id = a.case_id"
            " ORDER BY a.position"
        )
    }
    found.update({name: alias for _, name, alias, _ in _missing_aliases(project)})
    return found


def _missing_aliases(project: Project) -> list[tuple[int, str, str, int]]:
    """(case id, name, alias, position) for every case that has no alias yet."""
    missing = project.db.execute(
        "SELECT id, name FROM cases WHERE id NOT IN (SELECT case_id FROM case_aliases)"
        " ORDER BY name COLLATE NOCASE"
    ).fetchall()
    if not missing:
        return []
    taken = {str(a).casefold() for (a,) in project.db.execute("SELECT alias FROM case_aliases")}
    position = int(
        project.db.execute("SELECT coalesce(max(position), 0) FROM case_aliases").fetchone()[0]
    )
    number = position
    given = []
    for case_id, name in missing:
        while f"{ALIAS_PREFIX} {letters(number)}".casefold() in taken:
            number += 1
        alias = f"{ALIAS_PREFIX} {letters(number)}"
        taken.add(alias.casefold())
        position += 1
        number += 1
        given.append((int(case_id), str(name), alias, position))
    return given


def _ensure_aliases(project: Project) -> None:
    if project.read_only:
        return
    missing = _missing_aliases(project)
    if not missing:
        return
    with project.transaction():
        for case_id, name, alias, position in missing:
            project.db.execute(
                "INSERT INTO case_aliases (case_id, alias, position) VALUES (?, ?, ?)",
                [case_id, alias, position],
            )
            project.log_change("alias", "case", case_id, after={"case": name, "alias": alias})


def set_alias(project: Project, case: str, alias: str) -> None:
    alias = " ".join(alias.split())
    if not alias:
        raise VinrQualError("an alias needs some text")
    case_id = _case(project, case)[0]
    _ensure_aliases(project)
    clash = project.db.execute(
        "SELECT c.name FROM case_aliases a JOIN cases c ON c.id = a.case_id"
        " WHERE a.alias = ? COLLATE NOCASE AND a.case_id != ?",
        [alias, case_id],
    ).fetchone()
    if clash:
        raise VinrQualError(f"{alias!r} is already the alias of {clash[0]}")
    if project.db.execute("SELECT 1 FROM cases WHERE name = ? COLLATE NOCASE", [alias]).fetchone():
        raise VinrQualError(f"{alias!r} is the real name of a case: an alias must hide it")
    with project.transaction():
        before = project.db.execute(
            "SELECT alias FROM case_aliases WHERE case_id = ?", [case_id]
        ).fetchone()
        project.db.execute("UPDATE case_aliases SET alias = ? WHERE case_id = ?", [alias, case_id])
        project.log_change(
            "alias", "case", case_id, before={"alias": before[0]}, after={"alias": alias}
        )


def reorder(project: Project, cases: list[str]) -> dict[str, str]:
    """Give the letters anew in this order (cases not named follow in their old order);
    aliases set by hand are kept as they are."""
    _ensure_aliases(project)
    named = [_case(project, case)[0] for case in cases]
    rows = project.db.execute(
        "SELECT case_id, alias FROM case_aliases ORDER BY position"
    ).fetchall()
    order = named + [case_id for case_id, _ in rows if case_id not in named]
    lettered = re.compile(rf"^{ALIAS_PREFIX} [A-Z]+$")
    current = dict(rows)
    with project.transaction():
        number = 0
        # park every alias first, so that swapping two letters never meets the unique index
        for case_id in order:
            project.db.execute(
                "UPDATE case_aliases SET alias = ? WHERE case_id = ?",
                [f"(parked {case_id})", case_id],
            )
        for position, case_id in enumerate(order, start=1):
            alias = current[case_id]
            if lettered.match(alias):
                alias = f"{ALIAS_PREFIX} {letters(number)}"
                number += 1
            project.db.execute(
                "UPDATE case_aliases SET alias = ?, position = ? WHERE case_id = ?",
                [alias, position, case_id],
            )
        project.log_change("reorder", "case_alias", None, after={"order": order})
    return aliases(project)


def _case(project: Project, case: str) -> tuple[int, str]:
    row = project.db.execute(
        "SELECT id, name FROM cases WHERE name = ? COLLATE NOCASE", [case]
    ).fetchone()
    if row is None:
        raise VinrQualError(f"no case {case!r}")
    return int(row[0]), str(row[1])


# attribution lines -------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """What an attribution may name about one quote's source."""

    document_id: int
    kind: str
    case: str | None
    title: str | None
    date: str | None
    interviewee_role: str | None
    place: Place


class Attributor:
    """Attribution lines for many quotes: templates, aliases, attributes and interview
    numbers read once."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.places = Places(project)
        self.templates = {kind: template(project, kind) for kind in DEFAULT_TEMPLATES}
        self.aliases = aliases(project)
        self.attributes: dict[str, dict[str, str]] = {}
        for name, key, value in project.db.execute(
            "SELECT c.name, a.name, a.value FROM case_attributes a JOIN cases c ON c.id = a.case_id"
        ):
            self.attributes.setdefault(str(name), {})[str(key)] = str(value)
        order = {alias: index for index, alias in enumerate(self.aliases.values())}
        documents = project.db.execute(
            "SELECT d.id, d.kind, c.name, coalesce(d.date, ''), d.name FROM documents d"
            " LEFT JOIN cases c ON c.id = d.case_id"
        ).fetchall()
        documents.sort(
            key=lambda row: (
                row[1],
                order.get(self.aliases.get(str(row[2]), ""), len(order)),
                row[3],
                row[4],
            )
        )
        self.numbers: dict[int, int] = {}
        counts: dict[str, int] = {}
        for document_id, kind, *_ in documents:
            counts[kind] = counts.get(kind, 0) + 1
            self.numbers[int(document_id)] = counts[kind]

    def source(self, document_id: int, start: int, end: int) -> Source:
        """What an attribution may name about the passage `[start, end)` of a document."""
        row = self.project.db.execute(
            "SELECT d.kind, c.name, d.title, d.date, d.interviewee_role FROM documents d"
            " LEFT JOIN cases c ON c.id = d.case_id WHERE d.id = ?",
            [document_id],
        ).fetchone()
        if row is None:
            raise VinrQualError(f"no document with id {document_id}")
        place = self.places(document_id, start, end)
        return Source(document_id, row[0], row[1], row[2], row[3], row[4], place)

    def of(self, document_id: int, start: int, end: int) -> str:
        return self.line(self.source(document_id, start, end))

    def line(self, source: Source) -> str:
        """The attribution of one quote; a field the source lacks is an error naming it."""
        text = self.templates.get(source.kind, "{alias}")
        values: dict[str, str] = {}
        for name in template_fields(text):
            values[name] = self._value(source, name)
        return text.format_map(values)

    def _value(self, source: Source, name: str) -> str:
        place = source.place
        case = source.case
        found: str | None
        if name == "alias":
            found = self.aliases.get(case) if case else None
        elif name == "case":
            found = case
        elif name == "role":
            found = place.role if place.speaker else source.interviewee_role
            found = found or source.interviewee_role
        elif name == "kind":
            found = KINDS_SV.get(source.kind, source.kind)
        elif name == "number":
            found = str(self.numbers.get(source.document_id, ""))
        elif name == "title":
            found = source.title
        elif name == "date":
            found = source.date
        elif name == "year":
            found = source.date[:4] if source.date else None
        elif name == "time":
            found = clock(place.time) if place.time is not None else None
        elif name == "page":
            found = place.page_mark or None
        elif name.startswith("band:"):
            found = _band(self.attributes.get(case or "", {}).get(name[5:]))
        else:
            found = self.attributes.get(case or "", {}).get(name)
        if not found:
            whose = f"case {case}" if case else "a document without a case"
            raise VinrQualError(
                f"the attribution template names {{{name}}}, which {whose} lacks"
                f" (document {source.document_id}); set it, or change the template with"
                " `vinr-qual quotes template`"
            )
        return found


def _band(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        number = float(value.replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except ValueError:
        return None
    label = None
    for floor, name in _BANDS:
        if number >= floor:
            label = name
    return label
