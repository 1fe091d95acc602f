"""Taguette's codebook CSV and QualCoder's plain-text list, in and out."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codebook.conftest import load_file
from tests.conftest import write_text
from vinr_qual.codebook.project_codes import read_codebook
from vinr_qual.errors import VinrQualError
from vinr_qual.exchange.plain_lists import (
    read_qualcoder_list,
    read_taguette_csv,
    write_qualcoder_list,
    write_taguette_csv,
)
from vinr_qual.project import Project


def tree(codes: list) -> list:  # type: ignore[type-arg]
    return [(c.name, c.codable, c.definition, tree(c.children)) for c in codes]


def test_taguette_csv_with_any_name_column_and_extra_columns(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "codebook.csv",
        "Tag,Description,number of highlights\nsamverkan,Arbete ihop,4\n\n"
        "hinder/resurser,För lite tid,2\nsamverkan,igen,1\n",
    )
    flat, notes = read_taguette_csv(path)
    assert [c.name for c in flat.codes] == ["samverkan", "hinder/resurser"]
    assert notes == ["line 5: 'samverkan' again; skipped"]
    nested, _ = read_taguette_csv(path, separator="/")
    assert tree(nested.codes) == [
        ("samverkan", True, "Arbete ihop", []),
        ("hinder", False, None, [("resurser", True, "För lite tid", [])]),
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("description\nx\n", ":1: a Taguette codebook has exactly one of the columns"),
        ("tag,name\nx,y\n", "(found 2)"),
        ("tag,description\n,ingen\n", ":2: the tag name is empty"),
    ],
)
def test_bad_taguette_csv_names_the_line(tmp_path: Path, content: str, problem: str) -> None:
    with pytest.raises(VinrQualError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        read_taguette_csv(write_text(tmp_path / "t.csv", content))


def test_qualcoder_list_builds_categories_from_paths(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "koder.txt",
        "Hinder>>Resurser\tFör lite tid\nHinder>>Kompetens\t\nFramgång\tDet som fungerar\n",
    )
    book, _ = read_qualcoder_list(path)
    assert tree(book.codes) == [
        (
            "Hinder",
            False,
            None,
            [("Resurser", True, "För lite tid", []), ("Kompetens", True, None, [])],
        ),
        ("Framgång", True, "Det som fungerar", []),
    ]
    comma = write_text(tmp_path / "koder.csv", 'Hinder>>Resurser,"Tid, pengar"\n')
    assert read_qualcoder_list(comma)[0].codes[0].children[0].definition == "Tid, pengar"


def test_plain_lists_round_trip_through_a_project(
    project: Project, codebook_file: Path, tmp_path: Path
) -> None:
    load_file(project, codebook_file)
    book = read_codebook(project)
    taguette = tmp_path / "ut.csv"
    write_taguette_csv(book, taguette, {}, "/")
    qualcoder = tmp_path / "ut.txt"
    write_qualcoder_list(book, qualcoder)
    expected = [(c.name, c.definition) for c, _, _ in book.walk()]
    assert [(c.name, c.definition) for c, _, _ in read_taguette_csv(taguette, "/")[0].walk()] == (
        expected
    )
    # QualCoder lists carry no folders of their own: a folder's definition stays behind
    from_qualcoder = read_qualcoder_list(qualcoder)[0]
    assert [(c.name, c.definition if c.codable else None) for c, _, _ in from_qualcoder.walk()] == [
        (name, definition if name not in ("Framgångsfaktorer", "Hinder") else None)
        for name, definition in expected
    ]
    assert taguette.read_text(encoding="utf-8").splitlines()[0] == (
        "tag,description,number of highlights,number of documents"
    )
    # loading either list back into the project matches every code by its path
    load_file(project, qualcoder)
    assert read_codebook(project) == book, "nothing lost: folders keep what the list lacks"
