"""Pseudonyms: the table (each bad input a clear line), candidates from the texts, the
replacements in every form a name takes, leaks of real names and close variants, the
override log, and the command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import docx
import pytest
from click.testing import CliRunner

from tests.conftest import write_text
from vinr_qual.cli import VinrQualGroup
from vinr_qual.cli.pseudonyms import pseudonyms
from vinr_qual.errors import VinrQualError
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.quoting.pseudonyms import (
    FUZZY_THRESHOLD,
    Leak,
    Pseudonym,
    Table,
    add_pseudonym,
    apply,
    change_pseudonym,
    check_file,
    leaks,
    list_pseudonyms,
    load_table,
    record_override,
    remove_pseudonym,
    suggest,
)

BROVALLA = """Intervjuare: Vem håller i samordningen hos er?

Karin Olsson: Det är socialsekreteraren Lena, Lena Holm. Lenas chef är kommunchef Per Olof Håkansson, och Per är bra. Vi träffas varje vecka.

Intervjuare: Hur ser samverkan ut?

Karin Olsson: Vi träffas i Brovalla kommun varje månad. Brovallas plan är ny. Samordnaren Anna ringer från Motala ibland. Lenna Holm skrev protokollet.

Intervjuare: Och framåt?

Karin Olsson: Men i april blir det ändringar. Det vet alla här. Och det är bra.
"""

ALVHAMN = """I: Berätta om ert arbete.

