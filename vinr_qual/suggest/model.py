"""Suggestions learned from the team's own coding, on this machine, and why each was made.

The unit is the sentence said by an interviewee: sentences of interviewer turns and of
steering documents are left out. A sentence is a positive of a code when an accepted
coding of that code covers at least half of it (or it holds at least half of the coding);
every other sentence is a negative. A code with at least `min_positives` positive
sentences gets a model; fewer, and it is listed with its count so the threshold shows.

Features are TF-IDF over the sentences' lemmas and over character n-grams (3 to 5, within
words) of their text, which find the parts of Swedish compounds ("resursbrist" shares
"resurs" with "resurser"); each half is normalised and the two are joined, so a row has
unit length and a dot product is a cosine. The vocabulary and its weights are learned from
the project's own sentences (no labels are used for it). The classifier is scikit-learn's
`LogisticRegression` (liblinear, `class_weight='balanced'`), fitted on all positives and a
sample of the negatives drawn with the fixed seed, which keeps a fit short however large
the project is.

The figures are honest: five-fold stratified cross-validation with the seed, every
sentence predicted by a model that did not see it, precision, recall and F1 counted at the
probability threshold over the whole held-out folds. A model whose cross-validated
precision is below `weak_below` is weak: it says so and suggests nothing unless forced.

Suggestions are the `per_code` sentences with the highest probability at or above the
threshold among those with no coding of the code at all (accepted, suggested or rejected),
added as suggested codings with origin `model:<code id>` by the coder "vinr-qual model":
they count only once someone accepts them, and human codings are never touched. Why each
was suggested (its probability, the words that weighed most, the model's figures) is kept
in the change log, in the batch row of the suggestions' creation, so the review queue
shows it as it was when the suggestion was made without training anything.

Trained models are kept in memory per process and project. A code's model is trained
again only when its own accepted codings, the project's sentences or the settings change,
so a few decisions in review cost one code's retraining, not the whole project's. Nothing
is downloaded and nothing leaves the machine.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import time
import zlib
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from vinr_qual.coding.codings import add_suggestions
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

MODEL_CODER = "vinr-qual model"
SUGGEST_ACTION = "learn suggest"
SEED = 20250512
FOLDS = 5
# each fit sees every positive and this many negatives (or RATIO times the positives)
NEGATIVES = 2000
NEGATIVE_RATIO = 3
WHY_WORDS = 6
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Settings:
    """What a model and its figures depend on; the same settings give the same models."""

    min_positives: int = 15
    weak_below: float = 0.6
    threshold: float = 0.5
    seed: int = SEED
    folds: int = FOLDS

    def __post_init__(self) -> None:
        if self.min_positives < self.folds:
            raise VinrQualError(f"a model needs at least {self.folds} positive sentences")
        if not 0 < self.threshold < 1:
            raise VinrQualError("the probability threshold lies between 0 and 1")
        if not 0 <= self.weak_below <= 1:
            raise VinrQualError("the precision bar lies between 0 and 1")


# the sentences and their features ------------------------------------------------------


@dataclass
class SentenceIndex:
    """The interviewees' sentences of a project, and their TF-IDF features."""

    key: str
    document_ids: list[int]
    starts: list[int]
    ends: list[int]
    texts: list[str]
    lemmas: list[str]
    matrix: csr_matrix
    lemma_vectorizer: Any
    char_vectorizer: Any
    lemma_features: int
    features: list[str]
    # per document: the sentences' starts, ends and rows, in reading order
    by_document: dict[int, tuple[list[int], list[int], list[int]]] = field(repr=False)

    _mean: Any = field(default=None, repr=False)

    @property
    def size(self) -> int:
        return len(self.texts)

    def mean(self) -> Any:
        """The mean of all sentences' features (what all speech shares)."""
        if self._mean is None:
            import numpy as np

            self._mean = np.asarray(self.matrix.mean(axis=0)).ravel()
        return self._mean

    def overlapping(self, document_id: int, start: int, end: int) -> Iterable[tuple[int, int]]:
        """(row, overlap in characters) of the sentences that overlap [start, end)."""
        spans = self.by_document.get(document_id)
        if spans is None:
            return
        starts, ends, rows = spans
        at = bisect_right(ends, start)
        while at < len(starts) and starts[at] < end:
            overlap = min(end, ends[at]) - max(start, starts[at])
            if overlap > 0:
                yield rows[at], overlap
            at += 1

    def covered(self, document_id: int, start: int, end: int) -> list[int]:
        """Rows of the sentences a coding of [start, end) stands for: those it covers at
        least half of, or that hold at least half of it."""
        return [
            row
            for row, overlap in self.overlapping(document_id, start, end)
            if 2 * overlap >= self.ends[row] - self.starts[row] or 2 * overlap >= end - start
        ]

    def vectorize(self, texts: Sequence[str], lemmas: Sequence[str]) -> csr_matrix:
        """Features of other text, in this index's vocabulary."""
        return _join(self.lemma_vectorizer.transform(lemmas), self.char_vectorizer.transform(texts))


