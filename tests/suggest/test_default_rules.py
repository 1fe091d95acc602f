"""The default codebook's rules on the problems the issue names, and the held-out set they
are measured on (tests/suggest/heldout/, see bench/rule_quality.py)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.rule_quality import HELDOUT, build_heldout, load_codebook
from tests.conftest import REPO, write_text
from vinr_qual.codebook.project_codes import read_codebook
from vinr_qual.coding.codings import list_codings
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.suggest.rules import autocode

JUDGEMENTS = (
    "Projektfinansiering",
    "Gängkriminalitet tränger undan VINR",
    "Knappa resurser",
    "Stöd från nationella och regionala aktörer",
    "Tillräckliga resurser",
)

TALK = """Projekt: Kommunstudien VINR–BF, projekt och SSPF
Kommun: Provby
[00:00:01]

I: Hur ser det ut med projektmedlen, SSPF och länsstyrelsens stöd?

IP: Det ligger i ordinarie budget, inte projekt. Jag sitter i SSPF. Vi har haft ett projekt om belysning. Jämställdhetsmyndigheten finns ju. Vi har ingen egen budget.

I: Och när projektet tar slut?

IP: När projektet tar slut i december vet ingen om tjänsten finns kvar. Efter skjutningen fick allt annat vänta, också kvinnofriden.
"""


@pytest.fixture(scope="module")
def default_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    folder = tmp_path_factory.mktemp("default")
    with Project.open(folder / "projekt.sqlite", create=True) as project:
        load_codebook(project)
        import_sources(
            project,
            [
                ImportRequest(
                    write_text(folder / "Provby-01.txt", TALK),
                    SourceMetadata(case="Provby", kind="interview"),
                )
            ],
        )
        autocode(project)
        yield project


def by_code(project: Project) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in list_codings(project):
        found.setdefault(row["code"], []).append(row["passage"])
    return found


def test_nothing_is_suggested_in_questions_or_headers(default_project: Project) -> None:
    passages = [p for found in by_code(default_project).values() for p in found]
    assert passages
    assert not any("Kommunstudien" in p or "Provby" in p for p in passages)
    assert not any(p.startswith("Hur ser det ut") or "tar slut?" in p for p in passages)


def test_negations_and_single_topic_words_fire_no_judgement(default_project: Project) -> None:
    found = by_code(default_project)
    assert found["Projektfinansiering"] == [
        "När projektet tar slut i december vet ingen om tjänsten finns kvar."
    ]
    assert (
        "Det ligger i ordinarie budget, inte projekt."
        in found["Arbetet integrerat i ordinarie strukturer"]
    ), "`ordinarie budget, inte projekt` is the opposite of project funding"
    assert found["Gängkriminalitet tränger undan VINR"] == [
        "Efter skjutningen fick allt annat vänta, också kvinnofriden."
    ], "SSPF alone records no judgement"
    assert "Stöd från nationella och regionala aktörer" not in found
    assert "Vi har ingen egen budget." in found["Knappa resurser"]
    assert "Tillräckliga resurser" not in found, "`ingen egen budget` is not enough resources"


def test_every_rule_of_the_default_codebook_compiles_and_judgements_need_context() -> None:
    from vinr_qual.codebook.yaml_file import load_codebook as read_yaml
    from vinr_qual.suggest.rules import compile_rules

    book = read_yaml(REPO / "codebooks" / "vinr.yaml")
    rules = {rule.name: rule for rule in compile_rules(code for code, _, _ in book.walk())}
    for name in JUDGEMENTS:
        assert name in rules
    projekt = rules["Projektfinansiering"]
    assert not any(block.lemmas == frozenset({"projekt"}) for block in projekt.blocks)


# --- the held-out set -------------------------------------------------------------------


def test_the_heldout_set_is_three_interviews_of_fictional_municipalities() -> None:
    files = sorted(HELDOUT.glob("*.txt"))
    assert len(files) == 3
    with (REPO / "corpus" / "cases.csv").open(encoding="utf-8") as handle:
        demo_cases = {row["case"] for row in csv.DictReader(handle)}
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert path.stem.split("-")[0] not in demo_cases
        assert 1_400 <= len(text.split()) <= 2_600, path.name
        assert re.search(r"^I: ", text, re.M) and re.search(r"^IP: ", text, re.M)
        assert not text.startswith(("I:", "IP:")), "a header line or two comes first"


def test_no_codebook_example_stands_in_the_heldout_set_word_for_word() -> None:
    from vinr_qual.codebook.yaml_file import load_codebook as read_yaml

    book = read_yaml(REPO / "codebooks" / "vinr.yaml")
    texts = [
        " ".join(path.read_text(encoding="utf-8").split()).lower() for path in HELDOUT.glob("*.txt")
    ]
    for code, _, _ in book.walk():
        for example in code.examples:
            for sentence in re.split(r"(?<=[.!?])\s+", example):
                words = " ".join(sentence.split()).lower()
                if len(words.split()) >= 6:
                    assert not any(words in text for text in texts), (code.name, sentence)


def test_the_hand_coding_places_every_quote_with_codes_of_the_codebook(tmp_path: Path) -> None:
    with Project.open(tmp_path / "heldout.sqlite", create=True) as project:
        coder = build_heldout(project)
        rows = list(csv.DictReader((HELDOUT / "coding.csv").open(encoding="utf-8")))
        coded = project.db.execute(
            "SELECT count(*) FROM codings g JOIN coders k ON k.id = g.coder_id WHERE k.name = ?",
            [coder],
        ).fetchone()[0]
        assert coded == len(rows) >= 250
        names = {code.name for code, _, _ in read_codebook(project).walk()}
        assert {row["code"] for row in rows} <= names
        documents = {row["document"] for row in rows}
        assert documents == {path.name for path in HELDOUT.glob("*.txt")}
