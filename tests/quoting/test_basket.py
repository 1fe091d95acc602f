"""The quote basket: add, order, group, trim with "[…]", note, check against the source,
and attribution lines from templates and case aliases."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import write_text
from vinr_qual.cases.cases import set_attribute
from vinr_qual.cli.quotes import quotes
from vinr_qual.codebook.operations import add_code
from vinr_qual.coding.codings import add_coding
from vinr_qual.errors import VinrQualError
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.quoting import attribution, basket

INTERVIEW = """I: Hur fick samordnaren sin tjänst?

IP: Alltså, när handlingsplanen antogs så stod det att det skulle finnas en samordnande
funktion. Och det kom inga nya pengar med den, så det blev tjugo procent av en tjänst.

I: Och uppföljningen?

IP: Den har ingen hunnit börja på.
"""

CORRECTED = INTERVIEW.replace("I: Hur fick", "I: [00:01] Hur fick")


@pytest.fixture
def studied(tmp_path: Path) -> Path:
    path = tmp_path / "projekt.sqlite"
    with Project.open(path, create=True) as project:
        import_sources(
            project,
            [
                ImportRequest(
                    write_text(tmp_path / "Brovalla-01.txt", INTERVIEW),
                    SourceMetadata(case="Brovalla", interviewee_role="socialchef"),
                ),
                ImportRequest(
                    write_text(tmp_path / "Älvhamn-01.txt", INTERVIEW.replace("tjugo", "tio")),
                    SourceMetadata(case="Älvhamn", interviewee_role="samordnare"),
                ),
            ],
        )
        code = add_code(project, "Resurser").code_id
        text = project.db.execute("SELECT text FROM documents WHERE id = 1").fetchone()[0]
        start = text.index("Alltså")
        end = text.index("tjänst.") + len("tjänst.")
        add_coding(project, 1, start, end, code, coder="Anna")
        set_attribute(project, "Brovalla", "kommungrupp", "C8")
    return path


def first_coding(project: Project) -> int:
    return int(project.db.execute("SELECT min(id) FROM codings").fetchone()[0])


def test_a_coding_goes_in_under_its_code_once(studied: Path) -> None:
    with Project.open(studied) as project:
        [quote] = basket.add_codings(project, [first_coding(project)])
        again = basket.add_codings(project, [first_coding(project)])
        assert [q.guid for q in again] == [quote.guid]
        assert quote.code == "Resurser" and quote.label == f"Q-{quote.guid[:8]}"
        # line breaks of the .txt transcript are folded in what a report prints
        assert quote.shown.startswith("Alltså, när handlingsplanen antogs så stod det att det")
        assert "\n" not in quote.shown
        assert basket.find_quote(project, "1").guid == quote.guid
        assert basket.find_quote(project, quote.label).guid == quote.guid


def test_a_trim_leaves_the_stored_passage_whole(studied: Path) -> None:
    with Project.open(studied) as project:
        [quote] = basket.add_codings(project, [first_coding(project)])
        trimmed = basket.trim(project, quote, ["när handlingsplanen antogs", "tjugo procent"])
        assert trimmed.shown == "[…] när handlingsplanen antogs […] tjugo procent […]"
        assert trimmed.passage == quote.passage
        assert basket.trim(project, trimmed, []).shown == quote.shown
        with pytest.raises(VinrQualError, match="'femtio procent' is not in the quote"):
            basket.trim(project, quote, ["femtio procent"])
        with pytest.raises(VinrQualError, match="after the piece before it"):
            basket.trim(project, quote, ["tjugo procent", "handlingsplanen"])


def test_order_theme_and_note(studied: Path) -> None:
    with Project.open(studied) as project:
        text = project.db.execute("SELECT text FROM documents WHERE id = 2").fetchone()[0]
        start = text.index("Den har ingen")
        first = basket.add_codings(project, [first_coding(project)])[0]
        second = basket.add_quote(project, 2, start, start + 31, theme="Uppföljning")
        basket.move(project, second, 1)
        assert [q.guid for q in basket.list_quotes(project)] == [second.guid, first.guid]
        noted = basket.set_note(project, first, "Jämför med planens mål 3.")
        assert noted.note == "Jämför med planens mål 3."
        assert basket.set_theme(project, noted, "Resurser i praktiken").theme
        with pytest.raises(VinrQualError, match="outside the basket"):
            basket.move(project, first, 5)


def test_a_corrected_transcript_is_noticed_and_followed(studied: Path, tmp_path: Path) -> None:
    with Project.open(studied) as project:
        [quote] = basket.add_codings(project, [first_coding(project)])
        assert basket.check(project, quote).state == "ok"
        import_sources(
            project,
            [ImportRequest(write_text(tmp_path / "Brovalla-01.txt", CORRECTED))],
            replace=True,
        )
        checked = basket.check(project, quote)
        assert checked.state == "moved", checked.message
        followed = basket.follow(project, checked)
        assert basket.check(project, followed).state == "ok"
        assert followed.passage == quote.passage and followed.start == quote.start + len("[00:01] ")


def test_attribution_from_templates_and_aliases(studied: Path) -> None:
    with Project.open(studied) as project:
        assert attribution.aliases(project) == {"Brovalla": "Kommun A", "Älvhamn": "Kommun B"}
        by = attribution.Attributor(project)
        text = project.db.execute("SELECT text FROM documents WHERE id = 1").fetchone()[0]
        start = text.index("Alltså")
        assert by.of(1, start, start + 10) == "Kommun A, socialchef"
        attribution.reorder(project, ["Älvhamn"])
        attribution.set_template(project, "interview", "Intervju {number}, {role}, {kommungrupp}")
        by = attribution.Attributor(project)
        assert by.of(1, start, start + 10) == "Intervju 2, socialchef, C8"
        # Älvhamn has no kommungrupp: said, not left blank
        with pytest.raises(VinrQualError, match=r"names \{kommungrupp\}, which case Älvhamn lacks"):
            by.of(2, start, start + 10)
        with pytest.raises(VinrQualError, match=r"\{färg\}, which is neither a field"):
            attribution.set_template(project, "interview", "{alias}, {färg}")
        with pytest.raises(VinrQualError, match="real name of a case"):
            attribution.set_alias(project, "Brovalla", "Älvhamn")


def test_the_command_line_lists_trims_and_checks(studied: Path) -> None:
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(quotes, [*args, "-p", str(studied)])
        assert result.exit_code == 0, result.output
        return result.stdout

    assert "1 in, the basket holds 1" in run("add", "1")
    run("trim", "1", "--keep", "tjugo procent av en tjänst")
    listed = run("list")
    assert "Resurser" in listed
    assert "“[…] tjugo procent av en tjänst”" in listed
    assert "(Kommun A, socialchef)" in listed
    assert "matches its source" in run("check")
