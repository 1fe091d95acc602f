"""Auto-coding: the codebook's rules turned into suggested codings, and rule quality.

A code's rules are applied at the unit they name: sentence, speaker turn (its words,
without the label) or paragraph. In a document with speaker turns only the interviewee's
speech is coded unless a rule opts in to the interviewer's (`speakers: all`); text
outside every turn (header lines such as `Projekt: …`, notes between turns) never is,
and time stamps and transcription marks (`[00:12:31]`, `[skratt]`) are blanked before
anything is matched.

Within a unit a rule finds evidence: its keywords (whole words, optionally fuzzy), lemmas
(any inflected form), phrases and patterns. A piece of evidence counts only with one of
the rule's `near:` words within the window (when it has any) and none of its `not_near:`
words (negations: inte, ingen, saknar, aldrig) within a few words; the unit is suggested
when at least `min_evidence` different terms count, or when one of the rule's `also:`
blocks finds it so. Every unit found becomes a coding with status `suggested` and origin
`rule:<code id>`, made by the coder "vinr-qual rules". Suggestions never count as human
coding until someone accepts them in the review queue, and running the rules again adds
only what is new: a unit already suggested (whatever was decided about it) or already
coded with that code by a person is left alone.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from vinr_qual.codebook.model import Code, Rules
from vinr_qual.codebook.project_codes import read_codebook
from vinr_qual.coding.codings import Passage, add_suggestions, code_passages, known_rule_spans
from vinr_qual.errors import VinrQualError
from vinr_qual.ingest.lemmas import lemma_of
from vinr_qual.project import Project

RULE_CODER = "vinr-qual rules"
_WORD = re.compile(r"\w+")
# time stamps and transcription marks, blanked (same length, so offsets hold) before matching
_MARKS = re.compile(
    r"\[[^\[\]\n]{0,40}\]|\(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\)"
    r"|\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b"
)

# where a unit stands: the interviewee's speech, the interviewer's, text of a document
# without speaker turns (a steering document), or text outside the turns of one with them
INTERVIEWEE, INTERVIEWER, TEXT, OUTSIDE = "interviewee", "interviewer", "text", "outside"


@dataclass
class Unit:
    document_id: int
    start: int
    end: int
    text: str
    lemmas: frozenset[str]
    speaker: str = TEXT  # INTERVIEWEE, INTERVIEWER, TEXT or OUTSIDE
    _clean: str | None = field(default=None, repr=False, compare=False)
    _tokens: list[tuple[int, int, str]] | None = field(default=None, repr=False, compare=False)

    @property
    def clean(self) -> str:
        """The text with time stamps and marks blanked (offsets unchanged)."""
        if self._clean is None:
            self._clean = _MARKS.sub(lambda m: " " * len(m.group()), self.text)
        return self._clean

    def tokens(self) -> list[tuple[int, int, str]]:
        """(start, end, lower-cased word) of each word, marks left out."""
        if self._tokens is None:
            self._tokens = [
                (m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(self.clean)
            ]
        return self._tokens


# a piece of evidence: (term, first word, last word) by word index in the unit
Evidence = tuple[str, int, int]


def _near_term(term: str) -> list[re.Pattern[str]]:
    """One word pattern per word of a `near:` term; a trailing * matches any ending."""
    return [
        re.compile(
            re.escape(word[:-1].lower()) + r"\w*" if word.endswith("*") else re.escape(word.lower())
        )
        for word in re.split(r"[\s-]+", term.strip())
        if word
    ]


@dataclass
class CompiledBlock:
    """One block of a rule: its terms and the conditions each piece of evidence meets."""

    terms: list[tuple[str, re.Pattern[str]]]  # keywords, phrases, patterns by name
    lemmas: frozenset[str]
    fuzzy_words: list[str]
    fuzzy: int | None
    near: list[list[re.Pattern[str]]]
    near_window: tuple[int, int]  # words before, after
    not_near: list[list[re.Pattern[str]]]
    not_near_window: tuple[int, int]
    min_evidence: int
    any_term: re.Pattern[str] | None = None  # all the terms in one: most units hold none

    def __post_init__(self) -> None:
        if self.terms:
            self.any_term = re.compile(
                "|".join(f"(?:{expression.pattern})" for _, expression in self.terms),
                re.IGNORECASE,
            )

    @classmethod
    def of(cls, rules: Rules) -> CompiledBlock | None:
        terms = [
            (f"keyword {word.lower()}", re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE))
            for word in rules.keywords
        ]
        terms += [
            (
                f"phrase {phrase.lower()}",
                re.compile(
                    r"(?<!\w)" + r"\s+".join(re.escape(w) for w in phrase.split()), re.IGNORECASE
                ),
            )
            for phrase in rules.phrases
        ]
        terms += [
            (f"pattern {number}", re.compile(pattern, re.IGNORECASE))
            for number, pattern in enumerate(rules.patterns, start=1)
        ]
        lemmas = frozenset(lemma.lower() for lemma in rules.lemmas)
        if not terms and not lemmas:
            return None
        return cls(
            terms,
            lemmas,
            [k.lower() for k in rules.keywords],
            rules.fuzzy,
            [_near_term(word) for word in rules.near.words] if rules.near else [],
            (rules.near.before, rules.near.after) if rules.near else (0, 0),
            [_near_term(word) for word in rules.not_near.words] if rules.not_near else [],
            (rules.not_near.before, rules.not_near.after) if rules.not_near else (0, 0),
            rules.min_evidence,
        )

    def evidence(self, unit: Unit) -> list[Evidence]:
        """Every piece of evidence for the block in the unit, before its conditions."""
        text = unit.clean
        by_term = self.any_term is not None and self.any_term.search(text) is not None
        by_lemma = bool(self.lemmas and self.lemmas & unit.lemmas)
        if not (by_term or by_lemma or (self.fuzzy and self.fuzzy_words)):
            return []
        tokens = unit.tokens()
        starts = [start for start, _, _ in tokens]
        found: list[Evidence] = []

        def words(start: int, end: int) -> tuple[int, int]:
            first = max(0, bisect.bisect_right(starts, start) - 1)
            last = max(first, bisect.bisect_left(starts, end) - 1)
            return first, last

        for name, expression in self.terms if by_term else []:
            for match in expression.finditer(text):
                if match.end() > match.start():
                    found.append((name, *words(match.start(), match.end())))
        if by_lemma:
            at = [
                (f"lemma {lemma_of(word)}", index, index)
                for index, (_, _, word) in enumerate(tokens)
                if lemma_of(word) in self.lemmas
            ]
            # the sentence's own lemmas (spaCy's tokens) can find what single words do not
            whole = (f"lemma {sorted(self.lemmas & unit.lemmas)[0]}", 0, max(0, len(tokens) - 1))
            found.extend(at or [whole])
        if self.fuzzy and self.fuzzy_words:
            for index, (_, _, word) in enumerate(tokens):
                if len(word) > 3:
                    best = process.extractOne(
                        word, self.fuzzy_words, scorer=fuzz.ratio, score_cutoff=self.fuzzy
                    )
                    if best:
                        found.append((f"keyword {best[0]}", index, index))
        return found

    def counted(self, unit: Unit) -> list[Evidence]:
        """The evidence that meets the block's near and not_near conditions."""
        found = self.evidence(unit)
        if not found or not (self.near or self.not_near):
            return found
        tokens = unit.tokens()
        near = _places(tokens, self.near)
        not_near = _places(tokens, self.not_near)
        return [
            piece
            for piece in found
            if (not self.near or _within(piece, near, self.near_window))
            and not _within(piece, not_near, self.not_near_window)
        ]

    def matches(self, unit: Unit) -> bool:
        return _distinct(self.counted(unit)) >= self.min_evidence


