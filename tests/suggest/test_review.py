"""The review queue: context, one-key decisions, the change log, progress."""

from __future__ import annotations

import json

import pytest

from vinr_qual.codebook.operations import find_code
from vinr_qual.coding.codings import coding_row, last_change_id, list_codings
from vinr_qual.coding.history import revert
from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project
from vinr_qual.suggest.review import accept, item, pending, progress, recode, reject, widen
from vinr_qual.suggest.rules import autocode


def test_the_queue_shows_each_suggestion_in_context(corpus: Project) -> None:
    autocode(corpus)
    ids = pending(corpus)
    assert ids and progress(corpus).pending == len(ids)
    shown = item(corpus, ids[0])
    text = corpus.db.execute(
        "SELECT text FROM documents WHERE id = ?", [shown.document_id]
    ).fetchone()[0]
    assert shown.passage == text[shown.start : shown.end]
    assert shown.before == "" or text.index(shown.before) < shown.start
    assert shown.code and shown.origin.startswith("rule:")


def test_decisions_land_in_the_project_and_the_change_log(corpus: Project) -> None:
    autocode(corpus)
    first, second, third, *_ = pending(corpus)
    accept(corpus, first, decider="Anna")
    reject(corpus, second, decider="Bo")
    recode(corpus, third, find_code(corpus, "Knappa resurser"), decider="Anna")
    assert [coding_row(corpus, i)["status"] for i in (first, second, third)] == [
        "accepted",
        "rejected",
        "accepted",
    ]
    assert coding_row(corpus, third)["code_id"] == find_code(corpus, "Knappa resurser")
    logged = corpus.db.execute(
        "SELECT action, actor, entity_id, after FROM changes WHERE entity = 'coding'"
        " AND action != 'create' ORDER BY id"
    ).fetchall()
    assert [(a, who, int(i)) for a, who, i, _ in logged] == [
        ("accept", "Anna", first),
        ("reject", "Bo", second),
        ("accept", "Anna", third),
    ]
    assert json.loads(logged[0][3])["status"] == "accepted"
    coders = {row["id"]: row["coder"] for row in list_codings(corpus)}
    assert (coders[first], coders[third]) == ("Anna", "Anna"), "who accepted is the coder"
    assert coders[second] == "vinr-qual rules", "a rejected suggestion stays the rules'"
    assert coding_row(corpus, first)["origin"].startswith("rule:"), "the origin keeps the rule"
    assert progress(corpus).decided == 3
    with pytest.raises(VinrQualError, match="not a suggestion"):
        accept(corpus, first)
    revert(corpus, last_change_id(corpus) - 2)
    assert coding_row(corpus, first)["status"] == "suggested", "a decision can be undone"


def test_widen_to_the_speaker_turn(corpus: Project) -> None:
    autocode(corpus)
    sentence_level = next(
        i
        for i in pending(corpus)
        if item(corpus, i).passage == "Kommundirektören prioriterar inte frågan."
    )
    before = item(corpus, sentence_level)
    widen(corpus, sentence_level, "turn", decider="Anna")
    after = item(corpus, sentence_level)
    assert after.start <= before.start and after.end >= before.end
    assert after.passage == (
        "Kommundirektören prioriterar inte frågan. Ledningen har annat för sig."
    ), "the whole turn, without its label"
    assert coding_row(corpus, sentence_level)["status"] == "suggested"