IP: Jag jobbar med Älvhamnshem sedan mars. Det är bra. Karin Olsson och jag träffades en gång. Lena Holm var med också, och Polisen kom sent.
"""

TABLE = [
    Pseudonym("Lena Holm", "Eva Lind", "person", "kvinna"),
    Pseudonym("Lena", "Eva", "person", "kvinna"),
    Pseudonym("Per Olof Håkansson", "Nils Ek", "person", "man"),
    Pseudonym("Per", "Nils", "person", "man"),
    Pseudonym("Brovalla", "Storby", "municipality"),
    Pseudonym("Älvhamn", "Kommun B", "municipality"),
]


@pytest.fixture
def studied(tmp_path: Path) -> Path:
    path = tmp_path / "projekt.sqlite"
    with Project.open(path, create=True) as project:
        outcomes = import_sources(
            project,
            [
                ImportRequest(
                    write_text(tmp_path / "Brovalla-01.txt", BROVALLA),
                    SourceMetadata(case="Brovalla"),
                ),
                ImportRequest(
                    write_text(tmp_path / "Älvhamn-01.txt", ALVHAMN),
                    SourceMetadata(case="Älvhamn"),
                ),
            ],
        )
        assert [o.status for o in outcomes] == ["imported", "imported"]
    return path


def root() -> click.Group:
    """The command line as `vinr-qual` runs it: errors as one line, exit code 1."""

    @click.group(cls=VinrQualGroup)
    def cli() -> None:
        pass

    cli.add_command(pseudonyms)
    return cli


def run(path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(root(), ["pseudonyms", *args, "-p", str(path)])
    return result.exit_code, result.stdout, result.stderr


# -- apply -----------------------------------------------------------------------------


def test_apply_replaces_every_form_longest_names_first() -> None:
    table = Table(TABLE)
    text = (
        "Det är socialsekreteraren Lena, Lena Holm. Lenas chef är kommunchef"
        " Per Olof Håkansson, och Per är bra."
    )
    assert apply(table, text) == (
        "Det är socialsekreteraren Eva, Eva Lind. Evas chef är kommunchef Nils Ek, och Nils är bra."
    )


def test_apply_inflects_place_names() -> None:
    table = Table(TABLE)
    text = (
        "Vi träffas i Brovalla kommun. Brovallas plan, Brovallaskolan och Brovallas"
        " kommun. Älvhamnshem, i Älvhamns stad, Älvhamns plan."
    )
    assert apply(table, text) == (
        "Vi träffas i Storby kommun. Storbys plan, Storbyskolan och Storbys"
        " kommun. Kommun B-hem, i Kommun B, Kommun B:s plan."
    )


def test_apply_matches_whole_words_in_any_case_and_spelling() -> None:
    table = Table(TABLE)
    assert apply(table, "LENA HOLM, lena, Per-Olof Håkansson, Lenna Holm, Helena, Perssons") == (
        "EVA LIND, Eva, Nils Ek, Eva Lind, Helena, Perssons"
    )
    assert apply(table, "Lenna Holm") == "Eva Lind"
    # without close variants only the surname, a part of the name, is known
    assert table.apply("Lenna Holm", fuzzy=False) == "Lenna Lind"


def test_apply_keeps_the_genitive_of_names_in_s() -> None:
    table = Table([Pseudonym("Jonas", "Tomas"), Pseudonym("Sanna", "Agnes")])
    assert table.apply("Jonas' bok, Sannas bok, Jonas bok") == "Tomas' bok, Agnes bok, Tomas bok"


def test_apply_never_changes_the_stored_text(studied: Path) -> None:
    with Project.open(studied) as project:
        before = [r[0] for r in project.db.execute("SELECT text FROM documents ORDER BY id")]
        for entry in TABLE:
            add_pseudonym(project, entry.real, entry.alias, kind=entry.kind, gender=entry.gender)
        shown = apply(project, before[0])
        after = [r[0] for r in project.db.execute("SELECT text FROM documents ORDER BY id")]
    assert after == before
    assert "Eva Lind" in shown and "Lena" not in shown and "Brovalla" not in shown


def test_parts_of_a_persons_name_stand_for_it() -> None:
    table = Table([Pseudonym("Lena Holm", "Eva Lind"), Pseudonym("Per Olof Håkansson", "Chefen")])
    assert table.apply("Lena sa det. Holms plan. Per Olof kom, och Per. Berg och holm.") == (
        "Eva sa det. Linds plan. Chefen kom, och Chefen. Berg och holm."
    )


def test_a_part_of_two_names_is_left_for_the_author_and_still_found() -> None:
    table = Table([Pseudonym("Lena Holm", "Eva Lind"), Pseudonym("Lena Berg", "Ida Ek")])
    text = "Lena Holm och Lena Berg, sen kom Lena."
    assert table.apply(text) == "Eva Lind och Ida Ek, sen kom Lena."
    [leak] = table.leaks(table.apply(text))
    assert (leak.word, leak.how, leak.name, leak.also) == (
        "Lena",
        "ambiguous",
        "Lena Berg",
        ("Lena Holm",),
    )
    # a name of its own in the table settles it
    settled = table.with_name("Lena", "Eva")
    assert settled.apply(text) == "Eva Lind och Ida Ek, sen kom Eva."


# -- leaks -----------------------------------------------------------------------------


def test_leaks_finds_names_genitives_and_close_variants() -> None:
    table = Table(TABLE)
    text = "Lenas chef. Lenna Holm skrev. Brovallas plan. Per Olof Håkanson kom."
    found = [
        (leak.word, leak.name, leak.how, text[leak.start : leak.end]) for leak in leaks(table, text)
    ]
    assert found == [
        ("Lenas", "Lena", "genitive", "Lenas"),
        ("Lenna Holm", "Lena Holm", "variant", "Lenna Holm"),
        ("Brovallas", "Brovalla", "genitive", "Brovallas"),
        ("Per Olof Håkanson", "Per Olof Håkansson", "variant", "Per Olof Håkanson"),
    ]
    [variant] = [leak for leak in table.leaks("Lennas bok") if leak.how == "variant"]
    assert variant.name == "Lena" and variant.score >= FUZZY_THRESHOLD


def test_no_leaks_in_clean_text() -> None:
    table = Table(TABLE)
    clean = (
        "Det är samordnaren som håller i arbetet. Helena och Lina kom, Pär också."
        " Holmen ligger nära. Perspektivet är nytt, lenanden saknas."
    )
    assert leaks(table, clean) == []
    for entry in TABLE:
        assert leaks(table, table.apply(f"{entry.real}, {entry.real}s")) == []


def test_loose_matching_takes_a_letter_more_or_less_not_a_letter_changed() -> None:
    table = Table([Pseudonym("Bo", "Ola"), Pseudonym("Karin", "Maria")])
    # words under four letters only as they are; Karen (a letter changed: ratio 80) and
    # Marin (another first letter) are other words, Katrin (a letter more: 91) is close
    found = table.leaks("By, Bos, Karen, Marin, Katrin, karinn")
    assert [(leak.word, leak.how, round(leak.score)) for leak in found] == [
        ("Bos", "genitive", 100),
        ("Katrin", "variant", 91),
    ]
    assert found[0] == Leak("Bos", 4, 7, "Bo", "Ola", "person", "genitive", 100.0)


# -- the table -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([Pseudonym(" ", "Eva")], "a pseudonym needs a real name; it is empty"),
        ([Pseudonym("Lena", "")], "the alias of 'Lena' is empty"),
        ([Pseudonym("Lena", "Eva", "djur")], "kind 'djur' of 'Lena': use one of person, "),
        ([Pseudonym("Lena", "lena")], "'Lena' would stand for itself"),
        (
            [Pseudonym("Lena", "Eva"), Pseudonym("LENA", "Ida")],
            "'LENA' is in the table already (as 'Eva')",
        ),
        (
            [Pseudonym("Lena", "Eva"), Pseudonym("Karin", "eva")],
            "alias 'eva' stands for 'Lena' already; two real names ('Lena', 'Karin') cannot"
            " share one alias",
        ),
        (
            [Pseudonym("Lena", "Eva"), Pseudonym("Karin", "Lena")],
            "alias 'Lena' of 'Karin' is itself a real name in the table (of 'Lena' → 'Eva')",
        ),
        (
            [Pseudonym("Lena", "Eva"), Pseudonym("Eva", "Ida")],
            "'Eva' is the alias of 'Lena' in the table; a real name cannot also be an alias",
        ),
        (
            [Pseudonym("Lena", "Eva"), Pseudonym("Karin", "Lena Berg")],
            "alias 'Lena Berg' of 'Karin' would show the real name 'Lena' ('Lena', the name"
            " itself)",
        ),
        (
            [Pseudonym("Lena", "Eva"), Pseudonym("Karin", "Lenna")],
            "alias 'Lenna' of 'Karin' would show the real name 'Lena' ('Lenna', a close variant,"
            " ratio 89)",
        ),
        (
            [Pseudonym("Lena", "Eva Berg"), Pseudonym("Berg", "Ek")],
            "the real name 'Berg' stands in the alias 'Eva Berg' of 'Lena'",
        ),
        (
            [Pseudonym("Lena Holm", "Eva Holm")],
            "alias 'Eva Holm' of 'Lena Holm' would show the real name 'Lena Holm' ('Holm',"
            " part of the name)",
        ),
    ],
)
def test_a_table_that_would_leak_or_confuse_is_refused(
    entries: list[Pseudonym], message: str
) -> None:
    with pytest.raises(VinrQualError) as refused:
        Table(entries)
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


def test_add_change_remove_and_every_write_is_logged(project: Project) -> None:
    add_pseudonym(project, " Lena  Holm ", "Eva Lind", gender="kvinna")
    add_pseudonym(project, "Brovalla kommun", "Storby", kind="municipality")
    assert [(p.real, p.alias, p.kind, p.gender) for p in list_pseudonyms(project)] == [
        ("Brovalla kommun", "Storby", "municipality", None),
        ("Lena Holm", "Eva Lind", "person", "kvinna"),
    ]
    # a municipality given with "kommun" is matched by its name in every form
    assert load_table(project).apply("Brovallas plan, i Brovalla kommun") == (
        "Storbys plan, i Storby kommun"
    )
    with pytest.raises(VinrQualError, match="two real names"):
        add_pseudonym(project, "Karin Olsson", "eva lind")
    with pytest.raises(VinrQualError, match="is in the table already"):
        add_pseudonym(project, "lena holm", "Ida Ek")
    changed = change_pseudonym(project, "lena holm", alias="Ida Ek", gender="")
    assert (changed.alias, changed.gender) == ("Ida Ek", None)
    with pytest.raises(VinrQualError, match="itself a real name"):
        change_pseudonym(project, "Lena Holm", alias="Brovalla kommun")
    removed = remove_pseudonym(project, "LENA HOLM")
    assert removed.alias == "Ida Ek"
    with pytest.raises(VinrQualError, match="no pseudonym for 'Lena Holm'"):
        remove_pseudonym(project, "Lena Holm")
    logged = project.db.execute(
        "SELECT action, actor, before, after FROM changes WHERE entity = 'pseudonym' ORDER BY id"
    ).fetchall()
    assert [(action, actor) for action, actor, _, _ in logged] == [
        ("add", "testkodare"),
        ("add", "testkodare"),
        ("change", "testkodare"),
        ("remove", "testkodare"),
    ]
    assert json.loads(logged[2][2])["alias"] == "Eva Lind"
    assert json.loads(logged[2][3])["alias"] == "Ida Ek"


def test_an_override_is_logged_with_who_and_why(project: Project) -> None:
    row = record_override(project, "Q-3f2a9c1b", "Holm", "the place Holm, not the person")
    actor, entity_id, after = project.db.execute(
        "SELECT actor, entity_id, after FROM changes WHERE id = ?", [row]
    ).fetchone()
    assert (actor, entity_id) == ("testkodare", "Q-3f2a9c1b")
    assert json.loads(after) == {
        "coder": "testkodare",
        "reason": "the place Holm, not the person",
        "word": "Holm",
    }
    with pytest.raises(VinrQualError, match="say why 'Holm' may go out"):
        record_override(project, "rapport.docx", "Holm", "  ")


def test_with_name_adds_a_case_and_keeps_the_projects_own() -> None:
    table = Table(TABLE)
    assert table.with_name("brovalla", "Kommun A", kind="municipality") is table
    wider = table.with_name("Sjöberga", "Kommun C", kind="municipality")
    assert wider.apply("Sjöbergas plan") == "Kommun C:s plan"
    with pytest.raises(VinrQualError, match="two real names"):
        table.with_name("Havsö", "Storby", kind="municipality")


# -- suggest ---------------------------------------------------------------------------


def test_suggest_finds_names_of_every_shape(studied: Path) -> None:
    with Project.open(studied) as project:
        found = {candidate.text: candidate for candidate in suggest(project)}
    for name in ("Lena Holm", "Lena", "Per Olof Håkansson", "Per", "Anna", "Karin Olsson"):
        assert found[name].kind == "person", name
    assert "speaker" in found["Karin Olsson"].sources
    assert "title" in found["Anna"].sources
    assert "title" in found["Lena"].sources
    assert found["Lena"].variants == ["Lenas"]
    # a misspelling beside the name in the same document is a form of it
    assert "Lenna Holm" in found["Lena Holm"].variants
    assert "Lenna Holm" not in found
    assert found["Lena Holm"].count == 3
    for municipality in ("Brovalla", "Älvhamn", "Motala"):
        assert found[municipality].kind == "municipality", municipality
    assert "Brovallas" in found["Brovalla"].variants
    assert found["Älvhamnshem"].kind == "organisation"
    example = found["Per Olof Håkansson"].example
    assert example is not None and example.document == "Brovalla-01.txt"
    assert example.context.count("Per Olof Håkansson") == 1
    # sentence-initial ordinary words, speaker labels, months, authorities
    for word in ("Det", "Vi", "Men", "Och", "Samordnaren", "Intervjuare", "IP", "I", "April",
                 "Polisen", "Jag", "Vem", "Hur", "Berätta"):  # fmt: skip
        assert word not in found, word
    assert not any(candidate.in_table for candidate in found.values())


def test_suggest_says_what_the_table_covers(studied: Path) -> None:
    with Project.open(studied) as project:
        add_pseudonym(project, "Lena", "Eva")
        add_pseudonym(project, "Brovalla", "Storby", kind="municipality")
        found = {candidate.text: candidate for candidate in suggest(project, min_count=2)}
    assert (found["Lena"].in_table, found["Lena"].pseudonym) == (True, "Lena")
    assert (found["Brovalla"].in_table, found["Brovalla"].pseudonym) == (True, "Brovalla")
    assert found["Lena Holm"].in_table is False  # "Holm" would still show
    assert "Motala" not in found  # once only


# -- files -----------------------------------------------------------------------------


def test_check_reads_every_part_of_a_docx(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Hon sa att ")
    paragraph.add_run("Le")
    paragraph.add_run("nnas").bold = True  # a name split over two runs
    paragraph.add_run(" plan var bra.")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "Kommun: Brovalla"
    document.sections[0].header.paragraphs[0].text = "Rapport om Storby"
    document.sections[0].footer.paragraphs[0].text = "Per Olof Håkansson, 2026"
    document.core_properties.author = "Lena Holm"
    document.add_comment(paragraph.runs[0], text="Kolla med Per", author="Karin", initials="K")
    path = tmp_path / "Älvhamn-rapport.docx"
    document.save(str(path))
    found = {(item.part, item.leak.word) for item in check_file(path, Table(TABLE))}
    assert found == {
        ("the file name", "Älvhamn"),
        ("word/document.xml", "Lennas"),
        ("word/document.xml", "Brovalla"),
        ("word/footer1.xml", "Per Olof Håkansson"),
        ("docProps/core.xml", "Lena Holm"),
        ("word/comments.xml", "Per"),
    }


def test_check_reads_text_markdown_and_csv(tmp_path: Path) -> None:
    table = Table(TABLE)
    markdown = write_text(
        tmp_path / "rapport.md", "# Rapport\n\nCitat: *Eva Lind* och Lenas chef.\n"
    )
    [item] = check_file(markdown, table)
    assert (item.part, item.line, item.column, item.leak.word) == ("text", 3, 23, "Lenas")
    table_file = write_text(tmp_path / "citat.csv", 'citat;källa\n"Eva sa det";Storby\n')
    assert check_file(table_file, table) == []


# -- the command line ------------------------------------------------------------------


def test_cli_add_list_change_remove(studied: Path) -> None:
    assert run(studied, "add", "Lena Holm", "Eva Lind", "--gender", "kvinna") == (
        0,
        "+ Lena Holm → Eva Lind (person, kvinna)\n",
        "",
    )
    code, out, _ = run(studied, "add", "Brovalla", "Storby", "--kind", "municipality")
    assert (code, out) == (0, "+ Brovalla → Storby (municipality)\n")
    code, out, _ = run(studied, "list")
    assert out.splitlines() == [
        "real       alias     kind          gender",
        "Brovalla   Storby    municipality",
        "Lena Holm  Eva Lind  person        kvinna",
    ]
    code, out, _ = run(studied, "list", "--json")
    assert [row["alias"] for row in json.loads(out)] == ["Storby", "Eva Lind"]
    code, out, err = run(studied, "add", "Karin Olsson", "Eva Lind")
    assert code == 1 and out == ""
    assert err == (
        "vinr-qual: error: alias 'Eva Lind' stands for 'Lena Holm' already; two real names"
        " ('Lena Holm', 'Karin Olsson') cannot share one alias\n"
    )
    code, out, err = run(studied, "add", "Karin Olsson", "Brovalla")
    assert code == 1 and "is itself a real name in the table" in err
    assert run(studied, "change", "Lena Holm", "--alias", "Ida Ek")[:2] == (
        0,
        "~ Lena Holm → Ida Ek (person, kvinna)\n",
    )
    assert run(studied, "remove", "lena holm")[:2] == (0, "- Lena Holm (was Ida Ek)\n")
    code, _, err = run(studied, "remove", "Lena Holm")
    assert (code, err) == (
        1,
        "vinr-qual: error: no pseudonym for 'Lena Holm'; see `vinr-qual pseudonyms list`\n",
    )


def test_cli_suggest(studied: Path) -> None:
    run(studied, "add", "Lena", "Eva")
    code, out, _ = run(studied, "suggest", "--min-count", "2")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["count", "name", "kind", "in", "table", "as", "first", "at",
                                "other", "forms"]  # fmt: skip
    rows = [re.split(r"\s{2,}", line) for line in lines[1:]]
    assert [row[:2] for row in rows] == [
        ["4", "Karin Olsson"],
        ["4", "Lena"],
        ["3", "Lena Holm"],
        ["2", "Brovalla"],
        ["2", "Per"],
    ]
    assert rows[1] == ["4", "Lena", "person", "Lena", "Brovalla-01.txt:88", "Lenas"]
    assert rows[2][-1] == "Lenna Holm"
    code, out, _ = run(studied, "suggest", "--new", "--json", "--kind", "municipality")
    rows = json.loads(out)
    assert {row["text"] for row in rows} == {"Brovalla", "Älvhamn", "Motala"}
    assert all(row["in_table"] is False and row["example"]["document"] for row in rows)


def test_cli_check(studied: Path, tmp_path: Path) -> None:
    run(studied, "add", "Lena Holm", "Eva Lind")
    report = write_text(
        tmp_path / "utkast.md",
        "Citat från Eva Lind.\nLenna Holms arbete i Brovalla.\nHolm sa nej.\n",
    )
    code, out, _ = run(studied, "check", str(report))
    assert code == 1
    assert out.splitlines() == [
        f"{report}: text:2:1: 'Lenna Holms' — a close variant (ratio 95) of the real name"
        " 'Lena Holm'",
        f"{report}: text:2:22: 'Brovalla' — the real name 'Brovalla'",
        f"{report}: text:3:1: 'Holm' — part of the real name 'Lena Holm'",
        f"3 real names or variants found in {report}",
    ]
    code, out, _ = run(studied, "check", str(report), "--no-cases", "--json")
    assert code == 1
    rows = json.loads(out)
    assert [(row["word"], row["how"], row["alias"], row["line"]) for row in rows] == [
        ("Lenna Holms", "variant", "Eva Lind", 2),
        ("Holm", "part", "Lind", 3),
    ]
    clean = write_text(tmp_path / "klart.md", "Citat från Eva Lind i Storby.\n")
    assert run(studied, "check", str(clean)) == (
        0,
        f"{clean}: no real name found (3 names looked for)\n",
        "",
    )
