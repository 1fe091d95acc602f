"""Rules that are precise: the interviewee's speech only, never headers or time stamps,
context (`near:`, `not_near:`), a minimum of evidence, `also:` blocks, and quality that
counts a recoded or rejected suggestion as a miss of the rule that made it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codebook.conftest import load_file
from tests.conftest import write_text
from vinr_qual.codebook.operations import find_code
from vinr_qual.coding.codings import add_coding, list_codings
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.suggest.review import accept, recode, reject
from vinr_qual.suggest.rules import autocode, rule_quality

CODEBOOK = """\
codebook:
  name: Regelkodbok
codes:
  - name: Projektfinansiering
    rules:
      keywords: [projekt, projektet, projektmedel, projektmedlen]
      not_near: [inte, inget, ingen, aldrig]
  - name: Ordinarie budget
    rules:
      phrases: ["ordinarie budget"]
  - name: Allt om SSPF
    rules:
      speakers: all
      keywords: [SSPF]
  - name: Bara intervjuaren
    rules:
      speakers: interviewer
      keywords: [SSPF]
  - name: Gäng tränger undan
    rules:
      keywords: [SSPF, gängen]
      near: {words: [vänta, "allt annat", undan*], window: 6}
  - name: Två belägg
    rules:
      keywords: [mandat, styrgruppen]
      lemmas: [prioritera]
      min_evidence: 2
  - name: Antingen eller
    rules:
      unit: turn
      phrases: ["mellan stolarna"]
      also:
        - keywords: [ansvar]
          near: {words: [oklart, ingen], before: 3, after: 0}
  - name: Tidsstämpel
    rules:
      patterns: ['\\d\\d:\\d\\d', 'skratt']
"""

INTERVIEW = """Projekt: Kommunstudien VINR–BF, intervju om projekt och SSPF
Kommun: Testköping
Datum: 2026-01-20 [00:00:00]

I: Hur ser det ut med projektmedlen och SSPF hos er?

IP: [00:01:10] Det ligger i ordinarie budget, inte projekt. Något projekt har vi aldrig haft. [skratt]

I: Så projektet tar slut?

IP: Nej. Men utvecklingsarbetet var ett projekt som tar slut i december, och då vet vi inte. Jag sitter med i SSPF en gång i veckan. När gängen skjuter får allt annat vänta.

I: Och styrningen, vem prioriterar?

