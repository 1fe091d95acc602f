"""Turn detection on transcripts as they come from people and services (issue 10).

Every fixture is written here, Swedish and English snippets of made-up interviews: the
shapes of label (case, numbers, names of every kind), the exports of Otter and Zoom,
speaker tags and time stamps, and the colons that are not labels. With the default
settings, on a transcript where every turn is labelled, there are as many turns as label
lines; a line that looks like a label but is not taken is named in a note.
"""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from tests.conftest import write_text
from vinr_qual.ingest.model import ParsedSource, Turn
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.ingest.readers import read_source
from vinr_qual.ingest.turns import (
    DEFAULT_PATTERNS,
    FoundTurns,
    TurnRules,
    find_turns,
    interviewer_labels,
)
from vinr_qual.project import Project

RULES = TurnRules(dict(DEFAULT_PATTERNS))


def parse(tmp_path: Path, text: str, name: str = "t.txt") -> tuple[ParsedSource, FoundTurns]:
    parsed = read_source(write_text(tmp_path / name, text))
    return parsed, find_turns(parsed.text, parsed.blocks, RULES)


def spoken(parsed: ParsedSource, turns: list[Turn]) -> list[tuple[str, str]]:
    return [(t.label, parsed.text[t.content_start : t.end]) for t in turns]


def labels(tmp_path: Path, text: str, name: str = "t.txt") -> list[str]:
    _, found = parse(tmp_path, text, name)
    return [turn.label for turn in found.turns]


# every turn labelled: as many turns as label lines -------------------------------------

LABELLED = {
    "intervjuare-respondent": (
        "Intervju i Mälarby\nDatum: 12 mars 2026\nPlats: Kommunhuset\n\n"
        "Intervjuare: Välkommen. Kan du börja med din roll?\n\n"
        "Respondent: Jag är samordnare för det brottsförebyggande arbetet.\n\n"
        "Intervjuare: Hur länge har du haft uppdraget?\n\n"
        "Respondent: Sedan 2021, på halvtid.\n\n"
        "Intervjuare: Och den andra halvan?\n\n"
        "Respondent: Folkhälsa. Det hänger ihop, tycker jag.\n",
        6,
    ),
    "group-with-numbers": (
        "I1: Vi börjar med en runda. Vem vill börja?\n\n"
        "Deltagare 1: Jag kan. Jag jobbar på fritidsgården i centrum.\n\n"
        "Deltagare 2: Och jag är skolkurator sedan fem år.\n\n"
        "I2: Hur ofta träffas ni?\n\n"
        "Deltagare 1: Varannan vecka, ungefär.\n\n"
        "Deltagare 3: Jag är ny här, så jag vet inte riktigt.\n\n"
        "I1: Tack. Då går vi vidare.\n",
        7,
    ),
    "names-english": (
        "Interviewer: Thanks for joining. Could you tell me about your role?\n\n"
        "Siobhan O'Brien: I coordinate the violence prevention work in the region.\n\n"
        "Interviewer: How long have you done that?\n\n"
        "Siobhan O'Brien: About four years now.\n\n"
        "Rory McIlroy: And I joined her team last spring.\n\n"
        "Interviewer: What changed when you arrived?\n\n"
        "Siobhan O'Brien: We finally had someone for the schools.\n",
        7,
    ),
    "no-blank-lines": (
        "I: Vad gör ni i skolorna?\nIP: Vi har samtalsgrupper.\nI: Hur många?\n"
        "IP: Fyra i år.\nI: Räcker det?\nIP: Nej.\n",
        6,
    ),
    "time-stamps": (
        "[00:00:05] Intervjuare: Då är vi igång.\n\n"
        "[00:00:09] Respondent: Ja, det fungerar bra.\n\n"
        "00:01:12 Intervjuare: Berätta om lägesbilden.\n\n"
        "00:01:20 Respondent: Vi har ingen samlad.\n\n"
        "Intervjuare: [00:02:01] Varför inte?\n",
        5,
    ),
}


