"""PDF import speed and memory goals.

- a 60-page steering document imports in under 3 s in all (read, sentences, write);
  the reader's share (`read_pdf`) is reported beside it;
- a 400-page document is read within bounded memory (peak RSS of a fresh process);
- a PDF bomb (a stream inflating to 200 MiB, 2,001 pages) is refused, within bounded
  memory.

The documents are generated (tests/ingest/pdf_fixtures.py). The whole import goes through
`import_sources` with the PDF reader put in place of `read_source` for .pdf files, as the
reader is not registered yet. Memory is measured in a child process each (VmHWM), so
one measurement does not inherit another's peak; the child's baseline (Python with the
reader imported, before reading) is reported too. Run: `.venv/bin/python
bench/pdf_speed.py [--pages 60] [--large 400]`; results go to bench/results/pdf_speed.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_SECONDS = 3.0
RUNS = 3

_CHILD = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.pdf_reader import read_pdf
def peak_mib():
    # VmHWM is the peak of this process's own memory (ru_maxrss would carry the peak of
    # the parent at fork)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return -1
base = peak_mib()
start = time.perf_counter()
try:
    parsed = read_pdf(Path({path!r}), "doc.pdf")
    outcome = f"read: {{len(parsed.text)}} characters, {{len(parsed.page_starts or [])}} pages"
except ImportRefused as error:
    outcome = f"refused: {{error}}"
seconds = time.perf_counter() - start
peak = peak_mib()
print(base, peak, round(seconds, 3), outcome, sep="\\t")
"""


def _in_child(path: Path) -> dict[str, object]:
    code = _CHILD.format(root=str(ROOT), path=str(path))
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    base, peak, seconds, outcome = output.split("\t", 3)
    return {
        "baseline_rss_mib": int(base),
        "peak_rss_mib": int(peak),
        "seconds": float(seconds),
        "outcome": outcome,
    }


def _whole_import(path: Path, folder: Path) -> tuple[float, float]:
    """Seconds for the whole import of `path` into a new project, and for its reading."""
    from vinr_qual.ingest import pipeline
    from vinr_qual.ingest.pdf_reader import read_pdf
    from vinr_qual.ingest.segment import sentences
    from vinr_qual.project import Project

    list(sentences([("Ett varv för att läsa in spaCy.", 0)]))  # loaded once, as in the app
    read_seconds: list[float] = []
    original = pipeline.read_source

    def read_source(source: Path, where: str | None = None):  # type: ignore[no-untyped-def]
        if source.suffix.lower() != ".pdf":
            return original(source, where)
        start = time.perf_counter()
        parsed = read_pdf(source, where or str(source))
        read_seconds.append(time.perf_counter() - start)
        return parsed

    pipeline.read_source = read_source  # type: ignore[assignment]
    try:
        with Project.open(folder / f"p{time.perf_counter_ns()}.sqlite", create=True) as project:
            start = time.perf_counter()
            outcomes = pipeline.import_sources(project, [pipeline.ImportRequest(path)])
            total = time.perf_counter() - start
        assert outcomes[0].status == "imported", outcomes[0].message
    finally:
        pipeline.read_source = original  # type: ignore[assignment]
    return total, read_seconds[0]


def main() -> None:
    from tests.ingest.pdf_fixtures import deflate_bomb_pdf, many_pages_pdf, steering_document

    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--large", type=int, default=400)
    args = parser.parse_args()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        document = steering_document(args.pages).save(folder / "plan.pdf")
        runs = [_whole_import(document, folder) for _ in range(RUNS)]
        total, read = min(runs)
        results["import"] = {
            "pages": args.pages,
            "whole_import_seconds": round(total, 3),
            "read_pdf_seconds": round(read, 3),
            "reader_share": round(read / total, 2),
            "pages_per_second_read": round(args.pages / read, 1),
            "goal_seconds": GOAL_SECONDS,
            "met": total < GOAL_SECONDS,
        }
        print("import", json.dumps(results["import"]))
        large = steering_document(args.large).save(folder / "large.pdf")
        results["large"] = {"pages": args.large, **_in_child(large)}
        print("large", json.dumps(results["large"], ensure_ascii=False))
        bomb = folder / "bomb.pdf"
        bomb.write_bytes(deflate_bomb_pdf(200))
        results["deflate_bomb_200_mib"] = {"file_bytes": bomb.stat().st_size, **_in_child(bomb)}
        print("bomb", json.dumps(results["deflate_bomb_200_mib"], ensure_ascii=False))
        pages = folder / "pages.pdf"
        pages.write_bytes(many_pages_pdf(2001))
        results["pages_2001"] = _in_child(pages)
        print("pages", json.dumps(results["pages_2001"], ensure_ascii=False))
    out = ROOT / "bench" / "results" / "pdf_speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