def _places(
    tokens: list[tuple[int, int, str]], terms: list[list[re.Pattern[str]]]
) -> list[tuple[int, int]]:
    """(first, last) word index of every place a near term stands."""
    words = [word for _, _, word in tokens]
    found = []
    for term in terms:
        size = len(term)
        for index in range(len(words) - size + 1):
            if all(part.fullmatch(words[index + k]) for k, part in enumerate(term)):
                found.append((index, index + size - 1))
    return found


def _within(piece: Evidence, places: list[tuple[int, int]], window: tuple[int, int]) -> bool:
    """Whether one of the places is at most window[0] words before the evidence or
    window[1] words after it; a word of the evidence itself does not count."""
    _, first, last = piece
    before, after = window
    for start, end in places:
        if start <= last and first <= end:
            continue
        if (start - last <= after) if start > last else (first - end <= before):
            return True
    return False


def _distinct(found: list[Evidence]) -> int:
    """How many different terms, at places that do not overlap (a keyword and a lemma on
    the same word are one piece of evidence)."""
    taken: list[tuple[int, int]] = []
    counted = 0
    for name in sorted({piece[0] for piece in found}):
        for _, first, last in (p for p in found if p[0] == name):
            if all(last < start or first > end for start, end in taken):
                taken.append((first, last))
                counted += 1
                break
    return counted


