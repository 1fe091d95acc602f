"""Swedish lemmas, as stored with every sentence and as `search --lemma` looks them up.

The lemmatizer is simplemma's (MIT; its Swedish dictionary ships inside the package, so
nothing is downloaded), read through its low-memory dictionary (a few megabytes, loaded
once per process on first use), with three things of our own around it:

- a short list of exceptions, `data/sv_lemma_exceptions.tsv`: the spellings of speech that
  transcripts use (`dom`, `sa`, `nåt`, `nån`) and dictionary forms that the dictionary
  takes for a form of a rarer homograph (`första`, not `en`);
- one rule of Swedish morphology: a present tense in -ar is never a form of an agent noun
  in -are, so where the dictionary says `tittar` → `tittare` and the verb's past tense
  (`tittade`) is the verb `titta`'s, the lemma is `titta`;
- a compound that nothing else knows is lemmatised by its last part
  (`kvinnofridssamordnaren` → `kvinnofridssamordnare`).

Words are lower-cased before they are lemmatised, so that a sentence's first word and a
typed query word get the same lemma, and lemmas come back lower-cased. Dictionary forms
come back as they are (`hare`, `man`, `första`), so a query word that is a lemma is not
rewritten; a form that is also another word's form has the dictionary's one lemma (`får`
is `få`'s, not the sheep). Queries and stored sentences run this same function, so a
query word always finds itself. `bench/lemma_accuracy.py` measures it.

A sentence's lemmas are those of its words (`\\w+`, the words FTS5 and the query parser
see), space-separated: a function of the sentence's text alone, so that a project can
re-lemmatise what it stores without segmenting anew. `lemmatizer_name()` names the
lemmatizer with its data; a project records the one that made its lemmas.

No spaCy here (only `segment.py` imports it), and simplemma only on first use.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

WORD = re.compile(r"\w+")
EXCEPTIONS_FILE = Path(__file__).parent / "data" / "sv_lemma_exceptions.tsv"
_LANGUAGE = "sv"


def read_exceptions(path: Path = EXCEPTIONS_FILE) -> dict[str, str]:
    """The exceptions file: `form<TAB>lemma` a line, `#` starts a comment."""
    found: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        form, tab, lemma = line.partition("\t")
        if not tab or not form.strip() or not lemma.strip() or "\t" in lemma:
            raise ValueError(f"{path.name}:{number}: not `form<TAB>lemma`: {line!r}")
        found[form.strip().lower()] = lemma.strip().lower()
    return found


@lru_cache(maxsize=1)
def lemmatizer_name() -> str:
    """What makes the lemmas, with its data: a project whose lemmas another one made
    re-lemmatises them."""
    from importlib.metadata import version  # lighter than importing simplemma itself

    digest = hashlib.sha256(EXCEPTIONS_FILE.read_bytes()).hexdigest()[:12]
    return f"simplemma {version('simplemma')} sv; vinr-qual exceptions {digest}; words \\w+"


@lru_cache(maxsize=1)
def _exceptions() -> dict[str, str]:
    return read_exceptions()


@lru_cache(maxsize=1)
def _simplemma() -> tuple[Any, Any, Any]:
    """simplemma's strategies, sharing one dictionary: its default chain (dictionary,
    rules, prefixes), the splitting of compounds, and the plain dictionary lookup."""
    from simplemma.strategies import (
        AffixDecompositionStrategy,
        DefaultStrategy,
        DictionaryLookupStrategy,
    )
    from simplemma.strategies.dictionaries import LOW_MEMORY_DICTIONARY_FACTORY

    lookup = DictionaryLookupStrategy(LOW_MEMORY_DICTIONARY_FACTORY)
    return (
        DefaultStrategy(dictionary_factory=LOW_MEMORY_DICTIONARY_FACTORY),
        AffixDecompositionStrategy(True, lookup),
        lookup,
    )


@lru_cache(maxsize=262_144)
def lemma_of(word: str) -> str:
    """The lemma of one word form, lower-cased (`har` → `ha`, `hare` → `hare`)."""
    lower = unicodedata.normalize("NFC", word.lower())
    known = _exceptions().get(lower)
    if known is not None or not lower:
        return known or lower
    default, compounds, lookup = _simplemma()
    # a compound nothing else knows (`kvinnofridssamordnaren`) is lemmatised by its last
    # part (simplemma's greedy splitting, for unknown words only: its greedy second round
    # over known words turns lemmas into others, `skatteskruv` into `skatteskruva`)
    lemma = str(
        default.get_lemma(lower, _LANGUAGE) or compounds.get_lemma(lower, _LANGUAGE) or lower
    )
    lemma = lemma.lower()
    if lemma == lower + "e" and lower.endswith("ar"):
        # `tittar` is `titta`'s present tense, no form of `tittare`, if `tittade` is `titta`'s
        verb = lower[:-1]
        if lookup.get_lemma(lower[:-2] + "ade", _LANGUAGE) == verb:
            return verb
    return lemma


def sentence_lemmas(text: str) -> str:
    """The lemmas of a sentence's words, lower-cased and space-separated, as stored."""
    return " ".join([lemma_of(word) for word in WORD.findall(text)])
