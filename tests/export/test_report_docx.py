"""The report as Word: its sections in order, the codebook, the matrices as code_matrix
counts them with a picture per chart, agreement, the framework matrix, the basket's quotes
per theme; cases by their aliases and no real name in any part of the package, and a
refused report leaves nothing."""

from __future__ import annotations

import re
import stat
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph

from tests.conftest import write_text
from vinr_qual.analysis.framework import set_summary
from vinr_qual.analysis.matrix import code_matrix
from vinr_qual.cases.cases import set_attribute
from vinr_qual.cli import cli
from vinr_qual.codebook.operations import add_code
from vinr_qual.codebook.project_codes import apply_load, plan_load, read_codebook
from vinr_qual.coding.codings import add_coding
from vinr_qual.errors import VinrQualError
from vinr_qual.export.report import write_report
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.quoting import basket, pseudonyms

BROVALLA = """I: Vem håller i samordningen?

IP: I praktiken är det Lena Holm som håller i den, på tjugo procent av en tjänst.

I: Och planen?

IP: Planen finns men den följs inte, vi träffas när det brinner.
"""

TALLMO = """I: Hur ser samverkan ut?

IP: Vi har ett gemensamt möte varje månad med socialtjänsten och skolan.

I: Och planen?

IP: Planen är gammal, ingen läser den.
"""

SECTIONS = [
    "Projektet i siffror",
    "Kodbok",
    "Matriser efter fall",
    "Matriser efter kommungrupp och folkmängd",
    "Dokumenttyper och koder som delar mening",
    "Samstämmighet mellan kodare",
    "Ramverksmatris",
    "Citat ur korgen",
]
REAL = ("Brovalla", "Tallmo", "Lena", "Holm")


@pytest.fixture
def studied(tmp_path: Path) -> Path:
    path = tmp_path / "projekt.sqlite"
    with Project.open(path, create=True) as project:
        import_sources(
            project,
            [
                ImportRequest(
                    write_text(tmp_path / "in" / "Brovalla-01.txt", BROVALLA),
                    SourceMetadata(case="Brovalla", interviewee_role="socialchef"),
                ),
                ImportRequest(
                    write_text(tmp_path / "in" / "Tallmo-01.txt", TALLMO),
                    SourceMetadata(case="Tallmo", interviewee_role="rektor"),
                ),
            ],
        )
        for case, group, people in (
            ("Brovalla", "Pendlingskommun nära större stad", "23 400"),
            ("Tallmo", "Landsbygdskommun", "4 800"),
        ):
            set_attribute(project, case, "kommungrupp", group)
            set_attribute(project, case, "folkmängd", people)
        family = add_code(project, "Samordning", definition="Hur arbetet hålls ihop.").code_id
        person = add_code(
            project,
            "Personberoende",
            parent=family,
            name_en="Person dependence",
            definition="Samordningen vilar på en person.",
        ).code_id
        meeting = add_code(
            project, "Gemensamma möten", parent=family, definition="Fasta möten mellan aktörer."
        ).code_id
        plan = add_code(project, "Plan som inte följs", definition="En plan ingen följer.").code_id
        book = read_codebook(project)
        found = book.by_id()[person]
        found.use_when, found.not_when = "En namngiven person bär arbetet.", "Bara en roll nämns."
        apply_load(project, plan_load(project, book), source="test")
        documents = dict(project.db.execute("SELECT case_id, id FROM documents").fetchall())
        cases = dict(project.db.execute("SELECT name, id FROM cases").fetchall())
        ids = []
        for case, phrase, code_id in (
            ("Brovalla", "I praktiken är det Lena Holm som håller i den", person),
            ("Brovalla", "Planen finns men den följs inte", plan),
            ("Tallmo", "Vi har ett gemensamt möte varje månad", meeting),
            ("Tallmo", "Planen är gammal, ingen läser den", plan),
        ):
            document = documents[cases[case]]
            text = project.db.execute(
                "SELECT text FROM documents WHERE id = ?", [document]
            ).fetchone()[0]
            start = text.index(phrase)
            for coder in ("Anna", "Bo"):
                coding = add_coding(
                    project, document, start, start + len(phrase), code_id, coder=coder
                )
            ids.append(coding)
        pseudonyms.add_pseudonym(project, "Lena Holm", "Karin", kind="person")
        set_summary(project, "Brovalla", person, "Lena Holm håller ihop allt.", coder="Anna")
        set_summary(project, "Tallmo", plan, "Planen är gammal.", coder="Anna")
        basket.add_codings(project, [ids[0], ids[2]])
    return path


def body(document: docx.document.Document) -> list[Paragraph | WordTable]:
    return list(document.iter_inner_content())


def table_after(items: list[Paragraph | WordTable], heading: str) -> list[list[str]]:
    start = next(
        i for i, item in enumerate(items) if isinstance(item, Paragraph) and item.text == heading
    )
    table = next(item for item in items[start:] if isinstance(item, WordTable))
    return [[cell.text for cell in row.cells] for row in table.rows]


def package_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return " ".join(
            re.sub(r"<[^>]+>", " ", package.read(name).decode("utf-8", "replace"))
            + package.read(name).decode("utf-8", "replace")  # attributes too
            for name in package.namelist()
        )


