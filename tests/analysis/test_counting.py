"""Counts a reviewer can sign: a passage once however many coders coded it, per coder
when asked, some coders only, the interviewer's speech left out, presence as a number
of municipalities, agreement over the units someone coded; checked against a small
project counted by hand.

Three interviews, each an I:/IP: exchange; two coders, Anna and Bo.

Aby (socialchef, 9 000 inhabitants)
  I: Hur ser resurserna ut?
  IP: Vi har för lite tid.              KR  Anna, Bo (the same span)     1 passage
      Pengarna räcker inte.             KR  Anna                         1 passage
      Samverkan med polisen fungerar bra.
                                        S   Bo the sentence, Anna "Samverkan med
                                            polisen" (overlapping)       1 passage
  I: Finns det en samordnare?           KR  Anna: in the interviewer's question,
                                            not counted
  IP: Nej, ingen samordnare.
      Det saknas pengar.                KR  Anna                         1 passage
Bby (kommundirektör, 60 000)
  I: Vad fungerar bra?
  IP: Samverkan med skolan är god.      S   Anna                         1 passage
      Vi har ont om tid.                KR  Bo                           1 passage
  I: Och resurserna, räcker de?         KR  Bo, from the question on into the answer
  IP: Ja.                                   "Ja.": counted, said by the kommundirektör
Cby (samordnare, 8 000)
  I: Berätta om samverkan.
  IP: Samverkan med socialtjänsten fungerar men tiden räcker inte.
                                        S   Anna, Bo the sentence        1 passage
                                        KR  Anna, Bo "tiden räcker inte." 1 passage
  I: Något mer?
  IP: Nej.

KR = Knappa resurser (family Hinder), S = Samverkan (family Framgångsfaktorer).
14 codings, 1 in interviewer speech: 13 counted, making 9 passages (KR 3 + 2 + 1,
S 1 + 1 + 1). Anna's own: KR 4, S 3; Bo's own: KR 4, S 2.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import write_text
from vinr_qual.analysis.agreement import agreement, cohen_kappa
from vinr_qual.analysis.cooccurrence import cooccurrence
from vinr_qual.analysis.facts import load_facts
from vinr_qual.analysis.framework import framework
from vinr_qual.analysis.matrix import Matrix, cell_codings, code_matrix
from vinr_qual.cases.cases import find_case, set_attribute
from vinr_qual.cli import cli
from vinr_qual.codebook.operations import add_code, find_code
from vinr_qual.coding.codings import add_coding
from vinr_qual.errors import VinrQualError
from vinr_qual.export.tables import read_table
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project

ABY = """I: Hur ser resurserna ut?

IP: Vi har för lite tid. Pengarna räcker inte. Samverkan med polisen fungerar bra.

I: Finns det en samordnare?

IP: Nej, ingen samordnare. Det saknas pengar.
"""
BBY = """I: Vad fungerar bra?

IP: Samverkan med skolan är god. Vi har ont om tid.

I: Och resurserna, räcker de?

IP: Ja.
"""
CBY = """I: Berätta om samverkan.

IP: Samverkan med socialtjänsten fungerar men tiden räcker inte.

I: Något mer?

