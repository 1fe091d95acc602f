"""Full-text search over every sentence, with filters, keyword-in-context and counts.

The query language is FTS5's: words, "phrases", AND, OR, NOT, NEAR(a b, 10) and prefix*.
Three modes choose the index:

- `words` (default): whole words, å/ä/ö kept apart from a/o;
- `lemma`: every word of the query is replaced by its lemma and looked up among the
  sentences' lemmas, so `samverka` finds `samverkade` and `samverkar`;
- `compound`: pieces of words (trigrams), so `samverkan` also finds `länssamverkan` and
  `samverkansavtal`; each word needs at least three letters.

Hits are sentences, ranked by BM25. Filters narrow them by case, case attribute,
document kind, speaker role, and code (inside passages coded with it, or not coded at
all). Counts per document and case cover every hit, not only those returned.
"""

from __future__ import annotations

import bisect
import heapq
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Literal

from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project
from vinr_qual.search.filters import Filters

Mode = Literal["words", "lemma", "compound"]
TABLES: dict[str, str] = {
    "words": "search_text",
    "lemma": "search_lemmas",
    "compound": "search_trigrams",
}
OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_TOKEN = re.compile(r'"[^"]*"|\(|\)|,|[^\s()",]+')
_WORD = re.compile(r"\w+")
CONTEXT = 50


@dataclass
class Hit:
    segment_id: int
    document_id: int
    document: str
    case: str | None
    speaker: str | None
    role: str | None
    start: int
    end: int
    score: float
    matches: list[tuple[int, int]]
    left: str
    keyword: str
    right: str


@dataclass
class SearchResult:
    query: str
    mode: str
    total: int
    hits: list[Hit]
    per_document: dict[str, int] = field(default_factory=dict)
    per_case: dict[str, int] = field(default_factory=dict)


def fts_query(query: str, mode: Mode) -> str:
    """The FTS5 query to run; in lemma mode each word becomes its lemma."""
    query = query.strip()
    if not query:
        raise VinrQualError("search: the query is empty")
    if mode != "lemma":
        return query if mode == "words" else query.lower()
    from vinr_qual.ingest.segment import lemma_of

    def lemmatise(token: str) -> str:
        if token in OPERATORS or token in "(),":
            return token
        if token.startswith('"'):
            words = [lemma_of(word) for word in _WORD.findall(token)]
            return '"' + " ".join(words) + '"'
        if token.endswith("*"):
            return token.lower()
        if token.isdigit():
            return token
        return " ".join(lemma_of(word) for word in _WORD.findall(token))

    return " ".join(lemmatise(token) for token in _TOKEN.findall(query))


def _terms(query: str) -> list[str]:
    """The words and phrases of a query, without operators, for marking hits in context."""
    terms = []
    for token in _TOKEN.findall(query):
        if token in OPERATORS or token in "(),":
            continue
        if token.startswith('"'):
            terms.append(" ".join(_WORD.findall(token.lower())))
        else:
            star = "*" if token.endswith("*") else ""
            terms.extend(word.lower() + star for word in _WORD.findall(token))
    return [term for term in terms if term.strip("*")]


def _document_clauses(filters: Filters) -> tuple[list[str], list[object]]:
    """The filters that are about documents (case, kind, case attribute), as SQL on `d`
    (documents) and `c` (cases)."""
    clauses: list[str] = []
    params: list[object] = []
    if filters.case:
        clauses.append("c.name = ? COLLATE NOCASE")
        params.append(filters.case)
    if filters.kind:
        clauses.append("d.kind = ?")
        params.append(filters.kind)
    if filters.attribute:
        clauses.append(
            "EXISTS (SELECT 1 FROM case_attributes a WHERE a.case_id = d.case_id"
            " AND a.name = ? AND a.value = ? COLLATE NOCASE)"
        )
        params.extend(filters.attribute)
    return clauses, params


