"""Pseudonyms: real names of people, municipalities, places and organisations, and what
stands for them in everything shown for export. This module is the one writer of the
`pseudonyms` table, and every change to it goes to the change log.

A replacement is made where a text is shown for export or exported, never in the stored
text. `Table` is the loaded table, a pure value: `Table.apply` replaces every real name
and its variants in a string, `Table.leaks` finds every one still in a string. Both find
the same things, so that what `apply` leaves behind `leaks` finds only where `apply` could
not decide (a part or variant of two names), and any other leak in an export means a
string that never went through `apply`.

What counts as a name in a text:

- the name itself, whole words, whatever the case of its letters, with any run of spaces
  or a hyphen between its words ("Per-Olof Håkansson" is "Per Olof Håkansson");
- its genitive: "Lenas", "Lena's", "Jonas'" (the alias takes the genitive: "Annas");
- for a municipality, "Brovalla kommun", "Brovallas kommun", "Brovalla stad", and for a
  municipality or place of five letters or more, compounds: "Älvhamnshem",
  "Brovallaskolan" ("Storbyhem"; an alias of two words is joined by a hyphen:
  "Kommun A-hem");
- a part of a person's name, capitalised: "Lena", "Holms", "Per Olof" of "Per Olof
  Håkansson" (replaced by the alias's word in the same place when the alias is a name
  of as many words, "Eva Lind": "Eva", "Linds"; else by the whole alias);
- a close variant: a misspelling such as "Lenna Holm". The text must have as many words
  as the name, the first word capitalised; each word of four letters or more must begin
  with the same letter as the name's word and reach a rapidfuzz ratio of
  `FUZZY_THRESHOLD` (85) with it, and shorter words must be equal.

Why 85: rapidfuzz's ratio is 2·(letters in common)/(letters in both)·100. A letter left
out or doubled, the commonest slip of a transcriber, scores at least 88.9 on a name of
four letters or more (Lena/Lenna 88.9, Birgitta/Birgita 93.3); a letter changed scores 80
in a name of five letters and 85.7 from seven. Names that differ by one letter in a short
name are mostly other names (Petra/Peter 80, Karin/Karen 80, Anna/Annika 80, Holm/Holmen
80), so 85 lets a changed letter count only in long names, where it is a misspelling far
more often than another person. The same first letter keeps Helena from Lena and Hanna
from Anna; words shorter than four letters ("Per", "Bo") are never matched loosely,
since one letter makes another word of them.

Where two names match the same words, the longer match wins, and at equal length a
name's own form beats a part or a variant: "Per Olof Håkansson" goes before "Per", and
"Erika" in the table keeps "Erika" from being taken as a variant of "Erik". A part or a
variant that two names claim ("Lena" with both "Lena Holm" and "Lena Berg" in the table)
is left as it is and reported as ambiguous, so that an export stops there until the
author says who it is (a pseudonym of its own for "Lena").
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project
from vinr_qual.store.clock import now

if TYPE_CHECKING:
    from lxml import etree

KINDS: tuple[str, ...] = ("person", "municipality", "place", "organisation")
FUZZY_THRESHOLD = 85.0
FUZZY_MIN_LETTERS = 4
COMPOUND_MIN_LETTERS = 5

_WORD = re.compile(r"[^\W_]+")
# between the words of a name: spaces (one line break at most), or one hyphen, dot or
# underscore ("Per-Olof", "lena.holm@…")
_GAP = r"(?:[^\S\n]+\n?[^\S\n]*|\n[^\S\n]*|[-._\u2010\u2011])"
_GAP_RE = re.compile(_GAP)
_KOMMUN_WORD = re.compile(r"(?i)(?<![^\W_])(?:kommun|stad)(?![^\W_])")
_HOW_RANK = {"exact": 0, "genitive": 1, "inflected": 2, "part": 3, "variant": 4, "ambiguous": 5}


# -- the table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pseudonym:
    real: str
    alias: str
    kind: str = "person"
    gender: str | None = None
    id: int | None = None
    created: str | None = None


@dataclass(frozen=True)
class Leak:
    """A real name, or a form of it, found in a text at [start, end)."""

    word: str  # as it stands in the text
    start: int
    end: int
    name: str  # the real name in the table
    alias: str
    kind: str
    # exact, genitive, inflected (kommun, compound), part (of a person's name: "Lena" of
    # "Lena Holm"), variant (a close spelling) or ambiguous (a part or variant of two
    # names, `name` and those in `also`: left as it is, for the author to decide)
    how: str
    score: float  # 100 but for variants: the rapidfuzz ratio of the words
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Hit:
    leak: Leak
    name_part: str  # the words that stand for the name, without genitive and tails
    genitive: str = ""
    compound: str = ""
    kommun: str = ""
    tier: int = 0  # 0 the name's own forms, 1 a part of a person's name, 2 a variant


class _Compiled:
    """One entry's patterns: its exact forms and its words for close variants."""

    def __init__(self, entry: Pseudonym) -> None:
        self.entry = entry
        base = _matching_base(entry)
        self.words = [word.casefold() for word in _WORD.findall(base)]
        self.folded = [_fold(word) for word in self.words]
        body = _GAP.join(re.escape(word) for word in _WORD.findall(base))
        compound = (
            r"(?P<c>s?[^\W\d_]{2,})|"
            if entry.kind in ("municipality", "place")
            and len(self.words[-1]) >= COMPOUND_MIN_LETTERS
            else ""
        )
        kommun = rf"(?P<k>{_GAP}(?:kommuns?|stads?))?" if entry.kind == "municipality" else ""
        self.pattern = re.compile(
            rf"(?<![^\W_])(?P<n>{body})(?:{compound}(?P<g>s|['’]s?))?{kommun}(?![^\W_])",
            re.IGNORECASE,
        )
        self.parts = _parts(entry, _WORD.findall(base))


_ALIAS_NAME = re.compile(r"[A-ZÅÄÖÉÜ][^\W\d_]+(?:-[A-ZÅÄÖÉÜ][^\W\d_]+)*")