@dataclass
class CompiledRule:
    code_id: str
    name: str
    unit: str
    blocks: list[CompiledBlock]
    speakers: str = "interviewee"

    # the union of the blocks' terms, for whoever shows which words a rule looks for
    @property
    def expression(self) -> re.Pattern[str] | None:
        parts = [expression.pattern for block in self.blocks for _, expression in block.terms]
        return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE) if parts else None

    @property
    def lemmas(self) -> frozenset[str]:
        return frozenset().union(*(block.lemmas for block in self.blocks))

    @property
    def fuzzy(self) -> int | None:
        return next((block.fuzzy for block in self.blocks if block.fuzzy), None)

    @property
    def fuzzy_words(self) -> list[str]:
        return [word for block in self.blocks if block.fuzzy for word in block.fuzzy_words]

    def allows(self, unit: Unit) -> bool:
        if unit.speaker == OUTSIDE:
            return False
        if unit.speaker == INTERVIEWER:
            return self.speakers in ("interviewer", "all")
        return self.speakers != "interviewer"

    def matches(self, unit: Unit) -> bool:
        return self.allows(unit) and any(block.matches(unit) for block in self.blocks)

    def evidence(self, unit: Unit) -> list[str]:
        """The terms that made the rule find the unit (empty when it does not)."""
        if not self.allows(unit):
            return []
        for block in self.blocks:
            counted = block.counted(unit)
            if _distinct(counted) >= block.min_evidence:
                return sorted({name for name, _, _ in counted})
        return []


def compile_rules(codes: Iterable[Code]) -> list[CompiledRule]:
    compiled = []
    for code in codes:
        rules = code.rules
        if not code.codable or rules is None:
            continue
        blocks = [block for block in map(CompiledBlock.of, rules.blocks()) if block is not None]
        if not blocks:
            continue
        compiled.append(CompiledRule(code.id, code.name, rules.unit, blocks, rules.speakers))
    return compiled


def _turns(
    project: Project, where: str, params: list[object]
) -> dict[int, tuple[list[int], list[int], list[bool]]]:
    """Each document's speaker turns in order: (starts, ends, is the interviewer)."""
    found: dict[int, tuple[list[int], list[int], list[bool]]] = {}
    for document_id, start, end, interviewer in project.db.execute(
        'SELECT s.document_id, s.start, s."end", coalesce(sp.is_interviewer, 0) FROM segments s'
        " LEFT JOIN speakers sp ON sp.id = s.speaker_id"
        f" WHERE s.kind = 'turn'{where} ORDER BY s.document_id, s.start",
        params,
    ):
        starts, ends, interviewers = found.setdefault(document_id, ([], [], []))
        starts.append(start)
        ends.append(end)
        interviewers.append(bool(interviewer))
    return found


def _speaker(turns: tuple[list[int], list[int], list[bool]] | None, start: int, end: int) -> str:
    if turns is None:
        return TEXT
    starts, ends, interviewers = turns
    index = bisect.bisect_right(starts, start) - 1
    if index < 0 or start >= ends[index]:
        return OUTSIDE
    return INTERVIEWER if interviewers[index] else INTERVIEWEE


