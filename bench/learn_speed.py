"""Speed of the learned suggestions, measured on a project with 5,000 accepted codings.

- training every code's model (with its 5-fold cross-validation) takes under 10 s;
- "more like this" answers in under 200 ms.

The project is the demo corpus with its reference coding (about 1,900 accepted codings),
and then copies of its interviews, each coded as the original is, until there are 5,000
accepted codings. The copies make the cross-validated figures of that project meaningless
(a sentence and its copy fall in different folds), so the figures are reported from the
demo project as it is, before the copies: what its reference coding lets a model learn.

Run: `.venv/bin/python bench/learn_speed.py [--codings N] [--keep FILE] [--json FILE]`.
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

from vinr_qual.coding.codings import Passage, code_passages  # noqa: E402
from vinr_qual.ingest.demo import REFERENCE_CODER, build_demo  # noqa: E402
from vinr_qual.ingest.metadata import SourceMetadata  # noqa: E402
from vinr_qual.ingest.pipeline import ImportRequest, import_sources  # noqa: E402
from vinr_qual.project import Project  # noqa: E402
from vinr_qual.suggest.model import forget, learn, report  # noqa: E402
from vinr_qual.suggest.similar_passages import more_like_this  # noqa: E402

GOALS = {"train_all_s": 10.0, "more_like_this_s": 0.200}


def accepted(project: Project) -> int:
    return int(
        project.db.execute("SELECT count(*) FROM codings WHERE status = 'accepted'").fetchone()[0]
    )


def add_copies(project: Project, folder: Path, wanted: int) -> int:
    """Copy the interviews (as plain text) and their accepted codings until `wanted`."""
    interviews = project.db.execute(
        "SELECT d.id, d.name, d.text, c.name, d.interviewee_role FROM documents d"
        " LEFT JOIN cases c ON c.id = d.case_id WHERE d.kind = 'interview' ORDER BY d.id"
    ).fetchall()
    round_number = 0
    while accepted(project) < wanted:
        round_number += 1
        requests, sources = [], {}
        for document_id, name, text, case, role in interviews:
            path = folder / f"{Path(name).stem}-kopia{round_number}.txt"
            # a line of its own on top, or the import would know the text and skip it
            path.write_text(f"Kopia {round_number}\n\n{text}", encoding="utf-8")
            requests.append(ImportRequest(path, SourceMetadata(case=case, interviewee_role=role)))
            sources[path.name] = (document_id, text)
        import_sources(project, requests)
        per_code: dict[str, list[Passage]] = {}
        for copy_id, copy_name, copy_text in project.db.execute(
            "SELECT id, name, text FROM documents WHERE name LIKE ?", [f"%-kopia{round_number}.txt"]
        ).fetchall():
            original_id, original = sources[copy_name]
            for code_id, start, end in project.db.execute(
                'SELECT code_id, start, "end" FROM codings WHERE document_id = ?'
                " AND status = 'accepted'",
                [original_id],
            ).fetchall():
                # the same passage in the copy (the text may be normalised on import)
                at = copy_text.find(original[start:end])
                if at >= 0:
                    per_code.setdefault(code_id, []).append(Passage(copy_id, at, at + end - start))
        for code_id, passages in per_code.items():
            code_passages(project, passages, code_id, coder=REFERENCE_CODER)
        if not per_code:
            raise SystemExit("the copies could not be coded")
    return accepted(project)


def summary(project: Project) -> dict[str, object]:
    forget()
    learned = learn(project)
    rows = report(project, learned)
    models = [r for r in rows if r.weak is not None]
    best = sorted(models, key=lambda r: -(r.precision or 0))[:5]
    return {
        "accepted_codings": accepted(project),
        "sentences": learned.index.size,
        "models": len(models),
        "strong": sum(1 for r in models if not r.weak),
        "too_few": len(rows) - len(models),
        "seconds": round(learned.seconds, 2),
        "mean_precision": round(statistics.mean(r.precision or 0 for r in models), 3),
        "mean_recall": round(statistics.mean(r.recall or 0 for r in models), 3),
        "best": [
            {
                "code": r.code,
                "positives": r.positives,
                "precision": round(r.precision or 0, 2),
                "recall": round(r.recall or 0, 2),
            }
            for r in best
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--codings", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="Build the project here and keep it.")
    parser.add_argument("--json", type=Path, help="Write the results to this file too.")
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    results: dict[str, object] = {"goals": GOALS}
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "learn.sqlite"
        with Project.open(path, create=True) as project:
            began = time.perf_counter()
            build_demo(project)
            print(f"demo built in {time.perf_counter() - began:.0f} s")
            demo = summary(project)
            results["demo"] = demo
            print(
                f"demo ({demo['accepted_codings']} accepted codings, {demo['sentences']}"
                f" interviewee sentences): {demo['models']} models, {demo['strong']} not weak,"
                f" {demo['too_few']} codes below the threshold; mean CV precision"
                f" {demo['mean_precision']}, recall {demo['mean_recall']}; trained in"
                f" {demo['seconds']} s"
            )
            for row in demo["best"]:  # type: ignore[attr-defined]
                print(
                    f"  {row['code']:<44} {row['positives']:>4}  P {row['precision']:.2f}"
                    f"  R {row['recall']:.2f}"
                )
            began = time.perf_counter()
            total = add_copies(project, Path(folder), args.codings)
            print(f"copies coded in {time.perf_counter() - began:.0f} s: {total} accepted codings")

            forget()
            began = time.perf_counter()
            learned = learn(project)
            cold = time.perf_counter() - began
            forget(project)
            began = time.perf_counter()
            from vinr_qual.suggest.model import sentence_index

            sentence_index(project)
            index_s = time.perf_counter() - began
            began = time.perf_counter()
            learned = learn(project)
            models_s = time.perf_counter() - began
            began = time.perf_counter()
            learn(project)
            cached_s = time.perf_counter() - began
            # one decision in review: one code's coding changes, one model is trained again
            code_id = next(iter(learned.models))
            row = project.db.execute(
                "SELECT document_id, start, \"end\" FROM segments WHERE kind = 'sentence'"
                " AND speaker_id IS NOT NULL ORDER BY id DESC LIMIT 1"
            ).fetchone()
            code_passages(project, [Passage(*row)], code_id, coder="Bench")
            began = time.perf_counter()
            again = learn(project)
            one_s = time.perf_counter() - began
            results["train"] = {
                "accepted_codings": total,
                "sentences": learned.index.size,
                "models": len(learned.models),
                "all_s": round(cold, 3),
                "index_s": round(index_s, 3),
                "models_s": round(models_s, 3),
                "cached_s": round(cached_s, 4),
                "one_code_changed_s": round(one_s, 3),
                "retrained": again.trained,
            }
            print(
                f"training all {len(learned.models)} code models on {learned.index.size}"
                f" sentences: {cold:.2f} s (goal {GOALS['train_all_s']:.0f} s): sentence index"
                f" {index_s:.2f} s, models with cross-validation {models_s:.2f} s; unchanged"
                f" {cached_s * 1000:.1f} ms; after one code's coding changed {one_s:.2f} s"
                f" ({again.trained} model trained again)"
            )

            chooser = random.Random(5)
            coding_ids = [
                r[0]
                for r in project.db.execute(
                    "SELECT id FROM codings WHERE status = 'accepted' ORDER BY id"
                ).fetchall()
            ]
            forget()
            began = time.perf_counter()
            more_like_this(project, coding_id=chooser.choice(coding_ids))
            first = time.perf_counter() - began
            by_coding, by_code = [], []
            for coding_id in chooser.sample(coding_ids, args.queries):
                began = time.perf_counter()
                more_like_this(project, coding_id=coding_id)
                by_coding.append(time.perf_counter() - began)
            for code_id in list(learned.models)[: args.queries]:
                began = time.perf_counter()
                more_like_this(project, code_id=code_id)
                by_code.append(time.perf_counter() - began)

            def p95(values: list[float]) -> float:
                return sorted(values)[max(0, round(0.95 * len(values)) - 1)]

            results["more_like_this"] = {
                "first_call_s": round(first, 3),
                "coding_median_s": round(statistics.median(by_coding), 4),
                "coding_p95_s": round(p95(by_coding), 4),
                "code_median_s": round(statistics.median(by_code), 4),
                "code_p95_s": round(p95(by_code), 4),
            }
            print(
                f"more like this: from a coding median {statistics.median(by_coding) * 1000:.1f}"
                f" ms, p95 {p95(by_coding) * 1000:.1f} ms; from a code median"
                f" {statistics.median(by_code) * 1000:.1f} ms, p95 {p95(by_code) * 1000:.1f} ms"
                f" (goal {GOALS['more_like_this_s'] * 1000:.0f} ms); the first call of a process"
                f" builds the sentence index: {first:.2f} s"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
