"""Importing files from the app: a thread worker with its own database connection, a
progress bar, and a cancel key. A cancelled import stops between files, so every file
imported is whole. The files come planned (vinr_qual.ingest.options.plan_import, as for
`vinr-qual import`), each with its metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, ProgressBar
from textual.worker import Worker, WorkerState, get_current_worker

from vinr_qual.tui.background import one_line
from vinr_qual.tui.i18n import Strings

if TYPE_CHECKING:
    from vinr_qual.ingest.pipeline import ImportRequest


class _Cancelled(BaseException):  # not an Exception: no handler on the way may swallow it
    pass


@dataclass
class ImportSummary:
    imported: int = 0
    unchanged: int = 0
    failed: int = 0
    done: int = 0
    cancelled: bool = False
    failures: list[str] = field(default_factory=list)  # why each failed file failed
    changed: list[str] = field(default_factory=list)  # files changed since, not replaced


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

    def __init__(
        self,
        project_path: Path,
        requests: list[ImportRequest],
        strings: Strings,
        *,
        replace: bool = False,
    ) -> None:
        super().__init__()
        self.project_path = project_path
        self.requests = requests
        self.replace = replace
        self.t = strings
        self.summary = ImportSummary()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.t("import.title"), id="import-title")
            yield ProgressBar(show_eta=False, id="import-bar")
            yield Label("", id="import-status")
            yield Button(self.t("binding.cancel"), id="import-cancel", variant="warning")

    def on_mount(self) -> None:
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
                self.summary.failures.append(outcome.message)
            else:
                self.summary.unchanged += 1
                if outcome.status == "changed":
                    self.summary.changed.append(outcome.name)
            self.app.call_from_thread(self._show, outcome.name)
            if worker.is_cancelled:
                raise _Cancelled

        with Project.open(self.project_path) as project:  # a thread opens its own connection
            try:
                import_sources(project, self.requests, replace=self.replace, on_outcome=advance)
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
        event.stop()
        if event.state == WorkerState.SUCCESS:
            self.dismiss(self.summary)
        elif event.state == WorkerState.CANCELLED:
            self.summary.cancelled = True
            self.dismiss(self.summary)
        elif event.state == WorkerState.ERROR:
            self.app.notify(one_line(event.worker.error), severity="error", markup=False)
            self.dismiss(self.summary)

    def on_button_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "import")
