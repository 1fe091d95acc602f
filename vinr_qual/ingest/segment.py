"""Sentences with spaCy's Swedish tokenizer and rule-based sentencizer, and their lemmas.

No trained model is downloaded, and only what is used is loaded, once per process: the
Swedish tokenizer (`spacy.lang.sv.Swedish`) and the sentencizer. A sentence's lemmas are
those of the words of its text, by `vinr_qual.ingest.lemmas` (simplemma with exceptions
of our own, no spaCy), lower-cased and space-separated: the same function a project runs
when it re-lemmatises what it stores, and search runs on query words. spaCy is imported
here only, on first use, so that nothing else pays for it; `lemma_of` needs no spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from vinr_qual.ingest.lemmas import lemma_of, sentence_lemmas

__all__ = ["Sentence", "lemma_of", "sentences"]

Key = TypeVar("Key")
_OPENER_AT_END = re.compile(r"\s([\[({«“‘]+)\s*$")
_NUMBERING = re.compile(r"^\(?\d+(?:\.\d+)*[.)]?$")


@dataclass(frozen=True)
class Sentence:
    start: int  # offsets into the unit's own text
    end: int
    lemmas: str  # lower-cased lemmas of the words, space-separated


@lru_cache(maxsize=1)
def _tokenizer_and_sentencizer() -> tuple[Callable[[str], Any], Callable[[Any], Any]]:
    from spacy.lang.sv import Swedish
    from spacy.pipeline import Sentencizer

    # the tokenizer of spacy.blank("sv"), without the pipeline machinery around it
    return Swedish().tokenizer, Sentencizer()


def sentences(units: Iterable[tuple[str, Key]]) -> Iterator[tuple[Key, list[Sentence]]]:
    """Split each (text, key) unit into sentences with lemmas, in the order given."""
    tokenizer, sentencizer = _tokenizer_and_sentencizer()
    for unit, key in units:
        doc = sentencizer(tokenizer(unit))
        # the tokenizer keeps the text as given, so the unit is the doc's text: slicing it
        # spares spaCy joining every token anew (doc.text, span.text)
        whole = unit
        found: list[tuple[int, int]] = []
        for span in doc.sents:
            text = whole[span.start_char : span.end_char]
            stripped = text.strip()
            if not stripped:
                continue
            start = span.start_char + (len(text) - len(text.lstrip()))
            end = start + len(stripped)
            if found and _NUMBERING.match(whole[found[-1][0] : found[-1][1]]):
                # "1." or "2.3" alone is a heading's number, not a sentence of its own
                start = found.pop()[0]
            found.append((start, end))
        yield (
            key,
            [
                Sentence(start, end, sentence_lemmas(whole[start:end]))
                for start, end in _reattach_openers(whole, found)
            ],
        )


def _reattach_openers(text: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentencizer hangs an opening bracket that follows a full stop on the sentence
    before ("ändå. [skratt] Det …"); move it to the sentence it opens. Only brackets and
    typographic opening quotes after white space count: a plain quote may as well close."""
    for index in range(len(found) - 1):
        (start, end), (following_start, following_end) = found[index], found[index + 1]
        match = _OPENER_AT_END.search(text, start, end)
        if not match or text[match.end() : following_start].strip():
            continue
        cut = start + len(text[start : match.start()].rstrip())
        found[index] = (start, cut)
        found[index + 1] = (match.start(1), following_end)
    return found
