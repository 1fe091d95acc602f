"""A corrected transcript imported again keeps its codings: each moves to its passage,
exactly or with edits, and one that cannot be placed with confidence waits for review."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.codebook.conftest import load_file
from tests.conftest import write_text
from vinr_qual.cli import cli
from vinr_qual.codebook.operations import find_code
from vinr_qual.coding.codings import add_coding, coding_row, list_codings
from vinr_qual.coding.realign import (
    PASSAGE_MIN,
    WINDOW_MIN,
    Placement,
    align,
    place,
    realign,
)
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.suggest import review
from vinr_qual.suggest.model import explain

TURNS = (
    "I: Hur ser samverkan ut i kommunen?\n\n"
    "IP: Vi har ett nära samarbete med polisn och socialtjänsten, och Anna Berg leder"
    " gruppen sedan två år. Det fungerar bra.\n\n"
    "I: Och uppföljningen?\n\n"
    "IP: Den följs upp varje år i en lägesbild. Kommundirektören är drivande i det"
    " arbetet.\n\n"
    "I: Något mer?\n\n"
    "IP: Nej, inte direkt. Vi har ett nära samarbete med polisen i andra frågor också.\n"
)
CODED = (
    "Vi har ett nära samarbete med polisn och socialtjänsten, och Anna Berg leder gruppen"
    " sedan två år."
)


def placed(old: str, new: str, phrase: str, occurrence: int = 1) -> tuple[Placement, str]:
    start = -1
    for _ in range(occurrence):
        start = old.index(phrase, start + 1)
    [where] = realign(old, new, [(start, start + len(phrase))])
    assert 0 <= where.start < where.end <= len(new), "always a passage inside the new text"
    return where, new[where.start : where.end]


# the alignment on strings --------------------------------------------------------------


def test_an_unchanged_passage_is_kept_or_moves_exactly() -> None:
    where, text = placed(TURNS, TURNS, CODED)
    assert (where.verdict, text) == ("kept", CODED)
    added = "I: Får jag spela in?\n\nIP: Ja, det går bra.\n\n"
    where, text = placed(TURNS, added + TURNS, CODED)
    assert (where.verdict, text) == ("moved", CODED)
    assert where.start == TURNS.index(CODED) + len(added)


def test_a_typo_fixed_inside_the_passage_moves_with_edits() -> None:
    where, text = placed(TURNS, TURNS.replace("polisn", "polisen"), CODED)
    assert where.verdict == "edited"
    assert text == CODED.replace("polisn", "polisen")
    assert where.similarity >= 99


def test_names_replaced_move_with_edits() -> None:
    where, text = placed(TURNS, TURNS.replace("Anna Berg", "[namn]"), CODED)
    assert (where.verdict, text) == ("edited", CODED.replace("Anna Berg", "[namn]"))
    # a passage that starts with the name takes the replacement from its first character
    phrase = "Anna Berg leder gruppen sedan två år."
    where, text = placed(TURNS, TURNS.replace("Anna Berg", "[namn]"), phrase)
    assert (where.verdict, text) == ("edited", "[namn] leder gruppen sedan två år.")


def test_a_turn_re_split_keeps_the_passage_with_the_new_label_inside() -> None:
    resplit = TURNS.replace(
        "och socialtjänsten, och Anna", "och socialtjänsten,\n\nI: Mhm.\n\nIP: Och Anna"
    )
    where, text = placed(TURNS, resplit, CODED)
    assert where.verdict == "edited"
    assert text == (
        "Vi har ett nära samarbete med polisn och socialtjänsten,\n\nI: Mhm.\n\nIP: Och Anna"
        " Berg leder gruppen sedan två år."
    )


def test_crlf_to_lf_and_new_line_breaks_are_not_changes_of_the_words() -> None:
    crlf = TURNS.replace("\n", "\r\n")
    phrase = "Kommundirektören är drivande i det arbetet.\r\n\r\nI: Något mer?"
    where, text = placed(crlf, TURNS, phrase)
    assert (where.verdict, text) == ("edited", phrase.replace("\r\n", "\n"))
    assert where.similarity == 100
    wrapped = TURNS.replace("och Anna Berg leder", "och Anna Berg\nleder")
    where, text = placed(TURNS, wrapped, CODED)
    assert (where.verdict, text) == ("edited", CODED.replace("Berg leder", "Berg\nleder"))


def test_a_deleted_passage_waits_for_review_on_the_sentence_nearby() -> None:
    new = TURNS.replace(" Kommundirektören är drivande i det arbetet.", "")
    where, text = placed(TURNS, new, "Kommundirektören är drivande i det arbetet.")
    assert where.verdict == "review"
    assert text == "IP: Den följs upp varje år i en lägesbild.", "the line where it stood"
    # with the new text's sentences, the sentence where it stood
    start = TURNS.index("Kommundirektören")
    sentences = [(new.index(s), new.index(s) + len(s)) for s in ("Den följs upp varje år i en lägesbild.", "Något mer?")]  # fmt: skip
    where = place(align(TURNS, new), start, start + 43, sentences)
    assert new[where.start : where.end] == "Den följs upp varje år i en lägesbild."


def test_a_rewritten_passage_waits_for_review_at_its_place() -> None:
    rewritten = "Samarbetet med polisen har blivit mycket sämre det senaste året."
    where, text = placed(TURNS, TURNS.replace(CODED, rewritten), CODED)
    assert (where.verdict, text) == ("review", rewritten)
    assert where.similarity < PASSAGE_MIN


def test_a_repeated_phrase_elsewhere_does_not_capture_the_coding() -> None:
    twice = TURNS.replace("Nej, inte direkt.", "Nej, inte direkt. Det fungerar bra.")
    # the coded "Det fungerar bra." (the first) is deleted: the second one, which both
    # versions have, must not take the coding
    deleted = twice.replace(" Det fungerar bra.\n\nI: Och", "\n\nI: Och")
    where, text = placed(twice, deleted, "Det fungerar bra.")
    assert where.verdict == "review"
    assert where.start < deleted.index("Nej, inte direkt."), "it stays where it stood"
    # a typo fixed in the coded one, not in its twin: the coding follows the fix
    phrase = "Vi har ett nära samarbete med polis"
    doubled = TURNS.replace("med polisen i andra", "med polisn i andra")
    where, text = placed(doubled, doubled.replace("polisn och", "polisen och"), CODED)
    assert (where.verdict, text) == ("edited", CODED.replace("polisn", "polisen"))
    assert text.startswith(phrase)


def test_a_moved_paragraph_is_found_where_it_went() -> None:
    paragraph = "IP: Den följs upp varje år i en lägesbild. Kommundirektören är drivande i det arbetet.\n\n"  # fmt: skip
    moved = TURNS.replace(paragraph, "")
    moved = moved.replace("I: Något mer?\n\n", "I: Något mer?\n\n" + paragraph)
    where, text = placed(TURNS, moved, "Den följs upp varje år i en lägesbild.")
    assert (where.verdict, text) == ("moved", "Den följs upp varje år i en lägesbild.")


# How the thresholds were chosen: the edits we mean to carry over score above both bars,
# the changes a person should look at score below one of them.
THRESHOLD_CASES = [
    ("typo", "polisn", "polisen", CODED, "edited"),
    ("name", "Anna Berg", "[namn]", CODED, "edited"),
    ("re-split", "tjänsten, och", "tjänsten,\n\nI: Mhm.\n\nIP: Och", CODED, "edited"),
    ("clause added", "och Anna", "och vi träffas varje vecka, och Anna", CODED, "edited"),
    ("short typo", "inte direkt", "inte dirket", "Nej, inte direkt.", "edited"),
    ("half deleted", ", och Anna Berg leder gruppen sedan två år", "", CODED, "review"),
    ("reworded", "Det fungerar bra.", "Det funkar dåligt.", "Det fungerar bra.", "review"),
    ("only the name", "Anna Berg", "[namn]", "Anna Berg", "review"),
    (
        "surroundings rewritten",
        "Det fungerar bra.\n\nI: Och uppföljningen?\n\nIP: Den följs upp varje år",
        "Jag tycker helt annorlunda nu.\n\nI: Hur följer ni upp?\n\nIP: Den följs upp vart år",
        "Den följs upp varje år i en lägesbild.",
        "review",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "phrase", "verdict"),
    [case[1:] for case in THRESHOLD_CASES],
    ids=[case[0] for case in THRESHOLD_CASES],
)
def test_the_thresholds_part_edits_from_rewrites(
    old: str, new: str, phrase: str, verdict: str
) -> None:
    where, _ = placed(TURNS, TURNS.replace(old, new), phrase)
    assert where.verdict == verdict
    if verdict == "edited":
        assert where.similarity >= PASSAGE_MIN + 5 and where.window >= WINDOW_MIN + 5
    else:
        assert where.similarity < PASSAGE_MIN or where.window < WINDOW_MIN


# a project, end to end ----------------------------------------------------------------

INTERVIEW = """Kommunstudien, Testby, 2025-05-12

