"""Transcription services' formats: WebVTT (Teams, Zoom, captions), SubRip (diarised),
Whisper / WhisperX JSON, and transcripts as CSV and Excel tables.

Every reader gives the turns itself: one paragraph per turn, `Name: words`, with the
label in the text, the start time in seconds, and `text[start:end]` exactly the turn.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.conftest import write_text
from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.cues import Cue, build_transcript, parse_clock
from vinr_qual.ingest.model import ParsedSource
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.ingest.readers import SUFFIXES, read_source
from vinr_qual.project import Project

TEAMS = """WEBVTT

NOTE Inspelad i Teams, mötet Testby kommun

3f2a9c1e-7b4d-4d8e-9a51-0c6e2b7f1a10/15-0
00:00:01.250 --> 00:00:04.800
<v Intervjuare>Välkommen. Kan du börja med att
berätta om din roll?</v>

3f2a9c1e-7b4d-4d8e-9a51-0c6e2b7f1a10/16-0
00:00:05.100 --> 00:00:09.400
<v Karin Lund>Ja, jag är samordnare för det brottsförebyggande arbetet.</v>

3f2a9c1e-7b4d-4d8e-9a51-0c6e2b7f1a10/16-1
00:00:09.400 --> 00:00:12.000 align:start position:10%
<v Karin Lund>Sedan tre år, ungefär.</v>

3f2a9c1e-7b4d-4d8e-9a51-0c6e2b7f1a10/17-0
00:00:12.500 --> 00:00:16.000
<v Per Ek>Och jag är <i>kommunpolis</i> i <c.blue>Testby</c>.</v>

3f2a9c1e-7b4d-4d8e-9a51-0c6e2b7f1a10/18-0
00:12:31.000 --> 00:12:35.500
<v Intervjuare>Hur ser samverkan ut &amp; vem leder den?</v>
"""

ZOOM = """WEBVTT

1
00:00:00.500 --> 00:00:03.000
Anna Berg: Hej, hör du mig nu?

2
00:00:03.500 --> 00:00:06.000
Olle Sjöberg: Ja, det gör jag.

3
00:00:06.000 --> 00:00:09.000
Olle Sjöberg: Ska vi köra igång?

4
00:00:09.500 --> 00:00:12.000
Anna Berg: Gärna. Första frågan gäller skolan.
"""

CAPTIONS = """WEBVTT Kind: captions

00:00:01.000 --> 00:00:03.000
Det här är en undertext

00:00:03.000 --> 00:00:05.000
<c.yellow>som fortsätter här.</c>

00:00:09.000 --> 00:00:11.000
Efter en paus kommer nästa stycke.
"""

DIARISED_SRT = """1
00:00:00,000 --> 00:00:02,500
[SPEAKER_00]: Tack för att du ville vara med.

2
00:00:02,500 --> 00:00:05,000
[SPEAKER_00]: Vi börjar med bakgrunden.

3
00:00:05,200 --> 00:00:09,000
SPEAKER_01: Visst. Jag har jobbat
på socialtjänsten i elva år.

4
00:00:09,000 --> 00:00:10,000
<i>SPEAKER_01: Mest med unga.</i>