@pytest.mark.parametrize("name", list(LABELLED))
def test_as_many_turns_as_label_lines(tmp_path: Path, name: str) -> None:
    text, label_lines = LABELLED[name]
    parsed, found = parse(tmp_path, text)
    assert len(found.turns) == label_lines
    for turn in found.turns:
        words = parsed.text[turn.content_start : turn.end]
        assert words and words == words.strip()


# case, numbers, spellings ---------------------------------------------------------------


def test_labels_in_any_case(tmp_path: Path) -> None:
    text = (
        "intervjuare: Hur började det?\n\n"
        "interviewee: It started with a report from the school.\n\n"
        "INTERVJUARE: Och sedan?\n\n"
        "KRISTIN: Sedan kom polisen in. Det var i mars.\n\n"
        "intervjuare: Vem ringde?\n\n"
        "KRISTIN: Jag tror att det var rektorn.\n\n"
        "KRISTIN: Eller biträdande rektor, faktiskt.\n"
    )
    found = labels(tmp_path, text)
    assert found == [
        "intervjuare",
        "interviewee",
        "intervjuare",
        "KRISTIN",
        "intervjuare",
        "KRISTIN",
        "KRISTIN",
    ]


@pytest.mark.parametrize(
    "interviewer",
    ["I", "I1", "Int", "Intervjuare 2", "Interviewer1", "Moderator", "Fråga", "Q", "F"],
)
def test_interviewer_labels_with_and_without_numbers(tmp_path: Path, interviewer: str) -> None:
    text = (
        f"{interviewer}: Vad gör kommunen mot våld i nära relationer?\n\n"
        "Svar: Vi har en samordnare och en handlingsplan.\n\n"
        f"{interviewer}: Följs planen upp?\n\n"
        "Svar: Varje år, i socialnämnden.\n"
    )
    parsed, found = parse(tmp_path, text)
    assert [turn.label for turn in found.turns] == [interviewer, "Svar", interviewer, "Svar"]
    assert interviewer_labels(parsed.text, found.turns) == {interviewer}


def test_several_interviewers_are_all_flagged(tmp_path: Path, project: Project) -> None:
    source = write_text(
        tmp_path / "grupp.txt",
        "Intervjuare 1: Välkomna. Vi är två som ställer frågor idag.\n\n"
        "Respondent: Det går bra.\n\n"
        "Intervjuare 2: Jag tar frågorna om skolan.\n\n"
        "Respondent: Okej, då börjar vi där.\n\n"
        "Moderator: Vi har tjugo minuter kvar.\n\n"
        "Intervjuare 1: Tack. Hur ser samverkan ut?\n\n"
        "Respondent: Den finns, men den hänger på personer.\n\n"
        "Intervjuare 2: Och skolan?\n\n"
        "Respondent: Där är det bättre.\n\n"
        "Moderator: Då avslutar vi.\n",
    )
    import_sources(project, [ImportRequest(source)])
    speakers = dict(project.db.execute("SELECT label, is_interviewer FROM speakers").fetchall())
    assert speakers == {"Intervjuare 1": 1, "Intervjuare 2": 1, "Moderator": 1, "Respondent": 0}


def test_one_speaker_written_several_ways_is_one_label(tmp_path: Path) -> None:
    text = (
        "Interviewer1: Let us start with your role.\n\n"
        "Interviewee1 : I manage the youth centre.\n\n"
        "Interviewer 1: Since when?\n\n"
        "Interviewee 1: Since 2019.\n\n"
        "interviewer 1: And before that?\n\n"
        "Interviewee1: Social services, mostly.\n\n"
        "Interviewer1 : Thank you.\n\n"
        "Interviewee1: You are welcome.\n"
    )
    parsed, found = parse(tmp_path, text)
    assert [turn.label for turn in found.turns] == ["Interviewer1", "Interviewee1"] * 4
    assert interviewer_labels(parsed.text, found.turns) == {"Interviewer1"}


# colons that are not labels ------------------------------------------------------------


