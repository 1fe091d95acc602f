"""Analysis speed goals:

- the code matrix and co-occurrence over 100,000 codings in under 200 ms each, from the
  project file to the result (the default: passages, codes × cases; overlap);
- agreement between two coders' full coding of the demo corpus in under 1 s.

Agreement: every sentence of the demo corpus coded by two coders, who choose the same code
seven times in ten. Matrix and co-occurrence: a corpus of about 2 million words made from
the demo corpus's sentences (as bench/search_speed.py makes its corpus), with 100,000
codings on random sentences, a fifth of them running on into the next sentence so that
codings overlap. Run `.venv/bin/python bench/analysis_speed.py`; results go to
bench/results/analysis_speed.json.
"""

from __future__ import annotations

import gc
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vinr_qual.analysis.agreement import agreement  # noqa: E402
from vinr_qual.analysis.cooccurrence import cooccurrence  # noqa: E402
from vinr_qual.analysis.facts import load_facts  # noqa: E402
from vinr_qual.analysis.matrix import code_matrix  # noqa: E402
from vinr_qual.codebook.project_codes import read_codebook  # noqa: E402
from vinr_qual.ingest.demo import build_demo  # noqa: E402
from vinr_qual.project import Project  # noqa: E402
from vinr_qual.store.clock import now  # noqa: E402

GOALS = {"matrix_s": 0.200, "cooccurrence_s": 0.200, "agreement_s": 1.0}


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    times = []
    for _ in range(5):
        started = time.perf_counter()
        function(*args, **kwargs)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    from bench.search_speed import demo_sentences, write_corpus
    from vinr_qual.ingest.pipeline import import_sources

    chooser = random.Random(5)
    keep = Path(sys.argv[sys.argv.index("--keep") + 1]) if "--keep" in sys.argv else None
    with tempfile.TemporaryDirectory() as scratch:
        folder = keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        with Project.open(folder / "demo.sqlite", create=True) as demo:
            build_demo(demo)
            codes = [c.id for c, _, _ in read_codebook(demo).walk() if c.codable]
            sentences = demo.db.execute(
                "SELECT document_id, start, \"end\" FROM segments WHERE kind = 'sentence'"
            ).fetchall()
            anna, bo = demo.coder_id("Anna"), demo.coder_id("Bo")
            rows = []
            for document_id, start, end in sentences:
                first = chooser.choice(codes)
                second = first if chooser.random() < 0.7 else chooser.choice(codes)
                rows.append((document_id, start, end, first, anna, now()))
                rows.append((document_id, start, end, second, bo, now()))
            with demo.transaction():
                demo.db.conn.executemany(
                    'INSERT INTO codings (document_id, start, "end", code_id, coder_id, created)'
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )
            agreement_seconds = timed(agreement, demo, ["Anna", "Bo"], unit="sentence")
            texts = demo_sentences(demo)
        with Project.open(folder / "large.sqlite", create=True) as project:
            build_demo(project)  # the codebook
            import_sources(project, write_corpus(texts, folder, 2_000_000))
            codes = [c.id for c, _, _ in read_codebook(project).walk() if c.codable]
            units = project.db.execute(
                "SELECT document_id, start, \"end\" FROM segments WHERE kind = 'sentence'"
                " ORDER BY document_id, start"
            ).fetchall()
            coder = project.coder_id("Anna")
            new = []
            for _ in range(100_000):
                index = chooser.randrange(len(units) - 1)
                document_id, start, end = units[index]
                if chooser.random() < 0.2 and units[index + 1][0] == document_id:
                    end = units[index + 1][2]
                new.append((document_id, start, end, chooser.choice(codes), coder, now()))
            with project.transaction():
                project.db.conn.executemany(
                    'INSERT INTO codings (document_id, start, "end", code_id, coder_id, created)'
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    new,
                )
            # as when the project is opened again later: the write-ahead log checkpointed
            project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            count = project.db.execute("SELECT count(*) FROM codings").fetchone()[0]
            words = project.db.execute("SELECT sum(words) FROM documents").fetchone()[0]
            # what the import left in memory is not part of an analysis: keep the garbage
            # collector from walking it during the timings, as in a fresh process
            gc.collect()
            gc.freeze()
            results = {
                "codings": count,
                "words": words,
                "matrix_s": timed(code_matrix, project),
                "matrix_family_by_kommungrupp_share_s": timed(
                    code_matrix, project, rows="family", columns="attr:kommungrupp", measure="share"
                ),
                "cooccurrence_s": timed(cooccurrence, project, mode="overlap"),
                "cooccurrence_sentence_s": timed(cooccurrence, project, mode="sentence"),
                "load_facts_s": timed(load_facts, project),
                "agreement_s": agreement_seconds,
            }
    for key, value in results.items():
        goal = GOALS.get(key)
        verdict = "" if goal is None else ("  yes" if value <= goal else "  NO")
        print(f"{key:<28}{value:>10.3f}{'' if goal is None else f'{goal:>8.3f}'}{verdict}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "analysis_speed.json").write_text(
        json.dumps({"goals": GOALS, "results": results}, indent=2)
    )


if __name__ == "__main__":
    main()
