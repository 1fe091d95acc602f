"""The app's speed goals, measured through Textual's Pilot on a headless terminal.

- the app paints its first screen within 1.5 s of the command (a fresh process);
- opening a 15,000-word transcript with 500 codings paints it within 300 ms;
- a coding keystroke shows its highlight within 50 ms.

Run: `make bench` (or `.venv/bin/python bench/tui_speed.py`). Prints a table and writes
bench/results/tui_speed.json. Times are wall-clock on this machine, p50 and p95 over
repeated runs.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import write_long_transcript  # noqa: E402
from vinr_qual.codebook.project_codes import read_codebook  # noqa: E402
from vinr_qual.coding.codings import add_coding  # noqa: E402
from vinr_qual.ingest.demo import build_demo  # noqa: E402
from vinr_qual.ingest.metadata import SourceMetadata  # noqa: E402
from vinr_qual.ingest.pipeline import ImportRequest, import_sources  # noqa: E402
from vinr_qual.project import Project  # noqa: E402

GOALS = {"first_paint_s": 1.5, "open_long_document_s": 0.300, "coding_keystroke_s": 0.050}
FIRST_PAINT = """
import asyncio, sys, time
started = float(sys.argv[2])
from vinr_qual.tui.app import make_app
async def main():
    app = make_app(sys.argv[1], language="en", coder="Bench", cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        print(time.time() - started)
asyncio.run(main())
"""


def build_project(folder: Path) -> tuple[Path, str]:
    path = folder / "bench.sqlite"
    with Project.open(path, create=True) as project:
        build_demo(project)
        long_file = write_long_transcript(project, folder / "long")
        [outcome] = import_sources(
            project, [ImportRequest(long_file, SourceMetadata(case="Syntetby"))]
        )
        document_id = outcome.document_id
        assert document_id is not None
        sentences = project.db.execute(
            "SELECT start, \"end\" FROM segments WHERE document_id = ? AND kind = 'sentence'",
            [document_id],
        ).fetchall()
        codes = [c.id for c, _, _ in read_codebook(project).walk() if c.codable]
        chooser = random.Random(3)
        with project.transaction():
            for start, end in chooser.sample(sentences, 500):
                add_coding(project, document_id, start, end, chooser.choice(codes), coder="Bench")
        words = project.db.execute(
            "SELECT words FROM documents WHERE id = ?", [document_id]
        ).fetchone()[0]
        name = outcome.name
    print(f"long transcript: {words} words, 500 codings")
    return path, name


def first_paint(path: Path, runs: int = 5) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.time()
        result = subprocess.run(
            [sys.executable, "-c", FIRST_PAINT, str(path), str(started)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        times.append(float(result.stdout.strip().splitlines()[-1]))
    return times


class Stopwatch:
    """Times from an action to the end of the transcript's next paint (render_lines)."""

    def __init__(self) -> None:
        self.started: float | None = None
        self.times: list[float] = []

    def start(self) -> None:
        self.started = time.perf_counter()

    def painted(self) -> None:
        if self.started is not None:
            self.times.append(time.perf_counter() - self.started)
            self.started = None


async def open_and_code(path: Path, name: str, runs: int = 5) -> tuple[list[float], list[float]]:
    """Pilot drives the app; the clock runs from the action to the first paint of the
    transcript after it (Pilot's own waiting, about 0.1 s a key, is not counted)."""
    from vinr_qual.tui.app import make_app
    from vinr_qual.tui.screens.document import DocumentScreen
    from vinr_qual.tui.widgets.transcript import Transcript

    watch = Stopwatch()
    render_lines = Transcript.render_lines
    on_key = DocumentScreen.on_key

    def timed_render(self, crop):  # type: ignore[no-untyped-def]
        lines = render_lines(self, crop)
        watch.painted()
        return lines

    def timed_key(self, event):  # type: ignore[no-untyped-def]
        watch.start()
        return on_key(self, event)

    Transcript.render_lines = timed_render  # type: ignore[method-assign]
    DocumentScreen.on_key = timed_key  # type: ignore[method-assign]
    opening: list[float] = []
    keystrokes: list[float] = []
    app = make_app(path, language="en", coder="Bench", cursor_blink=False)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            with Project.open(path) as project:
                document_id = project.db.execute(
                    "SELECT id FROM documents WHERE name = ?", [name]
                ).fetchone()[0]
                shortcut = project.db.execute(
                    "SELECT shortcut FROM codes WHERE shortcut IS NOT NULL AND codable = 1 LIMIT 1"
                ).fetchone()[0]
            for _ in range(runs):
                watch.start()
                app.open_document(document_id)
                await pilot.pause()
                opening.extend(watch.times)
                watch.times.clear()
                transcript = app.screen.query_one(Transcript)
                for offset in range(10):
                    index = transcript.text.index("IP:", 2000 + offset * 500)
                    transcript.select_span(index + 4, index + 40)
                    await pilot.pause()
                    watch.started = None
                    await pilot.press(shortcut)
                    await pilot.pause()
                    keystrokes.extend(watch.times)
                    watch.times.clear()
                await pilot.press("escape")
                await pilot.pause()
    finally:
        Transcript.render_lines = render_lines  # type: ignore[method-assign]
        DocumentScreen.on_key = on_key  # type: ignore[method-assign]
    return opening, keystrokes


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": statistics.median(ordered), "p95": p95, "max": ordered[-1], "runs": len(ordered)}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path, name = build_project(Path(folder))
        results = {"first_paint_s": summary(first_paint(path))}
        opening, keystrokes = asyncio.run(open_and_code(path, name))
        results["open_long_document_s"] = summary(opening)
        results["coding_keystroke_s"] = summary(keystrokes)
    print(f"{'measure':<24}{'p50':>9}{'p95':>9}{'goal':>9}  met")
    for key, values in results.items():
        met = values["p95"] <= GOALS[key]
        verdict = "yes" if met else "NO"
        print(f"{key:<24}{values['p50']:>9.3f}{values['p95']:>9.3f}{GOALS[key]:>9.3f}  {verdict}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "tui_speed.json").write_text(json.dumps({"goals": GOALS, "results": results}, indent=2))


if __name__ == "__main__":
    main()