5
00:01:02,750 --> 00:01:06,000
{\\an8}[SPEAKER_00]: Vad har förändrats?
"""

WHISPERX = {
    "segments": [
        {
            "start": 0.031,
            "end": 2.9,
            "text": " Hur länge har ni haft en handlingsplan?",
            "speaker": "SPEAKER_00",
            "words": [{"word": "Hur", "start": 0.031, "end": 0.2, "speaker": "SPEAKER_00"}],
        },
        {"start": 3.4, "end": 6.0, "text": " Sedan 2022.", "speaker": "SPEAKER_01"},
        {"start": 6.0, "end": 9.5, "text": " Den antogs av fullmäktige.", "speaker": "SPEAKER_01"},
        {"start": 10.25, "end": 12.0, "text": " Och uppföljningen?", "speaker": "SPEAKER_00"},
    ],
    "word_segments": [{"word": "Hur", "start": 0.031, "end": 0.2}],
    "language": "sv",
}

WHISPER = {
    "text": " Det här är en inspelning utan talare. Den fortsätter här.",
    "segments": [
        {
            "id": 0,
            "seek": 0,
            "start": 0.0,
            "end": 3.0,
            "text": " Det här är en inspelning utan talare.",
        },
        {"id": 1, "seek": 0, "start": 3.0, "end": 5.0, "text": " Den fortsätter här."},
    ],
    "language": "sv",
}

CSV_TRANSCRIPT = """Talare;Starttid;Yttrande;Kommentar
Intervjuare;00:00:05;Vilka aktörer ingår i samverkan?;
Respondent;00:00:09,5;Skolan, polisen och socialtjänsten.;hörde dåligt
Respondent;00:00:14;Ibland även räddningstjänsten.;
Intervjuare;1:75:00;Och civilsamhället?;
"""


def read(tmp_path: Path, name: str, content: str | bytes) -> ParsedSource:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return read_source(path)


def turns_of(parsed: ParsedSource) -> list[tuple[str, float | None, str]]:
    """(label, time, the turn's words) of every turn, checking that the text holds it."""
    assert parsed.turns is not None
    found = []
    for turn in parsed.turns:
        passage = parsed.text[turn.start : turn.end]
        assert passage.startswith(f"{turn.label}: ")
        assert turn.content_start == turn.start + len(turn.label) + 2
        found.append((turn.label, turn.time, parsed.text[turn.content_start : turn.end]))
    return found


def check_blocks(parsed: ParsedSource) -> None:
    """Every turn is one paragraph, and paragraphs are separated by a blank line."""
    assert parsed.turns is not None
    paragraphs = {(block.start, block.end) for block in parsed.blocks}
    for turn in parsed.turns:
        assert (turn.start, turn.end) in paragraphs
    assert parsed.text == "\n\n".join(parsed.text[b.start : b.end] for b in parsed.blocks)


def imported(project: Project, path: Path) -> tuple[list[tuple], list[tuple]]:
    """(speakers as (label, is_interviewer), turns as (label, time, passage)) in the project."""
    [outcome] = import_sources(project, [ImportRequest(path)])
    assert outcome.status == "imported", outcome.message
    speakers = project.db.execute(
        "SELECT label, is_interviewer FROM speakers WHERE document_id = ? ORDER BY id",
        [outcome.document_id],
    ).fetchall()
    rows = project.db.execute(
        'SELECT sp.label, s."time", substr(d.text, s.start + 1, s."end" - s.start)'
        " FROM segments s JOIN documents d ON d.id = s.document_id"
        " JOIN speakers sp ON sp.id = s.speaker_id"
        " WHERE s.document_id = ? AND s.kind = 'turn' ORDER BY s.start",
        [outcome.document_id],
    ).fetchall()
    return speakers, rows


# WebVTT ---------------------------------------------------------------------------------


def test_teams_vtt_has_three_speakers_with_merged_cues_and_times(tmp_path: Path) -> None:
    parsed = read(tmp_path, "teams.vtt", TEAMS)
    assert parsed.source_format == "vtt"
    assert turns_of(parsed) == [
        ("Intervjuare", 1.25, "Välkommen. Kan du börja med att berätta om din roll?"),
        (
            "Karin Lund",
            5.1,
            "Ja, jag är samordnare för det brottsförebyggande arbetet. Sedan tre år, ungefär.",
        ),
        ("Per Ek", 12.5, "Och jag är kommunpolis i Testby."),
        ("Intervjuare", 751.0, "Hur ser samverkan ut & vem leder den?"),
    ]
    assert parsed.turns is not None
    assert [turn.interviewer for turn in parsed.turns] == [True, None, None, True]
    check_blocks(parsed)
    # cue ids, time lines, the NOTE block and the markup are not part of the text
    for absent in ("-->", "3f2a9c1e", "NOTE", "Inspelad", "<v", "</v>", "<i>", "align:"):
        assert absent not in parsed.text
    assert "1 NOTE blocks (comments in the file) skipped" in parsed.notes


def test_teams_vtt_imports_speakers_and_turn_times(tmp_path: Path, project: Project) -> None:
    speakers, turns = imported(project, write_text(tmp_path / "teams.vtt", TEAMS))
    assert speakers == [("Intervjuare", 1), ("Karin Lund", 0), ("Per Ek", 0)]
    assert [(label, time) for label, time, _ in turns] == [
        ("Intervjuare", 1.25),
        ("Karin Lund", 5.1),
        ("Per Ek", 12.5),
        ("Intervjuare", 751.0),
    ]
    assert turns[2][2] == "Per Ek: Och jag är kommunpolis i Testby."


def test_zoom_vtt_takes_the_names_in_the_cues_for_speakers(tmp_path: Path) -> None:
    parsed = read(tmp_path, "zoom.vtt", ZOOM)
    assert turns_of(parsed) == [
        ("Anna Berg", 0.5, "Hej, hör du mig nu?"),
        ("Olle Sjöberg", 3.5, "Ja, det gör jag. Ska vi köra igång?"),
        ("Anna Berg", 9.5, "Gärna. Första frågan gäller skolan."),
    ]
    assert parsed.turns is not None
    assert all(turn.interviewer is None for turn in parsed.turns)
    check_blocks(parsed)
    assert parsed.text.startswith("Anna Berg: Hej, hör du mig nu?\n\nOlle Sjöberg: Ja")


def test_zoom_vtt_in_a_project_has_its_two_speakers(tmp_path: Path, project: Project) -> None:
    speakers, turns = imported(project, write_text(tmp_path / "zoom.vtt", ZOOM))
    assert [label for label, _ in speakers] == ["Anna Berg", "Olle Sjöberg"]
    assert [time for _, time, _ in turns] == [0.5, 3.5, 9.5]


def test_captions_without_speakers_are_paragraphs_without_turns(tmp_path: Path) -> None:
    parsed = read(tmp_path, "undertexter.vtt", CAPTIONS)
    assert parsed.turns == []
    assert parsed.text == (
        "Det här är en undertext som fortsätter här.\n\nEfter en paus kommer nästa stycke."
    )
    assert [block.kind for block in parsed.blocks] == ["paragraph", "paragraph"]


def test_captions_import_without_speakers_or_turns(tmp_path: Path, project: Project) -> None:
    speakers, turns = imported(project, write_text(tmp_path / "undertexter.vtt", CAPTIONS))
    assert speakers == [] and turns == []


def test_a_malformed_vtt_time_code_is_named_and_the_cue_kept(tmp_path: Path) -> None:
    text = TEAMS.replace("00:00:12.500 --> 00:00:16.000", "0:0:-6.-820 --> 00:00:16.000")
    parsed = read(tmp_path, "trasig.vtt", text)
    assert ("Per Ek", None, "Och jag är kommunpolis i Testby.") in turns_of(parsed)
    [note] = [note for note in parsed.notes if "malformed" in note]
    assert "'0:0:-6.-820'" in note and "line 19" in note and "kept without a time" in note


def test_a_malformed_time_code_imports_as_a_turn_without_time(
    tmp_path: Path, project: Project
) -> None:
    text = TEAMS.replace("00:00:12.500 --> 00:00:16.000", "0:0:-6.-820 --> 00:00:16.000")
    [outcome] = import_sources(project, [ImportRequest(write_text(tmp_path / "t.vtt", text))])
    assert outcome.status == "imported"
    assert "0:0:-6.-820" in outcome.message
    times = [row[0] for row in project.db.execute(
        "SELECT \"time\" FROM segments WHERE kind = 'turn' ORDER BY start")]  # fmt: skip
    assert times == [1.25, 5.1, None, 751.0]
    notes = json.loads(project.db.execute("SELECT import_notes FROM documents").fetchone()[0])
    assert any("0:0:-6.-820" in note for note in notes)


def test_a_file_without_the_webvtt_header_is_refused_in_one_line(tmp_path: Path) -> None:
    path = write_text(tmp_path / "fel.vtt", "00:00:01.000 --> 00:00:02.000\nHej\n")
    with pytest.raises(ImportRefused, match=r"fel\.vtt: line 1: not a WebVTT file") as caught:
        read_source(path)
    assert "\n" not in str(caught.value)


def test_two_voices_in_one_cue_are_two_turns(tmp_path: Path) -> None:
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Lisa>Du menar skolan?</v>\n<v Ahmed>Ja.</v>\n"
    )
    parsed = read(tmp_path, "två.vtt", text)
    assert turns_of(parsed) == [("Lisa", 1.0, "Du menar skolan?"), ("Ahmed", 1.0, "Ja.")]