def _parts(entry: Pseudonym, words: list[str]) -> list[tuple[re.Pattern[str], str]]:
    """The parts of a person's name that stand for it alone ("Lena", "Holm", "Per Olof"
    of "Per Olof Håkansson"), longest first, each with what replaces it: the alias's
    word in the same place when the alias is a name of as many words ("Eva Lind":
    "Lena" → "Eva"), else the whole alias ("Person A")."""
    if entry.kind != "person" or len(words) < 2:
        return []
    aliases = entry.alias.split()
    by_word = len(aliases) == len(words) and all(_ALIAS_NAME.fullmatch(w) for w in aliases)
    parts = []
    for size in range(len(words) - 1, 0, -1):
        for start in range(len(words) - size + 1):
            piece = words[start : start + size]
            if any(len(w) < 2 or not w[:1].isupper() for w in piece):
                continue
            body = _GAP.join(re.escape(word) for word in piece)
            pattern = re.compile(rf"(?<![^\W_])(?P<n>{body})(?P<g>s|['’]s?)?(?![^\W_])", re.I)
            parts.append(
                (pattern, " ".join(aliases[start : start + size]) if by_word else entry.alias)
            )
    return parts


@lru_cache(maxsize=4096)
def _compiled(entry: Pseudonym) -> _Compiled:
    return _Compiled(entry)


def _matching_base(entry: Pseudonym) -> str:
    """The words matched for an entry: a municipality given as "Brovalla kommun" or
    "Trollhättans kommun" is matched by its plain name, with every kommun form."""
    real = entry.real
    if entry.kind == "municipality" and re.search(r"\s+(kommun|stad)$", real, re.I):
        from vinr_qual.cases.municipalities import find_municipality

        known = find_municipality(real)
        real = known.name if known else re.sub(r"\s+(kommun|stad)$", "", real, flags=re.I)
    return real


class Table:
    """The pseudonym table loaded: real names and aliases, checked and compiled.

    Immutable; `with_name` gives a new table with one name more (export adds the cases'
    aliases so). Raises VinrQualError with one line for a table that would leak or
    confuse: an empty name, a real name twice, two real names to one alias, an alias
    that is a real name of the table (or shows one), a real name that is an alias.
    """

    def __init__(self, entries: Iterable[Pseudonym] = (), *, check: bool = True) -> None:
        checked: list[Pseudonym] = []
        for entry in entries:
            entry = _normalised(entry)
            if check:
                _check_entry(checked, entry)
            checked.append(entry)
        self.entries: tuple[Pseudonym, ...] = tuple(checked)
        # longest first, so that at equal spans the longer name is tried before
        self._compiled = [
            _compiled(entry)
            for entry in sorted(self.entries, key=lambda e: (-len(e.real), e.real.casefold()))
        ]
        self._aliases = {tuple(_WORD.findall(e.alias.casefold())) for e in self.entries}
        self._reals = {tuple(c.words) for c in self._compiled}
        # entries that close variants are looked for, by their number of words and the
        # first letter of their first word (which a variant must share)
        self._loose: dict[tuple[int, str], list[_Compiled]] = {}
        for compiled in self._compiled:
            if any(len(word) >= FUZZY_MIN_LETTERS for word in compiled.words):
                key = (len(compiled.words), compiled.folded[0][:1])
                self._loose.setdefault(key, []).append(compiled)
        self._lengths = sorted({length for length, _ in self._loose})

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        return f"Table({len(self.entries)} names)"

    def find(self, real: str) -> Pseudonym | None:
        wanted = _squeeze(real).casefold()
        return next((e for e in self.entries if e.real.casefold() == wanted), None)

    def with_name(
        self, real: str, alias: str, *, kind: str = "person", gender: str | None = None
    ) -> Table:
        """A table with this name as well; one whose real name is in already is kept as
        it is (the project's own pseudonym wins)."""
        if self.find(real) is not None:
            return self
        return Table([*self.entries, Pseudonym(real, alias, kind, gender)])

    def leaks(self, text: str) -> list[Leak]:
        """Every real name, genitive, inflected form, part of a person's name or close
        variant in `text`."""
        return [hit.leak for hit in self._hits(text)]

    def apply(self, text: str, *, fuzzy: bool = True) -> str:
        """`text` with every real name (and each form of it `leaks` finds) replaced by its
        alias; without `fuzzy`, close variants are left as they are. What could be either
        of two names is left too, and `leaks` still finds it."""
        if not self.entries or not text:
            return text
        pieces: list[str] = []
        last = 0
        for hit in self._hits(text, fuzzy=fuzzy):
            if hit.leak.how == "ambiguous":
                continue
            pieces.append(text[last : hit.leak.start])
            pieces.append(_replacement(hit))
            last = hit.leak.end
        pieces.append(text[last:])
        return "".join(pieces)

    # -- matching -------------------------------------------------------------------------

    def _hits(self, text: str, *, fuzzy: bool = True, capitalised: bool = False) -> list[_Hit]:
        if not self.entries or not text:
            return []
        found = [
            hit
            for compiled in self._compiled
            for hit in [*_exact_hits(compiled, text), *_part_hits(compiled, text)]
            if not capitalised or hit.leak.word[:1].isupper()
        ]
        if fuzzy:
            found.extend(self._variant_hits(text))
        by_span: dict[tuple[int, int], list[_Hit]] = {}
        for hit in found:
            by_span.setdefault((hit.leak.start, hit.leak.end), []).append(hit)
        chosen = [_resolved(hits) for hits in by_span.values()]
        # the longest span first; at equal spans a name's own forms before parts and variants
        chosen.sort(key=lambda h: (h.leak.start - h.leak.end, h.tier, h.leak.start))
        taken: list[_Hit] = []
        covered: list[tuple[int, int]] = []
        for hit in chosen:
            start, end = hit.leak.start, hit.leak.end
            if any(start < other_end and other_start < end for other_start, other_end in covered):
                continue
            taken.append(hit)
            covered.append((start, end))
        return sorted(taken, key=lambda h: h.leak.start)

    def _variant_hits(self, text: str) -> list[_Hit]:
        if not self._loose:
            return []
        tokens = list(_WORD.finditer(text))
        hits: list[_Hit] = []
        for index, first in enumerate(tokens):
            if not first.group()[:1].isupper():
                continue
            letter = _fold(first.group()[:1])
            for length in self._lengths:
                entries = self._loose.get((length, letter))
                run = tokens[index : index + length]
                if not entries or len(run) < length:
                    continue
                if not all(_GAP_RE.fullmatch(text, a.end(), b.start()) for a, b in pairwise(run)):
                    continue
                words = [token.group().casefold() for token in run]
                if tuple(words) in self._aliases or tuple(words) in self._reals:
                    continue
                for compiled in entries:
                    hit = _variant(compiled, text, run, words)
                    if hit is not None:
                        hits.append(hit)
        return hits


