"""REFI-QDA exchange at national scale: export and import of a project of about 8 million
words and 120,000 codings, each in under 60 s with under 1 GB of memory.

The project is made from the demo corpus: its documents repeated (each copy a document of
its own, a line naming the copy first, so that no two texts are the same) with every
reference coding of the demo carried to each copy. Building it goes through the .qdpx
import itself, which is the import measured. Each step runs in a process of its own, so
that its peak memory is its own. `--quick` makes a project of two copies (about 240,000
words) to try the harness. Run `.venv/bin/python bench/qdpx_speed.py [--quick]`; results
go to bench/results/qdpx_speed.json.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOALS = {"export_s": 60.0, "import_s": 60.0, "peak_mb": 1024.0}
NATIONAL_COPIES = 66  # 66 × the demo's 120,820 words ≈ 8.0 M words


def _scaled_package(folder: Path, copies: int) -> Path:
    from vinr_qual.exchange import package as pk
    from vinr_qual.exchange.from_project import package_of
    from vinr_qual.exchange.qdpx_write import write_qdpx
    from vinr_qual.ingest.demo import build_demo
    from vinr_qual.project import Project

    with Project.open(folder / "demo.sqlite", create=True) as demo:
        build_demo(demo)
        base = package_of(demo)
    sources = []
    for copy in range(copies):
        for source in base.sources:
            head = f"Kopia {copy + 1} av {source.name}\n"
            guid = pk.derived_guid("bench", str(copy), source.guid)
            sources.append(
                pk.Source(
                    guid,
                    f"{copy + 1:03}-{source.name}",
                    head + source.text,
                    source.kind,
                    codings=[
                        pk.Coding(
                            pk.derived_guid("bench", str(copy), coding.guid),
                            coding.code_guid,
                            coding.start + len(head),
                            coding.end + len(head),
                            coding.user_guid,
                            coding.created,
                        )
                        for coding in source.codings
                    ],
                )
            )
    base.sources = sources
    for case in base.cases:
        case.sources = []
    out = folder / "national.qdpx"
    write_qdpx(base, out)
    return out


def _step(step: str, folder: Path) -> None:
    """One measured step, run in this (child) process; prints its figures as JSON."""
    from vinr_qual.exchange.bring_in import apply, plan
    from vinr_qual.exchange.from_project import package_of
    from vinr_qual.exchange.qdpx_read import read_qdpx
    from vinr_qual.exchange.qdpx_write import write_qdpx
    from vinr_qual.project import Project

    started = time.perf_counter()
    cpu = time.process_time()
    if step == "import":
        with Project.open(folder / "national.sqlite", create=True) as project:
            package = read_qdpx(folder / "national.qdpx")
            apply(project, plan(project, package, label="national.qdpx"))
            words, codings = project.db.execute(
                "SELECT (SELECT sum(words) FROM documents), (SELECT count(*) FROM codings)"
            ).fetchone()
    else:
        with Project.open(folder / "national.sqlite", read_only=True) as project:
            package = package_of(project)
        write_qdpx(package, folder / "again.qdpx")
        words = sum(len(source.text.split()) for source in package.sources)
        codings = package.coding_count()
    figures = {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "peak_mb": _peak_mb(),
        "words": words,
        "codings": codings,
    }
    print(json.dumps(figures))


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss it starts afresh at
    exec, so the parent's memory is not counted)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    quick = "--quick" in sys.argv
    copies = 2 if quick else NATIONAL_COPIES
    results: dict[str, object] = {"copies": copies, "goals": GOALS}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        package = _scaled_package(folder, copies)
        results["package_mb"] = package.stat().st_size / 1024**2
        results["build_s"] = time.perf_counter() - started
        for step in ("import", "export"):
            output = subprocess.run(
                [sys.executable, __file__, "--step", step, str(folder)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            results[step] = json.loads(output.strip().splitlines()[-1])
            print(step, results[step], flush=True)
    verdicts = {
        "import_s": results["import"]["seconds"] <= GOALS["import_s"],  # type: ignore[index]
        "export_s": results["export"]["seconds"] <= GOALS["export_s"],  # type: ignore[index]
        "import_peak_mb": results["import"]["peak_mb"] <= GOALS["peak_mb"],  # type: ignore[index]
        "export_peak_mb": results["export"]["peak_mb"] <= GOALS["peak_mb"],  # type: ignore[index]
    }
    results["met"] = verdicts
    out = ROOT / "bench" / "results" / ("qdpx_speed_quick.json" if quick else "qdpx_speed.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    if "--step" in sys.argv:
        _step(sys.argv[sys.argv.index("--step") + 1], Path(sys.argv[-1]))
    else:
        main()
