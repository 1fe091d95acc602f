"""Speakers of a document: listed, and machine labels (SPEAKER_00) renamed without
touching the text or any position in it; `docs show` gives each turn's time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import write_text
from vinr_qual.cases.documents import segments_of
from vinr_qual.cli import cli
from vinr_qual.errors import VinrQualError
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.store.texts import rename_speaker, speakers_of_document

DIARISED = """1
00:00:00,000 --> 00:00:02,500
[SPEAKER_00]: Tack för att du ville vara med.

2
00:00:03,000 --> 00:00:07,000
[SPEAKER_01]: Gärna. Jag har jobbat med frågorna länge.

3
00:12:31,400 --> 00:12:35,000
[SPEAKER_00]: Vad har förändrats sedan dess?
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def imported(tmp_path: Path, project: Project) -> tuple[Project, int]:
    path = write_text(tmp_path / "intervju.srt", DIARISED)
    [outcome] = import_sources(project, [ImportRequest(path)])
    assert outcome.status == "imported" and outcome.document_id is not None
    return project, outcome.document_id


def turn_rows(project: Project, document_id: int) -> list[tuple]:
    return project.db.execute(
        'SELECT s.start, s."end", s.content_start, s."time", s.speaker_id FROM segments s'
        " WHERE s.document_id = ? AND s.kind = 'turn' ORDER BY s.start",
        [document_id],
    ).fetchall()


def test_rename_changes_the_label_and_nothing_in_the_text(imported: tuple[Project, int]) -> None:
    project, document_id = imported
    text_before = project.db.execute("SELECT text FROM documents").fetchone()[0]
    turns_before = turn_rows(project, document_id)
    speaker_id = rename_speaker(project, document_id, "SPEAKER_00", "Anna  Berg ")
    assert project.db.execute("SELECT text FROM documents").fetchone()[0] == text_before
    assert turn_rows(project, document_id) == turns_before
    labels = [s["label"] for s in speakers_of_document(project, document_id)]
    assert labels == ["Anna Berg", "SPEAKER_01"]
    action, entity, entity_id, before, after = project.db.execute(
        "SELECT action, entity, entity_id, before, after FROM changes ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert (action, entity, entity_id) == ("rename", "speaker", str(speaker_id))
    assert json.loads(before) == {"document_id": document_id, "label": "SPEAKER_00"}
    assert json.loads(after) == {"document_id": document_id, "label": "Anna Berg"}
    # the turns now name the new label, at the same places
    shown = segments_of(project, document_id, ["turn"])
    assert [(s["speaker"], s["text"][:12]) for s in shown] == [
        ("Anna Berg", "SPEAKER_00: "),
        ("SPEAKER_01", "SPEAKER_01: "),
        ("Anna Berg", "SPEAKER_00: "),
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("SPEAKER_00", "SPEAKER_01", "already has a speaker labelled 'SPEAKER_01'"),
        ("SPEAKER_07", "Anna", r"no speaker labelled 'SPEAKER_07' .*SPEAKER_00, SPEAKER_01"),
        ("SPEAKER_00", "  ", "the new speaker label is empty"),
        ("SPEAKER_00", "SPEAKER_00", "already labelled"),
    ],
)
def test_rename_refusals_change_nothing(
    imported: tuple[Project, int], old: str, new: str, message: str
) -> None:
    project, document_id = imported
    changes = project.db.execute("SELECT count(*) FROM changes").fetchone()[0]
    with pytest.raises(VinrQualError, match=message):
        rename_speaker(project, document_id, old, new)
    assert [s["label"] for s in speakers_of_document(project, document_id)] == [
        "SPEAKER_00",
        "SPEAKER_01",
    ]
    assert project.db.execute("SELECT count(*) FROM changes").fetchone()[0] == changes


def test_rename_in_one_document_leaves_another_alone(
    imported: tuple[Project, int], tmp_path: Path
) -> None:
    project, document_id = imported
    other = write_text(tmp_path / "andra.srt", DIARISED.replace("Tack", "Tack igen"))
    [outcome] = import_sources(project, [ImportRequest(other)])
    assert outcome.document_id is not None
    rename_speaker(project, document_id, "SPEAKER_00", "Anna Berg")
    assert [s["label"] for s in speakers_of_document(project, outcome.document_id)] == [
        "SPEAKER_00",
        "SPEAKER_01",
    ]


def test_segments_of_gives_each_turn_its_time(imported: tuple[Project, int]) -> None:
    project, document_id = imported
    assert [s.get("time") for s in segments_of(project, document_id, ["turn"])] == [
        0.0,
        3.0,
        751.4,
    ]
    assert all("time" not in s for s in segments_of(project, document_id, ["sentence"]))


def test_speakers_list_and_rename_commands(imported: tuple[Project, int]) -> None:
    project, _ = imported
    path = str(project.path)
    code, out, _ = run("-p", path, "docs", "speakers", "list", "intervju.srt")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "label", "role", "interviewer", "turns", "first", "turn"]
    assert "SPEAKER_00" in lines[1] and "00:00:00" in lines[1] and " 2 " in lines[1]
    assert "SPEAKER_01" in lines[2] and "00:00:03" in lines[2]

    code, out, _ = run("-p", path, "docs", "speakers", "rename", "intervju.srt", "SPEAKER_01",
                       "Karin Lund")  # fmt: skip
    assert code == 0 and "SPEAKER_01 is now Karin Lund" in out

    code, out, _ = run("-p", path, "docs", "speakers", "list", "1", "--json")
    assert [s["label"] for s in json.loads(out)] == ["SPEAKER_00", "Karin Lund"]

    code, out, _ = run("-p", path, "docs", "show", "intervju.srt")
    assert code == 0
    turn_lines = [line for line in out.splitlines() if line.startswith("turn")]
    assert "[00:00:03] Karin Lund  SPEAKER_01: Gärna." in turn_lines[1]
    assert "[00:12:31] SPEAKER_00" in turn_lines[2]
    code, out, _ = run("-p", path, "docs", "show", "intervju.srt", "--json")
    assert [s.get("time") for s in json.loads(out)["segments"]] == [0.0, 3.0, 751.4]


def test_the_rename_command_refuses_in_one_line(imported: tuple[Project, int]) -> None:
    project, _ = imported
    code, _, err = run("-p", str(project.path), "docs", "speakers", "rename", "intervju.srt",
                       "SPEAKER_00", "SPEAKER_01")  # fmt: skip
    assert code == 1
    assert err.strip().splitlines() == [
        "vinr-qual: error: this document already has a speaker labelled 'SPEAKER_01';"
        " choose another label"
    ]
    code, _, err = run("-p", str(project.path), "docs", "speakers", "list", "saknas.srt")
    assert code == 1 and "no document 'saknas.srt'" in err


def test_on_a_read_only_project_list_answers_and_rename_refuses(
    imported: tuple[Project, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    project, _ = imported
    path = project.path
    project.close()
    monkeypatch.setattr("vinr_qual.project._writable", lambda _path: False)
    before = path.read_bytes()
    code, out, _ = run("-p", str(path), "docs", "speakers", "list", "intervju.srt")
    assert code == 0 and "SPEAKER_00" in out
    code, _, err = run("-p", str(path), "docs", "speakers", "rename", "intervju.srt",
                       "SPEAKER_00", "Anna")  # fmt: skip
    assert code == 1 and "read-only" in err and len(err.strip().splitlines()) == 1
    assert path.read_bytes() == before