def test_interviewer_labels_are_flagged(tmp_path: Path) -> None:
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Interviewer>Och sedan?</v>\n\n"
        "00:00:02.000 --> 00:00:03.000\n<v Intervjuare 2>Fortsätt.</v>\n\n"
        "00:00:03.000 --> 00:00:04.000\n<v Ingrid>Sedan kom pandemin.</v>\n"
    )
    parsed = read(tmp_path, "roller.vtt", text)
    assert parsed.turns is not None
    assert [(t.label, t.interviewer) for t in parsed.turns] == [
        ("Interviewer", True),
        ("Intervjuare 2", True),
        ("Ingrid", None),
    ]


# SubRip -----------------------------------------------------------------------------------


def test_diarised_srt_has_machine_speakers_merged_and_timed(tmp_path: Path) -> None:
    parsed = read(tmp_path, "diariserad.srt", DIARISED_SRT)
    assert parsed.source_format == "srt"
    assert turns_of(parsed) == [
        ("SPEAKER_00", 0.0, "Tack för att du ville vara med. Vi börjar med bakgrunden."),
        (
            "SPEAKER_01",
            5.2,
            "Visst. Jag har jobbat på socialtjänsten i elva år. Mest med unga.",
        ),
        ("SPEAKER_00", 62.75, "Vad har förändrats?"),
    ]
    check_blocks(parsed)
    for absent in ("-->", "[SPEAKER", "{\\an8}", "<i>"):
        assert absent not in parsed.text
    assert not any(line.strip().isdigit() for line in parsed.text.split("\n"))