IP: Nej.
"""
KR, S = "Knappa resurser", "Samverkan"
COUNTED = (
    "Counted: accepted codings, each passage once (2 coders: Anna, Bo),"
    " interviewer speech left out: 9 passages from 13 codings;"
    " 1 in interviewer speech not counted"
)


def code(project: Project, document: str, passage: str, code_name: str, coder: str) -> int:
    document_id, text = project.db.execute(
        "SELECT id, text FROM documents WHERE name = ?", [document]
    ).fetchone()
    start = text.index(passage)
    return add_coding(
        project,
        document_id,
        start,
        start + len(passage),
        find_code(project, code_name),
        coder=coder,
    )


@pytest.fixture
def team(project: Project, tmp_path: Path) -> Project:
    import_sources(
        project,
        [
            ImportRequest(
                write_text(tmp_path / f"{case}.txt", text),
                SourceMetadata(case=case, interviewee_role=role),
            )
            for case, text, role in (
                ("Aby", ABY, "socialchef"),
                ("Bby", BBY, "kommundirektör"),
                ("Cby", CBY, "samordnare"),
            )
        ],
    )
    for case, population in (("Aby", "9000"), ("Bby", "60 000"), ("Cby", "8000")):
        set_attribute(project, case, "folkmängd", population)
    add_code(project, "Hinder", codable=False)
    add_code(project, KR, parent="Hinder")
    add_code(project, "Framgångsfaktorer", codable=False)
    add_code(project, S, parent="Framgångsfaktorer")
    code(project, "Aby.txt", "Vi har för lite tid.", KR, "Anna")
    code(project, "Aby.txt", "Vi har för lite tid.", KR, "Bo")
    code(project, "Aby.txt", "Pengarna räcker inte.", KR, "Anna")
    code(project, "Aby.txt", "Samverkan med polisen fungerar bra.", S, "Bo")
    code(project, "Aby.txt", "Samverkan med polisen", S, "Anna")
    code(project, "Aby.txt", "Finns det en samordnare?", KR, "Anna")
    code(project, "Aby.txt", "Det saknas pengar.", KR, "Anna")
    code(project, "Bby.txt", "Samverkan med skolan är god.", S, "Anna")
    code(project, "Bby.txt", "Vi har ont om tid.", KR, "Bo")
    code(project, "Bby.txt", "Och resurserna, räcker de?\n\nIP: Ja.", KR, "Bo")
    sentence = "Samverkan med socialtjänsten fungerar men tiden räcker inte."
    for coder in ("Anna", "Bo"):
        code(project, "Cby.txt", sentence, S, coder)
        code(project, "Cby.txt", "tiden räcker inte.", KR, coder)
    return project


def cells(matrix: Matrix) -> dict[tuple[str, str], float]:
    rows, columns = dict(matrix.rows), dict(matrix.columns)
    return {(rows[r], columns[c]): value for (r, c), value in matrix.values.items()}


def cells_of(line: str) -> list[str]:
    """A text table's line as its cells (they stand two spaces or more apart)."""
    return re.split(r"\s{2,}", line.strip())


