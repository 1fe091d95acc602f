"""Policy beside practice: the view for one passage answers in under 100 ms on a project
of national size.

The project is the one bench/search_speed.py builds (the demo corpus's sentences
reshuffled into interviews of 4,000 words for the 290 municipalities), with a steering
document of about 3,000 words for every municipality made the same way from the demo's
steering sentences, and codings: every 25th sentence gets one of the default codebook's
codes, so that the same-code side is not empty. Then `counterparts` (same code, then
close wording) is timed for 100 coded interview passages and 100 steering passages
picked at random. Run: `.venv/bin/python bench/compare_speed.py [--words N] [--keep FILE]`;
results go to bench/results/compare_speed.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_speed import demo_sentences, write_corpus  # noqa: E402
from vinr_qual.analysis.policy_practice import counterparts  # noqa: E402
from vinr_qual.cases.municipalities import all_municipalities  # noqa: E402
from vinr_qual.coding.codings import Passage, code_passages  # noqa: E402
from vinr_qual.ingest.demo import build_demo  # noqa: E402
from vinr_qual.ingest.metadata import SourceMetadata  # noqa: E402
from vinr_qual.ingest.pipeline import ImportRequest, import_sources  # noqa: E402
from vinr_qual.project import Project  # noqa: E402

GOAL_SECONDS = 0.100
CODED_EVERY = 25
SAMPLES = 100


def steering_sentences(project: Project) -> list[str]:
    return [
        " ".join(text[start:end].split())
        for text, start, end in project.db.execute(
            'SELECT d.text, s.start, s."end" FROM segments s'
            " JOIN documents d ON d.id = s.document_id"
            " WHERE s.kind = 'sentence' AND d.kind = 'steering'"
        )
    ]


def write_plans(sentences: list[str], folder: Path, words: int = 3_000) -> list[ImportRequest]:
    chooser = random.Random(5)
    requests = []
    for municipality in all_municipalities():
        parts, count = [f"# Handlingsplan för {municipality.name}"], 0
        while count < words:
            if chooser.random() < 0.1:
                parts.append(f"## {chooser.choice(sentences)[:40]}")
            paragraph = " ".join(chooser.choice(sentences) for _ in range(chooser.randint(2, 6)))
            parts.append(paragraph)
            count += len(paragraph.split())
        path = folder / f"{municipality.code}-plan.md"
        path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
        requests.append(
            ImportRequest(path, SourceMetadata(case=municipality.name, kind="steering"))
        )
    return requests


def code_every_nth_sentence(project: Project) -> int:
    codes = [
        row[0]
        for row in project.db.execute(
            "SELECT id FROM codes WHERE parent_id IS NOT NULL AND codable = 1"
        )
    ]
    chooser = random.Random(3)
    by_code: dict[str, list[Passage]] = {}
    rows = project.db.execute(
        "SELECT document_id, start, \"end\" FROM segments WHERE kind = 'sentence'"
        f" AND id % {CODED_EVERY} = 0"
    ).fetchall()
    for document_id, start, end in rows:
        by_code.setdefault(chooser.choice(codes), []).append(Passage(document_id, start, end))
    for code_id, passages in by_code.items():
        code_passages(project, passages, code_id, coder="bench")
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=8_000_000)
    parser.add_argument("--keep", type=Path, help="Keep (or reuse) the large project here.")
    options = parser.parse_args()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        large = options.keep or folder / "large.sqlite"
        if not large.exists():
            with Project.open(folder / "demo.sqlite", create=True) as demo:
                build_demo(demo)
                interviews, plans = demo_sentences(demo), steering_sentences(demo)
            requests = write_corpus(interviews, folder, options.words)
            requests += write_plans(plans, folder)
            started = time.perf_counter()
            with Project.open(large, create=True) as project:
                build_demo(project)  # the default codebook, and the demo's cases
                import_sources(project, requests)
                coded = code_every_nth_sentence(project)
            print(f"built in {time.perf_counter() - started:.0f} s, {coded} codings")
        with Project.open(large) as project:
            words = project.db.execute("SELECT sum(words) FROM documents").fetchone()[0]
            chooser = random.Random(9)
            times: dict[str, list[float]] = {}
            for kind in ("interview", "steering"):
                passages = project.db.execute(
                    'SELECT g.document_id, g.start, g."end" FROM codings g'
                    " JOIN documents d ON d.id = g.document_id WHERE d.kind = ?",
                    [kind],
                ).fetchall()
                for document_id, start, end in chooser.sample(passages, SAMPLES):
                    started = time.perf_counter()
                    found = counterparts(project, document_id, start, end)
                    seconds = time.perf_counter() - started
                    times.setdefault(kind, []).append(seconds)
                    assert found.kind != kind
    every = sorted(t for values in times.values() for t in values)
    p95 = every[round(0.95 * (len(every) - 1))]
    results = {
        "words": words,
        "p50_s": statistics.median(every),
        "p95_s": p95,
        "per_kind_median_s": {kind: statistics.median(values) for kind, values in times.items()},
    }
    print(f"project of {words:,} words")
    for kind, values in times.items():
        print(
            f"  from {kind:<9} median {statistics.median(values) * 1000:6.1f} ms,"
            f" max {max(values) * 1000:6.1f} ms"
        )
    print(
        f"policy beside practice p50 {statistics.median(every) * 1000:.1f} ms,"
        f" p95 {p95 * 1000:.1f} ms (goal {GOAL_SECONDS * 1000:.0f} ms):"
        f" {'met' if p95 < GOAL_SECONDS else 'NOT met'}"
    )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "compare_speed.json").write_text(
        json.dumps({"goal_s": GOAL_SECONDS, "results": results}, indent=2)
    )


if __name__ == "__main__":
    main()