def _where(project: Project) -> str:
    return os.path.abspath(project.path)


def _split(text: str) -> list[str]:
    return text.split()


def _join(lemma_part: Any, char_part: Any) -> csr_matrix:
    from scipy.sparse import hstack

    return (hstack([lemma_part, char_part], format="csr") * (1 / math.sqrt(2))).tocsr()


def _vectorizers(min_df: int) -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    lemmas = TfidfVectorizer(analyzer=_split, min_df=min_df, sublinear_tf=True)
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), min_df=min_df, sublinear_tf=True, lowercase=True
    )
    return lemmas, chars


def _text_key(project: Project) -> str:
    """Changes whenever the sentences the models read change: documents, their sentences,
    who is an interviewer."""
    row = project.db.execute(
        "SELECT (SELECT group_concat(id || ':' || sha256 || ':' || kind) FROM documents),"
        " (SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || coalesce(sum(start), 0)"
        "  FROM segments WHERE kind = 'sentence'),"
        " (SELECT group_concat(id || ':' || is_interviewer) FROM speakers)"
    ).fetchone()
    return hashlib.sha256(repr((_where(project), *row)).encode()).hexdigest()


_INDEXES: dict[str, SentenceIndex] = {}


def sentence_index(project: Project) -> SentenceIndex:
    """The project's sentence index, built once per process until its text changes."""
    key = _text_key(project)
    cached = _INDEXES.get(_where(project))
    if cached is not None and cached.key == key:
        return cached
    rows = project.db.execute(
        'SELECT s.document_id, s.start, s."end", substr(d.text, s.start + 1, s."end" - s.start),'
        " coalesce(s.lemmas, '') FROM segments s JOIN documents d ON d.id = s.document_id"
        " LEFT JOIN speakers sp ON sp.id = s.speaker_id"
        " WHERE s.kind = 'sentence' AND d.kind != 'steering'"
        " AND (s.speaker_id IS NULL OR sp.is_interviewer = 0)"
        " ORDER BY s.document_id, s.start"
    ).fetchall()
    if len(rows) < 2:
        raise VinrQualError("too little interview text to learn from: import interviews first")
    texts = [row[3] for row in rows]
    lemmas = [row[4] for row in rows]
    lemma_vectorizer, char_vectorizer = _vectorizers(2)
    try:
        lemma_part = lemma_vectorizer.fit_transform(lemmas)
        char_part = char_vectorizer.fit_transform(texts)
    except ValueError:  # so little text that no feature is in two sentences
        lemma_vectorizer, char_vectorizer = _vectorizers(1)
        lemma_part = lemma_vectorizer.fit_transform(lemmas)
        char_part = char_vectorizer.fit_transform(texts)
    by_document: dict[int, tuple[list[int], list[int], list[int]]] = {}
    for number, (document_id, start, end, _, _) in enumerate(rows):
        starts, ends, members = by_document.setdefault(document_id, ([], [], []))
        starts.append(start)
        ends.append(end)
        members.append(number)
    lemma_names = list(lemma_vectorizer.get_feature_names_out())
    matrix = _join(lemma_part, char_part)
    matrix.sort_indices()  # once here, not again in every fit
    index = SentenceIndex(
        key=key,
        document_ids=[row[0] for row in rows],
        starts=[row[1] for row in rows],
        ends=[row[2] for row in rows],
        texts=texts,
        lemmas=lemmas,
        matrix=matrix,
        lemma_vectorizer=lemma_vectorizer,
        char_vectorizer=char_vectorizer,
        lemma_features=len(lemma_names),
        features=lemma_names + list(char_vectorizer.get_feature_names_out()),
        by_document=by_document,
    )
    _INDEXES[_where(project)] = index
    return index


