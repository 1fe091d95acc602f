"""How precise the default codebook's rules are, on interviews they were not written from.

The held-out set (tests/suggest/heldout/) is three short interviews of our own, from
fictional municipalities that are not in the demo corpus, coded by hand at sentence
level with the default codebook (coding.csv) before the rules were run on them. This
imports them into a temporary project, loads the default codebook and the hand coding
as the reference, runs the rules, and compares at sentence level:

- precision: of the units the rules suggest, the share that overlap a sentence coded by
  hand with the same code;
- recall: of the (sentence, code) pairs coded by hand, the share inside a unit the
  rules suggest for that code.

It also counts suggestions that fall inside interviewer turns and outside any speaker
turn (header lines). `--corpus demo` measures the demo corpus against its reference
coding instead: the development set the rules may be tuned on; the held-out set is only
ever measured.

    .venv/bin/python -m bench.rule_quality              # held-out set
    .venv/bin/python -m bench.rule_quality --corpus demo

Writes bench/results/rule_quality.json (or rule_quality-demo.json).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from vinr_qual.codebook.project_codes import apply_load, plan_load
from vinr_qual.exchange.codebook_files import read_codebook_file
from vinr_qual.ingest.demo import DEFAULT_CODEBOOK, REFERENCE_CODER, build_demo
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "tests" / "suggest" / "heldout"
RESULTS = ROOT / "bench" / "results"
HAND_CODER = "Handkodning (held-out)"
# the interviewee's role, from each held-out file's name: Lövsjö-01-<role>.txt
ROLES = {
    "kvinnofridssamordnare": "kvinnofridssamordnare",
    "trygghetssamordnare": "trygghetssamordnare",
    "enhetschef-ifo": "enhetschef IFO",
}


@dataclass
class Counts:
    suggested: int = 0
    correct: int = 0
    reference: int = 0
    found: int = 0

    @property
    def precision(self) -> float | None:
        return self.correct / self.suggested if self.suggested else None

    @property
    def recall(self) -> float | None:
        return self.found / self.reference if self.reference else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)

    def as_dict(self) -> dict[str, object]:
        return {
            "suggested": self.suggested,
            "correct": self.correct,
            "precision": _round(self.precision),
            "reference": self.reference,
            "found": self.found,
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


@dataclass
class Measured:
    overall: Counts = field(default_factory=Counts)
    per_code: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    in_interviewer_turns: int = 0
    outside_turns: int = 0
    documents: int = 0


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def load_codebook(project: Project, path: Path = DEFAULT_CODEBOOK) -> None:
    read = read_codebook_file(path)
    plan = plan_load(project, read.codebook, keep_missing=True, carried=read.carried)
    if not plan.empty:
        apply_load(project, plan, source=str(path))


def build_heldout(
    project: Project, folder: Path = HELDOUT, codebook: Path = DEFAULT_CODEBOOK
) -> str:
    """Import the held-out interviews and their hand coding; returns the coder's name."""
    from vinr_qual.coding.quoted import load_quoted_codings

    load_codebook(project, codebook)
    requests = []
    for path in sorted(folder.glob("*.txt")):
        case, _, rest = path.stem.partition("-")
        role = next((r for key, r in ROLES.items() if rest.endswith(key)), None)
        requests.append(
            ImportRequest(path, SourceMetadata(case=case, kind="interview", interviewee_role=role))
        )
    outcomes = import_sources(project, requests)
    failed = [o.message for o in outcomes if o.status == "failed"]
    if failed:
        raise SystemExit(f"import failed: {failed}")
    load_quoted_codings(project, folder / "coding.csv", coder=HAND_CODER)
    return HAND_CODER


def _sentences(project: Project) -> dict[int, list[tuple[int, int]]]:
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for document_id, start, end in project.db.execute(
        "SELECT document_id, start, \"end\" FROM segments WHERE kind = 'sentence'"
        " ORDER BY document_id, start"
    ):
        found[document_id].append((start, end))
    return found


def _turns(project: Project) -> dict[int, list[tuple[int, int, bool]]]:
    found: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
    for document_id, start, end, interviewer in project.db.execute(
        'SELECT s.document_id, s.start, s."end", coalesce(sp.is_interviewer, 0)'
        " FROM segments s LEFT JOIN speakers sp ON sp.id = s.speaker_id"
        " WHERE s.kind = 'turn'"
    ):
        found[document_id].append((start, end, bool(interviewer)))
    return found


def reference_pairs(project: Project, coder: str) -> set[tuple[int, int, str]]:
    """(document, sentence start, code name) for each sentence mostly inside a hand
    coding: a quote of two sentences codes both."""
    sentences = _sentences(project)
    pairs = set()
    for document_id, start, end, code in project.db.execute(
        'SELECT g.document_id, g.start, g."end", c.name FROM codings g'
        " JOIN coders k ON k.id = g.coder_id JOIN codes c ON c.id = g.code_id"
        " WHERE k.name = ? AND g.status = 'accepted'",
        [coder],
    ):
        for s_start, s_end in sentences.get(document_id, []):
            inside = min(end, s_end) - max(start, s_start)
            if inside > 0 and inside * 2 >= (s_end - s_start):
                pairs.add((document_id, s_start, code))
    return pairs


