"""Codings as a researcher relies on them: stable identities on every path, many-passage
actions undone as one, undo scoped to a person, and the person who decides as the coder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import write_text
from tests.search.conftest import KVARNBY
from vinr_qual.cases.documents import find_document
from vinr_qual.cli import cli
from vinr_qual.codebook.operations import find_code
from vinr_qual.coding.codings import (
    Passage,
    add_coding,
    code_passages,
    coding_row,
    list_codings,
    remove_coding,
)
from vinr_qual.coding.history import describe, last_action, revert
from vinr_qual.coding.memos import coding_memo, set_coding_memo
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.search.query import code_hits, search

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def guid_of(project: Project, table: str, row_id: int) -> str:
    return str(project.db.execute(f"SELECT guid FROM {table} WHERE id = ?", [row_id]).fetchone()[0])


def sentence(project: Project, document: str, words: str) -> Passage:
    document_id = find_document(project, document)
    text = project.db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()
    start = text[0].index(words)
    return Passage(document_id, start, start + len(words))


def test_every_row_that_travels_has_its_own_guid(corpus: Project) -> None:
    coding = add_coding(corpus, *_span(corpus), find_code(corpus, "Intern samverkan"), coder="Anna")
    set_coding_memo(corpus, coding, "Tydligt exempel.", coder="Anna")
    for table in ("documents", "cases", "coders", "codings", "memos"):
        guids = [row[0] for row in corpus.db.execute(f"SELECT guid FROM {table}")]
        assert guids and all(GUID.match(guid) for guid in guids), table
        assert len(set(guids)) == len(guids), table


def _span(project: Project) -> tuple[int, int, int]:
    passage = sentence(project, "Kvarnby-01.txt", "Nu samverkar vi mest med polisen.")
    return passage.document_id, passage.start, passage.end


def test_undoing_a_removal_brings_back_the_same_guid_and_memo(corpus: Project) -> None:
    coding = add_coding(corpus, *_span(corpus), find_code(corpus, "Intern samverkan"), coder="Anna")
    set_coding_memo(corpus, coding, "Polisen nämns först.", coder="Anna")
    guid = guid_of(corpus, "codings", coding)
    remove_coding(corpus, coding, coder="Anna")
    assert corpus.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 0
    revert(corpus, last_action(corpus, actor="Anna") or 0, actor="Anna")
    assert coding_row(corpus, coding)["guid"] == guid
    assert coding_memo(corpus, coding) == "Polisen nämns först."


def test_a_replaced_document_keeps_its_guid_and_its_codings_theirs(
    corpus: Project, tmp_path: Path
) -> None:
    document_id, start, end = _span(corpus)
    coding = add_coding(corpus, document_id, start, end, find_code(corpus, "Intern samverkan"))
    document_guid = guid_of(corpus, "documents", document_id)
    coding_guid = guid_of(corpus, "codings", coding)
    corrected = KVARNBY.replace("Hur fungerar samverkan?", "Hur fungerar er samverkan i dag?")
    [outcome] = import_sources(
        corpus,
        [
            ImportRequest(
                write_text(tmp_path / "Kvarnby-01.txt", corrected),
                SourceMetadata(case="Kvarnby"),
            )
        ],
        replace=True,
    )
    assert outcome.status == "replaced"
    assert guid_of(corpus, "documents", document_id) == document_guid
    row = coding_row(corpus, coding)
    assert row["guid"] == coding_guid and row["start"] > start, "moved, same identity"


def test_coding_many_passages_is_one_action_undone_and_redone_as_one(corpus: Project) -> None:
    code = find_code(corpus, "Intern samverkan")
    passages = [
        sentence(corpus, "Kvarnby-01.txt", "Nu samverkar vi mest med polisen."),
        sentence(corpus, "Havsö-01.txt", "Kvinnojouren Havsörosen är viktig för samverkan."),
    ]
    ids = code_passages(corpus, passages, code, coder="Anna")
    assert len(ids) == 2
    assert code_passages(corpus, passages, code, coder="Anna") == [], "coded once only"
    guids = {guid_of(corpus, "codings", coding_id) for coding_id in ids}
    action = last_action(corpus, actor="Anna")
    assert action is not None and describe(corpus, action).codings == 2
    undo = revert(corpus, action, actor="Anna")
    assert list_codings(corpus) == []
    revert(corpus, undo, actor="Anna")
    assert {row["guid"] for row in list_codings(corpus)} == guids, "redo restores the same rows"
    members = corpus.db.execute(
        "SELECT count(*) FROM changes WHERE batch = ? AND entity = 'coding'", [action]
    ).fetchone()[0]
    assert members == 2, "each coding of the batch is in the change log on its own"


def test_coding_every_hit_of_a_search_is_one_undoable_step(corpus: Project) -> None:
    result = search(corpus, "polisen", limit=50)
    assert result.total == 2
    assert code_hits(corpus, result.hits, find_code(corpus, "Intern samverkan"), coder="Bo") == 2
    revert(corpus, last_action(corpus, actor="Bo") or 0, actor="Bo")
    assert list_codings(corpus) == []


def test_the_last_action_is_this_persons(corpus: Project) -> None:
    code = find_code(corpus, "Intern samverkan")
    add_coding(corpus, *_span(corpus), code, coder="Anna")
    passage = sentence(corpus, "Havsö-01.txt", "Min far var polis.")
    bo = add_coding(corpus, passage.document_id, passage.start, passage.end, code, coder="Bo")
    anna_action = last_action(corpus, actor="Anna")
    assert anna_action is not None
    revert(corpus, anna_action, actor="Anna")
    assert [row["id"] for row in list_codings(corpus)] == [bo], "Bo's coding is untouched"
    assert describe(corpus, anna_action).passage == "Nu samverkar vi mest med polisen."


def _cli(project: Project, *args: str, coder: str) -> tuple[int, str, str]:
    result = CliRunner(env={"VINR_QUAL_CODER": coder}).invoke(
        cli, ["-p", str(project.path), *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def test_whoever_accepts_a_suggestion_is_its_coder_on_the_command_line(
    corpus: Project,
) -> None:
    code, _, _ = _cli(corpus, "autocode", coder="Anna")
    assert code == 0
    suggested = [row["id"] for row in list_codings(corpus, status="suggested")]
    assert len(suggested) >= 2
    code, _, err = _cli(corpus, "review", "accept", *map(str, suggested), coder="Anna")
    assert code == 0, err
    code, out, _ = _cli(corpus, "code", "list", "--json", coder="Anna")
    rows = json.loads(out)
    assert {row["coder"] for row in rows} == {"Anna"}
    assert all(row["origin"].startswith("rule:") for row in rows), "the origin keeps the rule"
    # a second person codes the same sentences by hand: agreement is between people
    for row in rows[:1]:
        add_coding(corpus, row["document_id"], row["start"], row["end"], row["code_id"], coder="Bo")
    code, out, err = _cli(
        corpus, "analyse", "agreement", "--coder", "Anna", "--coder", "Bo", coder="Anna"
    )
    assert code == 0, err
    assert "no coder named" not in out + err


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("typ:styrdokument", "steering"),
        ("kind:steering", "steering"),
        ("typ:intervju", "interview"),
        ("kind:interview", "interview"),
        ("sort:övrigt", "other"),
        ("typ:styr", "steering"),
    ],
)
def test_a_filter_reads_kinds_in_either_language(typed: str, kind: str) -> None:
    from vinr_qual.search.filters import parse_filter

    assert parse_filter(typed).kind == kind


def test_every_kind_the_app_shows_is_a_kind_the_filter_reads() -> None:
    from vinr_qual.search.filters import document_kind
    from vinr_qual.tui.i18n import LANGUAGES

    for strings in LANGUAGES.values():
        for key, shown in strings.items():
            if key.startswith("kind."):
                assert document_kind(shown) == key.removeprefix("kind.")


def test_a_filter_names_its_parts_and_refuses_an_unknown_kind() -> None:
    from vinr_qual.errors import VinrQualError
    from vinr_qual.search.filters import parse_filter

    parsed = parse_filter('fall:Kvarnby län:"Skåne län" roll:samordnare kod:s okodat polisen')
    assert (parsed.case, parsed.role, parsed.code, parsed.not_coded) == (
        "Kvarnby",
        "samordnare",
        "s",
        True,
    )
    assert parsed.attributes == {"län": "Skåne län"} and parsed.words == ["polisen"]
    with pytest.raises(VinrQualError, match="not a document kind"):
        parse_filter("typ:protokoll")


def test_search_and_the_documents_list_filter_alike(corpus: Project) -> None:
    from vinr_qual.cases.documents import document_rows, filter_documents
    from vinr_qual.search.filters import parse_filter, search_filters

    for typed in ("typ:styrdokument", "kind:steering"):
        shown = filter_documents(document_rows(corpus), parse_filter(typed))
        assert [row.name for row in shown] == ["Havsö-plan.md"]
        hits = search(corpus, "samverkan", filters=search_filters(corpus, typed))
        assert {hit.document for hit in hits.hits} == {"Havsö-plan.md"}