# the words that weigh -------------------------------------------------------------------


def _words_and_lemmas(text: str, lemmas: str) -> list[tuple[str, str]]:
    """The words of a text with their lemmas: the sentence's own lemmas where they line up
    with its words, else the lemma table's."""
    words = _WORD.findall(text)
    given = lemmas.split()
    if len(given) == len(words):
        return list(zip(words, given, strict=True))
    from vinr_qual.ingest.segment import lemma_of

    return [(word, lemma_of(word)) for word in words]


def weighed_words(
    index: SentenceIndex,
    vector: Any,
    weights: Any,
    text: str,
    lemmas: str,
    *,
    limit: int = WHY_WORDS,
) -> list[str]:
    """The words of a text that weigh most towards `weights`: each feature's share (its
    value in the text's `vector` times its weight) goes to the words it stands for (a
    lemma to the words of that lemma, a character n-gram to the words that hold it)."""
    words = _words_and_lemmas(text, lemmas)
    if not words:
        return []
    scores: dict[str, float] = {}
    shown: dict[str, str] = {}
    for word, _ in words:
        shown.setdefault(word.lower(), word)
    padded = [(f" {word.lower()} ", word.lower(), lemma) for word, lemma in words]
    row = vector.tocsr()
    for feature, value in zip(row.indices, row.data, strict=True):
        share = float(value) * float(weights[feature])
        if share == 0:
            continue
        name = index.features[feature]
        if feature < index.lemma_features:
            owners = [lower for _, lower, lemma in padded if lemma == name]
        else:
            owners = [lower for around, lower, _ in padded if name in around]
        for owner in owners:
            scores[owner] = scores.get(owner, 0.0) + share / len(owners)
    ranked = sorted((item for item in scores.items() if item[1] > 0), key=lambda i: -i[1])
    return [shown[word] for word, _ in ranked[:limit]]


# training --------------------------------------------------------------------------------


@dataclass
class CodeModel:
    code_id: str
    code: str
    positives: int
    precision: float
    recall: float
    f1: float
    weak: bool
    key: str = field(repr=False)
    coef: Any = field(repr=False)
    intercept: float = field(repr=False, default=0.0)

    def probabilities(self, matrix: Any) -> np.ndarray:
        import numpy as np

        return np.asarray(1 / (1 + np.exp(-(matrix @ self.coef + self.intercept))))

    def figures(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "positives": self.positives,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "weak": self.weak,
        }


@dataclass
class Learned:
    """The models of a project's codes, and the codes with too few sentences for one."""

    settings: Settings
    index: SentenceIndex
    models: dict[str, CodeModel]
    too_few: dict[str, tuple[str, int]]  # code id: (name, positive sentences)
    trained: int  # models trained now (the others came from the cache)
    seconds: float


_MODELS: dict[str, dict[str, CodeModel]] = {}


def _positives(project: Project, index: SentenceIndex) -> dict[str, list[int]]:
    found: dict[str, set[int]] = {}
    for code_id, document_id, start, end in project.db.execute(
        'SELECT g.code_id, g.document_id, g.start, g."end" FROM codings g'
        " JOIN codes c ON c.id = g.code_id WHERE g.status = 'accepted' AND c.codable = 1"
    ):
        found.setdefault(code_id, set()).update(index.covered(document_id, start, end))
    return {code_id: sorted(rows) for code_id, rows in found.items()}


def _fit(matrix: Any, labels: Any, rows: Any, rng: Any, seed: int) -> tuple[Any, float]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    positive = rows[labels[rows]]
    negative = rows[~labels[rows]]
    keep = max(NEGATIVES, NEGATIVE_RATIO * len(positive))
    if len(negative) > keep:
        negative = rng.choice(negative, keep, replace=False)
    chosen = np.sort(np.concatenate([positive, negative]))
    # the dual problem (a fit has fewer sentences than features) converges fastest, and a
    # loose tolerance changes no figure measurably (the demo's are the same at 0.01)
    model = LogisticRegression(
        solver="liblinear", dual=True, C=1.0, tol=0.1, class_weight="balanced", random_state=seed
    )
    model.fit(matrix[chosen], labels[chosen])
    return model.coef_[0].copy(), float(model.intercept_[0])


