"""Swedish sentences and lemmas from spaCy's blank pipeline, as transcripts need them."""

from __future__ import annotations

from vinr_qual.ingest.segment import lemma_of, sentences


def split(text: str) -> list[str]:
    [(_, found)] = list(sentences([(text, 0)]))
    return [text[s.start : s.end] for s in found]


def test_transcript_marks_open_the_sentence_they_belong_to() -> None:
    assert split("Det är bra. [skratt] Alla känner alla. (paus) Ja, ja.") == [
        "Det är bra.",
        "[skratt] Alla känner alla.",
        "(paus) Ja, ja.",
    ]


def test_a_heading_number_is_not_a_sentence() -> None:
    assert split("2.1 Mål och uppföljning") == ["2.1 Mål och uppföljning"]


def test_lemmas_of_inflected_swedish_words() -> None:
    assert lemma_of("samverkade") == "samverka"
    assert lemma_of("Kommunerna") == "kommun"
    [(_, [sentence])] = list(sentences([("Vi samverkar med polisen.", 0)]))
    assert sentence.lemmas.split()[:2] == ["vi", "samverka"]


def test_a_closing_quote_stays_with_its_sentence() -> None:
    assert split('Han sa "nej." Sen gick han.') == ['Han sa "nej."', "Sen gick han."]