def test_a_colon_opens_a_turn_only_before_white_space(tmp_path: Path) -> None:
    text = (
        "Intervjuare: Var ligger skolan?\n\n"
        "Respondent: Den heter\nS:t Eriks gymnasium och ligger i centrum. Vi träffar\n"
        "EG:s personal varje vecka, och\nMaj:t har inget med saken att göra.\n"
        "Kl. 10:30 varje tisdag ses vi.\n\n"
        "Intervjuare: Bra.\n"
    )
    parsed, found = parse(tmp_path, text)
    assert [turn.label for turn in found.turns] == ["Intervjuare", "Respondent", "Intervjuare"]
    assert found.notes == []
    assert "Maj:t har inget" in spoken(parsed, found.turns)[1][1]


# names of every shape ------------------------------------------------------------------


def test_names_of_every_shape_even_when_they_speak_once(tmp_path: Path) -> None:
    names = [
        "Per Olof Håkansson",
        "Lars-Ove Hagberg",
        "Gustaf von Essen",
        "Anna af Klint",
        "Pieter van der Berg",
        "Marie de Fleur",
        "McIlroy",
        "O'Brien",
        "KRISTIN",
        "Zoë",
        "René",
        "Søren Kjær",
        "Jürgen",
    ]
    lines = ["Datum: 12 mars", "Plats: Kommunhuset", "Intervjuare: AL", ""]
    for name in names:
        lines += ["Intervjuare: Vad tycker du om samverkan?", ""]
        lines += [f"{name}: Den fungerar, men den kunde vara bättre.", ""]
    _parsed, found = parse(tmp_path, "\n".join(lines))
    said = [turn.label for turn in found.turns if turn.label != "Intervjuare"]
    assert said == names
    assert len(found.turns) == 2 * len(names)
    assert found.notes == [
        '3 lines look like speaker labels but were not taken as turns (first: "Datum: 12'
        ' mars", line 1)'
    ]


def test_a_digit_in_a_name_label_and_a_space_before_the_colon(tmp_path: Path) -> None:
    text = (
        "Interviewer: Who are you?\n\nInterviewee1 : A teacher.\n\n"
        "Person 2: And I am the principal.\n\nInterviewer: Thank you both.\n"
    )
    assert labels(tmp_path, text) == ["Interviewer", "Interviewee1", "Person 2", "Interviewer"]


def test_header_lines_inside_the_text_are_not_one_off_speakers(tmp_path: Path) -> None:
    text = (
        "Intervjuare: Välkommen.\n\nRespondent: Tack.\n\n"
        "Plats: Kommunhuset\n\n"
        "Intervjuare: Vi fortsätter efter pausen.\n\nRespondent: Ja.\n\n"
        "Tid: 10.15–11.30\n\n"
        "Anna: Ja\n"
    )
    _parsed, found = parse(tmp_path, text)
    assert [turn.label for turn in found.turns] == ["Intervjuare", "Respondent"] * 2
    assert found.notes == [
        '3 lines look like speaker labels but were not taken as turns (first: "Plats:'
        ' Kommunhuset", line 5)'
    ]


def test_a_continuation_line_is_not_a_one_off_speaker(tmp_path: Path) -> None:
    text = (
        "Intervjuare: Hur ser det ut i skolorna?\n\n"
        "Respondent: Det varierar mycket mellan skolorna, men en sak är säker\n"
        "Kommunen: den har inte satt av några pengar för det i år heller.\n\n"
        "Intervjuare: Varför inte?\n"
    )
    _parsed, found = parse(tmp_path, text)
    assert [turn.label for turn in found.turns] == ["Intervjuare", "Respondent", "Intervjuare"]
    assert "line 4" in found.notes[0] and "Kommunen: den har" in found.notes[0]


def test_one_off_names_need_a_turn_structured_transcript(tmp_path: Path) -> None:
    text = "Mål: att färre känner sig otrygga i centrum.\n\nAnsvar: socialnämnden.\n"
    _parsed, found = parse(tmp_path, text)
    assert found.turns == []
    assert found.notes[0].startswith("2 lines look like speaker labels")