def test_diarised_srt_imports_machine_labels(tmp_path: Path, project: Project) -> None:
    speakers, turns = imported(project, write_text(tmp_path / "d.srt", DIARISED_SRT))
    assert [label for label, _ in speakers] == ["SPEAKER_00", "SPEAKER_01"]
    assert [time for _, time, _ in turns] == [0.0, 5.2, 62.75]


def test_a_malformed_srt_time_code_is_named_and_the_cue_kept(tmp_path: Path) -> None:
    text = DIARISED_SRT.replace("00:00:05,200 --> 00:00:09,000", "00:00:-5,200 --> 00:00:09,000")
    parsed = read(tmp_path, "trasig.srt", text)
    assert turns_of(parsed)[1][:2] == ("SPEAKER_01", None)
    assert any("'00:00:-5,200'" in note and "cue 3" in note for note in parsed.notes)


def test_srt_without_time_lines_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match=r"ingen\.srt: not a SubRip file"):
        read(tmp_path, "ingen.srt", "Bara text här.\n")


# Whisper JSON -----------------------------------------------------------------------------


def test_whisperx_json_with_speakers(tmp_path: Path) -> None:
    parsed = read(tmp_path, "whisperx.json", json.dumps(WHISPERX, ensure_ascii=False))
    assert parsed.source_format == "whisper-json"
    assert turns_of(parsed) == [
        ("SPEAKER_00", 0.031, "Hur länge har ni haft en handlingsplan?"),
        ("SPEAKER_01", 3.4, "Sedan 2022. Den antogs av fullmäktige."),
        ("SPEAKER_00", 10.25, "Och uppföljningen?"),
    ]
    check_blocks(parsed)
    assert "language of the transcription: sv" in parsed.notes


def test_whisperx_json_imports_speakers_and_times(tmp_path: Path, project: Project) -> None:
    path = write_text(tmp_path / "w.json", json.dumps(WHISPERX))
    speakers, turns = imported(project, path)
    assert speakers == [("SPEAKER_00", 1), ("SPEAKER_01", 0)]  # who spoke first asks
    assert [time for _, time, _ in turns] == [0.031, 3.4, 10.25]


def test_whisper_json_without_speakers_is_paragraphs(tmp_path: Path) -> None:
    parsed = read(tmp_path, "whisper.json", json.dumps(WHISPER))
    assert parsed.turns == []
    assert parsed.text == "Det här är en inspelning utan talare. Den fortsätter här."


