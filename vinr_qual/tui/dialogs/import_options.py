"""The import dialog: the files and what is known of them, as `vinr-qual import` asks.

A file or folder, a metadata CSV, a case pattern on file names, and a case, kind, date and
interviewee role for every file, and whether files changed since their import replace
their documents. The dialog resolves the files with the command line's own
`plan_import` (in a worker: a folder may be large) and closes with the plan; an option
it refuses (a bad CSV, pattern or date) is shown as one line and the dialog stays open.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select
from textual.worker import Worker, WorkerState

from vinr_qual.ingest.options import ImportOptions, ImportPlan
from vinr_qual.tui.background import Requests, one_line, run_in_thread
from vinr_qual.tui.i18n import Strings
from vinr_qual.tui.messages import Failed, ImportPlanned

KINDS = ("interview", "steering", "other")
# the text fields, in order: (widget id, string key of its label)
FIELDS = (
    ("import-path", "import.field.path"),
    ("import-metadata", "import.field.metadata"),
    ("import-case-pattern", "import.field.case_pattern"),
    ("import-case", "import.field.case"),
    ("import-date", "import.field.date"),
    ("import-role", "import.field.role"),
)


@dataclass
class ImportChoice:
    """What the dialog closes with: the paths, the options, and the files they give."""

    paths: list[Path]
    options: ImportOptions
    plan: ImportPlan


class ImportDialog(ModalScreen[ImportChoice | None]):
    DEFAULT_CSS = """
    ImportDialog { align: center middle; }
    ImportDialog > Vertical {
        width: 84; max-width: 98%; height: auto; max-height: 98%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    ImportDialog #import-dialog-title { text-style: bold; }
    ImportDialog .import-help { color: $text-muted; padding: 0 0 1 0; width: 100%; }
    ImportDialog Grid {
        grid-size: 2; grid-columns: 22 1fr; grid-rows: 1; height: auto;
    }
    ImportDialog Grid Label { color: $text-muted; }
    ImportDialog #import-error { color: $error; padding: 1 0 0 0; height: auto; }
    ImportDialog Horizontal { height: auto; padding: 1 0 0 0; }
    ImportDialog Horizontal Button { margin: 0 2 0 0; }
    """
    BINDINGS = [
        Binding("escape", "cancel", show=False),
        Binding("ctrl+s", "submit", show=False, priority=True),
    ]

    def __init__(self, strings: Strings, path: str = "") -> None:
        super().__init__()
        self.t = strings
        self.initial_path = path
        self.requests = Requests()

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical():
            yield Label(t("import.title"), id="import-dialog-title")
            yield Label(t("import.dialog_help"), classes="import-help")
            with Grid():
                for field_id, key in FIELDS:
                    yield Label(t(key))
                    yield Input(
                        self.initial_path if field_id == "import-path" else "",
                        placeholder=t(f"{key}.placeholder"),
                        id=field_id,
                        compact=True,
                    )
                    if field_id == "import-case":  # the kind follows the case
                        yield Label(t("import.field.kind"))
                        yield Select(
                            [(t(f"kind.{kind}"), kind) for kind in KINDS],
                            prompt=t("import.kind.none"),
                            allow_blank=True,
                            id="import-kind",
                            compact=True,
                        )
                yield Label("")
                yield Checkbox(t("import.field.replace"), id="import-replace", compact=True)
            yield Label("", id="import-error")
            with Horizontal():
                yield Button(t("import.start"), id="import-start", variant="primary", compact=True)
                yield Button(t("prompt.cancel"), id="import-dismiss", compact=True)

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    def _text(self, field_id: str) -> str | None:
        return self.query_one(f"#{field_id}", Input).value.strip() or None

    def options(self) -> tuple[list[Path], ImportOptions]:
        """The paths and options as entered (checked by `plan_import`, not here)."""
        path, metadata = self._text("import-path"), self._text("import-metadata")
        kind = self.query_one("#import-kind", Select).value
        options = ImportOptions(
            metadata=Path(metadata).expanduser() if metadata else None,
            case_pattern=self._text("import-case-pattern"),
            case=self._text("import-case"),
            kind=kind if isinstance(kind, str) else None,
            date=self._text("import-date"),
            interviewee_role=self._text("import-role"),
            replace=self.query_one("#import-replace", Checkbox).value,
        )
        return ([Path(path).expanduser()] if path else []), options

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#import-start")
    def _start_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#import-dismiss")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_submit(self) -> None:
        paths, options = self.options()
        error = self.query_one("#import-error", Label)
        if not paths:
            error.update(self.t("import.no_path"))
            self.query_one("#import-path", Input).focus()
            return
        error.update(self.t("import.planning"))
        request = self.requests.next("plan")

        def work() -> ImportPlanned:
            from vinr_qual.ingest.options import plan_import

            return ImportPlanned(request, paths, options, plan_import(paths, options))

        run_in_thread(self, "plan", request, work, description="plan an import")

    def on_import_planned(self, message: ImportPlanned) -> None:
        if not self.requests.is_current("plan", message.request):
            return
        if not message.plan.requests:
            self.query_one("#import-error", Label).update(
                escape(self.t("import.no_files", path=", ".join(map(str, message.paths))))
            )
            return
        self.dismiss(ImportChoice(message.paths, message.options, message.plan))

    def on_failed(self, message: Failed) -> None:
        if self.requests.is_current(message.group, message.request):
            self.query_one("#import-error", Label).update(escape(message.error))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.query_one("#import-error", Label).update(escape(one_line(event.worker.error)))

    def action_cancel(self) -> None:
        self.dismiss(None)
