"""Importing files from the app: a thread worker with its own database connection, a
progress bar, and a cancel key. A cancelled import stops between files, so every file
imported is whole."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, ProgressBar
from textual.worker import Worker, WorkerState, get_current_worker

from vinr_qual.tui.i18n import Strings


class _Cancelled(BaseException):  # not an Exception: no handler on the way may swallow it
    pass


@dataclass
class ImportSummary:
    imported: int = 0
    unchanged: int = 0
    failed: int = 0
    done: int = 0
    cancelled: bool = False


class ImportScreen(ModalScreen[ImportSummary]):
    DEFAULT_CSS = """
    ImportScreen { align: center middle; }
    ImportScreen > Vertical {
        width: 72; max-width: 95%; height: auto; border: thick $accent;
        background: $surface; padding: 0 1;
    }
    ImportScreen ProgressBar { padding: 1 0; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, project_path: Path, sources: list[Path], strings: Strings) -> None:
        super().__init__()
        self.project_path = project_path
        self.sources = sources
        self.t = strings
        self.summary = ImportSummary()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.t("import.title"), id="import-title")
            yield ProgressBar(show_eta=False, id="import-bar")
            yield Label("", id="import-status")
            yield Button(self.t("binding.cancel"), id="import-cancel", variant="warning")

    def on_mount(self) -> None:
        from vinr_qual.ingest.pipeline import collect_sources
        from vinr_qual.ingest.readers import SUFFIXES

        self.requests = collect_sources(self.sources, SUFFIXES).requests
        self.query_one(ProgressBar).update(total=max(1, len(self.requests)), progress=0)
        self.run_worker(
            self._work,
            thread=True,
            exclusive=True,
            group="import",
            exit_on_error=False,
            description="import",
        )

    def _work(self) -> ImportSummary:
        from vinr_qual.ingest.pipeline import Outcome, import_sources
        from vinr_qual.project import Project

        worker = get_current_worker()

        def advance(outcome: Outcome) -> None:
            self.summary.done += 1
            if outcome.status in ("imported", "replaced"):
                self.summary.imported += 1
            elif outcome.status == "failed":
                self.summary.failed += 1
            else:
                self.summary.unchanged += 1
            self.app.call_from_thread(self._show, outcome.name)
            if worker.is_cancelled:
                raise _Cancelled

        with Project.open(self.project_path) as project:  # a thread opens its own connection
            try:
                import_sources(project, self.requests, on_outcome=advance)
            except _Cancelled:
                self.summary.cancelled = True
        return self.summary

    def _show(self, name: str) -> None:
        self.query_one(ProgressBar).update(progress=self.summary.done)
        self.query_one("#import-status", Label).update(
            self.t("import.progress", done=self.summary.done, total=len(self.requests), name=name)
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "import":
            return
        if event.state == WorkerState.SUCCESS:
            self.dismiss(self.summary)
        elif event.state == WorkerState.CANCELLED:
            self.summary.cancelled = True
            self.dismiss(self.summary)
        elif event.state == WorkerState.ERROR:
            self.app.notify(str(event.worker.error), severity="error")
            self.dismiss(self.summary)

    def on_button_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "import")