def test_whisper_json_without_speakers_imports_no_turns(tmp_path: Path, project: Project) -> None:
    speakers, turns = imported(project, write_text(tmp_path / "w.json", json.dumps(WHISPER)))
    assert speakers == [] and turns == []


def test_a_whisper_segment_with_a_bad_start_is_kept_without_time(tmp_path: Path) -> None:
    data = json.loads(json.dumps(WHISPERX))
    data["segments"][1]["start"] = "snart"
    parsed = read(tmp_path, "w.json", json.dumps(data))
    assert turns_of(parsed)[1][:2] == ("SPEAKER_01", None)
    assert any("segment 2: malformed start time 'snart'" in note for note in parsed.notes)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"kommun": "Testby", "invånare": 12000}', "not a Whisper transcript"),
        ("[1, 2, 3]", "not a Whisper transcript"),
        ('{"segments": []}', "not a Whisper transcript"),
        ('{"segments": [{"start": 0, "text": "Hej"}', r"line 1, column \d+: not valid JSON"),
    ],
)
def test_a_json_that_is_no_transcript_is_refused(
    tmp_path: Path, content: str, message: str
) -> None:
    with pytest.raises(ImportRefused, match=rf"annat\.json: .*{message}") as caught:
        read(tmp_path, "annat.json", content)
    assert "\n" not in str(caught.value)


# tables -----------------------------------------------------------------------------------


def test_csv_transcript_with_swedish_headers_and_semicolons(tmp_path: Path) -> None:
    parsed = read(tmp_path, "utskrift.csv", CSV_TRANSCRIPT)
    assert parsed.source_format == "csv"
    assert turns_of(parsed) == [
        ("Intervjuare", 5.0, "Vilka aktörer ingår i samverkan?"),
        ("Respondent", 9.5, "Skolan, polisen och socialtjänsten. Ibland även räddningstjänsten."),
        ("Intervjuare", None, "Och civilsamhället?"),
    ]
    check_blocks(parsed)
    assert any("line 5: malformed time '1:75:00'" in note for note in parsed.notes)
    assert "columns not read: 'Kommentar'" in parsed.notes
    assert "hörde dåligt" not in parsed.text


def test_csv_transcript_imports(tmp_path: Path, project: Project) -> None:
    speakers, turns = imported(project, write_text(tmp_path / "u.csv", CSV_TRANSCRIPT))
    assert speakers == [("Intervjuare", 1), ("Respondent", 0)]
    assert [time for _, time, _ in turns] == [5.0, 9.5, None]


def test_a_csv_without_a_text_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match=r"fall\.csv: no text column found"):
        read(tmp_path, "fall.csv", "kommun,invånare\nTestby,12000\n")


def write_xlsx(path: Path) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Utskrift"
    sheet.append(["Speaker", "Start (s)", "Text"])
    sheet.append(["Interviewer", dt.time(0, 0, 4), "Hur startade projektet?"])
    sheet.append(["Malin Ek", 7.5, "Med en kartläggning av\nskolans trygghet."])
    sheet.append(["Malin Ek", "00:00:12", "Den tog ett halvår."])
    sheet.append([None, None, None])
    sheet.append(["Interviewer", "00:01:02.5", "Vem ledde den?"])
    other = workbook.create_sheet("Anteckningar")
    other.append(["Intern anteckning"])
    workbook.save(path)
    return path


def test_xlsx_transcript_reads_times_of_every_kind(tmp_path: Path) -> None:
    parsed = read_source(write_xlsx(tmp_path / "utskrift.xlsx"))
    assert parsed.source_format == "xlsx"
    assert turns_of(parsed) == [
        ("Interviewer", 4.0, "Hur startade projektet?"),
        ("Malin Ek", 7.5, "Med en kartläggning av skolans trygghet. Den tog ett halvår."),
        ("Interviewer", 62.5, "Vem ledde den?"),
    ]
    assert parsed.turns is not None
    assert [turn.interviewer for turn in parsed.turns] == [True, None, True]
    check_blocks(parsed)
    assert any("'Anteckningar'" in note for note in parsed.notes)


