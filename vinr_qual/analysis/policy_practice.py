"""Policy beside practice: what a municipality's steering documents promise, set beside
what its staff say in interviews.

For a passage of an interview, the passages of the same case's steering documents on the
same theme: those coded with one of the passage's codes (a code's children count as the
code), then the sentences closest in wording, ranked by full-text search over lemmas
(BM25 on the passage's most distinctive lemmas, so "samverkan" in a plan meets
"samverkade" in an interview). From a steering passage, the same in the case's
interviews. `compare_case` gives both sides of one case and code at once.

Wording is ranked on lemmas the importer stored with every sentence, so no language
model is loaded here. The distinctive lemmas are those found in the fewest sentences of
the whole project (read from the index's own vocabulary); words found in more than
`COMMON_SHARE` of all sentences ("och", "att", "kommun") carry no theme and are left out.
A close sentence shares at least two of them and has five words or more: BM25 alone
ranks a table cell with one rare word above a sentence on the theme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vinr_qual.cases.places import Place, Places
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project

OTHER_SIDE = {"interview": "steering", "steering": "interview", "other": "steering"}
COMMON_SHARE = 0.02
SMALL_PROJECT_SHARE = 0.5
SMALL_PROJECT_SENTENCES = 50
TERMS = 8
MIN_WORDS = 5  # a sentence shorter than this is no theme of its own
MIN_SHARED = 2  # distinctive lemmas a close sentence shares with the passage
_TERM = re.compile(r"^[^\W\d_][\w-]{2,}$")


@dataclass(frozen=True)
class Passage:
    document_id: int
    document: str
    kind: str  # the document's kind: interview, steering or other
    start: int
    end: int
    text: str
    place: Place
    codes: tuple[str, ...] = ()  # codes on it, for a coded passage
    coders: tuple[str, ...] = ()
    score: float | None = None  # closeness in wording (higher is closer); None if coded


@dataclass
class Counterparts:
    """The other side of a passage: same-code passages first, then close wording."""

    case: str | None
    kind: str  # the kind of the documents searched
    by_code: list[Passage] = field(default_factory=list)
    by_wording: list[Passage] = field(default_factory=list)


@dataclass
class Comparison:
    case: str
    code: str
    interviews: list[Passage]
    steering: list[Passage]
    # sentences of each side closest in wording to the other side's coded passages, not
    # coded with the code themselves: where a theme is there but nobody has coded it
    interviews_by_wording: list[Passage] = field(default_factory=list)
    steering_by_wording: list[Passage] = field(default_factory=list)


def _case_id(project: Project, case: str) -> tuple[int, str]:
    row = project.db.execute(
        "SELECT id, name FROM cases WHERE name = ? COLLATE NOCASE", [case]
    ).fetchone()
    if row is None:
        known = [name for (name,) in project.db.execute("SELECT name FROM cases ORDER BY name")]
        raise VinrQualError(f"no case {case!r}; cases: {', '.join(known) or 'none'}")
    return int(row[0]), str(row[1])


def _with_children(project: Project, code_ids: list[str]) -> list[str]:
    found = list(dict.fromkeys(code_ids))
    index = 0
    while index < len(found):
        for (child,) in project.db.execute(
            "SELECT id FROM codes WHERE parent_id = ?", [found[index]]
        ):
            if child not in found:
                found.append(child)
        index += 1
    return found


def coded_passages(
    project: Project, case_id: int, kind: str, code_ids: list[str], places: Places | None = None
) -> list[Passage]:
    """Accepted codings with these codes in the case's documents of `kind`, one passage
    per place however many coders coded it, in reading order."""
    if not code_ids:
        return []
    places = places or Places(project)
    marks = ", ".join("?" for _ in code_ids)
    rows = project.db.execute(
        'SELECT d.id, d.name, d.kind, g.start, g."end",'
        ' substr(d.text, g.start + 1, g."end" - g.start), c.name, k.name'
        " FROM codings g JOIN documents d ON d.id = g.document_id"
        " JOIN codes c ON c.id = g.code_id JOIN coders k ON k.id = g.coder_id"
        f" WHERE d.case_id = ? AND d.kind = ? AND g.status = 'accepted' AND g.code_id IN ({marks})"
        ' ORDER BY d.name, g.start, g."end"',
        [case_id, kind, *code_ids],
    ).fetchall()
    merged: dict[tuple[int, int, int], tuple[list[object], list[str], list[str]]] = {}
    for document_id, name, doc_kind, start, end, text, code, coder in rows:
        key = (document_id, start, end)
        if key not in merged:
            merged[key] = ([document_id, name, doc_kind, start, end, text], [], [])
        _, codes, coders = merged[key]
        if code not in codes:
            codes.append(code)
        if coder not in coders:
            coders.append(coder)
    found = []
    for (document_id, start, end), (row, codes, coders) in merged.items():
        found.append(
            Passage(
                document_id,
                str(row[1]),
                str(row[2]),
                start,
                end,
                str(row[5]),
                places(document_id, start, end),
                tuple(codes),
                tuple(coders),
            )
        )
    return found


def compare_case(project: Project, case: str, code_id: str, *, wording: int = 3) -> Comparison:
    """Both sides of one case on one code (its children included): what the interviews
    say and what the steering documents say, and on each side the `wording` sentences
    closest in wording to the other side's passages."""
    case_id, case_name = _case_id(project, case)
    name = project.db.execute("SELECT name FROM codes WHERE id = ?", [code_id]).fetchone()
    if name is None:
        raise VinrQualError(f"no code with id {code_id!r}")
    codes = _with_children(project, [code_id])
    places = Places(project)
    found = Comparison(
        case_name,
        str(name[0]),
        coded_passages(project, case_id, "interview", codes, places),
        coded_passages(project, case_id, "steering", codes, places),
    )
    if wording > 0:
        found.steering_by_wording = _closest_to_all(
            project, found.interviews, case_id, "steering", found.steering, wording, places
        )
        found.interviews_by_wording = _closest_to_all(
            project, found.steering, case_id, "interview", found.interviews, wording, places
        )
    return found