def _train_code(
    index: SentenceIndex, code_id: str, name: str, rows: list[int], key: str, settings: Settings
) -> CodeModel:
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    size = index.size
    labels = np.zeros(size, dtype=bool)
    labels[rows] = True
    rng = np.random.default_rng([settings.seed, zlib.crc32(code_id.encode())])
    matrix = index.matrix
    scores = np.zeros(size)
    folds = StratifiedKFold(n_splits=settings.folds, shuffle=True, random_state=settings.seed)
    for train, test in folds.split(np.zeros(size), labels):
        coef, intercept = _fit(matrix, labels, train, rng, settings.seed)
        scores[test] = 1 / (1 + np.exp(-(matrix[test] @ coef + intercept)))
    predicted = scores >= settings.threshold
    hits = int((predicted & labels).sum())
    precision = hits / int(predicted.sum()) if predicted.any() else 0.0
    recall = hits / len(rows)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    coef, intercept = _fit(matrix, labels, np.arange(size), rng, settings.seed)
    return CodeModel(
        code_id,
        name,
        len(rows),
        precision,
        recall,
        f1,
        precision < settings.weak_below,
        key,
        coef,
        intercept,
    )


def learn(
    project: Project, settings: Settings | None = None, *, code_ids: list[str] | None = None
) -> Learned:
    """A model for every code (or these codes) with enough positive sentences, with its
    cross-validated figures; models whose code's coding has not changed come from memory."""
    settings = settings or Settings()
    began = time.perf_counter()
    index = sentence_index(project)
    names = dict(project.db.execute("SELECT id, name FROM codes WHERE codable = 1").fetchall())
    positives = _positives(project, index)
    wanted = sorted(positives) if code_ids is None else [c for c in code_ids if c in names]
    cache = _MODELS.setdefault(_where(project), {})
    models: dict[str, CodeModel] = {}
    too_few: dict[str, tuple[str, int]] = {}
    jobs = []
    for code_id in wanted:
        rows = positives.get(code_id, [])
        if code_id not in names:
            continue
        if len(rows) < settings.min_positives or index.size - len(rows) < settings.folds:
            too_few[code_id] = (names[code_id], len(rows))
            continue
        key = hashlib.sha256(repr((index.key, settings, names[code_id], rows)).encode()).hexdigest()
        known = cache.get(code_id)
        if known is not None and known.key == key:
            models[code_id] = known
        else:
            jobs.append((code_id, names[code_id], rows, key))
    # one at a time: liblinear's random order of coordinates comes from one generator
    # shared by the whole process, so fits in parallel threads would not repeat exactly
    for code_id, name, rows, key in jobs:
        trained = _train_code(index, code_id, name, rows, key, settings)
        models[code_id] = cache[code_id] = trained
    ordered = {code_id: models[code_id] for code_id in wanted if code_id in models}
    return Learned(settings, index, ordered, too_few, len(jobs), time.perf_counter() - began)


def forget(project: Project | None = None) -> None:
    """Drop the models and sentences kept in memory (for one project, or all)."""
    if project is None:
        _INDEXES.clear()
        _MODELS.clear()
    else:
        _INDEXES.pop(_where(project), None)
        _MODELS.pop(_where(project), None)


# the figures, beside what review made of the suggestions -------------------------------


@dataclass
class ModelReport:
    code_id: str
    code: str
    positives: int
    precision: float | None
    recall: float | None
    f1: float | None
    weak: bool | None  # None: too few positives for a model
    suggested: int  # the model's suggestions still waiting
    accepted: int
    rejected: int


def report(project: Project, learned: Learned) -> list[ModelReport]:
    """Per code: its model's cross-validated figures (or its count, below the threshold),
    and how its suggestions fared in review."""
    reviewed: dict[str, dict[str, int]] = {}
    for code_id, status, count in project.db.execute(
        "SELECT substr(origin, 7), status, count(*) FROM codings WHERE origin LIKE 'model:%'"
        " GROUP BY 1, 2"
    ):
        reviewed.setdefault(code_id, {})[status] = count
    rows = []
    for code_id, model in learned.models.items():
        counts = reviewed.get(code_id, {})
        rows.append(
            ModelReport(
                code_id,
                model.code,
                model.positives,
                model.precision,
                model.recall,
                model.f1,
                model.weak,
                counts.get("suggested", 0),
                counts.get("accepted", 0),
                counts.get("rejected", 0),
            )
        )
    for code_id, (name, count) in learned.too_few.items():
        counts = reviewed.get(code_id, {})
        rows.append(
            ModelReport(
                code_id,
                name,
                count,
                None,
                None,
                None,
                None,
                counts.get("suggested", 0),
                counts.get("accepted", 0),
                counts.get("rejected", 0),
            )
        )
    rows.sort(key=lambda r: (r.weak is None, -(r.precision or 0), -r.positives, r.code))
    return rows


