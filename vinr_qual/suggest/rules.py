"""Auto-coding: the codebook's rules turned into suggested codings, and rule quality.

A code's rules (keywords, lemmas, phrases, patterns, optional fuzzy matching of keywords)
are applied at the unit the rules name: sentence, speaker turn (its words, without the
label) or paragraph. Every unit a rule finds becomes a coding with status `suggested`
and origin `rule:<code id>`, made by the coder "vinr-qual rules". Suggestions never count
as human coding until someone accepts them in the review queue, and running the rules
again adds only what is new: a unit already suggested (whatever was decided about it) or
already coded with that code by a person is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from vinr_qual.codebook.model import Code
from vinr_qual.codebook.project_codes import read_codebook
from vinr_qual.coding.codings import Passage, add_suggestions, code_passages, known_rule_spans
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project

RULE_CODER = "vinr-qual rules"
_WORD = re.compile(r"\w+")


@dataclass
class Unit:
    document_id: int
    start: int
    end: int
    text: str
    lemmas: frozenset[str]


@dataclass
class CompiledRule:
    code_id: str
    name: str
    unit: str
    expression: re.Pattern[str] | None
    lemmas: frozenset[str]
    fuzzy_words: list[str]
    fuzzy: int | None

    def matches(self, unit: Unit) -> bool:
        if self.lemmas and self.lemmas & unit.lemmas:
            return True
        if self.expression is not None and self.expression.search(unit.text):
            return True
        if self.fuzzy and self.fuzzy_words:
            words = {word.lower() for word in _WORD.findall(unit.text) if len(word) > 3}
            for keyword in self.fuzzy_words:
                if process.extractOne(keyword, words, scorer=fuzz.ratio, score_cutoff=self.fuzzy):
                    return True
        return False


def compile_rules(codes: Iterable[Code]) -> list[CompiledRule]:
    compiled = []
    for code in codes:
        rules = code.rules
        if not code.codable or rules is None:
            continue
        parts = [rf"\b{re.escape(word)}\b" for word in rules.keywords]
        parts += [r"\s+".join(re.escape(w) for w in phrase.split()) for phrase in rules.phrases]
        parts += [f"(?:{pattern})" for pattern in rules.patterns]
        expression = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        lemmas = frozenset(lemma.lower() for lemma in rules.lemmas)
        if expression is None and not lemmas:
            continue
        compiled.append(
            CompiledRule(
                code.id,
                code.name,
                rules.unit,
                expression,
                lemmas,
                [k.lower() for k in rules.keywords],
                rules.fuzzy,
            )
        )
    return compiled


def units(project: Project, kind: str, document_ids: list[int] | None = None) -> Iterator[Unit]:
    """Every unit of a kind, with the lemmas of the sentences inside it."""
    where, params = "", []
    if document_ids is not None:
        where = f" AND s.document_id IN ({', '.join('?' for _ in document_ids)})"
        params = list(document_ids)
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
                yield Unit(document_id, start, end, text[start:end], frozenset(lemmas.split()))
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
        yield Unit(document_id, start, end, texts[document_id][start:end], frozenset(inside))


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
    code: str
    accepted: int
    rejected: int
    pending: int
    precision: float | None
    human: int
    found: int
    recall: float | None


def rule_quality(project: Project) -> list[RuleQuality]:
    """Per code with rules: how many suggestions were accepted (precision) and how many of
    the people's own codings the rules would have found (recall)."""
    codes = [code for code, _, _ in read_codebook(project).walk()]
    rules = {rule.code_id: rule for rule in compile_rules(codes)}
    decided: dict[str, dict[str, int]] = {}
    for code_id, status, count in project.db.execute(
        "SELECT code_id, status, count(*) FROM codings WHERE origin LIKE 'rule:%'"
        " GROUP BY code_id, status"
    ):
        decided.setdefault(code_id, {})[status] = count
    human: dict[str, list[tuple[int, int, int]]] = {}
    for code_id, document_id, start, end in project.db.execute(
        'SELECT code_id, document_id, start, "end" FROM codings'
        " WHERE status = 'accepted' AND origin = 'manual'"
    ):
        human.setdefault(code_id, []).append((document_id, start, end))
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
        accepted, rejected = counts.get("accepted", 0), counts.get("rejected", 0)
        spans = human.get(code_id, [])
        hits = matches.get(code_id, [])
        found = sum(
            1 for d, s, e in spans if any(hd == d and hs < e and s < he for hd, hs, he in hits)
        )
        report.append(
            RuleQuality(
                rule.name,
                accepted,
                rejected,
                counts.get("suggested", 0),
                accepted / (accepted + rejected) if accepted + rejected else None,
                len(spans),
                found,
                found / len(spans) if spans else None,
            )
        )
    return report