def _where(filters: Filters) -> tuple[str, list[object]]:
    clauses, params = _document_clauses(filters)
    if filters.role:
        clauses.append("sp.role = ? COLLATE NOCASE")
        params.append(filters.role)
    if filters.code_id:
        clauses.append(
            "EXISTS (SELECT 1 FROM codings g WHERE g.document_id = s.document_id"
            " AND g.code_id = ? AND g.status = 'accepted'"
            ' AND g.start < s."end" AND g."end" > s.start)'
        )
        params.append(filters.code_id)
    if filters.not_coded:
        clauses.append(
            "NOT EXISTS (SELECT 1 FROM codings g WHERE g.document_id = s.document_id"
            ' AND g.status = \'accepted\' AND g.start < s."end" AND g."end" > s.start)'
        )
    return "".join(f" AND {clause}" for clause in clauses), params


def search(
    project: Project,
    query: str,
    *,
    mode: Mode = "words",
    filters: Filters | None = None,
    limit: int = 50,
) -> SearchResult:
    filters = filters or Filters()
    table = TABLES[mode]
    match = fts_query(query, mode)
    try:
        if filters.role or filters.code_id or filters.not_coded:
            ranked, per_document_id = _search_joined(project, table, match, filters, limit)
        else:
            ranked, per_document_id = _search_by_ranges(project, table, match, filters, limit)
    except sqlite3.OperationalError as error:
        raise VinrQualError(f"search: cannot read the query {query!r} ({error})") from error
    documents = {
        row[0]: (row[1], row[2])
        for row in project.db.execute(
            "SELECT d.id, d.name, c.name FROM documents d LEFT JOIN cases c ON c.id = d.case_id"
        )
    }
    per_document = {
        documents[document_id][0]: count
        for document_id, count in sorted(per_document_id.items(), key=lambda item: -item[1])
    }
    cases: dict[str, int] = {}
    for document_id, count in per_document_id.items():
        case = documents[document_id][1] or ""
        cases[case] = cases.get(case, 0) + count
    per_case = dict(sorted(cases.items(), key=lambda item: (-item[1], item[0])))
    hits = _hits(project, ranked, documents, _terms(query), mode)
    return SearchResult(query, mode, sum(per_document.values()), hits, per_document, per_case)


def _search_by_ranges(
    project: Project, table: str, match: str, filters: Filters, limit: int
) -> tuple[list[tuple[int, float]], dict[int, int]]:
    """Hits mapped to documents by each document's run of sentence ids: one pass over the
    index, no join per hit. Document-level filters are applied to the runs."""
    clauses, params = _document_clauses(filters)
    clauses.append("d.first_sentence IS NOT NULL")
    ranges = project.db.execute(
        "SELECT d.first_sentence, d.last_sentence, d.id FROM documents d"
        f" LEFT JOIN cases c ON c.id = d.case_id WHERE {' AND '.join(clauses)}"
        " ORDER BY d.first_sentence",
        params,
    ).fetchall()
    firsts = [row[0] for row in ranges]
    counts: dict[int, int] = {}
    kept: list[tuple[float, int]] = []
    for rowid, rank in project.db.execute(
        f"SELECT rowid, rank FROM {table} WHERE {table} MATCH ?", [match]
    ):
        index = bisect.bisect_right(firsts, rowid) - 1
        if index < 0 or rowid > ranges[index][1]:
            continue  # a document the filters leave out
        document_id = ranges[index][2]
        counts[document_id] = counts.get(document_id, 0) + 1
        kept.append((rank, rowid))
    best = heapq.nsmallest(limit, kept)
    return [(rowid, rank) for rank, rowid in best], counts


