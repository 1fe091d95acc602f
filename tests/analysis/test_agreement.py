"""Percent agreement, Cohen's kappa and Krippendorff's alpha, against worked examples and an
independent implementation."""

from __future__ import annotations

import random

import krippendorff
import numpy as np
import pytest

from tests.analysis.conftest import code
from vinr_qual.analysis.agreement import (
    agreement,
    cohen_kappa,
    disagreements_to_review,
    krippendorff_alpha,
)
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project
from vinr_qual.suggest.review import pending


def test_alpha_on_krippendorffs_published_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal data with
    # missing values: 4 observers, 12 units; alpha = 0.743
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    units = [[row[u] for row in data] for u in range(12)]
    assert round(krippendorff_alpha(units) or 0, 3) == 0.743


def test_kappa_on_a_textbook_example() -> None:
    # 50 items: both yes 20, yes/no 5, no/yes 10, both no 15 -> po 0.7, pe 0.5, kappa 0.4
    first = ["ja"] * 25 + ["nej"] * 25
    second = ["ja"] * 20 + ["nej"] * 5 + ["ja"] * 10 + ["nej"] * 15
    assert cohen_kappa(first, second) == pytest.approx(0.4)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_alpha_matches_the_krippendorff_package(seed: int) -> None:
    chooser = random.Random(seed)
    coders, units = chooser.randint(2, 5), chooser.randint(10, 60)
    data = [[chooser.choice([0, 1, 2, None]) for _ in range(units)] for _ in range(coders)]
    reference = krippendorff.alpha(
        reliability_data=np.array(
            [[np.nan if v is None else v for v in row] for row in data], dtype=float
        ),
        level_of_measurement="nominal",
    )
    ours = krippendorff_alpha([[row[u] for row in data] for u in range(units)])
    assert ours == pytest.approx(reference)


def test_agreement_between_two_coders_on_sentences(study: Project) -> None:
    # Bo codes the same document A.txt: agrees on two resource sentences, misses one,
    # and adds "Styrgruppen fungerar." as a resource
    code(study, "A.txt", "Vi har för lite tid.", "Knappa resurser", coder="Bo")
    code(study, "A.txt", "Inga pengar.", "Knappa resurser", coder="Bo")
    code(study, "A.txt", "Styrgruppen fungerar.", "Knappa resurser", coder="Bo")
    result = agreement(study, ["Anna", "Bo"], unit="sentence", include_interviewer=True)
    assert result.documents == ["A.txt"]
    figures = result.per_code["Knappa resurser"]
    sentences = study.db.execute(
        "SELECT count(*) FROM segments s JOIN documents d ON d.id = s.document_id"
        " WHERE d.name = 'A.txt' AND s.kind = 'sentence'"
    ).fetchone()[0]
    assert figures.units == sentences == 7  # the interviewer's "Fråga?" and "Mer?" too
    # Anna: tid, pengar, ingen tid = 1; Bo: tid, pengar, styrgrupp = 1; 2 disagreements of 7
    assert figures.percent == pytest.approx(5 / 7)
    anna = [0, 0, 1, 0, 0, 1, 1]
    bo = [0, 0, 1, 1, 0, 1, 0]
    assert figures.kappa == pytest.approx(cohen_kappa(anna, bo))
    reference = krippendorff.alpha(
        reliability_data=np.array([anna, bo], dtype=float), level_of_measurement="nominal"
    )
    assert figures.alpha == pytest.approx(reference)
    assert result.per_code["Ledningens prioritering"].percent == pytest.approx(6 / 7)
    # by default the interviewer's two questions are left out: 5 sentences
    figures = agreement(study, ["Anna", "Bo"], unit="sentence").per_code["Knappa resurser"]
    assert (figures.units, figures.percent) == (5, pytest.approx(3 / 5))
    assert figures.kappa == pytest.approx(cohen_kappa([0, 1, 0, 1, 1], [0, 1, 1, 1, 0]))


def test_character_level_agreement_weighs_by_length(study: Project) -> None:
    code(study, "A.txt", "Vi har för lite tid.", "Knappa resurser", coder="Bo")
    result = agreement(study, ["Anna", "Bo"], unit="character", include_interviewer=True)
    figures = result.per_code["Knappa resurser"]
    length = study.db.execute("SELECT length FROM documents WHERE name = 'A.txt'").fetchone()[0]
    disagreeing = len("Inga pengar.") + len("Ingen tid.")
    assert figures.units == length
    assert figures.percent == pytest.approx(1 - disagreeing / length)
    # over the characters either coded: "Vi har för lite tid." agreed, the rest not
    coded = len("Vi har för lite tid.") + disagreeing
    assert figures.coded_units == coded
    assert figures.coded_percent == pytest.approx(len("Vi har för lite tid.") / coded)
    # the interviewer's turns ("I: Fråga?", "I: Mer?") are left out by default
    questions = sum(
        end - start
        for start, end in study.db.execute(
            'SELECT s.start, s."end" FROM segments s JOIN speakers sp ON sp.id = s.speaker_id'
            " JOIN documents d ON d.id = s.document_id"
            " WHERE d.name = 'A.txt' AND s.kind = 'turn' AND sp.is_interviewer = 1"
        )
    )
    assert questions == len("I: Fråga?") + len("I: Mer?")
    result = agreement(study, ["Anna", "Bo"], unit="character")
    assert result.per_code["Knappa resurser"].units == length - questions
    assert result.left_out == questions


def test_disagreements_go_to_the_review_queue(study: Project) -> None:
    code(study, "A.txt", "Styrgruppen fungerar.", "Knappa resurser", coder="Bo")
    result = agreement(study, ["Anna", "Bo"], unit="sentence")
    added = disagreements_to_review(study, result)
    assert added == len(result.disagreements) > 0
    assert len(pending(study)) == added
    assert disagreements_to_review(study, result) == 0


def test_agreement_needs_two_coders_with_common_documents(study: Project) -> None:
    with pytest.raises(VinrQualError, match="at least two"):
        agreement(study, ["Anna"])
    with pytest.raises(VinrQualError, match="no coder named"):
        agreement(study, ["Anna", "Ingen"])