# Otter, Zoom, tags and time stamps -----------------------------------------------------

OTTER = (
    "Kristin Holm  0:02\n"
    "Då kör vi. Kan du berätta om din roll?\n\n"
    "Jonas Ek  0:18\n"
    "Ja, jag är fältsekreterare sedan tre år.\n\n"
    "Det är ett roligt jobb, fast det är mycket kvällar.\n\n"
    "Kristin Holm  1:05\n"
    "Hur många är ni?\n\n"
    "Jonas Ek\t1:09:30\n"
    "Två, och en på deltid.\n"
)


def test_otter_exports_with_times(tmp_path: Path) -> None:
    parsed, found = parse(tmp_path, OTTER)
    assert [(t.label, t.time) for t in found.turns] == [
        ("Kristin Holm", 2.0),
        ("Jonas Ek", 18.0),
        ("Kristin Holm", 65.0),
        ("Jonas Ek", 4170.0),
    ]
    words = spoken(parsed, found.turns)[1][1]
    assert words.startswith("Ja, jag är") and words.endswith("mycket kvällar.")


def test_otter_markdown_with_bold_names(tmp_path: Path) -> None:
    text = (
        "**Kristin Holm** 0:02\nDå kör vi.\n\n**Jonas Ek** 0:18\nJa, gärna.\n\n"
        "**Kristin Holm** 1:05\nHur många är ni?\n"
    )
    parsed, found = parse(tmp_path, text, "otter.md")
    assert [(t.label, t.time) for t in found.turns] == [
        ("Kristin Holm", 2.0),
        ("Jonas Ek", 18.0),
        ("Kristin Holm", 65.0),
    ]
    assert spoken(parsed, found.turns)[1][1] == "Ja, gärna."


def test_otter_word_export_with_bold_names(tmp_path: Path) -> None:
    document = docx.Document()
    for name, time, words in [
        ("Kristin Holm", "0:02", "Då kör vi."),
        ("Jonas Ek", "0:18", "Ja, jag är fältsekreterare."),
        ("Kristin Holm", "1:05", "Hur många är ni?"),
        ("Jonas Ek", "1:09", "Två."),
    ]:
        paragraph = document.add_paragraph()
        paragraph.add_run(name).bold = True
        paragraph.add_run(f"  {time}")
        document.add_paragraph(words)
    path = tmp_path / "otter.docx"
    document.save(str(path))
    parsed = read_source(path)
    found = find_turns(parsed.text, parsed.blocks, RULES)
    assert [(t.label, t.time) for t in found.turns] == [
        ("Kristin Holm", 2.0),
        ("Jonas Ek", 18.0),
        ("Kristin Holm", 65.0),
        ("Jonas Ek", 69.0),
    ]
    assert spoken(parsed, found.turns)[1][1] == "Ja, jag är fältsekreterare."


def test_zoom_captions_merge_one_speakers_lines(tmp_path: Path) -> None:
    text = (
        "[Kristin Holm] 00:00:02\nDå kör vi.\n"
        "[Kristin Holm] 00:00:04\nKan du berätta om din roll?\n"
        "[Jonas Ek] 00:00:09\nJa.\n"
        "[Jonas Ek] 00:00:11\nJag är fältsekreterare.\n"
        "[Jonas Ek] 00:00:15\nSedan tre år.\n"
        "[Kristin Holm] 00:00:20\nTack.\n"
    )
    parsed, found = parse(tmp_path, text, "meeting_saved_closed_caption.txt")
    assert [(t.label, t.time) for t in found.turns] == [
        ("Kristin Holm", 2.0),
        ("Jonas Ek", 9.0),
        ("Kristin Holm", 20.0),
    ]
    second = spoken(parsed, found.turns)[1][1]
    assert second.startswith("Ja.") and second.endswith("Sedan tre år.")


