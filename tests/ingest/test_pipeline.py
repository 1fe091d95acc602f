"""Importing files into a project: segments where the text says, idempotent, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import write_text
from vinr_qual.errors import VinrQualError
from vinr_qual.ingest.metadata import (
    MetadataTable,
    SourceMetadata,
    compile_case_pattern,
    from_file_name,
)
from vinr_qual.ingest.pipeline import ImportRequest, collect_sources, import_sources, skip_reason
from vinr_qual.project import Project

INTERVIEW = """Kommunstudien, Testby kommun, 2025-05-12

I: Hur samverkar ni med polisen?

IP: Vi har en överenskommelse sedan 2021. Den följs upp varje år. \
Men ärligt talat samverkade vi bättre förr.

I: Och med det brottsförebyggande rådet?

IP: Nej, där är vi inte med. Det är separata spår.
"""


def segments(project: Project, kind: str) -> list[str]:
    rows = project.db.execute(
        'SELECT d.text, s.start, s."end" FROM segments s JOIN documents d ON d.id = s.document_id'
        " WHERE s.kind = ? ORDER BY d.id, s.start",
        [kind],
    ).fetchall()
    return [text[start:end] for text, start, end in rows]


def test_sentences_paragraphs_and_turns_are_the_passages_expected(
    tmp_path: Path, project: Project
) -> None:
    source = write_text(tmp_path / "Testby-01.txt", INTERVIEW)
    [outcome] = import_sources(project, [ImportRequest(source, SourceMetadata(case="Testby"))])
    assert outcome.status == "imported"
    assert segments(project, "paragraph")[0] == "Kommunstudien, Testby kommun, 2025-05-12"
    assert segments(project, "turn")[1].startswith("IP: Vi har en överenskommelse")
    assert segments(project, "sentence") == [
        "Kommunstudien, Testby kommun, 2025-05-12",
        "Hur samverkar ni med polisen?",
        "Vi har en överenskommelse sedan 2021.",
        "Den följs upp varje år.",
        "Men ärligt talat samverkade vi bättre förr.",
        "Och med det brottsförebyggande rådet?",
        "Nej, där är vi inte med.",
        "Det är separata spår.",
    ]


def test_lemmas_are_stored_for_each_sentence(tmp_path: Path, project: Project) -> None:
    import_sources(project, [ImportRequest(write_text(tmp_path / "a.txt", INTERVIEW))])
    lemmas = dict(
        project.db.execute(
            'SELECT substr(d.text, s.start + 1, s."end" - s.start), s.lemmas FROM segments s'
            " JOIN documents d ON d.id = s.document_id WHERE s.kind = 'sentence'"
        ).fetchall()
    )
    assert "samverka" in lemmas["Hur samverkar ni med polisen?"].split()
    assert "samverka" in lemmas["Men ärligt talat samverkade vi bättre förr."].split()
    assert "polis" in lemmas["Hur samverkar ni med polisen?"].split()


def test_importing_an_unchanged_file_again_does_nothing_and_says_so(
    tmp_path: Path, project: Project
) -> None:
    source = write_text(tmp_path / "Testby-01.txt", INTERVIEW)
    import_sources(project, [ImportRequest(source)])
    before = {t: project.db[t].count for t in ("documents", "segments", "changes")}
    [again] = import_sources(project, [ImportRequest(source)])
    assert again.status == "unchanged"
    assert "already imported" in again.message
    assert {t: project.db[t].count for t in before} == before


def test_the_same_content_under_another_name_is_not_imported_twice(
    tmp_path: Path, project: Project
) -> None:
    import_sources(project, [ImportRequest(write_text(tmp_path / "a.txt", INTERVIEW))])
    [copy] = import_sources(project, [ImportRequest(write_text(tmp_path / "kopia.txt", INTERVIEW))])
    assert copy.status == "unchanged"
    assert "a.txt" in copy.message
    assert project.db["documents"].count == 1


def add_coding(project: Project, document_id: int, passage: str) -> int:
    text = project.db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()[
        0
    ]
    start = text.index(passage)
    with project.transaction():
        project.db.execute(
            "INSERT OR IGNORE INTO codes (id, name, created) VALUES ('k1', 'Samverkan', 'nu')"
        )
        cursor = project.db.execute(
            'INSERT INTO codings (document_id, start, "end", code_id, coder_id, created)'
            " VALUES (?, ?, ?, 'k1', ?, 'nu')",
            [document_id, start, start + len(passage), project.coder_id()],
        )
    return int(cursor.lastrowid or 0)


def test_a_changed_file_is_left_alone_unless_replace_is_asked_and_no_coding_is_lost(
    tmp_path: Path, project: Project
) -> None:
    source = write_text(tmp_path / "Testby-01.txt", INTERVIEW)
    [first] = import_sources(project, [ImportRequest(source)])
    assert first.document_id is not None
    kept = add_coding(project, first.document_id, "Det är separata spår.")
    gone = add_coding(project, first.document_id, "Den följs upp varje år.")

    edited = INTERVIEW.replace("Kommunstudien,", "Kommunstudien (rättad),").replace(
        " Den följs upp varje år.", ""
    )
    write_text(source, edited)
    [changed] = import_sources(project, [ImportRequest(source)])
    assert changed.status == "changed"
    assert "--replace" in changed.message
    text = project.db.execute("SELECT text FROM documents").fetchone()[0]
    assert text == INTERVIEW, "the imported text is untouched until a replace is asked"

    [replaced] = import_sources(project, [ImportRequest(source)], replace=True)
    assert replaced.status == "replaced"
    assert replaced.document_id == first.document_id
    text = project.db.execute("SELECT text FROM documents").fetchone()[0]
    assert text == edited
    rows = {
        row["id"]: (text[row["start"] : row["end"]], row["status"], row["origin"])
        for row in project.db.query('SELECT id, start, "end", status, origin FROM codings')
    }
    # a coding whose passage is gone is not removed: it waits for review on the sentence
    # before the place its passage stood, and the change log keeps the passage as coded
    assert rows == {
        kept: ("Det är separata spår.", "accepted", "manual"),
        gone: ("Vi har en överenskommelse sedan 2021.", "suggested", "realign"),
    }
    assert "codings: 1 moved exactly, 0 moved with edits, 1 wait for review" in replaced.message
    before, after = project.db.execute(
        "SELECT before, after FROM changes WHERE entity = 'coding' AND action = 'realign'"
    ).fetchone()
    assert json.loads(before)["id"] == gone, "the whole row is logged, so undo can restore it"
    assert json.loads(after)["old_passage"] == "Den följs upp varje år."


def test_a_refused_file_writes_nothing_and_the_batch_goes_on(
    tmp_path: Path, project: Project
) -> None:
    good = write_text(tmp_path / "bra.txt", INTERVIEW)
    empty = write_text(tmp_path / "tom.txt", "")
    binary = tmp_path / "binär.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    also_good = write_text(tmp_path / "också-bra.md", "# Plan\n\nText.\n")
    outcomes = import_sources(project, [ImportRequest(p) for p in (good, empty, binary, also_good)])
    assert [o.status for o in outcomes if o.status == "failed"] == ["failed", "failed"]
    failed = {o.name: o.message for o in outcomes if o.status == "failed"}
    assert failed["tom.txt"].startswith(str(empty)) and "empty" in failed["tom.txt"]
    assert failed["binär.txt"].startswith(str(binary)) and "binary" in failed["binär.txt"]
    names = [row[0] for row in project.db.execute("SELECT name FROM documents ORDER BY name")]
    assert names == ["bra.txt", "också-bra.md"]


def test_a_crash_while_writing_leaves_no_half_document(
    tmp_path: Path, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    import vinr_qual.ingest.pipeline as pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(pipeline, "_write_structure", broken)
    [outcome] = import_sources(project, [ImportRequest(write_text(tmp_path / "a.txt", INTERVIEW))])
    assert outcome.status == "failed"
    assert "disk is full" in outcome.message
    assert project.db["documents"].count == 0
    assert project.db["segments"].count == 0


def test_metadata_csv_gives_case_kind_date_and_role(tmp_path: Path, project: Project) -> None:
    source = write_text(tmp_path / "filer" / "Testby-01.txt", INTERVIEW)
    meta = write_text(
        tmp_path / "filer" / "dokument.csv",
        "file,case,kind,date,interviewee_role,title\n"
        "Testby-01.txt,Trollhättan,intervju,2025-05-12,socialchef,Intervju med socialchef\n",
    )
    table = MetadataTable(meta)
    metadata = table.lookup(source)
    assert metadata is not None
    import_sources(project, [ImportRequest(source, metadata)])
    row = next(
        project.db.query(
            "SELECT d.kind, d.date, d.interviewee_role, d.title, c.name AS kommun"
            " FROM documents d JOIN cases c ON c.id = d.case_id"
        )
    )
    assert row == {
        "kind": "interview",
        "date": "2025-05-12",
        "interviewee_role": "socialchef",
        "title": "Intervju med socialchef",
        "kommun": "Trollhättan",
    }


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("file,case,kind\na.txt,X,rapport\n", ":2: kind 'rapport' is not one of"),
        ("file,case,date\na.txt,X,12/5 2025\n", ":2: date '12/5 2025' is not YYYY-MM-DD"),
        ("fil,case\na.txt,X\n", ":1: no 'file' column"),
        ("file,case,färg\na.txt,X,röd\n", ":1: unknown column 'färg'"),
        ("file,case\na.txt,X\na.txt,Y\n", ":3: a.txt is listed twice"),
    ],
)
def test_a_bad_metadata_csv_names_file_and_line(tmp_path: Path, content: str, problem: str) -> None:
    meta = write_text(tmp_path / "meta.csv", content)
    with pytest.raises(VinrQualError) as error:
        MetadataTable(meta)
    assert str(error.value).startswith(str(meta))
    assert problem in str(error.value)


def test_a_file_name_pattern_gives_the_case(tmp_path: Path) -> None:
    pattern = compile_case_pattern(r"^(?P<case>[^-]+)-\d+-(?P<role>.+)$")
    found = from_file_name(Path("Kvarnby-01-socialchef.docx"), pattern)
    assert found is not None and (found.case, found.interviewee_role) == ("Kvarnby", "socialchef")
    assert from_file_name(Path("anteckningar.txt"), pattern) is None
    with pytest.raises(VinrQualError, match=r"\(\?P<case>"):
        compile_case_pattern(r"^([^-]+)-")


def test_folders_are_walked_without_hidden_files_and_word_lock_files(tmp_path: Path) -> None:
    write_text(tmp_path / "a.txt", "x")
    write_text(tmp_path / "under" / "b.md", "y")
    write_text(tmp_path / "~$lås.docx", "z")
    write_text(tmp_path / ".dold" / "c.txt", "z")
    write_text(tmp_path / "bild.png", "z")
    collected = collect_sources([tmp_path], (".txt", ".md", ".docx"))
    assert sorted(r.path.name for r in collected.requests) == ["a.txt", "b.md"]
    # every file left out is listed, with why: nothing is skipped unsaid
    reasons = {p.name: skip_reason(p, (".txt", ".md", ".docx")) for p in collected.skipped}
    assert reasons == {
        ".dold": "hidden folder, not looked into",
        "bild.png": ".png, not a format vinr-qual reads",
        "~$lås.docx": "Word's lock file (left while the document is open)",
    }


def test_replacing_keeps_the_documents_case_kind_and_other_metadata(
    tmp_path: Path, project: Project
) -> None:
    source = write_text(
        tmp_path / "plan.txt", "Mål: färre otrygga.\n\nMål: fler utbildade.\n\nMål: lägesbild.\n"
    )
    meta = SourceMetadata(case="Kvarnby", kind="steering", date="2024-01-01", title="Plan")
    import_sources(project, [ImportRequest(source, meta)])
    write_text(source, source.read_text(encoding="utf-8") + "\nMål: samverkan.\n")
    [outcome] = import_sources(project, [ImportRequest(source)], replace=True)
    assert outcome.status == "replaced"
    row = next(
        project.db.query(
            "SELECT d.kind, d.date, d.title, c.name AS kommun FROM documents d"
            " JOIN cases c ON c.id = d.case_id"
        )
    )
    assert row == {"kind": "steering", "date": "2024-01-01", "title": "Plan", "kommun": "Kvarnby"}
    assert (
        project.db.execute("SELECT count(*) FROM segments WHERE kind = 'turn'").fetchone()[0] == 0
    )


def test_a_coding_on_a_repeated_passage_moves_with_its_own_line(
    tmp_path: Path, project: Project
) -> None:
    turns = "".join(f"I: Fråga nummer {n}?\n\nIP: Ja.\n\n" for n in range(1, 31))
    source = write_text(tmp_path / "upprepning.txt", turns)
    [first] = import_sources(project, [ImportRequest(source)])
    assert first.document_id is not None
    text = project.db.execute("SELECT text FROM documents").fetchone()[0]
    start = text.index("IP: Ja.", text.index("Fråga nummer 20?")) + 4
    with project.transaction():
        project.db.execute("INSERT INTO codes (id, name, created) VALUES ('k1', 'Svar', 'nu')")
        project.db.execute(
            'INSERT INTO codings (document_id, start, "end", code_id, coder_id, created)'
            " VALUES (?, ?, ?, 'k1', ?, 'nu')",
            [first.document_id, start, start + 3, project.coder_id()],
        )
    write_text(source, "Inledning. " * 200 + "\n\n" + turns)
    import_sources(project, [ImportRequest(source)], replace=True)
    new_text = project.db.execute("SELECT text FROM documents").fetchone()[0]
    new_start = project.db.execute("SELECT start FROM codings").fetchone()[0]
    question = new_text.rindex("Fråga nummer", 0, new_start)
    assert new_text[question : new_text.index("?", question)] == "Fråga nummer 20"
    assert new_text[new_start : new_start + 3] == "Ja."


def test_two_files_with_one_name_or_one_content_in_a_run(tmp_path: Path, project: Project) -> None:
    a = write_text(tmp_path / "Kvarnby" / "intervju1.txt", INTERVIEW)
    b = write_text(tmp_path / "Tallmo" / "intervju1.txt", INTERVIEW.replace("Testby", "Tallmo"))
    c = write_text(tmp_path / "kopia.txt", INTERVIEW)
    outcomes = {o.path: o for o in import_sources(project, [ImportRequest(p) for p in (a, b, c)])}
    assert {p: o.status for p, o in outcomes.items()} == {
        a: "imported",
        b: "failed",
        c: "unchanged",
    }
    assert "same file name as" in outcomes[b].message and str(a) in outcomes[b].message
    assert project.db["documents"].count == 1


def test_a_very_long_paragraph_is_imported(tmp_path: Path, project: Project) -> None:
    source = write_text(tmp_path / "lång.txt", "Ett ord till. " * 90_000)
    [outcome] = import_sources(project, [ImportRequest(source)])
    assert outcome.status == "imported", outcome.message