def _closest_to_all(
    project: Project,
    passages: list[Passage],
    case_id: int,
    kind: str,
    already: list[Passage],
    limit: int,
    places: Places,
) -> list[Passage]:
    """The sentences of `kind` closest in wording to any of `passages`, best first."""
    best: dict[tuple[int, int], Passage] = {}
    for passage in passages:
        for close in _close_in_wording(
            project,
            passage.document_id,
            passage.start,
            passage.end,
            case_id,
            kind,
            already,
            limit,
            places,
        ):
            key = (close.document_id, close.start)
            if key not in best or (close.score or 0) > (best[key].score or 0):
                best[key] = close
    return sorted(best.values(), key=lambda p: -(p.score or 0))[:limit]


def counterparts(
    project: Project,
    document_id: int,
    start: int,
    end: int,
    *,
    code_id: str | None = None,
    wording: int = 5,
) -> Counterparts:
    """The other side of a passage in its case: passages coded with `code_id` (or, if
    none is given, with any code on the passage) and the `wording` sentences closest in
    wording that are not among them."""
    row = project.db.execute(
        "SELECT d.case_id, d.kind, c.name FROM documents d"
        " LEFT JOIN cases c ON c.id = d.case_id WHERE d.id = ?",
        [document_id],
    ).fetchone()
    if row is None:
        raise VinrQualError(f"no document with id {document_id}")
    case_id, kind, case_name = row
    other = OTHER_SIDE[kind]
    found = Counterparts(case_name, other)
    if case_id is None:
        return found
    if code_id is not None:
        codes = [code_id]
    else:
        codes = [
            code
            for (code,) in project.db.execute(
                "SELECT DISTINCT code_id FROM codings WHERE document_id = ? AND status = 'accepted'"
                ' AND start < ? AND "end" > ?',
                [document_id, max(end, start + 1), start],
            )
        ]
    places = Places(project)
    found.by_code = coded_passages(project, case_id, other, _with_children(project, codes), places)
    if wording > 0:
        found.by_wording = _close_in_wording(
            project, document_id, start, end, case_id, other, found.by_code, wording, places
        )
    return found


