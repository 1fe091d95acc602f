"""The default codebook, revised: its examples stand in no demo file, the revision loads
into a project coded with the earlier codebook without losing a coding, every code
states its unit, and the field family is named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vinr_qual.codebook.fields import field_codes
from vinr_qual.codebook.model import CODING_UNITS
from vinr_qual.codebook.operations import find_code
from vinr_qual.codebook.project_codes import apply_load, plan_load, read_codebook
from vinr_qual.coding.codings import add_coding
from vinr_qual.exchange.codebook_files import read_codebook_file
from vinr_qual.ingest.demo import build_demo
from vinr_qual.project import Project

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "codebooks" / "vinr.yaml"
EARLIER = Path(__file__).parent / "codebook" / "data" / "vinr-2025-11.yaml"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    with Project.open(tmp_path_factory.mktemp("demo") / "demo.sqlite", create=True) as project:
        build_demo(project)
        yield project


def folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def test_no_example_stands_in_a_demo_file(demo: Project) -> None:
    texts = [folded(text) for (text,) in demo.db.execute("SELECT text FROM documents")]
    assert len(texts) >= 17
    found = [
        (code.name, example)
        for code, _, _ in read_codebook_file(DEFAULT).codebook.walk()
        for example in code.examples
        if any(folded(example) in text for text in texts)
    ]
    assert found == [], f"{len(found)} examples stand in the corpus: {found[:3]}"


def test_every_codable_code_states_its_unit_and_the_fields_are_named(demo: Project) -> None:
    book = read_codebook(demo)
    units = {code.name: code.unit for code, _, _ in book.walk() if code.codable}
    assert all(unit in CODING_UNITS for unit in units.values()), units
    assert units["Separata spår"] == "turn" and units["Knappa resurser"] == "sentence"
    assert list(field_codes(demo).values()) == ["BF", "VINR", "ANDTS"]


def test_the_revision_loads_over_the_earlier_codebook_keeping_every_coding(
    tmp_path: Path,
) -> None:
    with Project.open(tmp_path / "äldre.sqlite", create=True) as project:
        earlier = read_codebook_file(EARLIER)
        apply_load(project, plan_load(project, earlier.codebook), source=str(EARLIER))
        from vinr_qual.ingest.pipeline import ImportRequest, import_sources

        path = tmp_path / "intervju.txt"
        path.write_text("I: Hur ser det ut?\n\nIP: Det finns ingen samordning alls.\n", "utf-8")
        import_sources(project, [ImportRequest(path)])
        coded = {}
        for name in ("Ingen samordning", "Separata spår", "Knappa resurser", "Trappan"):
            code_id = find_code(project, name)
            coded[code_id] = add_coding(project, 1, 20, 50, code_id, coder="Anna")
        before = project.db.execute('SELECT id, code_id, start, "end" FROM codings').fetchall()
        revised = read_codebook_file(DEFAULT)
        plan = plan_load(project, revised.codebook, carried=revised.carried)
        kinds = {change.kind for change in plan.changes}
        assert "removed" not in kinds
        renamed = [c for c in plan.changes if c.kind == "renamed"]
        assert any("Ett spår saknas" in str(change) for change in renamed), renamed
        apply_load(project, plan, source=str(DEFAULT))
        after = project.db.execute('SELECT id, code_id, start, "end" FROM codings').fetchall()
        assert after == before
        names = dict(project.db.execute("SELECT id, name FROM codes").fetchall())
        assert {names[code_id] for code_id in coded} == {
            "Ett spår saknas",
            "Separata spår",
            "Knappa resurser",
            "Trappan",
        }
        assert "BF prioriteras framför VINR" in names.values()