def _resolved(hits: list[_Hit]) -> _Hit:
    """The hit that stands for one span of text. A name's own form wins (Erika in the
    table is Erika, never a variant of Erik); a part or variant that two names claim,
    with different aliases, is ambiguous."""
    hits = sorted(hits, key=lambda h: (h.tier, _HOW_RANK[h.leak.how]))
    best = hits[0]
    if best.tier == 0:
        return best
    names = list(dict.fromkeys(hit.leak.name for hit in hits))
    if len(names) > 1 and len({hit.leak.alias for hit in hits}) > 1:
        leak = replace(best.leak, how="ambiguous", alias="", also=tuple(names[1:]))
        return replace(best, leak=leak)
    return best


def _part_hits(compiled: _Compiled, text: str) -> Iterator[_Hit]:
    entry = compiled.entry
    for pattern, alias in compiled.parts:
        for match in pattern.finditer(text):
            found = match.group("n")
            if not found[:1].isupper() or (found.isupper() and len(found) < FUZZY_MIN_LETTERS):
                continue  # "holm", "berg": words, "EK": initials; "Holm", "Berg": names
            leak = Leak(
                match.group(), match.start(), match.end(), entry.real, alias, entry.kind,
                "part", 100.0,
            )  # fmt: skip
            yield _Hit(leak, match.group("n"), match.group("g") or "", tier=1)


def _exact_hits(compiled: _Compiled, text: str) -> Iterator[_Hit]:
    entry = compiled.entry
    for match in compiled.pattern.finditer(text):
        groups = match.groupdict()
        genitive, compound, kommun = (groups.get(key) or "" for key in ("g", "c", "k"))
        how = "inflected" if compound or kommun else "genitive" if genitive else "exact"
        yield _Hit(
            Leak(
                match.group(),
                match.start(),
                match.end(),
                entry.real,
                entry.alias,
                entry.kind,
                how,
                100.0,
            ),
            match.group("n"),
            genitive,
            compound,
            kommun,
        )


def _variant(
    compiled: _Compiled, text: str, run: Sequence[re.Match[str]], words: list[str]
) -> _Hit | None:
    """A close spelling of the entry's words in `run`, or None."""
    genitive = ""
    for position, (found, wanted) in enumerate(zip(words, compiled.words, strict=True)):
        forms = [found]
        if position == len(words) - 1 and found.endswith("s") and len(found) > 1:
            forms.append(found[:-1])
        best = max(_word_score(form, wanted) for form in forms)
        if best < FUZZY_THRESHOLD:
            return None
        if position == len(words) - 1 and _word_score(found, wanted) < best:
            genitive = run[-1].group()[-1]
    if [_fold(w) for w in words] == compiled.folded:
        return None  # the same words: an exact hit, unless a gap the pattern refuses
    start, end = run[0].start(), run[-1].end()
    entry = compiled.entry
    shown = " ".join(words)
    score = fuzz.ratio(shown.removesuffix(genitive.casefold()), " ".join(compiled.words))
    leak = Leak(text[start:end], start, end, entry.real, entry.alias, entry.kind, "variant", score)
    return _Hit(leak, text[start : end - len(genitive)], genitive, tier=2)


def _word_score(found: str, wanted: str) -> float:
    found, wanted = _fold(found), _fold(wanted)
    if found == wanted:
        return 100.0
    if min(len(found), len(wanted)) < FUZZY_MIN_LETTERS or found[0] != wanted[0]:
        return 0.0
    return float(fuzz.ratio(found, wanted, score_cutoff=FUZZY_THRESHOLD))


def _fold(word: str) -> str:
    """Case and accents folded, but å, ä and ö kept (they are letters of their own)."""
    kept = {"å": "\0a", "ä": "\0b", "ö": "\0c"}
    word = word.casefold()
    for letter, mark in kept.items():
        word = word.replace(letter, mark)
    word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    for letter, mark in kept.items():
        word = word.replace(mark, letter)
    return word


