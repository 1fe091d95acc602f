"""Codings given as quotes in a CSV are found again in their documents; a row that
cannot be placed stops the load with its line, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_text
from vinr_qual.codebook.operations import add_code
from vinr_qual.coding.quoted import load_quoted_codings
from vinr_qual.errors import VinrQualError
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project

INTERVIEW = """I: Var ligger samordningen?

IP: Den ligger under socialtjänsten,
hos individ- och familjeomsorgen. Och den ligger under socialtjänsten sedan länge.
"""


@pytest.fixture
def prepared(tmp_path: Path, project: Project) -> Project:
    import_sources(project, [ImportRequest(write_text(tmp_path / "Ås-01.txt", INTERVIEW))])
    add_code(project, "Socialtjänsten")
    add_code(project, "Fält")
    add_code(project, "VINR", parent="Fält")
    return project


def codings(project: Project) -> list[tuple[str, str, str]]:
    return [
        (str(code), str(coder), " ".join(str(text)[start:end].split()))
        for code, coder, text, start, end in project.db.execute(
            'SELECT c.name, k.name, d.text, g.start, g."end" FROM codings g'
            " JOIN codes c ON c.id = g.code_id JOIN coders k ON k.id = g.coder_id"
            " JOIN documents d ON d.id = g.document_id ORDER BY g.id"
        )
    ]


def test_quotes_are_found_across_line_breaks_with_their_fields(
    tmp_path: Path, prepared: Project
) -> None:
    path = write_text(
        tmp_path / "kodning.csv",
        "document,code,quote,occurrence,fields\n"
        'Ås-01.txt,Socialtjänsten,"Den ligger under socialtjänsten, hos individ-",,VINR\n'
        "Ås-01.txt,Socialtjänsten,DEN LIGGER UNDER SOCIALTJÄNSTEN,2,\n",
    )
    loaded = load_quoted_codings(prepared, path, coder="Referens")
    assert (loaded.rows, loaded.added) == (2, 3)
    assert codings(prepared) == [
        ("Socialtjänsten", "Referens", "Den ligger under socialtjänsten, hos individ-"),
        ("VINR", "Referens", "Den ligger under socialtjänsten, hos individ-"),
        ("Socialtjänsten", "Referens", "den ligger under socialtjänsten"),
    ]
    # again: nothing new
    assert load_quoted_codings(prepared, path, coder="Referens").added == 0


def test_a_row_that_cannot_be_placed_stops_the_load(tmp_path: Path, prepared: Project) -> None:
    path = write_text(
        tmp_path / "kodning.csv",
        "document,code,quote\n"
        "Ås-01.txt,Socialtjänsten,Den ligger under socialtjänsten\n"
        "Ås-01.txt,Socialtjänsten,hos kommunledningen\n",
    )
    with pytest.raises(VinrQualError, match=r"kodning.csv, line 2: .* stands 2 times"):
        load_quoted_codings(prepared, path, coder="Referens")
    path.write_text(
        "document,code,quote\nÅs-01.txt,Socialtjänsten,hos kommunledningen\n", encoding="utf-8"
    )
    with pytest.raises(VinrQualError, match=r"line 2: the phrase 'hos kommunledningen' is not"):
        load_quoted_codings(prepared, path, coder="Referens")
    assert codings(prepared) == []