def test_speaker_tags_and_bare_time_stamps(tmp_path: Path) -> None:
    text = (
        "[id1] Hur började projektet?\n\n"
        "[id2] Med en kartläggning, 2022.\n\n"
        "[id1] Vem gjorde den?\n\n"
        "[id2] Länsstyrelsen. [skratt] Det tog ett år.\n\n"
        "[skratt] Ja.\n\n"
        "00:12:31 Intervjuare: Och sedan?\n\n"
        "0:12:40 Respondent: Sedan hände inget.\n\n"
        "(00:13:02) Intervjuare: Inget alls?\n"
    )
    parsed, found = parse(tmp_path, text)
    assert [(t.label, t.time) for t in found.turns] == [
        ("id1", None),
        ("id2", None),
        ("id1", None),
        ("id2", None),
        ("Intervjuare", 751.0),
        ("Respondent", 760.0),
        ("Intervjuare", 782.0),
    ]
    assert (
        spoken(parsed, found.turns)[3][1]
        == "Länsstyrelsen. [skratt] Det tog ett år.\n\n[skratt] Ja."
    )
    assert spoken(parsed, found.turns)[4][1] == "Och sedan?"


def test_time_stamps_in_brackets_go_into_the_turn(tmp_path: Path) -> None:
    text = "[00:00:05] I: Vad gör du?\n\nIP: [00:00:09.5] Jag samordnar.\n\nI: (1:12) Sedan?\n"
    _, found = parse(tmp_path, text)
    assert [turn.time for turn in found.turns] == [5.0, 9.5, 72.0]


# notes reach the import --------------------------------------------------------------


def test_lines_not_taken_are_in_the_import_notes(tmp_path: Path, project: Project) -> None:
    source = write_text(
        tmp_path / "intervju.txt",
        "Datum: 12 mars\nPlats: Kommunhuset\n\nI: Hej.\n\nIP: Hej.\n\nI: Din roll?\n\n"
        "IP: Samordnare.\n",
    )
    [outcome] = import_sources(project, [ImportRequest(source)])
    assert "2 lines look like speaker labels but were not taken as turns" in outcome.message
    notes = json.loads(project.db.execute("SELECT import_notes FROM documents").fetchone()[0])
    assert notes == [
        '2 lines look like speaker labels but were not taken as turns (first: "Datum: 12'
        ' mars", line 1)'
    ]
    times = project.db.execute("SELECT count(*) FROM segments WHERE kind = 'turn'").fetchone()
    assert times[0] == 4


def test_a_header_line_of_a_speaking_label_stays_a_header(tmp_path: Path) -> None:
    text = (
        "Intervjuare: AL\nTranskriberad av: Johanna\n\n"
        "Intervjuare: Välkommen hit.\n\nRespondent: Tack.\n\nIntervjuare: Din roll?\n\n"
        "Respondent: Samordnare.\n"
    )
    parsed, found = parse(tmp_path, text)
    assert [turn.label for turn in found.turns] == ["Intervjuare", "Respondent"] * 2
    assert parsed.text[found.turns[0].content_start :].startswith("Välkommen")
    assert found.notes[0].startswith("1 line looks like a speaker label but was not taken as a")


def test_notes_and_headings_of_a_word_file_are_not_speakers(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Intervju: Mälarby", level=1)
    for question, answer in [("Din roll?", "Samordnare."), ("Sedan när?", "Sedan 2021.")]:
        document.add_paragraph(f"Intervjuare: {question}")
        document.add_paragraph(f"Respondent: {answer}")
    path = tmp_path / "intervju.docx"
    document.save(str(path))
    parsed = read_source(path)
    text = parsed.text + "\n\n[Fotnot 1] Källa: kommunens årsredovisning 2024."
    blocks = [*parsed.blocks, type(parsed.blocks[0])(len(parsed.text) + 2, len(text), "note")]
    found = find_turns(text, blocks, RULES)
    assert [turn.label for turn in found.turns] == ["Intervjuare", "Respondent"] * 2
    assert found.notes == []
    assert text[found.turns[-1].start : found.turns[-1].end] == "Respondent: Sedan 2021."