def _replacement(hit: _Hit) -> str:
    """The alias in the form the real name had: genitive, kommun, compound, capitals."""
    shown = _inflected(hit)
    letters = [c for c in hit.name_part if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return shown.upper()
    return shown


def _inflected(hit: _Hit) -> str:
    alias = hit.leak.alias
    if hit.compound:
        tail = hit.compound
        if not re.fullmatch(r"[^\W\d_]+", alias):
            real_end = hit.name_part[-1:].casefold()
            if tail[:1].casefold() == "s" and real_end not in "aeiouyåäö":
                tail = tail[1:]  # the linking s of "Älvhamnshem": "Kommun A-hem"
            return f"{alias}-{tail}"
        return alias + tail
    if hit.kommun and _KOMMUN_WORD.search(alias):
        # "i Brovalla kommun" → "i Kommun A"; "Brovalla kommuns" → "Kommun A:s"
        return _genitive(alias) if hit.kommun.endswith("s") else alias
    if hit.genitive in ("'", "’") and alias[-1:].casefold() in ("s", "x", "z"):
        return alias + hit.genitive + hit.kommun
    return (_genitive(alias) if hit.genitive else alias) + hit.kommun


def _genitive(alias: str) -> str:
    """The Swedish genitive: "Annas", "Agnes" (a name ending in s, x or z keeps its form),
    "Kommun A:s" (a letter, an abbreviation or a number takes a colon)."""
    last = alias.split()[-1] if alias.split() else alias
    if last[-1:].isdigit() or (last.isupper() and last.isalpha()):
        return alias + ":s"
    if last[-1:].casefold() in ("s", "x", "z"):
        return alias
    return alias + "s"


# -- checks ----------------------------------------------------------------------------


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _normalised(entry: Pseudonym) -> Pseudonym:
    gender = _squeeze(entry.gender or "") or None
    return replace(
        entry,
        real=_squeeze(entry.real),
        alias=_squeeze(entry.alias),
        kind=(entry.kind or "person").strip().lower(),
        gender=gender,
    )


def _check_entry(others: Sequence[Pseudonym], entry: Pseudonym) -> None:
    """Refuse, in one line, an entry that the table `others` cannot take."""
    real, alias = entry.real, entry.alias
    if not real:
        raise VinrQualError("a pseudonym needs a real name; it is empty")
    if not alias:
        raise VinrQualError(f"the alias of {real!r} is empty; give the name that stands for it")
    if not _WORD.search(real):
        raise VinrQualError(f"{real!r} has no letters; a real name is words")
    if not _WORD.search(alias):
        raise VinrQualError(f"alias {alias!r} (of {real!r}) has no letters")
    if entry.kind not in KINDS:
        raise VinrQualError(f"kind {entry.kind!r} of {real!r}: use one of {', '.join(KINDS)}")
    if real.casefold() == alias.casefold():
        raise VinrQualError(f"{real!r} would stand for itself; give another alias")
    for other in others:
        if other.real.casefold() == real.casefold():
            raise VinrQualError(
                f"{real!r} is in the table already (as {other.alias!r}); change it with"
                " `vinr-qual pseudonyms change`"
            )
        if other.alias.casefold() == alias.casefold():
            raise VinrQualError(
                f"alias {alias!r} stands for {other.real!r} already; two real names"
                f" ({other.real!r}, {real!r}) cannot share one alias"
            )
        if other.real.casefold() == alias.casefold():
            raise VinrQualError(
                f"alias {alias!r} of {real!r} is itself a real name in the table"
                f" (of {other.real!r} → {other.alias!r}); choose an alias that is no one's name"
            )
        if other.alias.casefold() == real.casefold():
            raise VinrQualError(
                f"{real!r} is the alias of {other.real!r} in the table; a real name cannot"
                " also be an alias"
            )
    # the new entry's own alias is no exception here, as it is in a text
    together = Table([*others, replace(entry, alias="\0")], check=False)
    for leak in together.leaks(alias):
        raise VinrQualError(
            f"alias {alias!r} of {real!r} would show the real name {leak.name!r}"
            f" ({leak.word!r}, {_how_words(leak)}); choose another"
        )
    alone = Table([entry], check=False)
    for other in others:
        for leak in alone.leaks(other.alias):
            raise VinrQualError(
                f"the real name {real!r} stands in the alias {other.alias!r} of"
                f" {other.real!r} ({leak.word!r}, {_how_words(leak)}); change that alias first"
            )


def _how_words(leak: Leak) -> str:
    if leak.how == "variant":
        return f"a close variant, ratio {leak.score:.0f}"
    return {
        "exact": "the name itself",
        "genitive": "its genitive",
        "part": "part of the name",
        "ambiguous": "part or variant of more than one name",
    }.get(leak.how, "an inflected form")


# -- the project's table ------------------------------------------------------------------


def list_pseudonyms(project: Project) -> list[Pseudonym]:
    """The table's rows, by real name."""
    return [
        Pseudonym(row[1], row[2], row[3], row[4], int(row[0]), row[5])
        for row in project.db.execute(
            "SELECT id, real, alias, kind, gender, created FROM pseudonyms"
            " ORDER BY real COLLATE NOCASE"
        )
    ]


def load_table(project: Project) -> Table:
    """The project's pseudonyms as a `Table` for apply and leaks."""
    return Table(list_pseudonyms(project))


def check_table(project: Project, *, cases: bool = True) -> Table:
    """What must not appear in a report: the table's real names and, with `cases`, the
    names of the project's cases (which reports name by their aliases)."""
    table = load_table(project)
    if not cases:
        return table
    known = {entry.real.casefold() for entry in table.entries}
    names = [str(row[0]) for row in project.db.execute("SELECT name FROM cases ORDER BY id")]
    extra = [
        Pseudonym(name, f"\0case {index}", "municipality")
        for index, name in enumerate(names)
        if name.casefold() not in known
    ]
    return Table([*table.entries, *extra], check=False) if extra else table


def find_pseudonym(project: Project, real: str) -> Pseudonym | None:
    wanted = _squeeze(real).casefold()
    return next((p for p in list_pseudonyms(project) if p.real.casefold() == wanted), None)


def _as_logged(entry: Pseudonym) -> dict[str, str | None]:
    return {"real": entry.real, "alias": entry.alias, "kind": entry.kind, "gender": entry.gender}


def add_pseudonym(
    project: Project, real: str, alias: str, *, kind: str = "person", gender: str | None = None
) -> Pseudonym:
    """Add a real name and its alias; VinrQualError in one line if the table cannot take it."""
    entry = _normalised(Pseudonym(real, alias, kind, gender))
    with project.transaction():
        _check_entry(list_pseudonyms(project), entry)
        created = now()
        cursor = project.db.execute(
            "INSERT INTO pseudonyms (real, alias, kind, gender, created) VALUES (?, ?, ?, ?, ?)",
            [entry.real, entry.alias, entry.kind, entry.gender, created],
        )
        entry = replace(entry, id=int(cursor.lastrowid or 0), created=created)
        project.log_change("add", "pseudonym", entry.id, after=_as_logged(entry))
    return entry


def change_pseudonym(
    project: Project,
    real: str,
    *,
    new_real: str | None = None,
    alias: str | None = None,
    kind: str | None = None,
    gender: str | None = None,
) -> Pseudonym:
    """Change a pseudonym found by its real name; None leaves a field, gender "" clears it."""
    entries = list_pseudonyms(project)
    old = next((e for e in entries if e.real.casefold() == _squeeze(real).casefold()), None)
    if old is None:
        raise VinrQualError(f"no pseudonym for {real!r}; see `vinr-qual pseudonyms list`")
    new = _normalised(
        replace(
            old,
            real=old.real if new_real is None else new_real,
            alias=old.alias if alias is None else alias,
            kind=old.kind if kind is None else kind,
            gender=old.gender if gender is None else gender,
        )
    )
    if new == old:
        return old
    with project.transaction():
        _check_entry([e for e in entries if e.id != old.id], new)
        project.db.execute(
            "UPDATE pseudonyms SET real = ?, alias = ?, kind = ?, gender = ? WHERE id = ?",
            [new.real, new.alias, new.kind, new.gender, old.id],
        )
        project.log_change(
            "change", "pseudonym", old.id, before=_as_logged(old), after=_as_logged(new)
        )
    return new


def remove_pseudonym(project: Project, real: str) -> Pseudonym:
    """Remove the pseudonym of a real name; the removed row is returned (and logged)."""
    old = find_pseudonym(project, real)
    if old is None:
        raise VinrQualError(f"no pseudonym for {real!r}; see `vinr-qual pseudonyms list`")
    with project.transaction():
        project.db.execute("DELETE FROM pseudonyms WHERE id = ?", [old.id])
        project.log_change("remove", "pseudonym", old.id, before=_as_logged(old))
    return old


def apply(table: Table | Project, text: str) -> str:
    """`text` with the pseudonyms applied; pass a loaded `Table` for many strings."""
    if isinstance(table, Project):
        table = load_table(table)
    return table.apply(text)


def leaks(table: Table | Project, text: str) -> list[Leak]:
    """Every real name of the table, or a form or close variant of one, still in `text`."""
    if isinstance(table, Project):
        table = load_table(table)
    return table.leaks(text)


def record_override(project: Project, target: str, word: str, reason: str) -> int:
    """Log that `word` was let through in `target` (a quote or a file), who did and why.
    Returns the change log row."""
    word, reason = _squeeze(word), _squeeze(reason)
    if not word:
        raise VinrQualError("name the word that is let through")
    if not reason:
        raise VinrQualError(f"say why {word!r} may go out in {target}: a reason is logged")
    with project.transaction():
        return project.log_change(
            "override",
            "pseudonym_check",
            target,
            after={"word": word, "reason": reason, "coder": project.actor},
        )


# -- files -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileLeak:
    part: str  # "the file name", "text", or a part of a package: "word/document.xml"
    line: int
    column: int
    leak: Leak


PACKAGES = (".docx", ".docm", ".dotx", ".xlsx", ".pptx", ".odt", ".ods", ".odp")
# attributes that carry people's and places' names in office files: comment and revision
# authors, alt texts of pictures, link targets (mailto:…), custom property names
_NAMED_ATTRIBUTES = {"author", "initials", "name", "descr", "title", "userid", "target"}


def file_texts(path: Path) -> list[tuple[str, str]]:
    """(part, text) of a file as an author would hand it on: its name, and its text; for
    an office package, every XML part (body, headers, footers, notes, comments, document
    properties, relationships), with words split over runs joined again."""
    found = [("the file name", path.name)]
    if path.suffix.lower() in PACKAGES:
        found.extend(_package_texts(path))
        return found
    try:
        data = path.read_bytes()
    except OSError as error:
        raise VinrQualError(f"{path}: cannot read the file ({error.strerror})") from error
    if data.strip():
        from vinr_qual.ingest.decode import decode_text

        found.append(("text", decode_text(data, str(path)).text))
    return found


def _package_texts(path: Path) -> list[tuple[str, str]]:
    from lxml import etree

    from vinr_qual.ingest.safezip import check_archive

    check_archive(path, str(path), kind="an office file", required=_required(path))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    parts = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            data = package.read(name)
            if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                continue
            try:
                root = etree.fromstring(data, parser)
            except etree.XMLSyntaxError as error:
                raise VinrQualError(f"{path}: part {name} is not readable XML ({error})") from error
            lines: list[str] = []
            _xml_lines(root, lines)
            parts.append((name, "\n".join(line for line in lines if line.strip())))
    return parts


def _required(path: Path) -> str:
    return "mimetype" if path.suffix.lower().startswith(".od") else "[Content_Types].xml"


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _xml_lines(element: etree._Element, lines: list[str]) -> None:
    """A line per paragraph (w:p, a:p, text:p, text:h; a spreadsheet's shared string)
    with its text runs joined, a line per other element's own text, and a line per named
    attribute (comment authors, alt texts, link targets)."""
    name = _local(element.tag)
    if name in ("p", "h", "si"):
        if _is_odf(element):
            lines.append("".join(str(text) for text in element.itertext()))
        else:
            lines.append(
                "".join(
                    " " if _local(node.tag) in ("tab", "br") else str(node.text or "")
                    for node in element.iter()
                    if _local(node.tag) in ("t", "delText", "instrText", "tab", "br")
                )
            )
        for node in element.iter():
            _attribute_lines(node, lines)
        return
    _attribute_lines(element, lines)
    if element.text and element.text.strip():
        lines.append(element.text)
    for child in element:
        _xml_lines(child, lines)
        if child.tail and child.tail.strip():
            lines.append(child.tail)


def _attribute_lines(element: etree._Element, lines: list[str]) -> None:
    for key, value in element.attrib.items():
        if _local(key).lower() in _NAMED_ATTRIBUTES and str(value).strip():
            lines.append(str(value))


def _is_odf(node: etree._Element) -> bool:
    return isinstance(node.tag, str) and "opendocument" in node.tag


def check_file(path: Path, table: Table) -> list[FileLeak]:
    """Every leak in a file (text, Markdown, CSV, or an office package), with its part,
    line and column (1-based)."""
    found = []
    for part, text in file_texts(path):
        for leak in table.leaks(text):
            line = text.count("\n", 0, leak.start) + 1
            column = leak.start - (text.rfind("\n", 0, leak.start) + 1) + 1
            found.append(FileLeak(part, line, column, leak))
    return found


# -- candidates --------------------------------------------------------------------------


@dataclass
class Example:
    document: str
    start: int
    end: int
    context: str


@dataclass
class Candidate:
    """A name proposed from the project's texts, for the author to give an alias."""

    text: str
    kind: str
    count: int
    example: Example | None
    sources: list[str] = field(default_factory=list)  # speaker, title, capitalised, …
    variants: list[str] = field(default_factory=list)  # other forms in the texts
    in_table: bool = False
    pseudonym: str | None = None  # the real name in the table that covers it


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# capitalised words that are not names a report must hide: months, weekdays, holidays,
# national authorities and bodies, the country, programs
COMMON_CAPITALISED = _word_set(
    """
    januari februari mars april maj juni juli augusti september oktober november december
    måndag tisdag onsdag torsdag fredag lördag söndag jul julafton påsk midsommar nyår
    polisen polis länsstyrelsen länsstyrelse länsstyrelserna socialstyrelsen socialtjänsten
    jämställdhetsmyndigheten folkhälsomyndigheten försäkringskassan arbetsförmedlingen
    kriminalvården åklagarmyndigheten skolverket skolinspektionen migrationsverket
    brottsoffermyndigheten kvinnofridslinjen regeringen riksdagen staten sverige svensk
    svenska norden europa eu brå skr sveriges kommuner regioner region regionen kommun
    kommunen stad staden kommunfullmäktige kommunstyrelsen nationella nationellt centrum
    nck barnahus teams zoom excel word powerpoint outlook google facebook instagram
    gud herregud corona covid jo ja nej okej aha mm hm intervju
    """
)
# the ends of the names of a municipality's own bodies: "Utbildningsnämnden",
# "Socialförvaltningen", "Trygghetsrådet" name no one
COMMON_ENDS = (
    "nämnden", "nämnd", "nämndens", "förvaltningen", "förvaltning", "förvaltningens",
    "rådet", "rådets", "kontoret", "kontorets", "styrelsen", "styrelsens", "myndigheten",
    "myndighetens", "verket", "verkets", "inspektionen", "kassan",
)  # fmt: skip
# labels of speakers that are not names
GENERIC_LABELS = _word_set(
    """
    i ip r intervjuare intervjuaren interviewer respondent respondenten informant
    informanten moderator deltagare talare speaker person fråga svar f s kvinna man
    intervjuperson samordnare chef okänd unknown
    """
)
# names that end in a vowel and s but are no genitive
S_NAMES = _word_set(
    """
    jonas tomas thomas andreas elias tobias mattias matias lukas lucas niklas nicklas klas
    nicolas douglas agnes ines iris doris alexis linus markus marcus rasmus magnus julius
    carlos dennis mikas aras
    """
)
# words before a place's name: "i Sörby", "ute i Norrby", "rum Vallmon"
PLACE_WORDS = _word_set("i på från till vid mot utanför nära kring runt inom ur rum mellan")
DIRECTIONS = _word_set("östra västra norra södra stora lilla gamla nya övre nedre")
_ROLE_WORD = (
    r"(?i:[a-zåäöé]*(?:chef|samordnare|sekreterare|strateg|direktör|ordförande|handläggare"
    r"|kurator|ledare|ansvarig|rektor|kollega|utredare|assistent|pedagog|sköterska|inspektör"
    r"|kommissarie|polis|koordinator|kommunalråd|präst|läkare|psykolog|jurist|ombud"
    r"|representant|medarbetare|tjänsteman|politiker|forskare|konsult|kontaktperson"
    r"|föreståndare|behandlare|socionom|väninna|sambo|granne|mamma|pappa|dotter|syster"
    r"|bror|kompis|partner)(?:en|n|et)?|heter|hette|kallad|kallas|herr|fru|doktor|dr)"
)
_NAME_WORD = r"[A-ZÅÄÖÉÜ][a-zåäöéüøæ]+(?:-[A-ZÅÄÖÉÜ][a-zåäöéüøæ]+)*"
_AFTER_ROLE = re.compile(
    rf"(?<![^\W_]){_ROLE_WORD},?[^\S\n]+(?P<name>{_NAME_WORD}(?:[^\S\n]{_NAME_WORD}){{0,2}})"
    r"(?![^\W_])"
)
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SPEAKER_NAME = re.compile(rf"{_NAME_WORD}(?: {_NAME_WORD}){{0,3}}")
_ORGANISATION_ENDS = (
    "hem", "bostäder", "bolag", "bolaget", "jouren", "jour", "föreningen", "förening",
    "förbundet", "stiftelsen", "fabriken", "huset", "gruppen", "teamet", "mottagningen",
    "enheten", "kyrkan", "ab", "rosen",
)  # fmt: skip
_PLACE_ENDS = (
    "skolan", "gymnasiet", "gatan", "vägen", "torget", "parken", "backen", "dalen",
    "gärdet", "holmen", "området", "staden", "byn", "viken", "berget", "ängen", "åsen",
    "ås", "hamnen", "lyckan", "varvet", "mossen", "åker", "myra", "lunden", "sjö",
    "strand", "stranden", "torp", "näs", "vallen", "gården", "fjället", "stråket", "kajen",
)  # fmt: skip


@dataclass
class _Document:
    id: int
    name: str
    text: str
    starts: set[int]  # where sentence-initial words begin


@dataclass
class _Proposal:
    sources: set[str] = field(default_factory=set)
    kinds: Counter[str] = field(default_factory=Counter)
    turns: int = 0
    place: Example | None = None


class _Words:
    """How the corpus writes each word: lower-case, and capitalised where no sentence
    begins. A word written lower-case more often than capitalised inside sentences is an
    ordinary word ("Men", "Fast", "Intervju"), whatever the sentences begin with."""

    def __init__(self, documents: Sequence[_Document], not_names: set[str]) -> None:
        self.lower: Counter[str] = Counter()
        self.inside: Counter[str] = Counter()
        self.not_names = not_names
        for document in documents:
            for token in _TOKEN.finditer(document.text):
                word = token.group()
                if word[:1].islower():
                    self.lower[word] += 1
                elif token.start() not in document.starts:
                    self.inside[word] += 1

    def common(self, word: str) -> bool:
        folded = word.casefold()
        if folded in self.not_names or folded.endswith(COMMON_ENDS):
            return True
        if re.fullmatch(_ROLE_WORD, word):
            return True  # "Samordnaren Anna" at a sentence's start
        if folded.endswith("s") and folded[:-1] in self.not_names:
            return True
        return self.lower[word.lower()] > self.inside[word]


def suggest(project: Project, *, min_count: int = 1) -> list[Candidate]:
    """Names proposed from every document's text and speakers: speaker labels that look
    like names, names after titles and roles ("socialsekreteraren Lena"), capitalised
    words not at a sentence start, and municipality names (the reference table's and the
    project's cases); each with its count, a kind guess, an example place and whether the
    table covers it. Genitives, and close spellings in the same document, are folded into
    one candidate."""
    from vinr_qual.cases.municipalities import all_municipalities

    documents = _documents(project)
    speakers = _speakers(project)
    not_names = set(COMMON_CAPITALISED) | set(GENERIC_LABELS)
    not_names |= {label.casefold() for label, *_ in speakers if not _speaker_is_name(label)}
    words = _Words(documents, not_names)
    proposals: dict[str, _Proposal] = {}

    def propose(text: str, source: str, kind: str) -> _Proposal:
        proposal = proposals.setdefault(text, _Proposal())
        proposal.sources.add(source)
        proposal.kinds[kind] += 1
        return proposal

    reference = all_municipalities()
    cases = {str(row[0]) for row in project.db.execute("SELECT name FROM cases")}
    municipalities = {m.name for m in reference} | cases
    counties = {re.sub(r"s? län$", "", m.county) for m in reference} - municipalities
    for document in documents:
        for text, before in _capitalised_runs(document, words):
            propose(text, "capitalised", _kind_guess(text, before, municipalities, counties))
        for match in _AFTER_ROLE.finditer(document.text):
            named = match.group("name").split()
            while named and words.common(named[-1]):
                named.pop()
            if named and named[0].casefold() not in not_names:
                propose(" ".join(named), "title", "person")
        for text in _municipality_mentions(document, municipalities, cases, words):
            propose(text, "case" if text in cases else "municipality", "municipality")
    for label, document_name, turns, start in speakers:
        if _speaker_is_name(label):
            proposal = propose(_squeeze(label), "speaker", "person")
            proposal.turns += turns
            if proposal.place is None and start is not None:
                proposal.place = Example(document_name, start, start + len(label), label)
    _fold_genitives(proposals, municipalities | counties)
    candidates, seen_in = _counted(proposals, documents)
    candidates = _fold_variants(candidates, seen_in)
    table = load_table(project)
    for candidate in candidates:
        candidate.pseudonym = _covering(table, candidate.text)
        candidate.in_table = candidate.pseudonym is not None
    return sorted(
        (c for c in candidates if c.count >= min_count),
        key=lambda c: (-c.count, c.text.casefold()),
    )


def _documents(project: Project) -> list[_Document]:
    documents = {
        int(row[0]): _Document(int(row[0]), str(row[1]), str(row[2]), set())
        for row in project.db.execute("SELECT id, name, text FROM documents ORDER BY id")
    }
    for document_id, start, content_start in project.db.execute(
        "SELECT document_id, start, content_start FROM segments WHERE kind IN"
        " ('sentence', 'paragraph', 'heading', 'turn', 'table', 'goal', 'measure')"
    ):
        document = documents[int(document_id)]
        for position in (start, content_start):
            if position is not None:
                document.starts.add(_first_word(document.text, int(position)))
    for document in documents.values():
        text = document.text
        # the start, line starts, table cells, and after a full stop, question or
        # exclamation mark: where the sentence segments missed one
        document.starts.add(_first_word(text, 0))
        for match in re.finditer(r"\n|[|\t]|[.!?…:;]['\"”»)\]]*\s+", text):
            document.starts.add(_first_word(text, match.end()))
    return list(documents.values())


# what may stand before a sentence's first word: quotes, dashes, numbering ("6.2"),
# and bracketed notes ("[skratt]", "[00:12:31]")
_OPENER = re.compile(r"(?:[^\w\[]|\d|\[[^\]\n]*\])*")


def _first_word(text: str, position: int) -> int:
    match = _OPENER.match(text, position)
    return match.end() if match else position


def _capitalised_runs(document: _Document, words: _Words) -> Iterator[tuple[str, str]]:
    """(run, the word before it) for runs of capitalised words, one space apart, that
    are not ordinary words. A lone word that begins a sentence is no candidate (it may
    be any word), but a run of two is ("Lena Holm sa")."""
    text = document.text
    run: list[tuple[int, str]] = []

    def finish() -> Iterator[tuple[str, str]]:
        if not run or len(run) > 4:
            return
        piece: list[tuple[int, str]] = []
        for item in [*run, None]:
            if item is not None and not words.common(item[1]):
                piece.append(item)
                continue
            if piece and (len(piece) > 1 or piece[0][0] not in document.starts):
                before = re.search(r"([^\W\d_]+) $", text[max(0, piece[0][0] - 20) : piece[0][0]])
                yield " ".join(word for _, word in piece), before.group(1) if before else ""
            piece = []

    for token in _TOKEN.finditer(text):
        word = token.group()
        capitalised = word[:1].isupper() and word[1:2].islower()
        # "Trappan-samtal": the name is the capitalised head
        head = re.match(r"[^\W\d_]+(?:-[A-ZÅÄÖÉÜ][^\W\d_]*)*", word)
        assert head is not None
        cut = head.group() != word
        word = head.group()
        gap = text[run[-1][0] + len(run[-1][1]) : token.start()] if run else ""
        if capitalised and run and gap in (" ", "\u00a0"):
            run.append((token.start(), word))
        else:
            yield from finish()
            run = [(token.start(), word)] if capitalised else []
        if cut:
            yield from finish()
            run = []
    yield from finish()


def _municipality_mentions(
    document: _Document, names: set[str], cases: set[str], words: _Words
) -> Iterator[str]:
    """Municipality names in the text ("Motala", "Brovallas", "i Brovalla kommun"), and
    the project's case names in compounds too ("Älvhamnshem")."""
    if not names:
        return
    pattern = _names_pattern(tuple(sorted(names, key=lambda n: (-len(n), n))))
    for match in pattern.finditer(document.text):
        name = match.group("n")
        if match.group("k") is None and words.common(name.split()[0]):
            continue
        yield name
    for case in cases:
        if len(case) >= COMPOUND_MIN_LETTERS and re.search(
            rf"(?<![^\W_]){re.escape(case)}s?[^\W\d_]{{2,}}", document.text
        ):
            yield case


_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    if names not in _PATTERNS:
        body = "|".join(re.escape(name) for name in names)
        _PATTERNS[names] = re.compile(
            rf"(?<![^\W_])(?P<n>{body})s?(?P<k>\s+(?:kommuns?|stads?))?(?![^\W_])"
        )
    return _PATTERNS[names]


def _speakers(project: Project) -> list[tuple[str, str, int, int | None]]:
    return [
        (str(row[0]), str(row[1]), int(row[2]), None if row[3] is None else int(row[3]))
        for row in project.db.execute(
            "SELECT sp.label, d.name, count(seg.id), min(seg.start) FROM speakers sp"
            " JOIN documents d ON d.id = sp.document_id"
            " LEFT JOIN segments seg ON seg.speaker_id = sp.id AND seg.kind = 'turn'"
            " GROUP BY sp.id ORDER BY sp.id"
        )
    ]


def _speaker_is_name(label: str) -> bool:
    """ "Karin Olsson", "Petra": a name; "IP", "I", "Intervjuare", "SPEAKER_00",
    "Respondent 2", "BL", "Socialchef": not."""
    label = _squeeze(label)
    if not _SPEAKER_NAME.fullmatch(label):
        return False
    first = label.split()[0].casefold()
    return (
        first not in GENERIC_LABELS
        and first not in COMMON_CAPITALISED
        and not re.fullmatch(_ROLE_WORD, label.casefold())
    )


def _kind_guess(text: str, before: str, municipalities: set[str], counties: set[str]) -> str:
    if text in municipalities:
        return "municipality"
    if text in counties or text.removesuffix("s") in counties:
        return "place"
    named = text.split()
    last = named[-1].casefold()
    bare = last.removesuffix("s")
    if (
        last.endswith(_ORGANISATION_ENDS)
        or bare.endswith(_ORGANISATION_ENDS)
        or any(text.startswith(name) and len(text) > len(name) for name in municipalities)
    ):
        return "organisation"
    if len(named) > 1 and named[0].casefold() not in DIRECTIONS:
        return "person"  # "Lena Holm", "Mikael Strand": a first name and a surname
    if last.endswith(_PLACE_ENDS) or bare.endswith(_PLACE_ENDS) or before.casefold() in PLACE_WORDS:
        return "place"
    return "person"


def _fold_genitives(proposals: dict[str, _Proposal], places: set[str]) -> None:
    """ "Sannas" into "Sanna" where both are proposed; an -s form alone into its base when
    the base ends in a vowel or is a definite form ("Birgittas" → "Birgitta",
    "Nordängens" → "Nordängen"), but not Jonas, Borås, Vännäs."""
    for text in sorted(proposals, key=len, reverse=True):
        if not text.endswith("s") or text in places or text not in proposals:
            continue
        base = text[:-1]
        last = text.split()[-1].casefold()
        if base in proposals:
            pass
        elif (
            len(last) > 4
            and last not in S_NAMES
            and not last.endswith(("ås", "äs"))
            and (base[-1:].casefold() in "aeiouyö" or last.endswith(("ens", "ets", "ans")))
        ):
            proposals[base] = _Proposal()
        else:
            continue
        folded = proposals.pop(text)
        target = proposals[base]
        target.sources |= folded.sources
        target.kinds.update(folded.kinds)
        target.turns += folded.turns
        target.place = target.place or folded.place


def _counted(
    proposals: dict[str, _Proposal], documents: list[_Document]
) -> tuple[list[Candidate], dict[str, set[int]]]:
    """Each proposal counted in the texts with the same matching as the table's, over
    capitalised occurrences, every form it takes noted ("Älvhamnshem" is a form of
    "Älvhamn", and "Lena Holm" holds "Lena"); and the documents it is in."""
    chosen = {text: proposal.kinds.most_common(1)[0][0] for text, proposal in proposals.items()}
    entries = [
        Pseudonym(text, f"\0{index}", "municipality" if kind == "municipality" else "person")
        for index, (text, kind) in enumerate(chosen.items())
    ]
    matcher = Table(entries, check=False)
    counts: Counter[str] = Counter()
    forms: dict[str, set[str]] = {text: set() for text in proposals}
    seen_in: dict[str, set[int]] = {text: set() for text in proposals}
    places: dict[str, Example] = {}
    for document in documents:
        for compiled in matcher._compiled:
            name = compiled.entry.real
            for hit in _exact_hits(compiled, document.text):
                if not hit.leak.word[:1].isupper():
                    continue
                counts[name] += 1
                seen_in[name].add(document.id)
                if _squeeze(hit.leak.word) != name:
                    forms[name].add(_squeeze(hit.leak.word))
                if name not in places:
                    places[name] = _example(document, hit.leak.start, hit.leak.end)
    candidates = []
    for text, proposal in proposals.items():
        count = max(counts[text], proposal.turns)
        if count == 0:
            continue
        candidates.append(
            Candidate(
                text,
                chosen[text],
                count,
                places.get(text) or proposal.place,
                sorted(proposal.sources),
                sorted(forms[text]),
            )
        )
    return candidates, seen_in


def _example(document: _Document, start: int, end: int) -> Example:
    before = document.text[max(0, start - 30) : start].split("\n")[-1]
    after = document.text[end : end + 30].split("\n")[0]
    return Example(document.name, start, end, f"{before}{document.text[start:end]}{after}")


def _fold_variants(candidates: list[Candidate], seen_in: dict[str, set[int]]) -> list[Candidate]:
    """A candidate that is a close spelling of one found more often in the same document
    ("Lenna Holm" beside "Lena Holm") becomes a variant of it; in other documents a close
    spelling is more likely another person (Amra, Amira) and stays a candidate."""
    heads: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (-c.count, c.text)):
        head = next(
            (
                h
                for h in heads
                if seen_in.get(h.text, set()) & seen_in.get(candidate.text, set())
                and _is_variant(candidate.text, h.text)
            ),
            None,
        )
        if head is None:
            heads.append(candidate)
            continue
        head.count += candidate.count
        head.variants = sorted({*head.variants, candidate.text, *candidate.variants})
        head.sources = sorted({*head.sources, *candidate.sources})
    return heads


def _is_variant(text: str, name: str) -> bool:
    table = Table([Pseudonym(name, "\0", "person")], check=False)
    return any(
        leak.start == 0 and leak.end == len(text) and leak.how == "variant"
        for leak in table.leaks(text)
    )


def _covering(table: Table, text: str) -> str | None:
    """The real name in the table whose forms take in all of `text`, or None."""
    for leak in table.leaks(text):
        if leak.start == 0 and leak.end == len(text):
            return leak.name
    return None
