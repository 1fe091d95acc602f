"""Exact hits: punctuation in a query, filters typed as words, context as the text stands,
every case counted, and never a message from SQLite."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import write_text
from vinr_qual.cli import cli
from vinr_qual.errors import VinrQualError
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.search.query import LONG_CODING, Filters, search

KVARNBY = """I: Hur går BF-arbetet?

IP: BF-arbetet går bra. Vi har ANDTS-frågor på agendan varje termin.

IP: Hälften, 50%, av skolorna deltar läsåret 2019/2020. Vi skrev en samverkansöverenskommelse med regionen.

I: Och internt?

IP: Vi jobbar med samverkan. Internt är det tyst.
"""

OTHER = """I: Och samverkan?

IP: Samverkan med polisen fungerar i {name}.

I: Något mer?

IP: Nej.
"""
TOWNS = ["Almby", "Björkby", "Dalby", "Ekby", "Forsby", "Gråby", "Hedby", "Ljungby", "Mossby"]


@pytest.fixture
def towns(project: Project, tmp_path: Path) -> Project:
    requests = [
        ImportRequest(
            write_text(tmp_path / "Kvarnby-01.txt", KVARNBY),
            SourceMetadata(case="Kvarnby", interviewee_role="samordnare"),
        )
    ]
    for name in TOWNS:
        requests.append(
            ImportRequest(
                write_text(tmp_path / f"{name}-01.txt", OTHER.format(name=name)),
                SourceMetadata(case=name, interviewee_role="socialchef"),
            )
        )
    import_sources(project, requests)
    return project


def sentences(project: Project, query: str, **options: object) -> list[str]:
    result = search(project, query, **options)  # type: ignore[arg-type]
    return sorted(text_of(project, hit.document_id)[hit.start : hit.end] for hit in result.hits)


def text_of(project: Project, document_id: int) -> str:
    row = project.db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()
    return str(row[0])


def run(project: Project, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-p", str(project.path), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_hyphens_slashes_percent_and_digits_need_no_quotes(towns: Project) -> None:
    assert sentences(towns, "BF-arbetet") == ["BF-arbetet går bra.", "Hur går BF-arbetet?"]
    assert sentences(towns, "ANDTS-frågor") == ["Vi har ANDTS-frågor på agendan varje termin."]
    deltar = "Hälften, 50%, av skolorna deltar läsåret 2019/2020."
    assert sentences(towns, "50%") == [deltar]
    assert sentences(towns, "2019/2020") == [deltar]
    assert sentences(towns, "2020") == [deltar]
    assert sentences(towns, "läsåret 2019/2020 AND skolorna") == [deltar]
    assert sentences(towns, "BF-arbetet", mode="compound") == sentences(towns, "BF-arbetet")
    assert sentences(towns, "50%", mode="compound") == [deltar]
    search(towns, "ANDTS-frågor", mode="lemma")  # read without complaint in every mode
    hit = search(towns, "BF-arbetet").hits[0]
    assert hit.keyword == "BF-arbetet"  # the whole hyphenated word is the hit


def test_filters_typed_into_the_query_filter(towns: Project) -> None:
    assert sentences(towns, "case:Kvarnby samverkan") == ["Vi jobbar med samverkan."]
    assert sentences(towns, "samverkan kommun:kvarnby") == ["Vi jobbar med samverkan."]
    assert sentences(towns, "role:socialchef polisen case:Dalby") == [
        "Samverkan med polisen fungerar i Dalby."
    ]
    assert search(towns, "samverkan case:Kvarnby", filters=Filters(case="kvarnby")).total == 1
    with pytest.raises(VinrQualError) as only_filter:
        search(towns, "case:Kvarnby")
    assert str(only_filter.value) == (
        "search: case:Kvarnby is a filter, not words to search for;"
        " add the words too (case:Kvarnby samverkan)"
    )
    with pytest.raises(VinrQualError, match="the query says case:Kvarnby but the filters"):
        search(towns, "case:Kvarnby samverkan", filters=Filters(case="Dalby"))
    with pytest.raises(VinrQualError, match="not a document kind"):
        search(towns, "kind:brev samverkan")
    # a colon that is not a filter's is punctuation like any other
    assert sentences(towns, "läsåret:2019") == [
        "Hälften, 50%, av skolorna deltar läsåret 2019/2020."
    ]


def test_no_query_ever_shows_sqlite_s_own_message(towns: Project) -> None:
    pieces = ['"', "(", ")", "*", ",", ":", "-", "^", "+", "AND", "OR", "NOT", "NEAR", "x", "%"]
    queries = [" ".join(combo) for combo in itertools.product(pieces, repeat=2)]
    queries += ["".join(combo) for combo in itertools.product(pieces, repeat=3)]
    queries += ["text:samverkan", "NEAR(a b, x)", "NEAR(a, b)", "{a b}", "a:b:c", "'samverkan'"]
    for mode in ("words", "lemma", "compound"):
        for query in queries:
            try:
                search(towns, query, mode=mode)  # type: ignore[arg-type]
            except VinrQualError as error:
                message = str(error)
                assert "\n" not in message and message.startswith("search")
                for sqlite_words in ("fts5", "sqlite", "no such column", "syntax error"):
                    assert sqlite_words not in message.lower(), (query, mode, message)


def test_a_query_that_cannot_be_read_says_what_is_wrong(towns: Project) -> None:
    for query, why in [
        ('"obalanserad', "a quote"),
        ("samverkan AND", "AND needs words on both sides"),
        ("NOT polisen", "NOT needs words on both sides"),
        ("(samverkan OR polisen", "a bracket is not closed"),
        ("NEAR(samverkan polisen, nära)", "NEAR is written NEAR(a b, 10)"),
        ("%", "no words to search for"),
    ]:
        with pytest.raises(VinrQualError, match="cannot read the query") as error:
            search(towns, query)
        assert why in str(error.value)
    with pytest.raises(VinrQualError, match="at least three letters"):
        search(towns, "BF", mode="compound")


@pytest.mark.parametrize(
    ("query", "mode"),
    [
        ("samverkan", "compound"),
        ("samverkan", "words"),
        ("BF-arbetet", "words"),
        ("50%", "compound"),
        ('"med polisen"', "words"),
        ("samverka*", "words"),
        ("fungera", "lemma"),
    ],
)
def test_context_is_exact_slices_of_the_text(towns: Project, query: str, mode: str) -> None:
    result = search(towns, query, mode=mode)  # type: ignore[arg-type]
    assert result.hits
    for hit in result.hits:
        text = text_of(towns, hit.document_id)
        first, last = hit.matches[0]
        assert hit.keyword == text[first:last]
        assert hit.left == text[first - len(hit.left) : first]
        assert hit.right == text[last : last + len(hit.right)]
        assert hit.left and hit.right
        assert hit.keyword.casefold().startswith(query.strip('"')[:3].casefold())


def test_a_part_of_a_compound_is_marked_inside_the_word(towns: Project) -> None:
    result = search(towns, "samverkan", mode="compound")
    compound = next(hit for hit in result.hits if "överens" in hit.right)
    assert (compound.left[-3:], compound.keyword) == ("en ", "samverkan")
    assert compound.right.startswith("söverenskommelse med regionen.")
    code, out, _ = run(towns, "search", "samverkan", "--compound", "--case", "Kvarnby")
    assert code == 0
    assert "Vi skrev en [samverkan]söverenskommelse med" in out
    assert "Vi jobbar med [samverkan]. Internt är det tyst." in out
    code, out, _ = run(towns, "search", "BF-arbetet")
    assert code == 0 and "[BF-arbetet] går bra." in out and "2 hits in 1 documents" in out


def test_counts_per_case_list_every_case(towns: Project) -> None:
    result = search(towns, "samverkan", limit=2)
    assert len(result.hits) == 2 and result.total == 19
    assert set(result.per_case) == {"Kvarnby", *TOWNS}
    assert sum(result.per_case.values()) == result.total
    code, out, _ = run(towns, "search", "samverkan", "--limit", "1")
    assert code == 0 and "19 hits in 10 documents" in out
    for case in ["Kvarnby", *TOWNS]:
        assert f"  {case}: " in out
    code, out, _ = run(towns, "search", "samverkan", "--role", "socialchef", "--json")
    assert json.loads(out)["per_case"] == {name: 1 for name in sorted(TOWNS)}  # not the I:


def test_typed_filters_and_errors_on_the_command_line(towns: Project) -> None:
    code, out, _ = run(towns, "search", "case:Dalby samverkan", "--json")
    assert code == 0 and json.loads(out)["per_case"] == {"Dalby": 2}
    code, _, err = run(towns, "search", "case:Kvarnby")
    assert code == 1 and "is a filter" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(towns, "search", "text:samverkan AND")
    assert code == 1 and "AND needs words on both sides" in err
    assert "sqlite" not in err.lower() and "no such column" not in err


def test_code_filters_agree_with_the_codings_short_and_long(
    project: Project, tmp_path: Path
) -> None:
    from tests.codebook.conftest import CODEBOOK_YAML, load_file
    from vinr_qual.codebook.operations import find_code
    from vinr_qual.coding.codings import add_coding

    load_file(project, write_text(tmp_path / "kodbok.yaml", CODEBOOK_YAML))
    turns = [
        f"IP: Mening {number} om samverkan med polisen i kommunen, som vi har talat om förut."
        for number in range(80)
    ]
    body = "\n\n".join(turns) + "\n"
    path = write_text(tmp_path / "Lång-01.txt", body)
    import_sources(project, [ImportRequest(path, SourceMetadata(case="Lång"))])
    document_id, text = project.db.execute("SELECT id, text FROM documents").fetchone()
    long_code, short_code = find_code(project, "s"), find_code(project, "l")
    passages = [
        (text.index("Mening 10 "), text.index("Mening 50 "), long_code),  # > LONG_CODING
        (text.index("Mening 60 ") + 3, text.index("Mening 61 "), short_code),
        (text.index("Mening 70 "), text.index("Mening 70 ") + 20, long_code),
    ]
    for start, end, code_id in passages:
        add_coding(project, document_id, start, end, code_id)
    sentences = search(project, "samverkan", limit=1000).hits
    assert len(sentences) == 80

    def overlaps(hit: object, codes: set[str]) -> bool:
        return any(
            code_id in codes and start < hit.end and end > hit.start  # type: ignore[attr-defined]
            for start, end, code_id in passages
        )

    for filters, expected in [
        (Filters(code_id=long_code), {h.segment_id for h in sentences if overlaps(h, {long_code})}),
        (
            Filters(code_id=short_code),
            {h.segment_id for h in sentences if overlaps(h, {short_code})},
        ),
        (
            Filters(not_coded=True),
            {h.segment_id for h in sentences if not overlaps(h, {long_code, short_code})},
        ),
        (Filters(code_id=long_code, not_coded=True), set()),
    ]:
        result = search(project, "samverkan", filters=filters, limit=1000)
        assert {hit.segment_id for hit in result.hits} == expected
        assert result.total == len(expected)
    assert search(project, "samverkan", filters=Filters(code_id=long_code)).total == 41
    assert passages[0][1] - passages[0][0] > LONG_CODING  # checked outside SQL