def units(project: Project, kind: str, document_ids: list[int] | None = None) -> Iterator[Unit]:
    """Every unit of a kind, with the lemmas of the sentences inside it and who speaks it."""
    where, params = "", []
    if document_ids is not None:
        where = f" AND s.document_id IN ({', '.join('?' for _ in document_ids)})"
        params = list(document_ids)
    turns = _turns(project, where, list(params))
    sentences: dict[int, list[tuple[int, int, str]]] = {}
    for document_id, start, end, lemmas in project.db.execute(
        f"SELECT s.document_id, s.start, s.\"end\", coalesce(s.lemmas, '') FROM segments s"
        f" WHERE s.kind = 'sentence'{where} ORDER BY s.document_id, s.start",
        params,
    ):
        sentences.setdefault(document_id, []).append((start, end, lemmas))
    texts = dict(
        project.db.execute(
            "SELECT id, text FROM documents"
            + (f" WHERE id IN ({', '.join('?' for _ in document_ids)})" if document_ids else ""),
            params,
        ).fetchall()
    )
    if kind == "sentence":
        for document_id, rows in sentences.items():
            text = texts[document_id]
            for start, end, lemmas in rows:
                yield Unit(
                    document_id,
                    start,
                    end,
                    text[start:end],
                    frozenset(lemmas.split()),
                    _speaker(turns.get(document_id), start, end),
                )
        return
    # a turn, or a paragraph that opens with a speaker label, counts from the words on
    for document_id, start, end in project.db.execute(
        'SELECT s.document_id, coalesce(s.content_start, t.content_start, s.start), s."end"'
        " FROM segments s LEFT JOIN segments t ON t.document_id = s.document_id"
        " AND t.kind = 'turn' AND t.start = s.start AND s.kind = 'paragraph'"
        f" WHERE s.kind = ?{where} ORDER BY s.document_id, s.start",
        [kind, *params],
    ):
        inside = [
            lemma
            for s_start, s_end, lemmas in sentences.get(document_id, [])
            if s_start >= start and s_end <= end
            for lemma in lemmas.split()
        ]
        yield Unit(
            document_id,
            start,
            end,
            texts[document_id][start:end],
            frozenset(inside),
            _speaker(turns.get(document_id), start, end),
        )


@dataclass
class Suggestion:
    code_id: str
    document_id: int
    start: int
    end: int


def find_suggestions(
    project: Project, rules: list[CompiledRule], document_ids: list[int] | None = None
) -> list[Suggestion]:
    found = []
    for kind in sorted({rule.unit for rule in rules}):
        kind_rules = [rule for rule in rules if rule.unit == kind]
        for unit in units(project, kind, document_ids):
            for rule in kind_rules:
                if rule.matches(unit):
                    found.append(Suggestion(rule.code_id, unit.document_id, unit.start, unit.end))
    return found


@dataclass
class AutocodeReport:
    per_code: dict[str, dict[str, int]] = field(default_factory=dict)  # name: found, new
    added: int = 0
    found: int = 0


def autocode(
    project: Project,
    *,
    dry_run: bool = False,
    code_ids: list[str] | None = None,
    document_ids: list[int] | None = None,
) -> AutocodeReport:
    codes = [code for code, _, _ in read_codebook(project).walk()]
    if code_ids is not None:
        codes = [code for code in codes if code.id in code_ids]
    rules = compile_rules(codes)
    if not rules:
        raise VinrQualError("no code has rules to apply; add `rules:` to codes in the codebook")
    suggestions = find_suggestions(project, rules, document_ids)
    known = known_rule_spans(project)
    names = {rule.code_id: rule.name for rule in rules}
    report = AutocodeReport()
    for rule in rules:
        report.per_code[names[rule.code_id]] = {"found": 0, "new": 0}
    new = []
    for suggestion in suggestions:
        key = (suggestion.document_id, suggestion.start, suggestion.end, suggestion.code_id)
        counts = report.per_code[names[suggestion.code_id]]
        counts["found"] += 1
        report.found += 1
        if key not in known:
            known.add(key)
            counts["new"] += 1
            new.append(suggestion)
    report.added = len(new)
    if dry_run or not new:
        return report
    add_suggestions(
        project,
        [(s.document_id, s.start, s.end, s.code_id, f"rule:{s.code_id}") for s in new],
        coder=RULE_CODER,
        action="autocode",
        details={"per_code": {k: v["new"] for k, v in report.per_code.items() if v["new"]}},
    )
    return report


