"""Corrected transcripts, held out from the tuning: the demo's reference coding carried
across machine-made corrections.

The thresholds of `vinr_qual/coding/realign.py` were set on the cases in
tests/coding/test_realign.py. This measures them on other material: every interview of
the demo corpus with its reference coding (about 1,600 codings, made by people for other
purposes), corrected as a transcriber would: three sentences deleted, twelve words
altered, first names masked as [namn]. A coding counts as right when it lands on at least
90 % of where its passage now stands; "wrong" is a confident placement anywhere else.
Run `.venv/bin/python bench/realign_heldout.py`.
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vinr_qual.coding.realign import realign
from vinr_qual.ingest.demo import build_demo
from vinr_qual.project import Project


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        p = Project.open(Path(scratch) / "demo.sqlite", create=True)
        build_demo(p)
        measure(p)


def _corrected(
    text: str, sentences: list[tuple[int, int]], rng: random.Random
) -> tuple[str, dict[int, int | None], list[tuple[int, int]]]:
    """The text as a transcriber corrects it, where each old index now stands (None
    inside a change), and the sentences deleted."""
    edits = [(*sentences[i], "") for i in rng.sample(range(len(sentences)), 3)]
    words = list(re.finditer(r"\b[a-zåäö]{6,}\b", text))
    for match in rng.sample(words, 12):
        word = match.group(0)
        edits.append((match.start(), match.end(), word[:-1] + ("a" if word[-1] == "e" else "e")))
    for match in re.finditer(r"\b(?:Anna|Lena|Per|Karin|Erik|Maria|Johan)\b", text):
        edits.append((match.start(), match.end(), "[namn]"))
    kept: list[tuple[int, int, str]] = []
    for edit in sorted(edits):
        if not kept or edit[0] >= kept[-1][1]:
            kept.append(edit)
    pieces: list[str] = []
    where: dict[int, int | None] = {}
    length = cursor = 0
    for start, end, replacement in kept:
        for index in range(cursor, start + 1):
            where[index] = length + index - cursor
        for index in range(start + 1, end):
            where[index] = None
        pieces += [text[cursor:start], replacement]
        length += start - cursor + len(replacement)
        cursor = end
    for index in range(cursor, len(text) + 1):
        where[index] = length + index - cursor
    pieces.append(text[cursor:])
    deleted = [(start, end) for start, end, replacement in kept if not replacement]
    return "".join(pieces), where, deleted


def measure(project: Project) -> dict[str, int]:
    rng = random.Random(11)
    counts = {"right": 0, "wrong": 0, "review, place known": 0, "deleted, review": 0,
              "deleted, placed": 0}  # fmt: skip
    documents = project.db.execute(
        "SELECT id, text FROM documents WHERE kind = 'interview' ORDER BY id"
    ).fetchall()
    for document_id, text in documents:
        spans = project.db.execute(
            'SELECT start, "end" FROM codings WHERE document_id = ? ORDER BY start', [document_id]
        ).fetchall()
        sentences = project.db.execute(
            "SELECT start, \"end\" FROM segments WHERE document_id = ? AND kind = 'sentence'"
            " ORDER BY start",
            [document_id],
        ).fetchall()
        new_text, where, deleted = _corrected(text, sentences, rng)
        for (start, end), placed in zip(spans, realign(text, new_text, spans), strict=True):
            new_start, new_end = where.get(start), where.get(end)
            gone = any(a <= start and end <= b for a, b in deleted)
            if gone or new_start is None or new_end is None:
                counts["deleted, review" if placed.verdict == "review" else "deleted, placed"] += 1
            elif placed.verdict == "review":
                counts["review, place known"] += 1
            else:
                overlap = max(0, min(placed.end, new_end) - max(placed.start, new_start))
                right = overlap >= 0.9 * max(new_end - new_start, 1)
                counts["right" if right else "wrong"] += 1
    print(counts, "of", sum(counts.values()), "codings")
    return counts


if __name__ == "__main__":
    main()