def test_xlsx_transcript_imports(tmp_path: Path, project: Project) -> None:
    speakers, turns = imported(project, write_xlsx(tmp_path / "u.xlsx"))
    assert speakers == [("Interviewer", 1), ("Malin Ek", 0)]
    assert [time for _, time, _ in turns] == [4.0, 7.5, 62.5]


def test_an_xlsx_with_a_doctype_is_refused_before_openpyxl_reads_it(tmp_path: Path) -> None:
    import zipfile

    path = write_xlsx(tmp_path / "farlig.xlsx")
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    body = sheet.split(b"?>", 1)[1] if sheet.startswith(b"<?xml") else sheet
    parts["xl/worksheets/sheet1.xml"] = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + body
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(
        ImportRefused, match=r"farlig\.xlsx: part xl/worksheets/sheet1\.xml declares"
    ):
        read_source(path)


# the shared cue model -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "seconds"),
    [
        ("00:00:01.250", 1.25),
        ("00:01:02,5", 62.5),
        ("01:02.000", 62.0),
        ("12:00:00.000", 43200.0),
        ("0:0:-6.-820", None),
        ("00:61:00.000", None),
        ("", None),
    ],
)
def test_clock_codes(code: str, seconds: float | None) -> None:
    assert parse_clock(code) == seconds


def test_cues_without_speaker_among_turns_are_paragraphs_outside_turns() -> None:
    parsed = build_transcript(
        [
            Cue("Hej.", "Anna", 1.0),
            Cue("[skratt]", None, 2.0),
            Cue("Välkommen.", "Anna", 3.0),
        ],
        "x.vtt",
        source_format="vtt",
    )
    assert parsed.text == "Anna: Hej.\n\n[skratt]\n\nAnna: Välkommen."
    assert parsed.turns is not None and len(parsed.turns) == 2
    assert any("1 passages without a speaker" in note for note in parsed.notes)


def test_every_new_suffix_is_registered() -> None:
    for suffix in (".vtt", ".srt", ".json", ".csv", ".xlsx"):
        assert suffix in SUFFIXES


def test_the_otter_footer_is_nobodys_words(tmp_path: Path, project: Project) -> None:
    text = (
        "Eva Hultgren  0:02\nVälkommen, ska vi börja?\n\n"
        "Marianne Berg  0:09\nJa. Jouren har funnits sedan åttiotalet.\n\n"
        "Transcribed by https://otter.ai\n"
    )
    [outcome] = import_sources(project, [ImportRequest(write_text(tmp_path / "jour.txt", text))])
    assert outcome.status == "imported"
    stored = project.db.execute("SELECT text FROM documents").fetchone()[0]
    last = project.db.execute(
        "SELECT start, \"end\" FROM segments WHERE kind = 'turn' ORDER BY start DESC"
    ).fetchone()
    assert stored[last[0] : last[1]].endswith("sedan åttiotalet.")


def test_the_metadata_names_the_interviewer_of_a_timed_transcript(
    tmp_path: Path, project: Project
) -> None:
    from vinr_qual.ingest.metadata import SourceMetadata
    from vinr_qual.store.texts import speakers_of_document

    vtt = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\n<v Mikael Strand>Hallå? Hör du mig?</v>\n\n"
        "2\n00:00:04.000 --> 00:00:08.000\n<v Hanna Åberg>Ja, nu hörs du. Berätta om din roll.</v>\n\n"
        "3\n00:00:09.000 --> 00:00:15.000\n<v Mikael Strand>Jag är kommunpolis här sedan 2019.</v>\n"
    )
    meta = SourceMetadata(
        speaker_roles={"Hanna Åberg": "intervjuare", "Mikael Strand": "kommunpolis"}
    )
    [outcome] = import_sources(
        project, [ImportRequest(write_text(tmp_path / "polis.vtt", vtt), meta)]
    )
    assert outcome.document_id is not None
    found = {
        s["label"]: (s["role"], bool(s["is_interviewer"]))
        for s in speakers_of_document(project, outcome.document_id)
    }
    assert found == {
        "Mikael Strand": ("kommunpolis", False),
        "Hanna Åberg": ("intervjuare", True),
    }