IP: Ledningen prioriterar frågan och ger mandat. Styrgruppen har mandat. Det är oklart vem som har ansvar, och hedersfrågorna hamnar mellan stolarna.
"""


@pytest.fixture
def interview(project: Project, tmp_path: Path) -> Project:
    load_file(project, write_text(tmp_path / "regler.yaml", CODEBOOK))
    import_sources(
        project,
        [
            ImportRequest(
                write_text(tmp_path / "Testköping-01.txt", INTERVIEW),
                SourceMetadata(case="Testköping", kind="interview"),
            )
        ],
    )
    return project


def suggested(project: Project, code: str) -> list[str]:
    code_id = find_code(project, code)
    return [
        row["passage"]
        for row in list_codings(project, code_id=code_id)
        if row["origin"].startswith("rule:")
    ]


def turns(project: Project, interviewer: bool) -> list[tuple[int, int]]:
    return [
        (start, end)
        for start, end in project.db.execute(
            'SELECT s.start, s."end" FROM segments s JOIN speakers sp ON sp.id = s.speaker_id'
            " WHERE s.kind = 'turn' AND sp.is_interviewer = ?",
            [int(interviewer)],
        )
    ]


def test_interviewer_questions_and_header_lines_are_never_suggested(interview: Project) -> None:
    autocode(interview)
    asked = turns(interview, interviewer=True)
    answered = turns(interview, interviewer=False)
    rows = [r for r in list_codings(interview) if r["origin"].startswith("rule:")]
    assert rows
    for row in rows:
        if row["code"] in ("Allt om SSPF", "Bara intervjuaren"):
            continue
        assert any(s <= row["start"] and row["end"] <= e for s, e in answered), row["passage"]
        assert not any(s <= row["start"] < e for s, e in asked), row["passage"]
    header_end = INTERVIEW.index("\n\nI:")
    assert all(row["start"] > header_end for row in rows), "header lines are never suggested"


def test_a_rule_may_opt_in_to_the_interviewers_speech(interview: Project) -> None:
    autocode(interview)
    everyone = suggested(interview, "Allt om SSPF")
    assert "Hur ser det ut med projektmedlen och SSPF hos er?" in everyone
    assert "Jag sitter med i SSPF en gång i veckan." in everyone
    assert not any("Kommunstudien" in passage for passage in everyone), "never the header"
    assert suggested(interview, "Bara intervjuaren") == [
        "Hur ser det ut med projektmedlen och SSPF hos er?"
    ]


def test_negations_are_not_coded_as_their_opposite(interview: Project) -> None:
    autocode(interview)
    found = suggested(interview, "Projektfinansiering")
    assert found == [
        "Men utvecklingsarbetet var ett projekt som tar slut i december, och då vet vi inte."
    ], "`inte projekt` and `projekt har vi aldrig` are the opposite of project funding"
    [budget] = suggested(interview, "Ordinarie budget")
    assert budget.endswith("Det ligger i ordinarie budget, inte projekt.")


def test_near_asks_for_context_within_the_window(interview: Project) -> None:
    autocode(interview)
    assert suggested(interview, "Gäng tränger undan") == [
        "När gängen skjuter får allt annat vänta."
    ], "a single word (SSPF) does not fire a code that records a judgement"


def test_min_evidence_asks_for_two_different_terms(interview: Project) -> None:
    autocode(interview)
    assert suggested(interview, "Två belägg") == [
        "Ledningen prioriterar frågan och ger mandat.",
        "Styrgruppen har mandat.",
    ], "a keyword and a lemma, or two keywords"


def test_also_blocks_and_the_turn_unit(interview: Project) -> None:
    autocode(interview)
    [turn] = suggested(interview, "Antingen eller")
    assert turn.startswith("Ledningen prioriterar") and turn.endswith("mellan stolarna.")


def test_time_stamps_and_transcription_marks_are_not_matched(interview: Project) -> None:
    autocode(interview)
    assert suggested(interview, "Tidsstämpel") == []


def test_quality_counts_a_recoded_or_rejected_suggestion_as_a_miss(interview: Project) -> None:
    autocode(interview)
    two = find_code(interview, "Två belägg")
    first, second = (
        r["id"] for r in list_codings(interview, code_id=two) if r["origin"] == f"rule:{two}"
    )
    recode(interview, first, find_code(interview, "Ordinarie budget"), decider="Anna")
    reject(interview, second, decider="Anna")
    gang = find_code(interview, "Gäng tränger undan")
    [hit] = [r["id"] for r in list_codings(interview, code_id=gang)]
    accept(interview, hit, decider="Anna")
    rows = {q.code: q for q in rule_quality(interview)}
    counted = rows["Två belägg"]
    assert (counted.accepted, counted.recoded, counted.rejected) == (0, 1, 1)
    assert counted.precision == 0.0, "the recoded suggestion is a miss, not a hit"
    budget = rows["Ordinarie budget"]
    assert (budget.accepted, budget.recoded) == (0, 0), "nor a hit for the code it became"
    assert (budget.human, budget.found, budget.recall) == (1, 0, 0.0), (
        "the recoded passage is now a person's coding of the other code, one its rule misses"
    )
    assert budget.precision is None and budget.f1 is None
    gangs = rows["Gäng tränger undan"]
    assert (gangs.accepted, gangs.precision, gangs.human, gangs.found) == (1, 1.0, 1, 1)
    assert gangs.f1 == 1.0


def test_quality_recall_counts_the_peoples_accepted_codings(interview: Project) -> None:
    code = find_code(interview, "Gäng tränger undan")
    document_id, text = interview.db.execute("SELECT id, text FROM documents").fetchone()
    said = "Jag sitter med i SSPF en gång i veckan."
    start = text.index(said)
    add_coding(interview, document_id, start, start + len(said), code, coder="Bo")
    [row] = [q for q in rule_quality(interview) if q.code == "Gäng tränger undan"]
    assert (row.human, row.found, row.recall) == (1, 0, 0.0)