def passage_terms(project: Project, document_id: int, start: int, end: int) -> list[str]:
    """The passage's most distinctive lemmas: in the fewest sentences of the project."""
    lemmas: list[str] = []
    for (text,) in project.db.execute(
        "SELECT lemmas FROM segments WHERE document_id = ? AND kind = 'sentence'"
        ' AND start < ? AND "end" > ? AND lemmas IS NOT NULL',
        [document_id, max(end, start + 1), start],
    ):
        lemmas.extend(term for term in str(text).split() if _TERM.match(term))
    unique = list(dict.fromkeys(lemmas))
    if not unique:
        return []
    # the number of sentences from each document's run of sentence ids: counting the
    # index's rows would read all of it
    total = (
        project.db.execute(
            "SELECT coalesce(sum(last_sentence - first_sentence + 1), 0) FROM documents"
            " WHERE first_sentence IS NOT NULL"
        ).fetchone()[0]
        or 1
    )
    project.db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.lemma_vocabulary"
        " USING fts5vocab(main, search_lemmas, 'row')"
    )
    counts: dict[str, int] = {}
    for term in unique:
        found = project.db.execute(
            "SELECT doc FROM temp.lemma_vocabulary WHERE term = ?", [term]
        ).fetchone()
        if found:
            counts[term] = int(found[0])
    # in a small project every word is rare in absolute terms: half of its sentences (up
    # to 50) is then the bound, so that a pilot study of a few documents works too
    bound = max(COMMON_SHARE * total, min(SMALL_PROJECT_SHARE * total, SMALL_PROJECT_SENTENCES))
    # a lemma found in one sentence only is found in the passage itself and nowhere else
    usable = [term for term in unique if 1 < counts.get(term, 0) <= bound]
    usable.sort(key=lambda term: counts[term])
    return usable[:TERMS]


def _close_in_wording(
    project: Project,
    document_id: int,
    start: int,
    end: int,
    case_id: int,
    kind: str,
    already: list[Passage],
    limit: int,
    places: Places,
) -> list[Passage]:
    terms = passage_terms(project, document_id, start, end)
    if not terms:
        return []
    match = " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)
    documents = project.db.execute(
        "SELECT id, name, kind, first_sentence, last_sentence, text FROM documents"
        " WHERE case_id = ? AND kind = ? AND first_sentence IS NOT NULL AND id != ?",
        [case_id, kind, document_id],
    ).fetchall()
    ranked: list[tuple[float, int, int]] = []  # (bm25, document index, sentence id)
    for index, (_, _, _, first, last, _) in enumerate(documents):
        # one query per document: FTS5 seeks a rowid range, where an OR of ranges scans
        for sentence_id, rank in project.db.execute(
            "SELECT rowid, rank FROM search_lemmas WHERE search_lemmas MATCH ?"
            " AND rowid BETWEEN ? AND ? ORDER BY rank LIMIT ?",
            [match, first, last, limit + len(already)],
        ):
            ranked.append((float(rank), index, int(sentence_id)))
    ranked.sort()
    found: list[Passage] = []
    for rank, index, sentence_id in ranked:
        doc_id, name, doc_kind, _, _, text = documents[index]
        span = project.db.execute(
            'SELECT s.start, s."end", coalesce(sp.is_interviewer, 0), s.lemmas'
            " FROM segments s LEFT JOIN speakers sp ON sp.id = s.speaker_id WHERE s.id = ?",
            [sentence_id],
        ).fetchone()
        if span is None or span[2]:
            continue  # an interviewer's question is not what the staff say
        words = str(span[3] or "").split()
        shared = len(set(words) & set(terms))
        if len(words) < MIN_WORDS or shared < min(MIN_SHARED, len(terms)):
            continue  # BM25 favours a table cell or a stub that holds one rare word
        s_start, s_end = int(span[0]), int(span[1])
        if any(p.document_id == doc_id and p.start < s_end and s_start < p.end for p in already):
            continue  # coded with the code, in part at least: already on the coded side
        found.append(
            Passage(
                doc_id,
                name,
                doc_kind,
                s_start,
                s_end,
                text[s_start:s_end],
                places(doc_id, s_start, s_end),
                score=-rank,
            )
        )
        if len(found) == limit:
            break
    return found
