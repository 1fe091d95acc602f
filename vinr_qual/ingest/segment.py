"""Sentences and lemmas with spaCy's Swedish tokenizer and rule-based sentencizer.

No trained model is downloaded, and only what is used is loaded, once per process: the
Swedish tokenizer (`spacy.lang.sv.Swedish`), the sentencizer, and the lemma lookup table
of spacy-lookups-data, read straight from its `sv_lemma_lookup.json.gz` (neither the
lemmatizer component nor `nlp.initialize()`, which builds a 660,000-entry table and
costs seconds, nor the lookups registry, which names every language's files). The
results are the lookup lemmatizer's: a word's lemma is the table's entry for its form, or
for its lower-cased form when the form itself has none, lower-cased.

The table file is one sorted `"form": "lemma",` entry a line, so a form is found by
binary search over its lines without parsing the rest; should a future version of the
file not be laid out so, the whole file is parsed instead. spaCy is imported here only,
on first use, so that nothing else pays for it; `lemma_of` needs no spaCy at all.
"""

from __future__ import annotations

import bisect
import gzip
import importlib.util
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

Key = TypeVar("Key")
_OPENER_AT_END = re.compile(r"\s([\[({«“‘]+)\s*$")
_NUMBERING = re.compile(r"^\(?\d+(?:\.\d+)*[.)]?$")
_LOOKUP_FILE = "sv_lemma_lookup.json.gz"
_ORDER_SAMPLES = 512


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


def lookup_file() -> Path:
    """spacy-lookups-data's Swedish lemma table, found without importing the package
    (its `__init__` lists every language's files)."""
    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("spacy-lookups-data is not installed (pip install spacy-lookups-data)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / _LOOKUP_FILE


class LemmaTable:
    """The lookup table: `get(form)` is the lemma of `form`, or `default` if it has none."""

    def __init__(self, data: bytes) -> None:
        lines = data.split(b"\n")
        while lines and not lines[-1].strip():
            lines.pop()
        self._lines = lines
        self._whole: dict[str, str] | None = None
        if not self._laid_out_for_search():
            self._whole = {str(key): str(value) for key, value in json.loads(data).items()}
            self._lines = []

    @classmethod
    def load(cls, path: Path) -> LemmaTable:
        with gzip.open(path, "rb") as handle:
            return cls(handle.read())

    def _laid_out_for_search(self) -> bool:
        lines = self._lines
        if len(lines) < 3 or lines[0].strip() != b"{" or lines[-1].strip() != b"}":
            return False
        count = len(lines) - 2
        step = max(1, count // _ORDER_SAMPLES)
        previous = None
        try:
            for index in [*range(1, count + 1, step), count]:
                key, _ = _entry(lines[index])
                if previous is not None and key < previous:
                    return False
                previous = key
        except ValueError:
            return False
        return True

    def get(self, form: str, default: str | None = None) -> str | None:
        if self._whole is not None:
            return self._whole.get(form, default)
        lines = self._lines
        index = bisect.bisect_left(lines, form, 1, len(lines) - 1, key=_entry_key)
        if index < len(lines) - 1:
            key, value = _entry(lines[index])
            if key == form:
                return value
        return default


def _entry(line: bytes) -> tuple[str, str]:
    """(form, lemma) of one line `    "form": "lemma",` of the table."""
    body = line.strip().rstrip(b",")
    if b"\\" not in body and body.count(b'"') == 4:
        key, _, value = body[1:-1].partition(b'": "')
        return key.decode("utf-8"), value.decode("utf-8")
    try:
        [(key, value)] = json.loads(b"{" + body + b"}").items()
    except (json.JSONDecodeError, ValueError) as error:
        raise ValueError(f"not a table entry: {line[:80]!r}") from error
    return str(key), str(value)


def _entry_key(line: bytes) -> str:
    return _entry(line)[0]


@lru_cache(maxsize=1)
def lemma_table() -> LemmaTable:
    return LemmaTable.load(lookup_file())


@lru_cache(maxsize=65_536)
def lemma_of(word: str) -> str:
    """The lookup lemma of one word form, lower-cased (unknown words come back as they are)."""
    table = lemma_table()
    lemma = table.get(word) or table.get(word.lower()) or word
    return str(lemma).lower()


def _lemma_of_token(text: str, lower: str, table: LemmaTable, memo: dict[str, str]) -> str:
    """As spaCy's lookup lemmatizer and the lower-case fallback made it, lower-cased."""
    known = memo.get(text)
    if known is not None:
        return known
    found = table.get(text)
    lemma = text if found is None else found
    if lemma == text and text != lower:
        lemma = table.get(lower) or lower
    memo[text] = lemma = lemma.lower()
    return lemma


def sentences(units: Iterable[tuple[str, Key]]) -> Iterator[tuple[Key, list[Sentence]]]:
    """Split each (text, key) unit into sentences with lemmas, in the order given."""
    tokenizer, sentencizer = _tokenizer_and_sentencizer()
    table = lemma_table()
    memo: dict[str, str] = {}
    for unit, key in units:
        doc = sentencizer(tokenizer(unit))
        whole = doc.text  # spaCy joins the tokens anew on every access: read it once
        found: list[Sentence] = []
        for span in doc.sents:
            words = []
            for token in span:
                if token.is_space or token.is_punct:
                    continue
                words.append(_lemma_of_token(token.text, token.lower_, table, memo))
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
