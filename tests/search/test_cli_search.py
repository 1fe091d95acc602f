"""`vinr-qual search`, `find`, `autocode` and `review` as scripts use them."""

from __future__ import annotations

import json

from click.testing import CliRunner

from vinr_qual.cli import cli
from vinr_qual.project import Project


def run(project: Project, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-p", str(project.path), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_search_from_the_command_line(corpus: Project) -> None:
    code, out, _ = run(corpus, "search", "samverkan", "--compound", "--json")
    data = json.loads(out)
    assert code == 0 and data["total"] == 6 and data["mode"] == "compound"
    assert data["per_case"] == {"Havsö": 3, "Kvarnby": 3}
    code, out, _ = run(corpus, "search", "polisen", "--role", "socialchef")
    assert "[polisen]" in out and "1 hits in 1 documents" in out
    code, out, _ = run(corpus, "search", "samverkan", "--attribute", "län=Skåne län", "--json")
    assert json.loads(out)["total"] == 1
    code, _, err = run(corpus, "search", '"obalanserad')
    assert code == 1 and "cannot read the query" in err


def test_find_a_quote(corpus: Project) -> None:
    code, out, _ = run(corpus, "find", "min pappa var polis", "--json")
    assert code == 0
    assert json.loads(out)[0]["passage"] == "Min far var polis."


def test_autocode_then_review_from_the_command_line(corpus: Project) -> None:
    code, out, _ = run(corpus, "autocode", "--dry-run", "--json")
    dry = json.loads(out)
    assert dry["dry_run"] and dry["added"] > 0 and corpus.db["codings"].count == 0
    code, out, _ = run(corpus, "autocode")
    assert f"{dry['added']} new suggested" in out
    code, out, _ = run(corpus, "review", "next", "--json")
    first = json.loads(out)
    assert first["remaining"] == dry["added"]
    code, out, _ = run(corpus, "review", "accept", str(first["coding_id"]))
    assert code == 0
    code, out, _ = run(corpus, "review", "status", "--json")
    assert json.loads(out) == {"decided": 1, "pending": dry["added"] - 1}
    code, out, _ = run(corpus, "autocode", "quality", "--json")
    rows = {row["code"]: row for row in json.loads(out)}
    assert set(rows) == {"Ledningens prioritering", "Knappa resurser"}
    assert sum(r["accepted"] for r in rows.values()) == 1
    code, out, _ = run(
        corpus, "autocode", "speaker", "--code", "Knappa resurser", "--role", "socialchef"
    )
    assert "3 turns coded" in out
