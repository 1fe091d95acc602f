"""Swedish lemmas that are right: common words keep their own lemma, not a rare homograph's
(`har` is `ha`'s, not `hare`'s), speech is lemmatised as its written forms, and a query
word that is already a dictionary form stays as it is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from vinr_qual.ingest import lemmas
from vinr_qual.ingest.lemmas import lemma_of, read_exceptions, sentence_lemmas

TRICKY = {
    "har": "ha",
    "får": "få",
    "man": "man",
    "en": "en",
    "med": "med",
    "för": "för",
    "tittar": "titta",
    "gick": "gå",
    "kvinnorna": "kvinna",
    "dom": "de",
}
# what the lookup table made of them: the lemma of a rare homograph
ISSUE = {
    "men": "men",
    "han": "han",
    "du": "du",
    "finns": "finnas",
    "första": "första",
    "hon": "hon",
    "när": "när",
    "vad": "vad",
    "det": "den",
}
SPOKEN = {"sa": "säga", "nåt": "någon", "nån": "någon", "mej": "jag", "sen": "sedan"}


@pytest.mark.parametrize(("form", "lemma"), sorted(TRICKY.items()))
def test_tricky_forms(form: str, lemma: str) -> None:
    assert lemma_of(form) == lemma


@pytest.mark.parametrize(("form", "lemma"), sorted({**ISSUE, **SPOKEN}.items()))
def test_the_issue_s_forms_and_speech(form: str, lemma: str) -> None:
    assert lemma_of(form) == lemma


def test_inflected_forms_of_the_field() -> None:
    assert lemma_of("samverkade") == "samverka"
    assert lemma_of("samverkar") == "samverka"
    assert lemma_of("polisen") == "polis"
    assert lemma_of("våldet") == "våld"
    assert lemma_of("barnen") == "barn"


def test_a_sentence_s_first_word_and_a_typed_word_get_one_lemma() -> None:
    assert lemma_of("Kommunerna") == lemma_of("kommunerna") == "kommun"
    assert lemma_of("Dom") == lemma_of("DOM") == "de"
    assert lemma_of("Har") == "ha"


def test_dictionary_forms_are_their_own_lemma() -> None:
    """So that a query word that is a lemma is not rewritten (`hare` stays `hare`, and no
    longer finds every `har`), and `första` is not searched as `en`."""
    for word in ("hare", "ha", "första", "man", "tittare", "samordnare", "kvinna", "vara"):
        assert lemma_of(word) == word


def test_a_present_tense_in_ar_is_the_verb_s_not_an_agent_noun_s() -> None:
    assert lemma_of("tittar") == "titta"
    assert lemma_of("samordnar") == "samordna"
    assert lemma_of("tittaren") == "tittare"
    assert lemma_of("samordnaren") == "samordnare"
    assert lemma_of("fiskar") == "fisk"  # the plural of a noun in -ar is left alone


def test_a_compound_nobody_knows_is_lemmatised_by_its_last_part() -> None:
    assert lemma_of("kvinnofridssamordnaren") == "kvinnofridssamordnare"
    assert lemma_of("barnahusen") == "barnahus"


def test_numbers_and_unknown_words_stay_as_they_are() -> None:
    assert lemma_of("2024") == "2024"
    assert lemma_of("Xqzzv") == "xqzzv"


def test_a_sentence_s_lemmas_are_its_words_lemmas() -> None:
    assert sentence_lemmas("Vi har en samordnare, men hon tittar inte.") == (
        "vi ha en samordnare men hon titta inte"
    )
    assert sentence_lemmas("Dom sa att det finns FREDA-utbildningar.") == (
        "de säga att den finnas freda utbildning"
    )
    assert sentence_lemmas("… [skratt] …") == "skratt"
    assert sentence_lemmas("") == ""


def test_lemma_mode_searches_what_the_words_lemmatise_to() -> None:
    from vinr_qual.search.query import fts_query

    assert fts_query("har", "lemma") == "ha"
    assert fts_query("hare", "lemma") == "hare"
    assert fts_query("första", "lemma") == "första"
    assert fts_query('"tittar på"', "lemma") == '"titta på"'


def test_the_exceptions_file(tmp_path: Path) -> None:
    found = read_exceptions()
    assert found["dom"] == "de" and found["första"] == "första"
    assert all(form == form.lower() and lemma == lemma.lower() for form, lemma in found.items())
    broken = tmp_path / "broken.tsv"
    broken.write_text("# a comment\nnåt någon\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.tsv:2"):
        read_exceptions(broken)


def test_the_lemmatizer_s_name_changes_with_its_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = lemmas.lemmatizer_name()
    assert name.startswith("simplemma ") and "exceptions" in name
    other = tmp_path / "other.tsv"
    other.write_text("dom\tdom\n", encoding="utf-8")
    lemmas.lemmatizer_name.cache_clear()
    monkeypatch.setattr(lemmas, "EXCEPTIONS_FILE", other)
    try:
        assert lemmas.lemmatizer_name() != name
    finally:
        lemmas.lemmatizer_name.cache_clear()


def test_lemmas_need_no_spacy() -> None:
    probe = (
        "import sys\n"
        "from vinr_qual.ingest.lemmas import lemma_of, sentence_lemmas\n"
        "assert lemma_of('gick') == 'gå' and sentence_lemmas('Vi gick.') == 'vi gå'\n"
        "print('spacy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