def measure(project: Project, coder: str) -> Measured:
    from vinr_qual.codebook.project_codes import read_codebook
    from vinr_qual.suggest.rules import compile_rules, find_suggestions

    # what `autocode` would suggest on a project without codings: it leaves alone units
    # a person has coded already, so it is asked for every unit its rules find
    names = {code.id: code.name for code, _, _ in read_codebook(project).walk()}
    rules = compile_rules(code for code, _, _ in read_codebook(project).walk())
    suggestions = {
        (s.document_id, s.start, s.end, names[s.code_id]) for s in find_suggestions(project, rules)
    }
    ruled = {names[rule.code_id] for rule in rules}
    # codes without rules (the fields BF, VINR, ANDTS) are no rule's to find
    reference = {pair for pair in reference_pairs(project, coder) if pair[2] in ruled}
    sentences = _sentences(project)
    turns = _turns(project)
    kinds = dict(project.db.execute("SELECT id, kind FROM documents").fetchall())
    result = Measured(documents=len(kinds))
    covered: set[tuple[int, int, str]] = set()
    for document_id, start, end, code in sorted(suggestions):
        inside = [
            s_start
            for s_start, s_end in sentences.get(document_id, [])
            if s_start < end and start < s_end
        ]
        hit = any((document_id, s, code) in reference for s in inside)
        for counts in (result.overall, result.per_code[code]):
            counts.suggested += 1
            counts.correct += hit
        covered.update((document_id, s, code) for s in inside)
        if kinds.get(document_id) == "interview":
            turn = next((t for t in turns.get(document_id, []) if t[0] <= start < t[1]), None)
            if turn is None:
                result.outside_turns += 1
            elif turn[2]:
                result.in_interviewer_turns += 1
    for pair in reference:
        found = pair in covered
        for counts in (result.overall, result.per_code[pair[2]]):
            counts.reference += 1
            counts.found += found
    return result


def report(result: Measured, label: str) -> dict[str, object]:
    per_code = sorted(result.per_code.items(), key=lambda item: (-item[1].reference, item[0]))
    return {
        "set": label,
        "documents": result.documents,
        "overall": result.overall.as_dict(),
        "suggestions_in_interviewer_turns": result.in_interviewer_turns,
        "suggestions_outside_turns": result.outside_turns,
        "per_code": {name: counts.as_dict() for name, counts in per_code},
    }


def _share(value: object) -> str:
    return "  –  " if value is None else f"{float(value):5.2f}"  # type: ignore[arg-type]


def print_report(found: dict[str, object]) -> None:
    overall = found["overall"]
    assert isinstance(overall, dict)
    print(
        f"{found['set']}: {found['documents']} documents; precision {_share(overall['precision'])}"
        f" ({overall['correct']}/{overall['suggested']}), recall {_share(overall['recall'])}"
        f" ({overall['found']}/{overall['reference']}), F1 {_share(overall['f1'])}"
    )
    print(
        f"suggestions inside interviewer turns: {found['suggestions_in_interviewer_turns']},"
        f" outside any turn (headers): {found['suggestions_outside_turns']}"
    )
    print(f"{'code':52} {'prec':>5} {'':>9} {'rec':>5} {'':>9} {'F1':>5}")
    per_code = found["per_code"]
    assert isinstance(per_code, dict)
    for name, c in per_code.items():
        print(
            f"{name[:52]:52} {_share(c['precision'])} {c['correct']:>4}/{c['suggested']:<4}"
            f" {_share(c['recall'])} {c['found']:>4}/{c['reference']:<4} {_share(c['f1'])}"
        )


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("heldout", "demo"), default="heldout")
    parser.add_argument(
        "--codebook", type=Path, default=DEFAULT_CODEBOOK, help="rules to measure (a YAML file)"
    )
    parser.add_argument("--output", type=Path, help="where to write the JSON results")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory() as folder,
        Project.open(Path(folder) / "rules.sqlite", create=True) as project,
    ):
        if args.corpus == "demo":
            build_demo_without_writing(project)
            if args.codebook != DEFAULT_CODEBOOK:
                load_codebook(project, args.codebook)
            coder = REFERENCE_CODER
        else:
            coder = build_heldout(project, codebook=args.codebook)
        result = measure(project, coder)
    found = report(result, args.corpus)
    found["codebook"] = os.path.relpath(args.codebook.resolve(), ROOT)
    name = "rule_quality.json" if args.corpus == "heldout" else "rule_quality-demo.json"
    output = args.output or RESULTS / name
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(found, ensure_ascii=False, indent=2) + "\n", "utf-8")
    if not args.quiet:
        print_report(found)
    return found


def build_demo_without_writing(project: Project) -> None:
    """The demo project (its codebook already has every id, so nothing is written back)."""
    _, outcomes = build_demo(project)
    failed = [o.message for o in outcomes if o.status == "failed"]
    if failed:
        raise SystemExit(f"demo import failed: {failed}")


if __name__ == "__main__":
    main()
