"""The new rule fields in the YAML codebook: read, checked with their lines, kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_text
from vinr_qual.codebook.model import Context, Rules
from vinr_qual.codebook.yaml_file import CodebookError, load_codebook, save_codebook

GOOD = """\
codes:
  - name: Knappa resurser
    id: 3f1c9a52-7a1e-4d0b-9b8e-2c4d5e6f7a81
    rules:
      unit: turn
      speakers: all
      keywords: [pengar, resurser]
      lemmas: [budget]
      near: {words: [inga, "för lite", saknas*], window: 4}
      not_near: {words: [inte], before: 2, after: 0}
      min_evidence: 2
      also:
        - phrases: ["räcker inte"]
          not_near: [inte så att]
"""

BAD = """\
codes:
  - name: Ett
    rules:
      speakers: alla
      keywords: [pengar]
      near: [inga, "för+lite"]
      not_near: {words: [inte], window: -1, side: before}
      min_evidence: 3
      also:
        - keywords: [tid]
          unit: turn
  - name: Två
    rules:
      near: [inga]
      also: {keywords: [tid]}
"""


def test_the_fields_are_read_and_written_back(tmp_path: Path) -> None:
    book = load_codebook(write_text(tmp_path / "bra.yaml", GOOD))
    rules = book.codes[0].rules
    assert rules is not None
    assert (rules.unit, rules.speakers, rules.min_evidence) == ("turn", "all", 2)
    assert rules.near == Context(["inga", "för lite", "saknas*"], 4, 4)
    assert rules.not_near == Context(["inte"], 2, 0)
    [also] = rules.also
    assert (also.unit, also.speakers) == ("turn", "all"), "an also block takes the rule's unit"
    assert also.phrases == ["räcker inte"] and also.not_near == Context(["inte så att"], 3, 3)
    assert Rules.from_dict(rules.as_dict()) == rules, "the project keeps rules as a dict"
    saved = tmp_path / "sparad.yaml"
    save_codebook(book, saved)
    again = load_codebook(saved).codes[0].rules
    assert again == rules


def test_old_rules_read_as_before() -> None:
    rules = Rules.from_dict({"unit": "sentence", "keywords": ["FREDA"]})
    assert rules.as_dict() == {"unit": "sentence", "keywords": ["FREDA"]}
    assert (rules.speakers, rules.near, rules.not_near, rules.min_evidence, rules.also) == (
        "interviewee",
        None,
        None,
        1,
        [],
    )


def test_every_problem_with_the_new_fields_is_reported_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(CodebookError) as error:
        load_codebook(write_text(tmp_path / "trasig.yaml", BAD))
    found = {(p.line, p.message.split(" (")[0]) for p in error.value.problems}
    assert found == {
        (4, "speakers 'alla' is not one of interviewee, interviewer, all"),
        (6, "near should be a list of words"),
        (7, "not_near window should be a whole number from 0 to 200"),
        (7, "unknown field 'side' in not_near"),
        (8, "min_evidence 3 asks for more terms than the rule has"),
        (11, "unknown field in an `also` block 'unit'"),
        (14, "near needs keywords, lemmas, phrases or patterns to go with"),
        (15, "also should be a list of rule blocks"),
    }
