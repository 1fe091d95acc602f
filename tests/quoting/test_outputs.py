"""The basket out to Word, Markdown and CSV: every quote, attribution and id in order,
pseudonyms for real names, and no real name or close variant anywhere in the package."""

from __future__ import annotations

import csv
import re
import stat
import zipfile
from pathlib import Path

import docx
import pytest

from tests.conftest import write_text
from vinr_qual.codebook.operations import add_code
from vinr_qual.coding.codings import add_coding
from vinr_qual.errors import VinrQualError
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.quoting import basket, outputs, pseudonyms

INTERVIEW = """I: Vem håller i samordningen?

IP: I praktiken är det Lena Holm som håller i den, på tjugo procent av en tjänst.

I: Och i Brovalla i övrigt?

IP: Lenas chef Per Olof Håkansson tycker att Brovallas plan räcker, men den följs inte.

IP: Vi har inget avtal med =HYPERLINK("x") heller, om man säger så.
"""


@pytest.fixture
def studied(tmp_path: Path) -> Path:
    path = tmp_path / "projekt.sqlite"
    with Project.open(path, create=True) as project:
        import_sources(
            project,
            [
                ImportRequest(
                    write_text(tmp_path / "Brovalla-01-socialchef.txt", INTERVIEW),
                    SourceMetadata(case="Brovalla", interviewee_role="socialchef"),
                )
            ],
        )
        code = add_code(project, "Personberoende").code_id
        other = add_code(project, "Styrdokument som inte följs").code_id
        text = project.db.execute("SELECT text FROM documents").fetchone()[0]
        for phrase, code_id in (
            ("I praktiken är det Lena Holm som håller i den", code),
            ("Lenas chef Per Olof Håkansson tycker att Brovallas plan räcker", other),
        ):
            start = text.index(phrase)
            add_coding(project, 1, start, start + len(phrase), code_id, coder="Anna")
        pseudonyms.add_pseudonym(project, "Lena Holm", "Karin", kind="person")
        pseudonyms.add_pseudonym(project, "Per Olof Håkansson", "Chefen", kind="person")
        basket.add_codings(project, [1, 2])
    return path


def package_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return " ".join(
            re.sub(r"<[^>]+>", " ", package.read(name).decode("utf-8", "replace"))
            for name in package.namelist()
        )


def test_word_has_every_quote_attribution_and_id_in_order_and_no_real_name(
    studied: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ut" / "citat.docx"
    with Project.open(studied) as project:
        outputs.export(project, out, sources=True)
        labels = [quote.label for quote in basket.list_quotes(project)]
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "Personberoende" in paragraphs and "Styrdokument som inte följs" in paragraphs
    first = paragraphs.index("I praktiken är det Karin som håller i den")
    assert paragraphs[first + 1] == f"(Kommun A, socialchef) [{labels[0]}]"
    second = paragraphs.index("Karins chef Chefen tycker att Kommun A:s plan räcker")
    assert paragraphs[second + 1] == f"(Kommun A, socialchef) [{labels[1]}]"
    assert first < second
    everything = package_text(out)
    for real in ("Lena", "Holm", "Håkansson", "Brovalla"):
        assert real not in everything, real
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_name_not_in_the_table_is_refused_and_nothing_is_written(
    studied: Path, tmp_path: Path
) -> None:
    out = tmp_path / "citat.md"
    with Project.open(studied) as project:
        pseudonyms.remove_pseudonym(project, "Per Olof Håkansson")
        # not known as a name: it goes out, as nothing says it is one
        outputs.export(project, out)
        pseudonyms.add_pseudonym(project, "Per Olof Håkansson", "Chefen")
        pseudonyms.add_pseudonym(project, "Lenna", "Kajsa")  # a name close to Lena
        out.unlink()
        with pytest.raises(VinrQualError, match=r"Q-[0-9a-f]{8}: 'Lenas?'"):
            outputs.export(project, out)
        assert not out.exists() and list(tmp_path.glob(".vinr-qual-*")) == []


def test_a_real_name_in_the_file_name_is_refused(studied: Path, tmp_path: Path) -> None:
    with Project.open(studied) as project, pytest.raises(VinrQualError, match="the file name"):
        outputs.export(project, tmp_path / "Brovalla-citat.docx")


def test_an_override_lets_a_word_through_and_is_logged(studied: Path, tmp_path: Path) -> None:
    with Project.open(studied) as project:
        outputs.export(
            project,
            tmp_path / "Brovalla-citat.md",
            allowed={"Brovalla": "the municipality agreed to be named"},
        )
        logged = project.db.execute(
            "SELECT actor, after FROM changes WHERE action LIKE '%override%'"
        ).fetchall()
    assert logged and "the municipality agreed to be named" in logged[-1][1]


def test_csv_and_markdown_carry_the_same_quotes(studied: Path, tmp_path: Path) -> None:
    with Project.open(studied) as project:
        basket.add_quote(project, 1, *span(project, 'Vi har inget avtal med =HYPERLINK("x")'))
        outputs.export(project, tmp_path / "citat.csv")
        outputs.export(project, tmp_path / "citat.md")
    with (tmp_path / "citat.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["attribution"] for row in rows] == ["Kommun A, socialchef"] * 3
    assert rows[0]["quote"] == "I praktiken är det Karin som håller i den"
    markdown = (tmp_path / "citat.md").read_text(encoding="utf-8")
    assert "> I praktiken är det Karin som håller i den" in markdown
    assert "Lena" not in markdown


def span(project: Project, phrase: str) -> tuple[int, int]:
    text = project.db.execute("SELECT text FROM documents").fetchone()[0]
    start = text.index(phrase)
    return start, start + len(phrase)


def test_a_quote_whose_source_changed_is_refused(studied: Path, tmp_path: Path) -> None:
    with Project.open(studied) as project:
        import_sources(
            project,
            [
                ImportRequest(
                    write_text(
                        tmp_path / "Brovalla-01-socialchef.txt",
                        INTERVIEW.replace("Lena Holm som håller", "Lena som håller"),
                    )
                )
            ],
            replace=True,
        )
        with pytest.raises(VinrQualError, match="now reads"):
            outputs.export(project, tmp_path / "citat.docx")
