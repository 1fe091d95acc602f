"""Retrieval ("coded segments"): the passages of codes with their places, coders and memos,
in the core and from `vinr-qual passages`."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import write_text
from vinr_qual.cases.cases import set_attribute
from vinr_qual.cli.passages import passages_command
from vinr_qual.codebook.operations import add_code
from vinr_qual.coding.codings import add_coding
from vinr_qual.coding.memos import set_coding_memo
from vinr_qual.errors import VinrQualError
from vinr_qual.export.tables import read_table
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.search.retrieval import (
    MatrixPick,
    Retrieved,
    Selection,
    matrix_selection,
    passage_table,
    retrieve,
)

ABY = """I: Hur fungerar samverkan?

IP: Vi har en styrgrupp med alla
förvaltningschefer. Den fungerar bra.

I: Och resurserna?

IP: Jag har bara tjugo procent av en tjänst.
"""

BRO = """WEBVTT

1
00:00:03.000 --> 00:00:06.000
<v Karin Olsson>Vi träffar polisen varje månad.</v>
"""

LONG = "Kommunen ska samordna arbetet mot våld i nära relationer med alla förvaltningar. "
PLAN = f"# Handlingsplan\n\n{LONG * 12}\n"

DOUBLE = "Vi har en styrgrupp med alla\nförvaltningschefer."


def build(folder: Path) -> Path:
    """Two interviews (one a timed .vtt) and a steering document in two cases; a parent
    code and its child; Anna and Bo on the same span and on others; memos."""
    path = folder / "projekt.sqlite"
    with Project.open(path, create=True) as project:
        import_sources(
            project,
            [
                ImportRequest(
                    write_text(folder / "Aby-01.txt", ABY),
                    SourceMetadata(case="Aby", kind="interview", interviewee_role="samordnare"),
                ),
                ImportRequest(
                    write_text(folder / "Aby-plan.md", PLAN),
                    SourceMetadata(case="Aby", kind="steering"),
                ),
                ImportRequest(
                    write_text(folder / "Bro-01.vtt", BRO),
                    SourceMetadata(case="Bro", kind="interview"),
                ),
            ],
        )
        set_attribute(project, "Aby", "län", "Skåne län")
        set_attribute(project, "Bro", "län", "Dalarnas län")
        set_attribute(project, "Bro", "grupp", "B4")
        parent = add_code(project, "Samverkan", shortcut="s").code_id
        child = add_code(project, "Intern samverkan", parent="Samverkan").code_id
        other = add_code(project, "Resurser").code_id
        documents = dict(project.db.execute("SELECT name, id FROM documents").fetchall())
        texts = dict(project.db.execute("SELECT name, text FROM documents").fetchall())

        def code(document: str, phrase: str, code_id: str, coder: str, **extra: Any) -> int:
            start = texts[document].index(phrase)
            return add_coding(
                project,
                documents[document],
                start,
                start + len(phrase),
                code_id,
                coder=coder,
                **extra,
            )

        anna = code("Aby-01.txt", DOUBLE, child, "Anna")
        bo = code("Aby-01.txt", DOUBLE, child, "Bo")
        set_coding_memo(project, anna, "Styrgruppen möts varje kvartal.", coder="Anna")
        set_coding_memo(project, bo, "Alla chefer?", coder="Bo")
        code("Aby-01.txt", "Den fungerar bra.", parent, "Bo")
        code("Aby-01.txt", "Hur fungerar samverkan?", parent, "Anna")
        code("Aby-01.txt", "Jag har bara tjugo procent", other, "regler", status="suggested")
        code("Bro-01.vtt", "Vi träffar polisen varje månad.", child, "Anna")
        code("Aby-plan.md", (LONG * 12).strip(), parent, "Anna")
    return path


@pytest.fixture
def built(tmp_path: Path) -> Path:
    return build(tmp_path)


def ids(project: Project) -> dict[str, str]:
    return dict(project.db.execute("SELECT name, id FROM codes").fetchall())


def document_ids(project: Project) -> dict[str, int]:
    return dict(project.db.execute("SELECT name, id FROM documents").fetchall())


def texts(found: list[Retrieved]) -> list[str]:
    return [item.passage[:25] for item in found]


def test_a_passage_coded_by_two_coders_is_listed_once_naming_both(built: Path) -> None:
    with Project.open(built) as project:
        code = ids(project)
        found = retrieve(project, codes=[code["Intern samverkan"]])
        assert [(item.document, item.coders) for item in found] == [
            ("Aby-01.txt", ["Anna", "Bo"]),
            ("Bro-01.vtt", ["Anna"]),
        ]
        double = found[0]
        assert len(double.coding_ids) == len(double.coding_guids) == 2
        assert [(memo.coder, memo.text) for memo in double.memos] == [
            ("Anna", "Styrgruppen möts varje kvartal."),
            ("Bo", "Alla chefer?"),
        ]
        # the text as it stands; the passage with its hard line break folded
        assert double.text == DOUBLE
        assert double.passage == "Vi har en styrgrupp med alla förvaltningschefer."
        assert double.code == "Intern samverkan"
        assert double.code_path == ["Samverkan", "Intern samverkan"]
        assert double.attributes == {"län": "Skåne län"}
        per_coder = retrieve(project, codes=[code["Intern samverkan"]], by_coder=True)
        assert [(item.document, item.coders) for item in per_coder] == [
            ("Aby-01.txt", ["Anna"]),
            ("Aby-01.txt", ["Bo"]),
            ("Bro-01.vtt", ["Anna"]),
        ]
        assert [len(item.memos) for item in per_coder] == [1, 1, 0]


def test_children_are_included_unless_told_not_to(built: Path) -> None:
    with Project.open(built) as project:
        code = ids(project)
        found = retrieve(project, codes=[code["Samverkan"]])
        # reading order: document name, then position
        assert texts(found) == [
            "Hur fungerar samverkan?",
            "Vi har en styrgrupp med a",
            "Den fungerar bra.",
            "Kommunen ska samordna arb",
            "Vi träffar polisen varje ",
        ]
        assert {item.code for item in found} == {"Samverkan", "Intern samverkan"}
        alone = retrieve(project, codes=[code["Samverkan"]], with_children=False)
        assert texts(alone) == [
            "Hur fungerar samverkan?",
            "Den fungerar bra.",
            "Kommunen ska samordna arb",
        ]
        # no codes: every code's passages
        assert len(retrieve(project)) == 5
        by_case = retrieve(project, codes=[code["Samverkan"]], group_by_case=True)
        assert [item.case for item in by_case] == ["Aby"] * 4 + ["Bro"]


def test_each_filter(built: Path) -> None:
    with Project.open(built) as project:
        samverkan = [ids(project)["Samverkan"]]

        def documents(**filters: Any) -> list[str]:
            return texts(retrieve(project, codes=samverkan, **filters))

        assert documents(case="bro") == ["Vi träffar polisen varje "]
        assert documents(attribute=("län", "skåne LÄN")) == documents(case="Aby")
        assert len(documents(case="Aby")) == 4
        assert documents(attribute=("län", "Hallands län")) == []
        assert documents(kind="steering") == ["Kommunen ska samordna arb"]
        assert documents(role="Samordnare") == ["Vi har en styrgrupp med a", "Den fungerar bra."]
        assert documents(role="intervjuare") == ["Hur fungerar samverkan?"]
        assert documents(coders=["bo"]) == ["Vi har en styrgrupp med a", "Den fungerar bra."]
        assert retrieve(project, codes=samverkan, coders=["Bo"])[0].coders == ["Bo"]
        assert "Hur fungerar samverkan?" not in documents(include_interviewer=False)
        assert len(documents(include_interviewer=False)) == 4
        # statuses: the suggestion only when asked for
        assert retrieve(project, codes=[ids(project)["Resurser"]]) == []
        [suggested] = retrieve(project, codes=[ids(project)["Resurser"]], status="suggested")
        assert suggested.coders == ["regler"] and suggested.statuses == ["suggested"]
        assert len(retrieve(project, status="any")) == 6
        assert retrieve(project, codes=samverkan, status="rejected") == []
        with pytest.raises(VinrQualError, match="status"):
            retrieve(project, status="maybe")
        with pytest.raises(VinrQualError, match="no case"):
            retrieve(project, case="Ödeby")
        with pytest.raises(VinrQualError, match="no code"):
            retrieve(project, codes=["nope"])
        # a passage from the question on into the answer is the answer's
        text = project.db.execute("SELECT text FROM documents WHERE name = 'Aby-01.txt'")
        start = text.fetchone()[0].index("samverkan?")
        document_id = document_ids(project)["Aby-01.txt"]
        add_coding(project, document_id, start, start + 20, samverkan[0], coder="Anna")
        # the question's own coding is left out, so it does not take this one with it
        answers = retrieve(project, codes=samverkan, case="Aby", include_interviewer=False)
        assert "samverkan? IP: Vi h" in texts(answers) and len(answers) == 4
        # with the interviewer's speech, the two overlapping codings are one passage
        [merged] = [p for p in documents() if p.startswith("Hur fungerar")]
        assert merged == "Hur fungerar samverkan?"


def test_places_speaker_role_and_time(built: Path) -> None:
    with Project.open(built) as project:
        found = retrieve(project, codes=[ids(project)["Samverkan"]])
        by_document = {item.passage[:10]: item for item in found}
        double = by_document["Vi har en "]
        assert (double.speaker, double.role, double.marks) == ("IP", "samordnare", "")
        timed = by_document["Vi träffar"]
        assert (timed.speaker, timed.time_mark, timed.time) == ("Karin Olsson", "[00:00:03]", 3.0)
        assert by_document["Hur funger"].role == "intervjuare"
        assert by_document["Kommunen s"].speaker is None


def test_one_query_for_the_codings_and_one_per_document_for_places(built: Path) -> None:
    with Project.open(built) as project:
        statements: list[str] = []
        project.db.conn.set_trace_callback(statements.append)
        found = retrieve(project, codes=[ids(project)["Samverkan"]], role="samordnare")
        project.db.conn.set_trace_callback(None)
    assert len(found) == 2
    assert sum("FROM codings" in sql for sql in statements) == 1
    assert sum("FROM segments" in sql for sql in statements) == 3  # three documents
    assert not any("FROM memos" in sql and "FROM codings" not in sql for sql in statements)


def test_the_table_has_every_attribute_and_the_code_path_split(built: Path) -> None:
    with Project.open(built) as project:
        found = retrieve(project, codes=[ids(project)["Samverkan"]])
    header, rows = passage_table(found, ["grupp", "län"])
    assert header[:4] == ["case", "grupp", "län", "document"]
    assert header.index("path_1") + 1 == header.index("path_2")
    table = [dict(zip(header, row, strict=True)) for row in rows]
    assert len(table) == 5
    double = table[1]
    assert (double["case"], double["grupp"], double["län"]) == ("Aby", None, "Skåne län")
    assert (double["path_1"], double["path_2"]) == ("Samverkan", "Intern samverkan")
    assert double["coders"] == "Anna; Bo"
    assert double["memos"] == "Anna: Styrgruppen möts varje kvartal.\nBo: Alla chefer?"
    assert double["passage"] == "Vi har en styrgrupp med alla förvaltningschefer."
    assert (table[0]["path_1"], table[0]["path_2"]) == ("Samverkan", None)
    assert (table[4]["grupp"], table[4]["time"]) == ("B4", "00:00:03")


def test_a_matrix_row_column_or_cell_as_filters(built: Path) -> None:
    with Project.open(built) as project:
        code = ids(project)
        aby = str(project.db.execute("SELECT id FROM cases WHERE name = 'Aby'").fetchone()[0])
        cell = matrix_selection(
            project, rows="code", columns="case", row=code["Intern samverkan"], column=aby
        )
        assert cell == Selection(
            codes=(code["Intern samverkan"],),
            with_children=False,
            case="Aby",
            include_interviewer=False,  # as the matrix counts
        )
        family = MatrixPick("family", "case+kind", code["Samverkan"], f"{aby}/steering")
        assert family.selection(project) == Selection(
            codes=(code["Samverkan"],),
            with_children=True,
            case="Aby",
            kind="steering",
            include_interviewer=False,
        )
        column = matrix_selection(project, rows="code", columns="attr:län", column="Skåne län")
        assert column.attribute == ("län", "Skåne län") and column.codes == ()
        assert len(column.run(project)) == 3  # not the interviewer's question
        # a key no filter says: the codings the matrix counts behind it
        no_role = matrix_selection(project, rows="role", columns="case", row="–")
        assert no_role.coding_ids is not None
        assert texts(no_role.run(project)) == [
            "Kommunen ska samordna arb",  # no speaker
            "Vi träffar polisen varje ",  # a speaker without a role
        ]
        everything = matrix_selection(project, rows="code", columns="case")
        assert len(everything.run(project)) == 4
        assert len(replace(everything, include_interviewer=True).run(project)) == 5


# the command line ---------------------------------------------------------------------


def run(path: Path, *args: str) -> Any:
    return CliRunner().invoke(passages_command, ["-p", str(path), *args])


def test_the_text_output(built: Path) -> None:
    result = run(built, "--code", "Intern samverkan")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Aby-01.txt · Aby · IP (samordnare) · Anna, Bo",
        "    Vi har en styrgrupp med alla förvaltningschefer.",
        "    memo (Anna): Styrgruppen möts varje kvartal.",
        "    memo (Bo): Alla chefer?",
        "",
        "Bro-01.vtt · Bro · Karin Olsson · [00:00:03] · Anna",
        "    Vi träffar polisen varje månad.",
        "",
        "2 passages in 2 cases (3 codings)",
    ]
    per_coder = run(built, "--code", "Intern samverkan", "--by-coder").output
    assert "Aby-01.txt · Aby · IP (samordnare) · Anna\n" in per_coder
    assert "Aby-01.txt · Aby · IP (samordnare) · Bo\n" in per_coder
    assert per_coder.endswith("3 passages in 2 cases\n")


def test_long_passages_are_shortened_and_say_so(built: Path) -> None:
    out = run(built, "--code", "s", "--no-children", "--kind", "steering").output
    lines = out.splitlines()
    assert lines[0] == "Aby-plan.md · Aby · Anna"
    passage = lines[1:9]
    assert all(line.startswith("    ") and len(line) <= 100 for line in passage)
    assert passage[-1].endswith(" …") and lines[9] == ""
    assert "1 passage shortened (ending in …)" in out
    whole = run(built, "--code", "s", "--no-children", "--kind", "steering", "--full").output
    assert "…" not in whole
    assert " ".join(whole.splitlines()[1:-2]).split() == (LONG * 12).split()


def test_grouped_by_case_and_filtered(built: Path) -> None:
    out = run(built, "--code", "Samverkan", "--by-case", "--coder", "Anna").output
    assert out.startswith("── Aby (3) ──\n\nAby-01.txt · I (intervjuare) · Anna · «Samverkan»\n")
    assert "── Bro (1) ──" in out
    out = run(built, "--code", "Samverkan", "--role", "samordnare", "--no-interviewer").output
    assert out.endswith("2 passages in 1 case (3 codings)\n")
    assert run(built, "--code", "Samverkan", "--attribute", "län=Dalarnas län").output.endswith(
        "1 passage in 1 case\n"
    )
    assert run(built, "--code", "Resurser").output == "no passages\n"
    assert "regler" in run(built, "--code", "Resurser", "--status", "suggested").output
    assert isinstance(run(built, "--code", "Ingen sådan").exception, VinrQualError)


def test_csv_xlsx_and_json(built: Path, tmp_path: Path) -> None:
    result = run(built, "--code", "Samverkan", "--out", str(tmp_path / "p.csv"))
    assert result.output == f"wrote 5 passages to {tmp_path / 'p.csv'}\n"
    header, *rows = read_table(tmp_path / "p.csv")
    assert header[:4] == ["case", "grupp", "län", "document"]
    assert {"path_1", "path_2", "coders", "memos", "passage"} <= set(header)
    assert len(rows) == 5
    long = rows[3][header.index("passage")]
    assert long == (LONG * 12).strip()  # files always have the whole passage
    run(built, "--code", "Samverkan", "--by-coder", "--out", str(tmp_path / "p.xlsx"))
    header, *rows = read_table(tmp_path / "p.xlsx")
    assert len(rows) == 6 and header[-1] == "coding_guids"
    data = json.loads(run(built, "--code", "Intern samverkan", "--json").output)
    assert [item["coders"] for item in data] == [["Anna", "Bo"], ["Anna"]]
    assert data[0]["passage"] == "Vi har en styrgrupp med alla förvaltningschefer."
    assert data[0]["text"] == DOUBLE and data[1]["time_mark"] == "[00:00:03]"
    assert data[0]["memos"][0] == {
        "coder": "Anna",
        "text": "Styrgruppen möts varje kvartal.",
        "coding_id": data[0]["coding_ids"][0],
    }


def test_it_reads_a_read_only_project(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Project.open(built).close()
    for suffix in ("-wal", "-shm"):
        Path(f"{built}{suffix}").unlink(missing_ok=True)
    monkeypatch.setattr("vinr_qual.project._writable", lambda _path: False)
    before = built.read_bytes()
    result = run(built, "--code", "Samverkan")
    assert result.exit_code == 0 and "5 passages in 2 cases" in result.output
    assert built.read_bytes() == before