# suggesting ------------------------------------------------------------------------------


@dataclass
class CodeSuggestions:
    code_id: str
    code: str
    added: int
    weak: bool
    skipped: str | None = None  # "weak", "too few", "nothing above the threshold"


@dataclass
class SuggestReport:
    per_code: list[CodeSuggestions]
    added: int
    coding_ids: list[int]


def _coded_rows(project: Project, index: SentenceIndex, code_id: str) -> set[int]:
    """Sentences that any coding of the code touches, whatever its status."""
    touched: set[int] = set()
    for document_id, start, end in project.db.execute(
        'SELECT document_id, start, "end" FROM codings WHERE code_id = ?', [code_id]
    ):
        touched.update(row for row, _ in index.overlapping(document_id, start, end))
    return touched


def why_key(document_id: int, start: int, end: int, code_id: str) -> str:
    return f"{document_id}:{start}:{end}:{code_id}"


def suggest(
    project: Project,
    settings: Settings | None = None,
    *,
    code_ids: list[str] | None = None,
    per_code: int = 5,
    force: bool = False,
    dry_run: bool = False,
) -> SuggestReport:
    """Each model's best `per_code` sentences not yet coded with its code, as suggestions
    in the review queue; weak models suggest nothing unless `force`."""
    import numpy as np

    if per_code < 1:
        raise VinrQualError("suggest at least one passage per code")
    if not dry_run:
        project.require_writable()
    learned = learn(project, settings, code_ids=code_ids)
    settings = learned.settings
    index = learned.index
    per: list[CodeSuggestions] = []
    rows: list[tuple[int, int, int, str, str]] = []
    why: dict[str, dict[str, Any]] = {}
    figures: dict[str, dict[str, Any]] = {}
    for code_id, (name, _) in learned.too_few.items():
        per.append(CodeSuggestions(code_id, name, 0, True, "too few"))
    for code_id, model in learned.models.items():
        if model.weak and not force:
            per.append(CodeSuggestions(code_id, model.code, 0, True, "weak"))
            continue
        scores = model.probabilities(index.matrix)
        blocked = _coded_rows(project, index, code_id)
        candidates = [
            int(row)
            for row in np.flatnonzero(scores >= settings.threshold)
            if int(row) not in blocked
        ]
        candidates.sort(key=lambda row: (-scores[row], row))
        chosen = candidates[:per_code]
        if not chosen:
            per.append(
                CodeSuggestions(code_id, model.code, 0, model.weak, "nothing above the threshold")
            )
            continue
        figures[code_id] = {**model.figures(), "forced": bool(model.weak)}
        for row in chosen:
            document_id, start, end = index.document_ids[row], index.starts[row], index.ends[row]
            rows.append((document_id, start, end, code_id, f"model:{code_id}"))
            why[why_key(document_id, start, end, code_id)] = {
                "probability": round(float(scores[row]), 3),
                "words": weighed_words(
                    index, index.matrix[row], model.coef, index.texts[row], index.lemmas[row]
                ),
            }
        per.append(CodeSuggestions(code_id, model.code, len(chosen), model.weak))
    ids: list[int] = []
    if rows and not dry_run:
        ids = add_suggestions(
            project,
            rows,
            coder=MODEL_CODER,
            action=SUGGEST_ACTION,
            details={"models": figures, "why": why, "settings": asdict(settings)},
        )
    return SuggestReport(per, len(rows), ids)


# why a suggestion was made ---------------------------------------------------------------


@dataclass
class Why:
    """What made a suggestion, and what the code is meant for, for the review queue."""

    coding_id: int
    origin: str
    kind: str  # rule, model, speaker, import, manual or another origin's prefix
    source: str | None  # the name of the code whose rule or model made the suggestion
    words: list[str]
    probability: float | None
    precision: float | None
    recall: float | None
    forced: bool
    definition: str | None
    not_when: str | None

    def label(self) -> str:
        """ "rule: Knappa resurser", "model: Knappa resurser (CV precision 0.78)"."""
        if self.kind in ("rule", "model") and self.source:
            figure = f" (CV precision {self.precision:.2f})" if self.precision is not None else ""
            return f"{self.kind}: {self.source}{figure if self.kind == 'model' else ''}"
        return self.origin


