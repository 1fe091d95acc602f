"""Sentences and lemmas stay what they were recorded as.

`segment_recorded.json` holds paragraphs of the demo corpus with their sentence spans and
lemmas. The spans are those the earlier implementation (spacy.blank("sv") with the
sentencizer, `nlp.initialize()` loading the tables) gave, recorded before the start-up work
replaced it with the tokenizer and the sentencizer alone; the lemmas were recorded anew
when simplemma with our exceptions (`vinr_qual.ingest.lemmas`) replaced spaCy's lookup
table, which had `en` for `det`, `mede` for `med` and `hona` for `hon`. Any difference is
a change of results, not of speed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vinr_qual.ingest.segment import lemma_of, sentences

RECORDED = json.loads((Path(__file__).parent / "segment_recorded.json").read_text("utf-8"))


@pytest.mark.parametrize(
    "case", RECORDED["paragraphs"], ids=[case["source"] for case in RECORDED["paragraphs"]]
)
def test_sentences_and_lemmas_are_as_recorded(case: dict[str, object]) -> None:
    [(_, found)] = list(sentences([(case["text"], 0)]))
    assert [[s.start, s.end, s.lemmas] for s in found] == case["sentences"]


def test_all_recorded_paragraphs_in_one_run_give_the_same() -> None:
    cases = RECORDED["paragraphs"]
    found = dict(sentences((case["text"], index) for index, case in enumerate(cases)))
    for index, case in enumerate(cases):
        assert [[s.start, s.end, s.lemmas] for s in found[index]] == case["sentences"]


def test_lemma_of_is_as_recorded() -> None:
    assert {word: lemma_of(word) for word in RECORDED["lemma_of"]} == RECORDED["lemma_of"]