I: Hur prioriteras arbetet mot våld i nära relationer?

IP: Kommundirektören har det högt på agendan och frågar efter lägesbilden varje månad. \
Men jag har bara tjugo procent av en tjänst, och Anna Berg på socialtjänsten gör resten.

I: Och samverkan med polisen?

IP: Vi har en styrgrupp med alla förvaltningschefer och polisn. Den träffas fyra gånger \
om året. Ärligt talat fungerade det bättre förr, när vi hade en egen samordnare.

I: Något mer?

IP: Vi har en styrgrupp med alla förvaltningschefer. Det är det viktigaste.
"""


def corrected(text: str) -> str:
    """Names out, a typo fixed, a sentence deleted, a question added, CRLF line ends."""
    text = text.replace("Anna Berg", "[namn]").replace("och polisn.", "och polisen.")
    text = text.replace(" Ärligt talat fungerade det bättre förr, när vi hade en egen samordnare.", "")  # fmt: skip
    text = text.replace("2025-05-12\n\n", "2025-05-12\n\nI: Får jag spela in?\n\nIP: Ja.\n\n")
    return text.replace("\n", "\r\n")


# phrase as coded -> (code, where it should stand in the corrected text, verdict)
CODINGS = {
    "Kommunstudien, Testby, 2025-05-12": ("Intern samverkan", None, "kept"),
    "Kommundirektören har det högt på agendan och frågar efter lägesbilden varje månad.": (
        "Ledningens prioritering",
        None,
        "moved",
    ),
    "Men jag har bara tjugo procent av en tjänst, och Anna Berg på socialtjänsten gör resten.": (
        "Knappa resurser",
        "Men jag har bara tjugo procent av en tjänst, och [namn] på socialtjänsten gör resten.",
        "edited",
    ),
    "Vi har en styrgrupp med alla förvaltningschefer och polisn.": (
        "Intern samverkan",
        "Vi har en styrgrupp med alla förvaltningschefer och polisen.",
        "edited",
    ),
    "Ärligt talat fungerade det bättre förr, när vi hade en egen samordnare.": (
        "Intern samverkan",
        "Den träffas fyra gånger om året.",
        "review",
    ),
    "Vi har en styrgrupp med alla förvaltningschefer. Det är det viktigaste.": (
        "Intern samverkan",
        None,
        "moved",
    ),
}
SUMMARY = "codings: 3 moved exactly, 2 moved with edits, 1 wait for review"


def coded_interview(project: Project, codebook: Path, source: Path) -> dict[str, int]:
    """The interview imported and coded by Anna: coding id per phrase."""
    load_file(project, codebook)
    [outcome] = import_sources(project, [ImportRequest(source)])
    assert outcome.document_id is not None
    ids = {}
    for phrase, (code, _, _) in CODINGS.items():
        start = INTERVIEW.index(phrase)
        ids[phrase] = add_coding(
            project,
            outcome.document_id,
            start,
            start + len(phrase),
            find_code(project, code),
            coder="Anna",
        )
    return ids


def new_text(project: Project) -> str:
    return str(project.db.execute("SELECT text FROM documents").fetchone()[0])


def test_a_corrected_transcript_keeps_every_coding(
    project: Project, codebook_file: Path, tmp_path: Path
) -> None:
    source = write_text(tmp_path / "Testby-01.txt", INTERVIEW)
    ids = coded_interview(project, codebook_file, source)
    write_text(source, corrected(INTERVIEW))
    [outcome] = import_sources(project, [ImportRequest(source)], replace=True)
    assert outcome.status == "replaced"
    assert SUMMARY in outcome.message
    text = new_text(project)
    assert "\r" not in text and "[namn]" in text
    assert project.db["codings"].count == len(CODINGS), "nothing removed"
    for phrase, (_, expected, verdict) in CODINGS.items():
        row = coding_row(project, ids[phrase])
        assert text[row["start"] : row["end"]] == (expected or phrase), phrase
        waits = verdict == "review"
        assert (row["status"], row["origin"]) == (
            ("suggested", "realign") if waits else ("accepted", "manual")
        )
    counts = project.db.execute(
        "SELECT after FROM changes WHERE action = 'replace' AND entity = 'document'"
    ).fetchone()[0]
    assert '"kept": 1' in counts and '"review": 1' in counts

    gone = ids["Ärligt talat fungerade det bättre förr, när vi hade en egen samordnare."]
    assert review.pending(project) == [gone]
    shown = review.item(project, gone)
    assert (
        shown.old_passage
        == "Ärligt talat fungerade det bättre förr, när vi hade en egen samordnare."
    )
    assert shown.passage == "Den träffas fyra gånger om året." and shown.coder == "Anna"
    assert explain(project, gone).kind == "realign"
    assert review.progress(project) == review.Progress(decided=0, pending=1)

    # Bo confirms the place: the coding stays Anna's, and manual again
    review.accept(project, gone, decider="Bo")
    row = list_codings(project, coding_id=gone)[0]
    assert (row["status"], row["origin"], row["coder"]) == ("accepted", "manual", "Anna")
    assert review.progress(project) == review.Progress(decided=1, pending=0)


def test_a_second_correction_before_the_review_keeps_the_passage_as_coded(
    project: Project, codebook_file: Path, tmp_path: Path
) -> None:
    source = write_text(tmp_path / "Testby-01.txt", INTERVIEW)
    ids = coded_interview(project, codebook_file, source)
    gone = ids["Ärligt talat fungerade det bättre förr, när vi hade en egen samordnare."]
    once = corrected(INTERVIEW)
    write_text(source, once)
    import_sources(project, [ImportRequest(source)], replace=True)
    write_text(source, once.replace("Den träffas fyra gånger om året.", "Den träffas ibland."))
    [outcome] = import_sources(project, [ImportRequest(source)], replace=True)
    assert "1 wait for review" in outcome.message
    shown = review.item(project, gone)
    assert (
        shown.old_passage
        == "Ärligt talat fungerade det bättre förr, när vi hade en egen samordnare."
    )
    assert shown.passage == "Den träffas ibland."
    # given another code, the reviewer's judgement replaces the coder's
    review.recode(project, gone, find_code(project, "Knappa resurser"), decider="Bo")
    row = list_codings(project, coding_id=gone)[0]
    assert (row["status"], row["origin"], row["coder"]) == ("accepted", "manual", "Bo")


def test_a_rejected_suggestion_is_placed_at_a_guess_without_review(
    project: Project, codebook_file: Path, tmp_path: Path
) -> None:
    source = write_text(tmp_path / "Testby-01.txt", INTERVIEW)
    [document_id] = [
        outcome.document_id
        for outcome in import_sources(project, [ImportRequest(source)])
        if outcome.document_id is not None
    ]
    load_file(project, codebook_file)
    phrase = "Ärligt talat fungerade det bättre förr, när vi hade en egen samordnare."
    start = INTERVIEW.index(phrase)
    code = find_code(project, "Intern samverkan")
    rejected = add_coding(
        project, document_id, start, start + len(phrase), code, status="rejected", origin="rule:x"
    )
    write_text(source, corrected(INTERVIEW))
    [outcome] = import_sources(project, [ImportRequest(source)], replace=True)
    assert "0 wait for review, 1 rejected suggestions placed at a guess" in outcome.message
    row = coding_row(project, rejected)
    assert (row["status"], row["origin"]) == ("rejected", "rule:x")
    assert review.pending(project) == []


def test_import_replace_on_the_command_line_prints_the_three_counts(
    codebook_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "p.sqlite"
    source = write_text(tmp_path / "Testby-01.txt", INTERVIEW)
    with Project.open(path, create=True) as project:
        ids = coded_interview(project, codebook_file, source)
    write_text(source, corrected(INTERVIEW))
    runner = CliRunner()
    result = runner.invoke(cli, ["-p", str(path), "import", str(source)], catch_exceptions=False)
    assert "! Testby-01.txt" in result.stdout, "changed, and left alone without --replace"
    result = runner.invoke(
        cli, ["-p", str(path), "import", str(source), "--replace"], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert "~ Testby-01.txt: " in result.stdout and SUMMARY in result.stdout
    result = runner.invoke(cli, ["-p", str(path), "review", "next"], catch_exceptions=False)
    assert "the transcript was corrected" in result.stdout
    assert "(coded by Anna)" in result.stdout
    assert "passage as coded: Ärligt talat fungerade det bättre förr" in result.stdout
    gone = ids["Ärligt talat fungerade det bättre förr, när vi hade en egen samordnare."]
    result = runner.invoke(cli, ["-p", str(path), "review", "accept", str(gone)])
    assert result.exit_code == 0
    with Project.open(path) as project:
        assert list_codings(project, coding_id=gone)[0]["coder"] == "Anna"


async def test_the_review_screen_says_the_transcript_was_corrected(
    codebook_file: Path, tmp_path: Path
) -> None:
    from tests.tui.conftest import build
    from vinr_qual.tui.screens.review import ReviewScreen

    path = tmp_path / "p.sqlite"
    source = write_text(tmp_path / "Testby-01.txt", INTERVIEW)
    with Project.open(path, create=True) as project:
        coded_interview(project, codebook_file, source)
        write_text(source, corrected(INTERVIEW))
        import_sources(project, [ImportRequest(source)], replace=True)
    app = build(path, coder="Bo")
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ReviewScreen)
        why = str(app.screen.query_one("#review-why").render())
        assert "The transcript was corrected after coding" in why
        assert "the coding stays Anna's" in why
        assert "Passage as coded" in why and "Ärligt talat fungerade det bättre" in why
        assert "corrected transcript" in str(app.screen.query_one("#review-item").render())