def _creation(project: Project, coding_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The coding as it was made, and the details of the batch it was made in."""
    row = project.db.execute(
        "SELECT c.after, b.after FROM changes c LEFT JOIN changes b ON b.id = c.batch"
        " WHERE c.entity = 'coding' AND c.entity_id = ? AND c.action = 'create'"
        " ORDER BY c.id DESC LIMIT 1",
        [str(coding_id)],
    ).fetchone()
    if row is None:
        return {}, {}
    made, details = (json.loads(value) if value else {} for value in row)
    return (made if isinstance(made, dict) else {}), (details if isinstance(details, dict) else {})


def rule_words(project: Project, code_id: str, document_id: int, start: int, end: int) -> list[str]:
    """The words of a passage that made a code's rule find it: the rules engine's own
    evidence (keywords, lemmas, phrases, patterns that met the rule's conditions), read
    back as the words of the passage they stand on, in reading order."""
    from vinr_qual.codebook.project_codes import read_codebook
    from vinr_qual.suggest.rules import Unit, compile_rules

    compiled = compile_rules(
        code for code, _, _ in read_codebook(project).walk() if code.id == code_id
    )
    text = project.db.execute(
        "SELECT substr(text, ? + 1, ?) FROM documents WHERE id = ?",
        [start, end - start, document_id],
    ).fetchone()
    if not compiled or text is None:
        return []
    lemmas = [
        lemma
        for (value,) in project.db.execute(
            "SELECT coalesce(lemmas, '') FROM segments WHERE document_id = ? AND kind = 'sentence'"
            ' AND "end" > ? AND start < ? ORDER BY start',
            [document_id, start, end],
        )
        for lemma in value.split()
    ]
    # whoever speaks: the rule found the passage, and the why shows what it found there
    unit = Unit(document_id, start, end, str(text[0]), frozenset(lemmas))
    tokens = unit.tokens()
    pieces: list[tuple[str, int, int]] = []
    for block in compiled[0].blocks:
        counted = block.counted(unit)
        pieces = pieces or counted
        if block.matches(unit):
            pieces = counted
            break
    words: list[str] = []
    for name, first, last in sorted(pieces, key=lambda piece: piece[1:]):
        if last < len(tokens) and last - first < 6:
            word = unit.text[tokens[first][0] : tokens[last][1]]
        else:  # a lemma of the sentence that no single word gives: the lemma itself
            word = name.partition(" ")[2]
        if word and word.lower() not in (known.lower() for known in words):
            words.append(word)
    return words


def explain(project: Project, coding_id: int) -> Why:
    """Why a coding was suggested: the rule or model (with its cross-validated precision
    when it was made), the words that fired, and the code's definition and "not when"."""
    row = project.db.execute(
        'SELECT g.document_id, g.start, g."end", g.origin, c.definition, c.not_when'
        " FROM codings g JOIN codes c ON c.id = g.code_id WHERE g.id = ?",
        [coding_id],
    ).fetchone()
    if row is None:
        raise VinrQualError(f"no coding with id {coding_id}")
    document_id, start, end, origin, definition, not_when = row
    kind, _, source_id = str(origin).partition(":")
    why = Why(coding_id, origin, kind, None, [], None, None, None, False, definition, not_when)
    if kind not in ("rule", "model") or not source_id:
        return why
    name = project.db.execute("SELECT name FROM codes WHERE id = ?", [source_id]).fetchone()
    why.source = str(name[0]) if name else source_id
    if kind == "rule":
        why.words = rule_words(project, source_id, document_id, start, end)
        return why
    made, details = _creation(project, coding_id)
    key = why_key(
        made.get("document_id", document_id),
        made.get("start", start),
        made.get("end", end),
        source_id,
    )
    found = (details.get("why") or {}).get(key) or {}
    figures = (details.get("models") or {}).get(source_id) or {}
    why.words = [str(word) for word in found.get("words", [])]
    why.probability = found.get("probability")
    why.precision = figures.get("precision")
    why.recall = figures.get("recall")
    why.forced = bool(figures.get("forced"))
    return why
