"""Sentences and lemmas with spaCy's blank Swedish pipeline.

No trained model is downloaded: `spacy.blank("sv")` gives the Swedish tokenizer, the
rule-based sentencizer splits sentences, and the lookup lemmatizer reads its table from
spacy-lookups-data. spaCy is imported here only, on first use, so that nothing else pays
for it. Texts go through `nlp.pipe` in batches, which is several times faster than one
call per text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

Key = TypeVar("Key")
BATCH_SIZE = 256
_OPENER_AT_END = re.compile(r"\s([\[({«“‘]+)\s*$")
_NUMBERING = re.compile(r"^\(?\d+(?:\.\d+)*[.)]?$")


@dataclass(frozen=True)
class Sentence:
    start: int  # offsets into the unit's own text
    end: int
    lemmas: str  # lower-cased lemmas of the words, space-separated


@lru_cache(maxsize=1)
def swedish() -> Any:
    import spacy

    nlp = spacy.blank("sv")
    # a blank pipeline needs little memory per character; the default limit (1,000,000)
    # guards parsers and taggers we do not run. Text files are limited to 50 MB on import.
    nlp.max_length = 60_000_000
    nlp.add_pipe("sentencizer")
    # The Swedish default mode ("rule") needs a tagger, which a blank pipeline has not.
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


@lru_cache(maxsize=1)
def _lemma_table() -> Any:
    return swedish().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


def lemma_of(word: str) -> str:
    """The lookup lemma of one word form, lower-cased (unknown words come back as they are)."""
    table = _lemma_table()
    lemma = table.get(word) or table.get(word.lower()) or word
    return str(lemma).lower()


def sentences(units: Iterable[tuple[str, Key]]) -> Iterator[tuple[Key, list[Sentence]]]:
    """Split each (text, key) unit into sentences with lemmas, in the order given."""
    nlp = swedish()
    table = _lemma_table()
    for doc, key in nlp.pipe(units, batch_size=BATCH_SIZE, as_tuples=True):
        whole = doc.text  # spaCy joins the tokens anew on every access: read it once
        found: list[Sentence] = []
        for span in doc.sents:
            words = []
            for token in span:
                if token.is_space or token.is_punct:
                    continue
                lemma = token.lemma_
                if lemma == token.text and token.text != token.lower_:
                    lemma = table.get(token.lower_) or token.lower_
                words.append(lemma.lower())
            text = span.text
            stripped = text.strip()
            if not stripped:
                continue
            start = span.start_char + (len(text) - len(text.lstrip()))
            sentence = Sentence(start, start + len(stripped), " ".join(words))
            if found and _NUMBERING.match(whole[found[-1].start : found[-1].end]):
                # "1." or "2.3" alone is a heading's number, not a sentence of its own
                sentence = Sentence(
                    found[-1].start, sentence.end, f"{found.pop().lemmas} {sentence.lemmas}".strip()
                )
            found.append(sentence)
        yield key, _reattach_openers(whole, found)


def _reattach_openers(text: str, found: list[Sentence]) -> list[Sentence]:
    """The sentencizer hangs an opening bracket that follows a full stop on the sentence
    before ("ändå. [skratt] Det …"); move it to the sentence it opens. Only brackets and
    typographic opening quotes after white space count: a plain quote may as well close."""
    for index in range(len(found) - 1):
        current, following = found[index], found[index + 1]
        match = _OPENER_AT_END.search(text, current.start, current.end)
        if not match or text[match.end() : following.start].strip():
            continue
        cut = current.start + len(text[current.start : match.start()].rstrip())
        found[index] = Sentence(current.start, cut, current.lemmas)
        found[index + 1] = Sentence(match.start(1), following.end, following.lemmas)
    return found
