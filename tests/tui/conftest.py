"""A small project for the app: the test codebook and two short interviews."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.codebook.conftest import CODEBOOK_YAML, load_file
from tests.conftest import write_text
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.tui.app import VinrQualApp, make_app

INTERVIEW = """Kommunstudien, Testby, 2025-05-12

I: Hur prioriteras arbetet mot våld i nära relationer?

IP: Kommundirektören har det högt på agendan. Men jag har bara tjugo procent av en tjänst.

I: Och samverkan inom kommunen?

IP: Vi har en styrgrupp med alla förvaltningschefer. Den fungerar. Skolan är med, och äldreomsorgen.

I: Och det brottsförebyggande rådet?

IP: Där är vi inte med. Det är separata spår, ärligt talat.
"""

SECOND = """I: Vad behöver ni?

IP: Mer tid. Och en lägesbild som vi gör tillsammans med polisen.

I: Tack.

IP: Tack själv.
"""


@pytest.fixture
def app_project(tmp_path: Path) -> Path:
    path = tmp_path / "projekt.sqlite"
    codebook = write_text(tmp_path / "kodbok.yaml", CODEBOOK_YAML)
    with Project.open(path, create=True) as project:
        load_file(project, codebook)
        import_sources(
            project,
            [
                ImportRequest(
                    write_text(tmp_path / "Testby-01.txt", INTERVIEW),
                    SourceMetadata(case="Testby", interviewee_role="samordnare"),
                ),
                ImportRequest(
                    write_text(tmp_path / "Granby-01.txt", SECOND),
                    SourceMetadata(case="Granby", kind="interview"),
                ),
            ],
        )
    return path


def build(path: Path, **options: object) -> VinrQualApp:
    options.setdefault("language", "en")
    options.setdefault("coder", "Anna")
    options.setdefault("cursor_blink", False)
    return make_app(path, **options)


def rows(path: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    """Read the project file as a separate client would, after the app has written it."""
    with Project.open(path) as project:
        return [tuple(row) for row in project.db.execute(sql, params or []).fetchall()]


def codings(path: Path) -> list[tuple[str, str, str]]:
    """(code, coder, passage) of every coding in the project file."""
    return [
        (str(code), str(coder), str(text)[int(start) : int(end)])  # type: ignore[call-overload]
        for code, coder, text, start, end in rows(
            path,
            'SELECT c.name, k.name, d.text, g.start, g."end" FROM codings g'
            " JOIN codes c ON c.id = g.code_id JOIN coders k ON k.id = g.coder_id"
            " JOIN documents d ON d.id = g.document_id ORDER BY g.id",
        )
    ]


async def settle(pilot: Any, rounds: int = 50) -> None:
    """Wait until no worker runs and their answers have been handled."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        running = [worker for worker in app.workers if not worker.is_finished]
        if not running:
            await pilot.pause()
            return
        await asyncio.gather(*(worker.wait() for worker in running), return_exceptions=True)
    raise AssertionError(f"workers still running: {list(app.workers)}")


async def until(pilot: Any, condition: Callable[[], object], timeout: float = 15) -> None:
    """Let the app run until `condition()` holds (work that starts more work)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.05)


def record_toasts(app: VinrQualApp) -> list[str]:
    """Every notification the app shows from now on (toasts expire; this list does not)."""
    shown: list[str] = []
    original = app.notify

    def notify(message: str, **options: Any) -> None:
        shown.append(message)
        original(message, **options)

    app.notify = notify  # type: ignore[method-assign]
    return shown
