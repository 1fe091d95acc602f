"""Auto-coding from the codebook's rules: suggestions only, idempotent, measured."""

from __future__ import annotations

import pytest

from vinr_qual.codebook.operations import find_code
from vinr_qual.codebook.project_codes import read_codebook
from vinr_qual.coding.codings import add_coding, list_codings
from vinr_qual.project import Project
from vinr_qual.suggest.review import accept, reject
from vinr_qual.suggest.rules import (
    RULE_CODER,
    autocode,
    code_speaker_turns,
    compile_rules,
    find_suggestions,
    rule_quality,
)


def suggestions(project: Project) -> list[tuple[str, str, str, str]]:
    return [
        (row["code"], row["passage"], row["status"], row["coder"])
        for row in list_codings(project)
        if row["origin"].startswith("rule:")
    ]


def test_rules_suggest_units_and_never_count_as_coding(corpus: Project) -> None:
    report = autocode(corpus)
    found = suggestions(corpus)
    # the test codebook: "Ledningens prioritering" has lemma prioritera, keyword
    # kommundirektör, phrase "högt på agendan" and a pattern on ledning*
    assert report.added == len(found) > 0
    assert all(status == "suggested" and coder == RULE_CODER for _, _, status, coder in found)
    assert list_codings(corpus, status="accepted") == []


def test_running_the_rules_again_adds_nothing(corpus: Project) -> None:
    first = autocode(corpus)
    again = autocode(corpus)
    assert first.added > 0 and again.added == 0 and again.found == first.found


def test_dry_run_counts_per_code_and_writes_nothing(corpus: Project) -> None:
    changes = corpus.db["changes"].count
    report = autocode(corpus, dry_run=True)
    assert report.added > 0
    assert corpus.db["codings"].count == 0 and corpus.db["changes"].count == changes
    assert sum(counts["new"] for counts in report.per_code.values()) == report.added


def test_human_codings_are_left_alone_and_not_duplicated(corpus: Project) -> None:
    dry = autocode(corpus, dry_run=True)
    code = find_code(corpus, "l")
    rules = compile_rules(c for c, _, _ in read_codebook(corpus).walk())
    matches = find_suggestions(corpus, [rule for rule in rules if rule.code_id == code])
    assert matches
    first = matches[0]
    human = add_coding(corpus, first.document_id, first.start, first.end, code, coder="Anna")
    report = autocode(corpus)
    assert report.added == dry.added - 1
    row = next(r for r in list_codings(corpus) if r["id"] == human)
    assert (row["status"], row["origin"], row["coder"]) == ("accepted", "manual", "Anna")


def test_a_rejected_suggestion_is_not_suggested_again(corpus: Project) -> None:
    autocode(corpus)
    first = next(r for r in list_codings(corpus) if r["status"] == "suggested")
    reject(corpus, first["id"], decider="Anna")
    assert autocode(corpus).added == 0


def test_every_turn_of_a_role_is_coded(corpus: Project) -> None:
    added = code_speaker_turns(
        corpus, find_code(corpus, "Knappa resurser"), role="socialchef", coder="Anna"
    )
    assert added == 3
    passages = [
        r["passage"] for r in list_codings(corpus, code_id=find_code(corpus, "Knappa resurser"))
    ]
    assert passages[0].startswith("Min far var polis.") and not passages[0].startswith("IP:")
    assert code_speaker_turns(corpus, find_code(corpus, "Knappa resurser"), role="socialchef") == 0


def test_rule_quality_counts_precision_and_recall(corpus: Project) -> None:
    autocode(corpus)
    lead = find_code(corpus, "l")
    suggested = [r for r in list_codings(corpus, code_id=lead) if r["status"] == "suggested"]
    assert len(suggested) >= 2
    accept(corpus, suggested[0]["id"], decider="Anna")
    reject(corpus, suggested[1]["id"], decider="Anna")
    # a human coding the rule finds, and one it cannot find
    found_span = suggested[2] if len(suggested) > 2 else suggested[0]
    add_coding(
        corpus, found_span["document_id"], found_span["start"], found_span["end"], lead, coder="Bo"
    )
    text = corpus.db.execute("SELECT text FROM documents WHERE name = 'Havsö-01.txt'").fetchone()[0]
    start = text.index("Min far var polis.")
    document_id = corpus.db.execute(
        "SELECT id FROM documents WHERE name = 'Havsö-01.txt'"
    ).fetchone()[0]
    add_coding(corpus, document_id, start, start + 18, lead, coder="Bo")
    [row] = [q for q in rule_quality(corpus) if q.code == "Ledningens prioritering"]
    assert (row.accepted, row.recoded, row.rejected) == (1, 0, 1)
    assert row.precision == 0.5
    # the people's accepted codings: the accepted suggestion, Bo's coding the rule finds,
    # and Bo's coding it cannot find
    assert (row.human, row.found) == (3, 2)
    assert row.recall == pytest.approx(2 / 3)
    assert row.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_speakers_can_be_given_a_role_to_split_by(corpus: Project) -> None:
    from vinr_qual.store.texts import set_role_of_speakers

    assert set_role_of_speakers(corpus, "intervjuare (forskare)", label="I") == 2
    roles = {row[0] for row in corpus.db.execute("SELECT role FROM speakers WHERE label = 'I'")}
    assert roles == {"intervjuare (forskare)"}
    assert (
        corpus.db.execute("SELECT count(*) FROM changes WHERE entity = 'speaker_role'").fetchone()[
            0
        ]
        == 2
    )
