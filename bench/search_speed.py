"""Search and auto-coding speed goals, measured on a project of national size.

- a search over 8 million words answers within 50 ms (p95), single words and phrases;
- auto-coding the whole demo corpus with the whole default codebook takes under 2 s.

The large project is made from the demo corpus's own sentences, reshuffled into about
2,000 interviews of 4,000 words (290 municipalities), and imported through the real
batched pipeline, whose speed is reported too. Run: `.venv/bin/python bench/search_speed.py
[--words N] [--keep FILE]`; results go to bench/results/search_speed.json.
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

from vinr_qual.cases.municipalities import all_municipalities  # noqa: E402
from vinr_qual.ingest.demo import build_demo  # noqa: E402
from vinr_qual.ingest.metadata import SourceMetadata  # noqa: E402
from vinr_qual.ingest.pipeline import ImportRequest, import_sources  # noqa: E402
from vinr_qual.project import Project  # noqa: E402
from vinr_qual.search.query import search  # noqa: E402
from vinr_qual.suggest.rules import autocode  # noqa: E402

QUERIES = [
    ("samverkan", "words"),
    ("polisen", "words"),
    ("lägesbild", "words"),
    ("kvinnojouren", "words"),
    ("får", "words"),
    ('"separata spår"', "words"),
    ('"med polisen"', "words"),
    ("samverka", "lemma"),
    ("samverkan", "compound"),
]
GOALS = {"search_p95_s": 0.050, "autocode_demo_s": 2.0}


def demo_sentences(project: Project) -> list[str]:
    return [
        " ".join(text[start:end].split())
        for text, start, end in project.db.execute(
            'SELECT d.text, s.start, s."end" FROM segments s'
            " JOIN documents d ON d.id = s.document_id"
            " WHERE s.kind = 'sentence' AND d.kind = 'interview'"
        )
    ]


def write_corpus(sentences: list[str], folder: Path, words: int) -> list[ImportRequest]:
    chooser = random.Random(11)
    municipalities = all_municipalities()
    requests = []
    total = 0
    number = 0
    while total < words:
        municipality = municipalities[number % len(municipalities)]
        number += 1
        parts, count = [], 0
        while count < 4000:
            speaker = "I" if len(parts) % 2 == 0 else "IP"
            turn = " ".join(chooser.choice(sentences) for _ in range(chooser.randint(1, 6)))
            parts.append(f"{speaker}: {turn}")
            count += len(turn.split())
        path = folder / f"{municipality.code}-{number:04}.txt"
        path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
        requests.append(ImportRequest(path, SourceMetadata(case=municipality.name)))
        total += count
    return requests


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=8_000_000)
    parser.add_argument("--keep", type=Path, help="Keep (or reuse) the large project here.")
    options = parser.parse_args()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        with Project.open(folder / "demo.sqlite", create=True) as demo:
            build_demo(demo)
            autocode_times = []
            for _ in range(3):
                demo.db.execute("DELETE FROM codings WHERE origin LIKE 'rule:%'")
                seconds, report = timed(autocode, demo)
                autocode_times.append(seconds)
            results["autocode_demo_s"] = {
                "median": statistics.median(autocode_times),
                "suggestions": report.added,
            }
            sentences = demo_sentences(demo)
        large = options.keep or folder / "large.sqlite"
        if not large.exists():
            requests = write_corpus(sentences, folder, options.words)
            with Project.open(large, create=True) as project:
                seconds, _ = timed(import_sources, project, requests)
            words = options.words
            results["import"] = {
                "files": len(requests),
                "seconds": seconds,
                "words_per_second": words / seconds,
            }
            rate = words / seconds
            print(f"imported {len(requests)} files in {seconds:.0f} s ({rate:,.0f} words/s)")
        with Project.open(large) as project:
            words = project.db.execute("SELECT sum(words) FROM documents").fetchone()[0]
            times: dict[str, list[float]] = {}
            for query, mode in QUERIES:
                search(project, query, mode=mode)  # warm the page cache and the lemma table
                for _ in range(15):
                    seconds, result = timed(search, project, query, mode=mode, limit=50)
                    times.setdefault(f"{query} ({mode}, {result.total} hits)", []).append(seconds)
    every = sorted(t for values in times.values() for t in values)
    p95 = every[round(0.95 * (len(every) - 1))]
    results["search"] = {
        "words": words,
        "p95_s": p95,
        "per_query_median_s": {key: statistics.median(values) for key, values in times.items()},
    }
    print(f"project of {words:,} words")
    for key, values in times.items():
        print(f"  {key:<48} median {statistics.median(values) * 1000:7.1f} ms")
    print(f"search p95 {p95 * 1000:.1f} ms (goal {GOALS['search_p95_s'] * 1000:.0f} ms)")
    autocode_median = results["autocode_demo_s"]["median"]  # type: ignore[index]
    print(
        f"auto-coding the demo corpus: {autocode_median:.2f} s (goal {GOALS['autocode_demo_s']} s)"
    )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "search_speed.json").write_text(
        json.dumps({"goals": GOALS, "results": results}, indent=2)
    )


if __name__ == "__main__":
    main()
