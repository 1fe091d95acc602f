"""The demo corpus, built as `make run` builds it: the integration fixture of the suite."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from vinr_qual.cases.municipalities import find_municipality
from vinr_qual.ingest.demo import DEFAULT_CORPUS, build_demo
from vinr_qual.project import Project


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with Project.open(path, create=True) as project:
        _, outcomes = build_demo(project)
        failed = [o.message for o in outcomes if o.status == "failed"]
        assert failed == []
        yield project


def test_every_corpus_file_is_listed_in_the_metadata_and_imported(demo: Project) -> None:
    with (DEFAULT_CORPUS / "documents.csv").open(encoding="utf-8") as handle:
        listed = {row["file"] for row in csv.DictReader(handle)}
    on_disk = {
        path.relative_to(DEFAULT_CORPUS).as_posix()
        for path in DEFAULT_CORPUS.rglob("*")
        if path.suffix in (".txt", ".md", ".docx")
    }
    assert listed == on_disk
    assert demo.db["documents"].count == len(on_disk)
    assert (
        demo.db.execute("SELECT count(*) FROM documents WHERE case_id IS NULL").fetchone()[0] == 0
    )


def test_the_corpus_has_the_breadth_the_analyses_need(demo: Project) -> None:
    cases = [row[0] for row in demo.db.execute("SELECT name FROM cases")]
    assert len(cases) >= 8
    assert all(find_municipality(name) is None for name in cases), "municipalities are fictional"
    counties = {
        row[0] for row in demo.db.execute("SELECT value FROM case_attributes WHERE name = 'län'")
    }
    assert len(counties) >= 8
    kinds = dict(demo.db.execute("SELECT kind, count(*) FROM documents GROUP BY kind").fetchall())
    assert kinds["steering"] >= 3
    formats = dict(
        demo.db.execute(
            "SELECT source_format, count(*) FROM documents WHERE kind = 'interview' GROUP BY 1"
        ).fetchall()
    )
    assert formats["docx"] * 3 >= kinds["interview"], (
        "at least a third of interviews are Word files"
    )
    words = demo.db.execute("SELECT sum(words) FROM documents").fetchone()[0]
    assert 36_000 <= words <= 60_000


def test_every_interview_has_an_interviewer_and_a_respondent_with_a_role(demo: Project) -> None:
    rows = demo.db.execute(
        "SELECT d.name, sum(sp.is_interviewer), sum(1 - sp.is_interviewer),"
        " sum(sp.is_interviewer = 0 AND sp.role IS NULL)"
        " FROM documents d JOIN speakers sp ON sp.document_id = d.id"
        " WHERE d.kind = 'interview' GROUP BY d.id"
    ).fetchall()
    interviews = demo.db.execute(
        "SELECT count(*) FROM documents WHERE kind = 'interview'"
    ).fetchone()[0]
    assert len(rows) == interviews
    for name, interviewers, respondents, without_role in rows:
        assert interviewers == 1, name
        assert respondents >= 1, name
        assert without_role == 0, name


def test_turns_and_sentences_cover_the_spoken_text(demo: Project) -> None:
    for document_id, text in demo.db.execute(
        "SELECT id, text FROM documents WHERE kind = 'interview'"
    ).fetchall():
        turns = demo.db.execute(
            'SELECT start, "end", content_start FROM segments'
            " WHERE document_id = ? AND kind = 'turn' ORDER BY start",
            [document_id],
        ).fetchall()
        assert len(turns) >= 40
        for (start, end, content), following in zip(
            turns, [*turns[1:], (len(text), 0, 0)], strict=True
        ):
            assert start < content < end <= following[0]
            assert ":" in text[start:content]
            assert text[content:end].strip() == text[content:end]


def test_the_corpus_speaks_to_the_codebook_themes(demo: Project) -> None:
    text = " ".join(row[0] for row in demo.db.execute("SELECT text FROM documents")).lower()
    for theme in [
        "samverkan",
        "lägesbild",
        "kartläggning",
        "brottsförebyggande",
        "andt",
        "kvinnojour",
        "projektpengar",
        "länsstyrelsen",
        "utbildning",
        "styrgrupp",
        "universell",
        "freda",
        "hänger på",
        "inomhus",
        "utomhus",
        "rekryter",
    ]:
        assert theme in text, theme


def test_the_default_codebook_is_loaded(demo: Project) -> None:
    assert demo.db["codes"].count >= 40
    families = [
        row[0]
        for row in demo.db.execute(
            "SELECT name_en FROM codes WHERE parent_id IS NULL ORDER BY position"
        )
    ]
    assert families[0] == "Success factors" and len(families) == 5


def test_building_the_demo_again_imports_nothing(demo: Project) -> None:
    changes = demo.db["changes"].count
    cases, outcomes = build_demo(demo)
    assert cases.created == []
    assert {o.status for o in outcomes} == {"unchanged"}
    assert demo.db["changes"].count == changes


def test_corpus_files_vary_in_conventions() -> None:
    interviews = DEFAULT_CORPUS / "interviews"
    heads = [p.read_text(encoding="utf-8") for p in interviews.glob("*.txt")]
    assert any("[00:" in h and "\nIP:" not in h and "] IP:" in h for h in heads), "time stamps"
    assert any("Respondent 2:" in h for h in heads), "group interview"
    assert len(list(Path(interviews).glob("*.docx"))) >= 5