def _search_joined(
    project: Project, table: str, match: str, filters: Filters, limit: int
) -> tuple[list[tuple[int, float]], dict[int, int]]:
    """Hits filtered by what is said where (speaker, codings): joined per hit in SQL."""
    extra, params = _where(filters)
    base = (
        f" FROM {table} JOIN segments s ON s.id = {table}.rowid"
        " JOIN documents d ON d.id = s.document_id LEFT JOIN cases c ON c.id = d.case_id"
        f" LEFT JOIN speakers sp ON sp.id = s.speaker_id WHERE {table} MATCH ?{extra}"
    )
    ranked = project.db.execute(
        f"SELECT s.id, bm25({table}) AS score{base} ORDER BY score LIMIT ?",
        [match, *params, limit],
    ).fetchall()
    counts = project.db.execute(
        f"SELECT s.document_id, count(*){base} GROUP BY s.document_id", [match, *params]
    ).fetchall()
    return [(row[0], row[1]) for row in ranked], dict(counts)


def _hits(
    project: Project,
    ranked: list[tuple[int, float]],
    documents: dict[int, tuple[str, str | None]],
    terms: list[str],
    mode: Mode,
) -> list[Hit]:
    if not ranked:
        return []
    marks = ", ".join("?" for _ in ranked)
    details = {
        row[0]: row[1:]
        for row in project.db.execute(
            f'SELECT s.id, s.document_id, s.start, s."end", sp.label, sp.role FROM segments s'
            f" LEFT JOIN speakers sp ON sp.id = s.speaker_id WHERE s.id IN ({marks})",
            [rowid for rowid, _ in ranked],
        )
    }
    texts: dict[int, str] = {}
    hits = []
    for segment_id, score in ranked:
        document_id, start, end, label, role = details[segment_id]
        if document_id not in texts:
            texts[document_id] = project.db.execute(
                "SELECT text FROM documents WHERE id = ?", [document_id]
            ).fetchone()[0]
        text = texts[document_id]
        name, case = documents[document_id]
        matches = mark_terms(text, start, end, terms, mode) or [(start, end)]
        first, last = matches[0]
        left = " ".join(text[max(0, first - CONTEXT * 2) : first].split())[-CONTEXT:]
        right = " ".join(text[last : last + CONTEXT * 2].split())[:CONTEXT]
        hits.append(
            Hit(
                segment_id,
                document_id,
                name,
                case,
                label,
                role,
                start,
                end,
                float(score),
                matches,
                left,
                text[first:last],
                right,
            )
        )
    return hits


def mark_terms(
    text: str, start: int, end: int, terms: list[str], mode: Mode
) -> list[tuple[int, int]]:
    """Where the query's words stand in the sentence [start, end), as absolute positions."""
    found: list[tuple[int, int]] = []
    sentence = text[start:end]
    if mode == "compound":
        for term in terms:
            needle = r"\s+".join(re.escape(word) for word in term.rstrip("*").split())
            for match in re.finditer(needle, sentence, re.IGNORECASE):
                found.append((start + match.start(), start + match.end()))
    elif mode == "lemma":
        from vinr_qual.ingest.segment import lemma_of

        wanted = {lemma_of(word) for term in terms for word in term.rstrip("*").split()}
        for match in _WORD.finditer(sentence):
            if lemma_of(match.group()) in wanted:
                found.append((start + match.start(), start + match.end()))
    else:
        for term in terms:
            words = r"\s+".join(re.escape(word) for word in term.rstrip("*").split())
            pattern = rf"\b{words}\w*" if term.endswith("*") else rf"\b{words}\b"
            for match in re.finditer(pattern, sentence, re.IGNORECASE):
                found.append((start + match.start(), start + match.end()))
    return sorted(set(found))


def code_hits(project: Project, hits: list[Hit], code_id: str, *, coder: str | None = None) -> int:
    """Code the sentence of every hit, as one action that is undone as one step; a
    sentence already coded so is left alone. Returns how many codings were added."""
    from vinr_qual.coding.codings import Passage, code_passages

    added = code_passages(
        project,
        [Passage(hit.document_id, hit.start, hit.end) for hit in hits],
        code_id,
        coder=coder,
        action="code hits",
        details={"hits": len(hits)},
    )
    return len(added)