def run(project: Project, *args: str) -> str:
    result = CliRunner().invoke(cli, ["-p", str(project.path), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_a_passage_two_coders_coded_counts_once(team: Project) -> None:
    matrix = code_matrix(team)
    # rows are the codes' names, not "Hinder > Knappa resurser"
    assert cells(matrix) == {
        (KR, "Aby"): 3,  # tid (Anna and Bo), pengarna, saknas pengar; not the question
        (KR, "Bby"): 2,  # ont om tid, and the question-and-answer passage
        (KR, "Cby"): 1,  # "tiden räcker inte." coded by both
        (S, "Aby"): 1,  # Bo's sentence and Anna's part of it overlap: one passage
        (S, "Bby"): 1,
        (S, "Cby"): 1,  # the same span by both
    }
    assert [label for _, label in matrix.rows] == [KR, S]
    assert matrix.paths[find_code(team, KR)] == ["Hinder", KR]
    assert sorted(matrix.column_totals.values()) == [2, 3, 4]
    assert matrix.row_totals == {find_code(team, KR): 6, find_code(team, S): 3}
    assert matrix.total == 9
    counted = matrix.counted
    assert counted is not None and counted.line() == COUNTED
    assert (counted.codings, counted.passages, counted.interviewer_codings) == (13, 9, 1)
    # one fact per passage, counted the same way
    facts = load_facts(team)
    assert len(facts) == 9
    assert code_matrix(team, facts=facts).values == matrix.values


def test_each_coder_on_their_own_and_some_coders_only(team: Project) -> None:
    assert cells(code_matrix(team, columns="coder")) == {
        (KR, "Anna"): 4,  # tid, pengarna, saknas (Aby), tiden (Cby)
        (KR, "Bo"): 4,  # tid (Aby), ont om tid and the question-and-answer (Bby), tiden
        (S, "Anna"): 3,
        (S, "Bo"): 2,
    }
    by_coder = code_matrix(team, by_coder=True)
    assert by_coder.total == 13  # each coder's passages: no passage merged across coders
    assert by_coder.counted is not None
    assert "each coder's passages on their own (2 coders: Anna, Bo)" in by_coder.counted.line()
    bo = code_matrix(team, coders=["Bo"])
    assert cells(bo) == {
        (KR, "Aby"): 1,
        (KR, "Bby"): 2,
        (KR, "Cby"): 1,
        (S, "Aby"): 1,
        (S, "Cby"): 1,
    }
    assert bo.counted is not None and bo.counted.line() == (
        "Counted: accepted codings, each passage once (chosen coder: Bo),"
        " interviewer speech left out: 6 passages from 6 codings"
    )
    assert code_matrix(team, coders=["Anna", "Bo"]).values == code_matrix(team).values
    with pytest.raises(VinrQualError, match="no coder named 'Cecilia'"):
        code_matrix(team, coders=["Cecilia"])


def test_the_interviewers_speech_is_left_out_unless_asked_for(team: Project) -> None:
    with_questions = code_matrix(team, include_interviewer=True)
    assert cells(with_questions)[(KR, "Aby")] == 4  # Anna's coding of the question
    assert with_questions.total == 10
    # by speaker role: the interviewer is no role; the passage begun in the question is
    # the kommundirektör's, who answers "Ja."
    roles = code_matrix(team, columns="role")
    assert [label for _, label in roles.columns] == ["kommundirektör", "samordnare", "socialchef"]
    assert cells(roles) == {
        (KR, "kommundirektör"): 2,
        (KR, "samordnare"): 1,
        (KR, "socialchef"): 3,
        (S, "kommundirektör"): 1,
        (S, "samordnare"): 1,
        (S, "socialchef"): 1,
    }
    asked = cells(code_matrix(team, columns="role", include_interviewer=True))
    assert asked[(KR, "intervjuare")] == 2  # Anna's question, Bo's question-and-answer
    assert asked[(KR, "kommundirektör")] == 1
    speakers = cells(code_matrix(team, measure="speakers"))
    assert speakers[(KR, "Bby")] == 1
    assert cells(code_matrix(team, measure="speakers", include_interviewer=True))[(KR, "Bby")] == 2


def test_every_measure_counts_text_coded_twice_once(team: Project) -> None:
    words = cells(code_matrix(team, measure="words"))
    # "Vi har för lite tid." 5 (coded twice, counted once) + "Pengarna räcker inte." 3
    # + "Det saknas pengar." 3
    assert words[(KR, "Aby")] == 11
    assert words[(S, "Aby")] == 5  # Anna's three words lie inside Bo's five
    aby = team.db.execute("SELECT length FROM documents WHERE name = 'Aby.txt'").fetchone()[0]
    share = cells(code_matrix(team, measure="share"))
    coded = len("Vi har för lite tid.") + len("Pengarna räcker inte.") + len("Det saknas pengar.")
    assert share[(KR, "Aby")] == pytest.approx(coded / aby)
    assert cells(code_matrix(team, measure="documents"))[(KR, "Aby")] == 1
    grouped = cells(code_matrix(team, columns="case+kind"))
    assert grouped[(KR, "Aby / interview")] == 3
    assert grouped[(S, "Cby / interview")] == 1
    assert cells(code_matrix(team, rows="family")) == {
        ("Hinder", "Aby"): 3,
        ("Hinder", "Bby"): 2,
        ("Hinder", "Cby"): 1,
        ("Framgångsfaktorer", "Aby"): 1,
        ("Framgångsfaktorer", "Bby"): 1,
        ("Framgångsfaktorer", "Cby"): 1,
    }


def test_presence_counts_the_municipalities_in_each_band(team: Project) -> None:
    presence = code_matrix(team, rows="family", columns="band:folkmängd", measure="presence")
    # Aby (9 000) and Cby (8 000) are under 10 000, Bby (60 000) in 50 000–199 999
    assert cells(presence) == {
        ("Hinder", "under 10 000"): 2,
        ("Hinder", "50 000–199 999"): 1,
        ("Framgångsfaktorer", "under 10 000"): 2,
        ("Framgångsfaktorer", "50 000–199 999"): 1,
    }
    assert set(presence.row_totals.values()) == {3}
    assert {dict(presence.columns)[k]: v for k, v in presence.column_totals.items()} == {
        "under 10 000": 2,
        "50 000–199 999": 1,
    }
    assert presence.total == 3  # distinct cases, not the sum of the cells
    passages = code_matrix(team, rows="family", columns="band:folkmängd")
    assert cells(passages)[("Hinder", "under 10 000")] == 4  # Aby 3 + Cby 1
    # presence by case: 1 where the code occurs in the case
    assert set(code_matrix(team, measure="presence").values.values()) == {1}


def test_the_drill_down_shows_each_passage_once(team: Project) -> None:
    def texts(ids: list[int]) -> list[str]:
        return [
            text[start:end]
            for coding_id in ids
            for text, start, end in team.db.execute(
                'SELECT d.text, g.start, g."end" FROM codings g'
                " JOIN documents d ON d.id = g.document_id WHERE g.id = ?",
                [coding_id],
            )
        ]

    kr, s, aby = find_code(team, KR), find_code(team, S), str(find_case(team, "Aby"))
    ids = cell_codings(team, rows="code", columns="case", row=kr, column=aby)
    assert texts(ids) == ["Vi har för lite tid.", "Pengarna räcker inte.", "Det saknas pengar."]
    # a passage is shown by its longest coding: Bo's sentence, not Anna's three words
    ids = cell_codings(team, rows="code", columns="case", row=s, column=aby)
    assert texts(ids) == ["Samverkan med polisen fungerar bra."]
    matrix = code_matrix(team, measure="documents")
    assert matrix.cells[(kr, aby)] == cell_codings(
        team, rows="code", columns="case", row=kr, column=aby
    )
    asked = cell_codings(
        team, rows="code", columns="case", row=kr, column=aby, include_interviewer=True
    )
    assert "Finns det en samordnare?" in texts(asked) and len(asked) == 4
    bo = cell_codings(team, rows="code", columns="case", row=kr, column=aby, coders=["Bo"])
    assert texts(bo) == ["Vi har för lite tid."]


def test_cooccurrence_pairs_passages_not_codings(team: Project) -> None:
    kr, s = find_code(team, KR), find_code(team, S)
    found = cooccurrence(team, mode="overlap")
    # in Cby, S on the sentence and KR on its end, both coded by both coders: one pair
    # of passages (counting codings would give 2 × 2 = 4)
    assert found.counts == {(kr, s): 1, (s, kr): 1}
    assert found.totals == {kr: 6, s: 3}
    assert found.coefficient(kr, s) == pytest.approx(1 / (6 + 3 - 1))
    assert found.counted is not None and found.counted.line() == COUNTED
    for coder, totals in (("Anna", {kr: 4, s: 3}), ("Bo", {kr: 4, s: 2})):
        own = cooccurrence(team, mode="overlap", coders=[coder])
        assert (own.counts[(kr, s)], own.totals) == (1, totals)
    # each coder's passages paired only with the same coder's: Anna's and Bo's once each
    assert cooccurrence(team, mode="overlap", by_coder=True).counts[(kr, s)] == 2
    assert cooccurrence(team, mode="sentence").counts == {(kr, s): 1, (s, kr): 1}
    assert cooccurrence(team, mode="overlap", include_interviewer=True).totals[kr] == 7


def test_agreement_over_the_units_someone_coded(team: Project) -> None:
    result = agreement(team, ["Anna", "Bo"], unit="sentence")
    assert result.documents == ["Aby.txt", "Bby.txt", "Cby.txt"]
    # the answers' sentences: Aby 5, Bby 3, Cby 2; the interviewer's 6 are left out
    assert result.left_out == 6
    # KR, Anna / Bo per sentence:
    #   Aby  tid 1/1, pengarna 1/0, polisen 0/0, nej 0/0, saknas 1/0
    #   Bby  skolan 0/0, ont om tid 0/1, "Ja." 0/1 (Bo's passage runs into the answer)
    #   Cby  the sentence 1/1, "Nej." 0/0
    # all 10: 6 agree -> 0.6; the 6 someone coded: 2 agree -> 1/3
    # kappa: p_o = 0.6, Anna 4/10 and Bo 4/10 coded: p_e = .4 × .4 + .6 × .6 = 0.52,
    # kappa = (0.6 − 0.52) / (1 − 0.52) = 1/6
    anna = [1, 1, 0, 0, 1, 0, 0, 0, 1, 0]
    bo = [1, 0, 0, 0, 0, 0, 1, 1, 1, 0]
    kr = result.per_code[KR]
    assert (kr.units, kr.percent, kr.coded_units) == (10, pytest.approx(0.6), 6)
    assert kr.coded_percent == pytest.approx(1 / 3)
    assert kr.kappa == pytest.approx(1 / 6) == cohen_kappa(anna, bo)
    assert kr.alpha is not None
    # S: only "Samverkan med skolan är god." differs (Anna). All 10: 9 agree -> 0.9;
    # the 3 someone coded: 2 agree -> 2/3; p_e = .3 × .2 + .7 × .8 = 0.62,
    # kappa = (0.9 − 0.62) / 0.38 = 14/19
    s = result.per_code[S]
    assert (s.units, s.percent, s.coded_units) == (10, pytest.approx(0.9), 3)
    assert (s.coded_percent, s.kappa) == (pytest.approx(2 / 3), pytest.approx(14 / 19))
    # pooled: 20 units, 15 agree -> 0.75; 9 coded, 4 agree -> 4/9;
    # p_e = .35 × .3 + .65 × .7 = 0.56, kappa = 0.19 / 0.44 = 19/44
    overall = result.overall
    assert (overall.units, overall.percent, overall.coded_units) == (20, 0.75, 9)
    assert (overall.coded_percent, overall.kappa) == (pytest.approx(4 / 9), pytest.approx(19 / 44))
    # with the questions, 6 sentences more: 4 agree on KR, Anna's question and Bo's
    # "Och resurserna, räcker de?" do not; 16 sentences in all, 8 someone coded
    asked = agreement(team, ["Anna", "Bo"], unit="sentence", include_interviewer=True)
    assert (asked.per_code[KR].units, asked.per_code[KR].percent) == (16, pytest.approx(10 / 16))
    assert asked.per_code[KR].coded_units == 8


def test_coders_who_never_agree_are_not_shown_agreeing(team: Project) -> None:
    add_code(team, "Samordning", parent="Hinder")
    code(team, "Aby.txt", "Nej, ingen samordnare.", "Samordning", "Anna")
    code(team, "Aby.txt", "Det saknas pengar.", "Samordning", "Bo")
    figures = agreement(team, ["Anna", "Bo"]).per_code["Samordning"]
    # 10 sentences, 8 that neither coded: "agreement" 0.8 over all of them, which is
    # agreement on nothing; over the 2 someone coded, 0. Kappa: p_o 0.8,
    # p_e = .1 × .1 + .9 × .9 = 0.82, (0.8 − 0.82) / 0.18 = −1/9
    assert (figures.units, figures.percent) == (10, pytest.approx(0.8))
    assert (figures.coded_units, figures.coded_percent) == (2, 0.0)
    assert figures.kappa == pytest.approx(-1 / 9)


def test_the_framework_counts_passages_once(team: Project) -> None:
    kr = find_code(team, KR)
    found = framework(team, [kr])
    aby, bby = find_case(team, "Aby"), find_case(team, "Bby")
    assert aby is not None and bby is not None
    assert (found.cells[(aby, kr)].passages, found.cells[(bby, kr)].passages) == (3, 2)
    assert found.counted is not None and found.counted.passages == 6
    assert framework(team, [kr], include_interviewer=True).cells[(aby, kr)].passages == 4


def test_the_same_passage_is_an_overlap_of_the_same_code(project: Project, tmp_path: Path) -> None:
    import_sources(
        project, [ImportRequest(write_text(tmp_path / "P.md", "# Plan\n\nEtt. Två. Tre.\n"))]
    )
    add_code(project, KR)
    add_code(project, S)
    code(project, "P.md", "Ett. ", KR, "Anna")
    code(project, "P.md", "Två.", KR, "Anna")  # starts where "Ett. " ends: two passages
    code(project, "P.md", "Ett. Två.", S, "Anna")  # another code: never merged
    code(project, "P.md", "Tre.", KR, "Anna")
    code(project, "P.md", "Två. Tre.", KR, "Bo")  # overlaps Anna's "Två." and "Tre."
    code(project, "P.md", "Tre.", KR, "Anna")  # Anna twice on one span: one passage
    assert code_matrix(project, rows="code", columns="kind").values == {
        (find_code(project, KR), "interview"): 2,  # "Ett. ", and "Två. Tre." with all on it
        (find_code(project, S), "interview"): 1,
    }
    by_coder = cells(code_matrix(project, columns="coder"))
    assert (by_coder[(KR, "Anna")], by_coder[(KR, "Bo")]) == (3, 1)


def test_the_command_line_says_what_it_counted(team: Project, tmp_path: Path) -> None:
    assert run(team, "analyse", "matrix").splitlines() == [
        "code             Aby  Bby  Cby  total  share of cases",
        "Knappa resurser  3    2    1    6      100%",
        "Samverkan        1    1    1    3      100%",
        "total            4    3    2    9",
        COUNTED,
    ]
    lines = run(team, "analyse", "matrix", "--by-coder", "--coder", "Bo").splitlines()
    assert lines[0] == "Coder: Bo" and cells_of(lines[2]) == [KR, "1", "2", "1", "4", "100%"]
    lines = run(team, "analyse", "matrix", "--by-coder").splitlines()
    assert [line for line in lines if line.startswith("Coder:")] == ["Coder: Anna", "Coder: Bo"]
    assert cells_of(lines[2]) == [KR, "3", "0", "1", "4", "67%"]  # Anna's own
    out = run(team, "analyse", "matrix", "--include-interviewer")
    assert cells_of(out.splitlines()[1]) == [KR, "4", "2", "1", "7", "100%"]
    assert out.splitlines()[-1].endswith("interviewer speech included: 10 passages from 14 codings")
    presence = run(
        team, "analyse", "matrix", "--rows", "family", "--columns", "band:folkmängd",
        "--measure", "presence",
    ).splitlines()  # fmt: skip
    # municipalities: 2 under 10 000, 1 in 50 000–199 999, 3 in all
    assert [cells_of(line) for line in presence[1:4]] == [
        ["Hinder", "2", "1", "3", "100%"],
        ["Framgångsfaktorer", "2", "1", "3", "100%"],
        ["total", "2", "1", "3"],
    ]
    data = json.loads(run(team, "analyse", "matrix", "--json"))
    assert data["counted"]["line"] == COUNTED
    assert data["counted"]["coders"] == ["Anna", "Bo"]
    assert data["total"] == 9
    assert data["paths"][find_code(team, KR)] == ["Hinder", KR]
    for name in ("m.csv", "m.xlsx"):
        run(team, "analyse", "matrix", "--out", str(tmp_path / name))
        header, *rows = read_table(tmp_path / name)
        assert header == ["code", "path1", "path2", "Aby", "Bby", "Cby", "total", "share of cases"]
        assert [str(cell) for cell in rows[0][:6]] == [KR, "Hinder", KR, "3", "2", "1"]
    run(team, "analyse", "matrix", "--by-coder", "--out", str(tmp_path / "c.csv"))
    header, *rows = read_table(tmp_path / "c.csv")
    assert header[:4] == ["coder", "code", "path1", "path2"]
    assert [row[:5] for row in rows if row[1] == KR] == [
        ["Anna", KR, "Hinder", KR, "3"],
        ["Bo", KR, "Hinder", KR, "1"],
    ]


def test_cooccurrence_and_agreement_on_the_command_line(team: Project, tmp_path: Path) -> None:
    assert run(team, "analyse", "cooccurrence").splitlines() == [
        "code             n  Knappa resurser  Samverkan",
        "Knappa resurser  6                   1",
        "Samverkan        3  1",
        COUNTED,
    ]
    lines = run(team, "analyse", "cooccurrence", "--by-coder").splitlines()
    assert lines[0] == "Coder: Anna" and cells_of(lines[2]) == [KR, "4", "1"]
    assert lines[6] == "Coder: Bo" and cells_of(lines[8]) == [KR, "4", "1"]
    data = json.loads(run(team, "analyse", "cooccurrence", "--json", "--coder", "Anna"))
    assert data["counted"]["coders"] == ["Anna"] and data["pairs"][0]["count"] == 1
    lines = run(team, "analyse", "agreement", "--coder", "Anna", "--coder", "Bo").splitlines()
    assert lines[0].split() == [
        "code", "coded", "units", "agreement", "(coded)", "all", "units", "agreement",
        "(all)", "kappa", "alpha",
    ]  # fmt: skip
    assert cells_of(lines[1])[:6] == [KR, "6", "0.333", "10", "0.600", "0.167"]
    assert cells_of(lines[3])[:6] == ["overall", "9", "0.444", "20", "0.750", "0.432"]
    assert lines[4] == (
        "Compared: accepted codings of Anna, Bo on 3 documents they all coded, by sentence;"
        " interviewer speech left out (6 sentences)"
    )
    data = json.loads(
        run(team, "analyse", "agreement", "--coder", "Anna", "--coder", "Bo", "--json")
    )
    assert data["overall"]["coded_units"] == 9 and data["left_out"] == 6


def test_the_report_says_what_it_counted(team: Project, tmp_path: Path) -> None:
    run(team, "report", str(tmp_path / "r.md"))
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert (
        "Räknat: godkända kodningar, varje passage en gång (2 kodare: Anna, Bo),"
        " intervjuarens tal utelämnat: 9 passager av 13 kodningar;"
        " 1 i intervjuarens tal inte räknade"
    ) in text
    assert "| kodade passager (varje en gång) | 9 |" in text
    assert "| kodningar bakom dem | 13 |" in text
    assert "| Knappa resurser | 3 | 2 | 1 | 6 |" in text
    assert "| totalt | 9 | 0.44 | 20 | 0.75 | 0.43 |" in text
    run(team, "report", str(tmp_path / "k.md"), "--by-coder")
    text = (tmp_path / "k.md").read_text(encoding="utf-8")
    assert "## Koder × fall (antal passager) – Anna" in text
    assert "## Koder × fall (antal passager) – Bo" in text
    assert "| Knappa resurser | 1 | 2 | 1 | 4 |" in text  # Bo's own
    run(team, "report", str(tmp_path / "b.md"), "--coder", "Bo", "--include-interviewer")
    text = (tmp_path / "b.md").read_text(encoding="utf-8")
    assert "(vald kodare: Bo), intervjuarens tal medräknat: 6 passager av 6 kodningar" in text