def code_speaker_turns(
    project: Project,
    code_id: str,
    *,
    role: str | None = None,
    label: str | None = None,
    coder: str | None = None,
) -> int:
    """Code every turn of the speakers with this role (or label) to a code; returns how
    many codings were added (turns already coded so are left alone)."""
    if not role and not label:
        raise VinrQualError("name the speakers by --role or --label")
    clauses, params = [], []
    if role:
        clauses.append("sp.role = ? COLLATE NOCASE")
        params.append(role)
    if label:
        clauses.append("sp.label = ?")
        params.append(label)
    turns = project.db.execute(
        'SELECT s.document_id, coalesce(s.content_start, s.start), s."end" FROM segments s'
        " JOIN speakers sp ON sp.id = s.speaker_id"
        f" WHERE s.kind = 'turn' AND {' AND '.join(clauses)}",
        params,
    ).fetchall()
    if not turns:
        raise VinrQualError(f"no speaker turns of {role or label!r}")
    origin = f"speaker:{role or label}"
    added = code_passages(
        project,
        [Passage(document_id, start, end) for document_id, start, end in turns],
        code_id,
        coder=coder,
        origin=origin,
        action="code speaker turns",
        details={"origin": origin},
    )
    return len(added)


@dataclass
class RuleQuality:
    """How one code's rule fares against what people decided and coded.

    Precision counts the rule's decided suggestions: one accepted with the rule's own
    code is a hit; one rejected, or accepted with another code (recoded), is a miss.
    Recall counts the people's accepted codings of the code (coded by hand, imported, or
    accepted from a suggestion) that a unit the rule finds today overlaps.
    """

    code: str
    accepted: int
    rejected: int
    pending: int
    precision: float | None
    human: int
    found: int
    recall: float | None
    recoded: int = 0
    f1: float | None = None


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None or precision + recall == 0:
        return None
    return 2 * precision * recall / (precision + recall)


def rule_quality(project: Project) -> list[RuleQuality]:
    """Per code with rules: its decided suggestions (precision, a recoded or rejected
    suggestion a miss of the rule that made it) and the people's accepted codings the
    rule finds (recall), with the counts behind each."""
    codes = [code for code, _, _ in read_codebook(project).walk()]
    rules = {rule.code_id: rule for rule in compile_rules(codes)}
    decided: dict[str, dict[str, int]] = {}
    for origin, code_id, status, count in project.db.execute(
        "SELECT origin, code_id, status, count(*) FROM codings WHERE origin LIKE 'rule:%'"
        " GROUP BY origin, code_id, status"
    ):
        rule_id = str(origin).removeprefix("rule:")
        if status == "accepted" and code_id != rule_id:
            status = "recoded"
        counts = decided.setdefault(rule_id, {})
        counts[status] = counts.get(status, 0) + count
    human: dict[str, set[tuple[int, int, int]]] = {}
    for code_id, document_id, start, end in project.db.execute(
        'SELECT g.code_id, g.document_id, g.start, g."end" FROM codings g'
        " LEFT JOIN coders k ON k.id = g.coder_id"
        " WHERE g.status = 'accepted' AND coalesce(k.name, '') != ?",
        [RULE_CODER],
    ):
        human.setdefault(code_id, set()).add((document_id, start, end))
    documents = sorted({d for spans in human.values() for d, _, _ in spans})
    matches: dict[str, list[tuple[int, int, int]]] = {}
    if documents:
        for suggestion in find_suggestions(project, list(rules.values()), documents):
            matches.setdefault(suggestion.code_id, []).append(
                (suggestion.document_id, suggestion.start, suggestion.end)
            )
    report = []
    for code_id, rule in rules.items():
        counts = decided.get(code_id, {})
        accepted, recoded = counts.get("accepted", 0), counts.get("recoded", 0)
        rejected = counts.get("rejected", 0)
        misses = recoded + rejected
        spans = human.get(code_id, set())
        hits = matches.get(code_id, [])
        found = sum(
            1 for d, s, e in spans if any(hd == d and hs < e and s < he for hd, hs, he in hits)
        )
        precision = accepted / (accepted + misses) if accepted + misses else None
        recall = found / len(spans) if spans else None
        report.append(
            RuleQuality(
                rule.name,
                accepted,
                rejected,
                counts.get("suggested", 0),
                precision,
                len(spans),
                found,
                recall,
                recoded,
                _f1(precision, recall),
            )
        )
    return report
