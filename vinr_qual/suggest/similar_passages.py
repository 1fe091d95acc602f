"""More like this: the interviewees' sentences most like a passage, or like a whole code.

From a coding, the query is its passage; from a code, the centre of the sentences its
accepted codings stand for. Both are put in the features the learned models use (TF-IDF
over lemmas and character n-grams, see `vinr_qual.suggest.model`), and every sentence not
yet coded with the code is ranked by cosine similarity, with the words that made it
similar: those whose lemmas and parts it shares with the query, weighed by both sides.
The sentence index is built once per process, so a query after the first takes a few
milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project
from vinr_qual.suggest.model import sentence_index, weighed_words


@dataclass
class Similar:
    document_id: int
    document: str
    start: int
    end: int
    passage: str
    similarity: float
    words: list[str]


@dataclass
class LikeThis:
    """What was asked for, and the passages found."""

    code_id: str
    code: str
    source: str  # "coding 12" or "code Knappa resurser"
    passages: list[Similar]


def more_like_this(
    project: Project,
    *,
    coding_id: int | None = None,
    code_id: str | None = None,
    limit: int = 10,
) -> LikeThis:
    """The `limit` sentences most like a coding's passage (or a code's coded sentences)
    among those with no accepted coding of that code."""
    import numpy as np

    if (coding_id is None) == (code_id is None):
        raise VinrQualError("name a coding or a code to find more like it")
    if limit < 1:
        raise VinrQualError("ask for at least one passage")
    index = sentence_index(project)
    if coding_id is not None:
        row = project.db.execute(
            'SELECT g.document_id, g.start, g."end", g.code_id,'
            ' substr(d.text, g.start + 1, g."end" - g.start)'
            " FROM codings g JOIN documents d ON d.id = g.document_id WHERE g.id = ?",
            [coding_id],
        ).fetchone()
        if row is None:
            raise VinrQualError(f"no coding with id {coding_id}")
        document_id, start, end, code_id, passage = row
        lemmas = " ".join(
            value
            for (value,) in project.db.execute(
                "SELECT coalesce(lemmas, '') FROM segments WHERE document_id = ?"
                " AND kind = 'sentence' AND start >= ? AND \"end\" <= ? ORDER BY start",
                [document_id, start, end],
            )
        )
        query: Any = index.vectorize([passage], [lemmas]).toarray()[0]
        source = f"coding {coding_id}"
        mine = {r for r, _ in index.overlapping(document_id, start, end)}
    else:
        mine = set()
        source = ""
    if code_id is None:  # pragma: no cover - one of the two is given, checked above
        raise VinrQualError("name a coding or a code")
    name_row = project.db.execute("SELECT name FROM codes WHERE id = ?", [code_id]).fetchone()
    if name_row is None:
        raise VinrQualError(f"no code with id {code_id}")
    name = str(name_row[0])
    spans = project.db.execute(
        'SELECT document_id, start, "end" FROM codings WHERE code_id = ? AND status = ?',
        [code_id, "accepted"],
    ).fetchall()
    # the code's sentences (for its centre), and every sentence a coding of it touches,
    # which counts as coded and is not offered again
    coded: set[int] = set()
    touched = set(mine)
    for document_id, start, end in spans:
        coded.update(index.covered(document_id, start, end))
        touched.update(r for r, _ in index.overlapping(document_id, start, end))
    if coding_id is None:
        if not coded:
            raise VinrQualError(f"{name!r} has no accepted coding of interviewees' sentences")
        # what the code's sentences share beyond what all speech shares
        centre = np.asarray(index.matrix[sorted(coded)].mean(axis=0)).ravel()
        query = np.clip(centre - index.mean(), 0, None)
        source = f"code {name}"
    norm = float(np.linalg.norm(query))
    if norm == 0:
        raise VinrQualError("the passage has no words to compare")
    query = query / norm
    scores = np.asarray(index.matrix @ query).ravel()
    if touched:
        scores[sorted(touched)] = -1.0
    wanted = min(limit, index.size)
    best = np.argpartition(-scores, wanted - 1)[:wanted]
    order = sorted((int(r) for r in best if scores[r] > 0), key=lambda r: (-scores[r], r))
    names = dict(project.db.execute("SELECT id, name FROM documents").fetchall())
    found = [
        Similar(
            index.document_ids[r],
            str(names.get(index.document_ids[r], "")),
            index.starts[r],
            index.ends[r],
            index.texts[r],
            round(float(scores[r]), 3),
            weighed_words(index, index.matrix[r], query, index.texts[r], index.lemmas[r]),
        )
        for r in order
    ]
    return LikeThis(code_id, name, source, found)
