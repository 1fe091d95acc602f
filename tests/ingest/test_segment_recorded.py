"""Sentences and lemmas stay what they were when spaCy's lemmatizer component made them.

`segment_recorded.json` holds paragraphs of the demo corpus with the sentence spans and
lemmas that the earlier implementation (spacy.blank("sv") with the sentencizer and the
lookup lemmatizer, `nlp.initialize()` loading the tables) gave for them, recorded before
the start-up work replaced that with the tokenizer, the sentencizer and a direct lookup
in spacy-lookups-data's file. Any difference is a change of results, not of speed.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest

from vinr_qual.ingest.segment import LemmaTable, lemma_of, lemma_table, lookup_file, sentences

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


def test_the_binary_search_finds_what_the_whole_table_holds() -> None:
    with gzip.open(lookup_file(), "rb") as handle:
        data = handle.read()
    whole = json.loads(data)
    table = lemma_table()
    keys = list(whole)
    assert keys == sorted(keys), "the file is sorted, which the search relies on"
    chooser = random.Random(5)
    sample = chooser.sample(keys, 3000) + keys[:5] + keys[-5:]
    sample += [key for key in keys if "\\" in json.dumps(key) or "/" in key][:20]
    for key in sample:
        assert table.get(key) == whole[key], key
    for missing in ["", "zzzzzz", "Socialförvaltningarnasx", "A", "öööö", "~"]:
        if missing not in whole:
            assert table.get(missing) is None
            assert table.get(missing, missing) == missing


def test_a_table_not_laid_out_for_search_is_read_whole() -> None:
    unsorted = b'{\n    "b": "x",\n    "a": "y"\n}\n'
    table = LemmaTable(unsorted)
    assert table.get("a") == "y" and table.get("b") == "x" and table.get("c") is None
    one_line = json.dumps({"gick": "g\u00e5", "barnen": "barn"}).encode()
    assert LemmaTable(one_line).get("gick") == "gå"