def test_the_word_report_holds_every_section_with_aliases_and_no_real_name(
    studied: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ut" / "rapport.docx"
    out.parent.mkdir()
    with Project.open(studied) as project:
        assert write_report(project, out) == [out]
        by_code = code_matrix(project, rows="code", columns="case")
        labels = [quote.label for quote in basket.list_quotes(project)]
        case_keys = {name: str(case_id) for case_id, name in project.db.execute(
            "SELECT id, name FROM cases"
        )}  # fmt: skip
    assert sorted(p.name for p in out.parent.iterdir()) == ["rapport.docx"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    document = docx.Document(str(out))
    paragraphs = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == SECTIONS
    assert any(text.startswith("Räknat: godkända kodningar") for text in paragraphs)
    items = body(document)

    codebook = table_after(items, "Kodbok")
    assert codebook == [
        ["kod", "engelskt namn", "definition", "används när", "används inte när"],
        ["Samordning", "", "Hur arbetet hålls ihop.", "", ""],
        [
            "Samordning > Personberoende",
            "Person dependence",
            "Samordningen vilar på en person.",
            "En namngiven person bär arbetet.",
            "Bara en roll nämns.",
        ],
        ["Samordning > Gemensamma möten", "", "Fasta möten mellan aktörer.", "", ""],
        ["Plan som inte följs", "", "En plan ingen följer.", "", ""],
    ]

    matrix = table_after(items, "Koder × fall (antal passager)")
    assert matrix[0] == ["", "Kommun A", "Kommun B", "totalt"]
    brovalla, tallmo = case_keys["Brovalla"], case_keys["Tallmo"]
    expected = [
        [
            label,
            f"{by_code.value(key, brovalla):g}",
            f"{by_code.value(key, tallmo):g}",
            f"{by_code.row_totals[key]:g}",
        ]
        for key, label in by_code.rows
    ]
    assert matrix[1:] == expected
    assert ["Plan som inte följs", "1", "1", "2"] in matrix  # each passage once, two coders
    groups = table_after(items, "Kodfamiljer × kommungrupp (andel av texten)")
    assert groups[0] == ["", "Landsbygdskommun", "Pendlingskommun nära större stad", "totalt"]
    bands = table_after(items, "Kodfamiljer × folkmängd i band (andel av texten)")
    assert bands[0] == ["", "under 10 000", "10 000–49 999", "totalt"]
    # code frequencies, families × cases, × kommungrupp, × population band
    assert len(document.inline_shapes) == 4

    agreement = table_after(items, "Samstämmighet mellan kodare")
    assert agreement[0][0] == "kod" and agreement[-1][0] == "totalt"

    framework = table_after(items, "Ramverksmatris")
    assert framework[0] == ["fall", "Personberoende", "Plan som inte följs"]
    assert framework[1] == ["Kommun A", "Karin håller ihop allt.\n(1 passage)", "–\n(1 passage)"]
    assert framework[2] == ["Kommun B", "–\n(0 passager)", "Planen är gammal.\n(1 passage)"]

    quoted = [i for i, p in enumerate(document.paragraphs) if p.style.name == "Quote"]
    assert [paragraphs[i] for i in quoted] == [
        "I praktiken är det Karin som håller i den",
        "Vi har ett gemensamt möte varje månad",
    ]
    assert paragraphs[quoted[0] + 1] == f"(Kommun A, socialchef) [{labels[0]}]"
    assert paragraphs[quoted[1] + 1] == f"(Kommun B, rektor) [{labels[1]}]"
    themes = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert themes[-2:] == ["Personberoende", "Gemensamma möten"]  # in the basket's order

    everything = package_text(out)
    for real in REAL:
        assert real not in everything, real
    with Project.open(studied) as project:
        assert pseudonyms.check_file(out, pseudonyms.check_table(project)) == []


def test_real_names_keep_the_cases_names_but_not_the_people_s(
    studied: Path, tmp_path: Path
) -> None:
    out = tmp_path / "rapport.docx"
    with Project.open(studied) as project:
        write_report(project, out, real_names=True)
    items = body(docx.Document(str(out)))
    assert table_after(items, "Koder × fall (antal passager)")[0] == [
        "",
        "Brovalla",
        "Tallmo",
        "totalt",
    ]
    everything = package_text(out)
    assert "Lena" not in everything and "Holm" not in everything and "Karin" in everything


def test_an_empty_basket_and_framework_say_so(studied: Path, tmp_path: Path) -> None:
    out = tmp_path / "rapport.docx"
    with Project.open(studied) as project:
        for quote in basket.list_quotes(project):
            basket.remove(project, quote)
        for case, code in project.db.execute(
            "SELECT c.name, f.code_id FROM framework_cells f JOIN cases c ON c.id = f.case_id"
        ).fetchall():
            set_summary(project, case, code, "")
        write_report(project, out)
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert any(text.startswith("Korgen är tom") for text in paragraphs)
    assert any(text.startswith("Ramverksmatrisen har inga sammanfattningar") for text in paragraphs)


def test_a_name_the_pseudonyms_cannot_decide_refuses_the_report_and_leaves_nothing(
    studied: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ut" / "rapport.docx"
    out.parent.mkdir()
    with Project.open(studied) as project:
        # "Lena" could be Lena Holm or Lena Berg: apply leaves it, and the report stops
        pseudonyms.add_pseudonym(project, "Lena Berg", "Maja", kind="person")
        set_summary(project, "Tallmo", read_codebook(project).codes[1].id, "Lena ringer.")
        with pytest.raises(VinrQualError, match=r"Ramverksmatris.*'Lena'.*nothing was written"):
            write_report(project, out)
        with pytest.raises(VinrQualError, match="the file name"):
            write_report(project, out.with_name("Tallmo-rapport.docx"))
    assert list(out.parent.iterdir()) == []


def test_the_command_writes_the_word_report_and_says_so(studied: Path, tmp_path: Path) -> None:
    out = tmp_path / "rapport.docx"
    result = CliRunner(env={"VINR_QUAL_CODER": "Anna"}).invoke(
        cli, ["-p", str(studied), "report", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    assert f"wrote {out}" in result.stdout
    assert "cases named by their aliases" in result.stdout
    assert out.is_file()
