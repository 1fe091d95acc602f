"""Full-text search over every sentence, with filters, keyword-in-context and counts.

The query language is FTS5's: words, "phrases", AND, OR, NOT, NEAR(a b, 10) and prefix*.
Every word is read as the index reads the text: a word with hyphens, slashes or other
punctuation in it is the phrase of its parts (`BF-arbetet` is "BF arbetet", `2019/2020` is
"2019 2020", `50%` is "50"), so nothing needs quoting. Filters may be typed among the
words (`case:Kvarnby samverkan`). A query that cannot be read says why in one line.
Three modes choose the index:

- `words` (default): whole words, å/ä/ö kept apart from a/o;
- `lemma`: every word of the query is replaced by its lemma and looked up among the
  sentences' lemmas, so `samverka` finds `samverkade` and `samverkar`;
- `compound`: pieces of words (trigrams), so `samverkan` also finds `länssamverkan` and
  `samverkansavtal`; each word needs at least three letters.

Hits are sentences, ranked by BM25, each with its context as it stands in the text (the
keyword and the text left and right of it are exact slices, so a hit inside a compound is
marked inside the word). Filters narrow them by case, case attribute, document kind,
speaker role, and code (inside passages coded with it, or not coded at all). Counts per
document and case cover every hit, not only those returned.
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
from vinr_qual.search.filters import Filters, combined, query_filters

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
LONG_CODING = 2000  # characters: a coding longer than this is checked in Python, not SQL
# The index's tokenizer (unicode61) keeps letters, digits and combining marks together
# and splits at everything else; a query's words are cut the same way.
_TOKEN_CHAR = r"(?:[^\W_]|[\u0300-\u036f])"
_PARTS = re.compile(rf"{_TOKEN_CHAR}+")
_BETWEEN = rf"(?:(?!{_TOKEN_CHAR})[\s\S])+"
# a query: "phrases" (maybe with *), a lone quote, brackets and commas, other runs
_QUERY_TOKEN = re.compile(r'"(?:[^"]|"")*"\*?|"|[(),]|[^\s(),"]+')
EXAMPLES = 'words, "phrases", a AND b, a OR b, a NOT b, NEAR(a b, 10), prefix*'


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
        return parse_query(query, mode).match
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


@dataclass
class ParsedQuery:
    """A query as FTS5 reads it (every word quoted) and its words and phrases, for marking
    the hits: in words mode lower-cased parts joined by spaces ("bf arbetet", "kvinnojour*"),
    in compound mode the exact pieces of text."""

    match: str
    terms: list[str]


@dataclass
class _Token:
    kind: Literal["phrase", "op", "near", "(", ")", ","]
    raw: str
    match: str = ""
    term: str = ""


def parse_query(query: str, mode: Mode) -> ParsedQuery:
    """The FTS5 query for words or compound mode, every word and phrase quoted; a query
    that cannot be read is an error saying what is wrong."""
    return _Parser(query, mode).parse()


def _phrase(raw: str, mode: Mode) -> _Token | None:
    """A word or "phrase" as a quoted FTS5 string: in words mode the phrase of its parts
    as the tokenizer cuts them, for the trigram index the exact text (None: no parts)."""
    prefix = raw.endswith("*")
    body = raw.rstrip("*")
    if len(body) > 1 and body.startswith('"') and body.endswith('"'):
        body = body[1:-1].replace('""', '"')
    if mode == "compound":
        if not _PARTS.search(body):
            return None  # punctuation standing alone
        if len(body.strip()) < 3:
            raise VinrQualError(
                f"search: inside compounds a word needs at least three letters ({body!r});"
                " search words for a shorter one"
            )
        return _Token("phrase", raw, '"' + body.replace('"', '""') + '"', body)
    parts = _PARTS.findall(body)
    if not parts:
        return None
    star = "*" if prefix else ""
    return _Token("phrase", raw, '"' + " ".join(parts) + '"' + star, " ".join(parts).lower() + star)


class _Parser:
    """Reads a query as FTS5 would (NOT before AND before OR, a space is AND), to say what
    is wrong before SQLite does, and writes it with every word quoted."""

    def __init__(self, query: str, mode: Mode) -> None:
        self.query = query.strip()
        self.mode = mode
        self.tokens = self._read()
        self.at = 0
        self.out: list[str] = []
        self.terms: list[str] = []

    def fail(self, why: str) -> VinrQualError:
        return VinrQualError(f"search: cannot read the query {self.query!r}: {why}")

    def _read(self) -> list[_Token]:
        raw = _QUERY_TOKEN.findall(self.query)
        tokens: list[_Token] = []
        in_near = False
        for index, token in enumerate(raw):
            following = raw[index + 1] if index + 1 < len(raw) else ""
            if token == '"':
                raise self.fail('a quote (") is not closed')
            if token in ("AND", "OR", "NOT"):
                tokens.append(_Token("op", token))
            elif token == "NEAR" and following == "(":
                tokens.append(_Token("near", token))
                in_near = True
            elif token == ",":
                if in_near:  # a comma is NEAR's; anywhere else it is punctuation
                    tokens.append(_Token(",", token))
            elif token in "()":
                tokens.append(_Token(token, token))  # type: ignore[arg-type]
                in_near = in_near and token == "("
            elif in_near and tokens and tokens[-1].kind == ",":
                tokens.append(_Token("phrase", token))  # NEAR's distance, read as it is
            else:
                phrase = _phrase(token, self.mode)
                if phrase is not None:
                    tokens.append(phrase)
        return tokens

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> ParsedQuery:
        if not self.tokens:
            if not self.query:
                raise VinrQualError("search: the query is empty")
            raise self.fail("it has no words to search for")
        self.expression()
        if self.peek() is not None:  # only a closing bracket stops an expression early
            raise self.fail("a closing bracket has no opening one")
        return ParsedQuery(" ".join(self.out), self.terms)

    def expression(self) -> None:
        self.conjunction()
        while self._operator("OR"):
            self.conjunction()

    def conjunction(self) -> None:
        self.negation()
        while self._operator("AND") or self._starts_operand():
            self.negation()

    def _starts_operand(self) -> bool:  # a space between two operands is AND
        token = self.peek()
        return token is not None and token.kind in ("phrase", "near", "(")

    def negation(self) -> None:
        self.operand()
        while self._operator("NOT"):
            self.operand()

    def _operator(self, name: str) -> bool:
        token = self.peek()
        if token is None or token.kind != "op" or token.raw != name:
            return False
        self.out.append(self.take().raw)
        following = self.peek()
        if following is None or following.kind in ("op", ")"):
            raise self._lonely(name)
        return True

    def _lonely(self, name: str) -> VinrQualError:
        usage = {"AND": "a AND b", "OR": "a OR b", "NOT": "a NOT b, a without b"}[name]
        return self.fail(f"{name} needs words on both sides ({usage})")

    def operand(self) -> None:
        token = self.peek()
        if token is None:
            raise self.fail(f"it ends too early; write {EXAMPLES}")
        if token.kind == "phrase":
            self.take()
            self.out.append(token.match)
            self.terms.append(token.term)
        elif token.kind == "(":
            self.take()
            if (self.peek() or token).kind == ")":
                raise self.fail("there is nothing between the brackets")
            self.out.append("(")
            self.expression()
            if self.peek() is None:
                raise self.fail("a bracket is not closed")
            self.out.append(self.take().raw)
        elif token.kind == "near":
            self.near()
        elif token.kind == "op":
            raise self._lonely(token.raw)
        else:
            raise self.fail("a closing bracket has no opening one")

    def near(self) -> None:
        usage = "NEAR is written NEAR(a b, 10): words, then how far apart they may be"
        self.take()
        self.take()  # its bracket
        phrases = []
        while (token := self.peek()) is not None and token.kind == "phrase":
            phrases.append(self.take())
        distance = ""
        if (token := self.peek()) is not None and token.kind == ",":
            self.take()
            number = self.peek()
            if number is None or not number.raw.isdigit():
                raise self.fail(usage)
            distance = f", {self.take().raw}"
        closing = self.peek()
        if not phrases or closing is None or closing.kind != ")":
            raise self.fail(usage)
        self.take()
        self.out.append(f"NEAR({' '.join(phrase.match for phrase in phrases)}{distance})")
        self.terms.extend(phrase.term for phrase in phrases)


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


def search(
    project: Project,
    query: str,
    *,
    mode: Mode = "words",
    filters: Filters | None = None,
    limit: int = 50,
) -> SearchResult:
    """The hits of a query, best first, with counts per document and case of every hit.

    Filters typed in the query (`case:Kvarnby samverkan`) join those given; a query that
    cannot be read is a VinrQualError saying why, never SQLite's own message."""
    typed = query_filters(project, query)
    filters = combined(filters or Filters(), typed.filters, typed.typed)
    words = typed.words
    if typed.typed and not words.strip():
        example = f"{' '.join(typed.typed)} samverkan"
        raise VinrQualError(
            f"search: {' '.join(typed.typed)} is a filter, not words to search for;"
            f" add the words too ({example})"
        )
    # every form of a word is looked up as it is typed, so a lemma query is read as words
    terms = parse_query(words, "words" if mode == "lemma" else mode).terms
    table = TABLES[mode]
    match = fts_query(words, mode)
    try:
        if filters.role or filters.code_id or filters.not_coded:
            ranked, per_document_id = _search_joined(project, table, match, filters, limit)
        else:
            ranked, per_document_id = _search_by_ranges(project, table, match, filters, limit)
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise VinrQualError("search: the project is busy; try again") from error
        raise VinrQualError(
            f"search: cannot read the query {query.strip()!r}; write {EXAMPLES}"
        ) from error
    documents = {
        row[0]: (row[1], row[2])
        for row in project.db.execute(
            "SELECT d.id, d.name, c.name FROM documents d LEFT JOIN cases c ON c.id = d.case_id"
        )
    }
    per_document: dict[str, int] = {}
    for document_id, count in sorted(per_document_id.items(), key=lambda item: -item[1]):
        name = documents[document_id][0]
        per_document[name] = per_document.get(name, 0) + count
    cases: dict[str, int] = {}
    for document_id, count in per_document_id.items():
        case = documents[document_id][1] or ""
        cases[case] = cases.get(case, 0) + count
    per_case = dict(sorted(cases.items(), key=lambda item: (-item[1], item[0])))
    hits = _hits(project, ranked, documents, terms, mode)
    return SearchResult(query, mode, sum(per_document_id.values()), hits, per_document, per_case)


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
    """Hits filtered by what is said where (speaker, codings), in SQL.

    The index is read once, first (materialised, so that SQLite never runs the MATCH again
    for each sentence whatever plan it picks); each hit is then joined to its sentence.
    Codings overlapping a sentence are looked for only as far back as the longest of them
    reaches, so each look-up reads a few index entries, not a whole document's; the rare
    coding longer than LONG_CODING is checked in Python instead."""
    clauses, params = _document_clauses(filters)
    joins = ""
    if clauses:
        joins = " JOIN documents d ON d.id = s.document_id LEFT JOIN cases c ON c.id = d.case_id"
    if filters.role:
        clauses.append("s.speaker_id IN (SELECT id FROM speakers WHERE role = ? COLLATE NOCASE)")
        params.append(filters.role)
    columns: list[str] = []  # for each code: whether the sentence overlaps a short coding
    column_params: list[object] = []
    checks: list[tuple[bool, int | None, dict[int, list[tuple[int, int]]]]] = []
    # inside passages of a code (EXISTS), or outside every coded passage (NOT EXISTS)
    coded: list[tuple[str | None, bool]] = [(filters.code_id, True)] if filters.code_id else []
    coded += [(None, False)] if filters.not_coded else []
    for code_id, inside in coded:
        # for one code by its own index (`+`), for all by the index in reading order
        code = " AND g.code_id = ? AND +g.status = 'accepted'" if code_id else ""
        code_params: list[object] = [code_id] if code_id else []
        accepted = "" if code_id else " AND g.status = 'accepted'"
        (longest,) = project.db.execute(
            f'SELECT max(g."end" - g.start) FROM codings g WHERE 1{code}{accepted}', code_params
        ).fetchone()
        if longest is None:  # nothing is so coded
            if inside:
                return [], {}
            continue
        probe = (
            f"EXISTS (SELECT 1 FROM codings g WHERE g.document_id = s.document_id{code}"
            f" AND g.status = 'accepted' AND g.start < s.\"end\" AND g.start > s.start - ?"
            ' AND g."end" > s.start)'
        )
        probe_params = [*code_params, min(longest, LONG_CODING)]
        long: dict[int, list[tuple[int, int]]] = {}
        if longest > LONG_CODING:
            for document_id, start, end in project.db.execute(
                f'SELECT g.document_id, g.start, g."end" FROM codings g WHERE 1{code}{accepted}'
                ' AND g."end" - g.start > ?',
                [*code_params, LONG_CODING],
            ):
                long.setdefault(document_id, []).append((start, end))
        if inside and long:  # the short ones in SQL, the long ones below
            documents = ", ".join(str(int(document_id)) for document_id in long)
            clauses.append(f"({probe} OR s.document_id IN ({documents}))")
            columns.append(probe)
            column_params.extend(probe_params)
            checks.append((inside, 5 + len(columns) - 1, long))
        else:
            clauses.append(probe if inside else f"NOT {probe}")
            if long:
                checks.append((inside, None, long))
        params.extend(probe_params)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = project.db.execute(
        f"WITH m(id, rank) AS MATERIALIZED (SELECT rowid, rank FROM {table}"
        f' WHERE {table} MATCH ?) SELECT m.id, s.document_id, m.rank, s.start, s."end"'
        f"{''.join(f', {column}' for column in columns)} FROM m"
        f" JOIN segments s ON s.id = m.id{joins}{where}",
        [match, *column_params, *params],
    ).fetchall()
    counts: dict[int, int] = {}
    kept: list[tuple[float, int]] = []
    for row in rows:
        segment_id, document_id, rank, start, end = row[:5]
        for inside, column, long in checks:
            is_coded = bool(column is not None and row[column])
            for coding_start, coding_end in long.get(document_id, ()):
                is_coded = is_coded or (coding_start < end and coding_end > start)
            if is_coded != inside:
                break
        else:
            counts[document_id] = counts.get(document_id, 0) + 1
            kept.append((rank, segment_id))
    best = heapq.nsmallest(limit, kept)
    return [(rowid, rank) for rank, rowid in best], counts


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
        # exact slices of the text: a quote copied from the context is the text's own
        left = text[max(0, first - CONTEXT) : first]
        right = text[last : last + CONTEXT]
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
        for term in terms:  # the exact piece of text the trigram index found
            for match in re.finditer(re.escape(term), sentence, re.IGNORECASE):
                found.append((start + match.start(), start + match.end()))
    elif mode == "lemma":
        from vinr_qual.ingest.segment import lemma_of

        wanted = {lemma_of(word) for term in terms for word in term.rstrip("*").split()}
        for match in _WORD.finditer(sentence):
            if lemma_of(match.group()) in wanted:
                found.append((start + match.start(), start + match.end()))
    else:
        for term in terms:  # its parts with anything but letters and digits between
            words = _BETWEEN.join(re.escape(word) for word in term.rstrip("*").split())
            end_of_word = f"{_TOKEN_CHAR}*" if term.endswith("*") else f"(?!{_TOKEN_CHAR})"
            pattern = rf"(?<!{_TOKEN_CHAR}){words}{end_of_word}"
            for match in re.finditer(pattern, sentence, re.IGNORECASE):
                found.append((start + match.start(), start + match.end()))
    return sorted(set(found))


def on_one_line(text: str) -> str:
    """Context for a list: each line break or tab a space, every other character as it is
    (the hit's offsets stay those of the text)."""
    return text.translate(_LINE_BREAKS)


_LINE_BREAKS = str.maketrans(dict.fromkeys("\n\r\t\v\f\x1c\x1d\x1e\x85\u2028\u2029", " "))


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
