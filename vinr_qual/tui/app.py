"""The vinr-qual terminal app: one factory builds it for the command line and for tests."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from vinr_qual.project import Project
from vinr_qual.tui.background import Requests
from vinr_qual.tui.i18n import Strings, default_language
from vinr_qual.tui.messages import Failed

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from vinr_qual.codebook.model import Codebook
    from vinr_qual.coding.history import Action
    from vinr_qual.ingest.options import ImportOptions, ImportPlan
    from vinr_qual.tui.dialogs.import_progress import ImportSummary
    from vinr_qual.tui.messages import AutocodeDone, ReportWritten

# what an undo stack belongs to: ("document", id), ("review",), ("search",)
Scope = tuple[object, ...]


class VinrQualApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "vinr-qual"
    BINDINGS = [
        Binding("f1", "help", "Help", show=False),
        Binding("ctrl+f", "search", "Search", show=False),
        Binding("ctrl+r", "review", "Review", show=False),
        Binding("ctrl+t", "matrix", "Matrix", show=False),
        Binding("ctrl+b", "quotes", "Quote basket", show=False),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        project_path: Path,
        *,
        language: str | None = None,
        coder: str | None = None,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.project = Project.open(self.project_path)
        chosen = language or self.project.setting("ui.language") or default_language()
        self.t = Strings(chosen)
        self._coder = coder or os.environ.get("VINR_QUAL_CODER") or self.project.setting("coder")
        self.show_others = True
        self.cursor_blink = cursor_blink
        self.recent: list[str] = []
        # undo is scoped: each document view, the review screen and search keep their own
        self.undo_stacks: dict[Scope, list[int]] = {}
        self.redo_stacks: dict[Scope, list[int]] = {}
        self._shortcuts: dict[str, str] | None = None
        self.requests = Requests()

    # who is coding ----------------------------------------------------------------------

    @property
    def coder(self) -> str:
        return self._coder or self.project.actor

    def set_coder(self, name: str) -> None:
        name = name.strip()
        if not name:
            return
        self._coder = name
        self.project.set_setting("coder", name)
        self.project.coder_id(name)
        self._show_identity()

    def _show_identity(self) -> None:
        self.title = self.t("app.title")
        self.sub_title = self.t("app.subtitle", project=self.project_path.name, coder=self.coder)

    # start ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        from vinr_qual.codebook.picker import recent_codes
        from vinr_qual.tui.screens.documents import DocumentsScreen

        self._show_identity()
        self.push_screen(DocumentsScreen())
        if self._coder:
            self.recent = recent_codes(self.project, self._coder)
        else:
            self.ask_coder()

    def ask_coder(self) -> None:
        from vinr_qual.tui.dialogs.prompt import TextPrompt

        def chosen(name: str | None) -> None:
            self.set_coder(name or self.project.actor)

        self.push_screen(
            TextPrompt(self.t("coder.title"), self.t("coder.help"), self.project.actor), chosen
        )

    def on_unmount(self) -> None:
        self.project.close()

    # shared by the screens --------------------------------------------------------------

    def add_to_basket(
        self,
        document_id: int,
        start: int,
        end: int,
        *,
        code_id: str | None = None,
        coding_guid: str | None = None,
    ) -> None:
        """Put a passage in the quote basket and say so (or why not) in one line."""
        from vinr_qual.errors import VinrQualError
        from vinr_qual.quoting.basket import add_quote, list_quotes

        try:
            quote = add_quote(
                self.project,
                document_id,
                start,
                end,
                code_id=code_id,
                coding_guid=coding_guid,
                coder=self.coder,
            )
        except VinrQualError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        count = len(list_quotes(self.project))
        self.notify(self.t("quotes.added", id=quote.label, count=count), markup=False)

    def open_document(self, document_id: int, select: tuple[int, int] | None = None) -> None:
        from vinr_qual.tui.screens.document import DocumentScreen

        screen = DocumentScreen(document_id, select)
        self.push_screen(screen)
        if not self.cursor_blink:
            self.call_after_refresh(self._stop_blink, screen)

    def _stop_blink(self, screen: Screen[None]) -> None:
        from vinr_qual.tui.widgets.transcript import Transcript

        for transcript in screen.query(Transcript):
            transcript.cursor_blink = False

    def shortcuts(self) -> dict[str, str]:
        if self._shortcuts is None:
            from vinr_qual.codebook.project_codes import shortcut_codes

            self._shortcuts = shortcut_codes(self.project)
        return self._shortcuts

    def pick_code(
        self,
        title: str,
        callback: Callable[[str | None], None],
        *,
        codebook: Codebook | None = None,
    ) -> None:
        """The code picker over the project's codebook, or over `codebook` (a part of it)."""
        from vinr_qual.codebook.project_codes import read_codebook
        from vinr_qual.tui.dialogs.code_picker import CodePicker

        book = codebook if codebook is not None else read_codebook(self.project)
        self.push_screen(CodePicker(book, self.recent, self.t, title=title), callback)

    def remember(self, code_id: str) -> None:
        self.recent = [code_id, *(c for c in self.recent if c != code_id)][:10]

    def record_action(self, scope: Scope) -> None:
        """This coder's action just logged is the newest thing to undo in `scope`."""
        from vinr_qual.coding.history import last_action

        change_id = last_action(self.project, actor=self.coder)
        if change_id is None:
            return
        self.undo_stacks.setdefault(scope, []).append(change_id)
        self.redo_stacks.pop(scope, None)

    def undo(self, scope: Scope) -> str | None:
        """Take back the newest action of this coder in `scope`; says what it took back."""
        return self._revert(scope, self.undo_stacks, self.redo_stacks, "document.undone")

    def redo(self, scope: Scope) -> str | None:
        return self._revert(scope, self.redo_stacks, self.undo_stacks, "document.redone")

    def _revert(
        self,
        scope: Scope,
        source: dict[Scope, list[int]],
        target: dict[Scope, list[int]],
        message: str,
    ) -> str | None:
        """Revert the newest change of `source[scope]`; a refusal is shown, not raised.
        Returns the message to show, or None when there was nothing to revert."""
        from vinr_qual.coding.history import describe, revert
        from vinr_qual.errors import VinrQualError

        stack = source.get(scope)
        if not stack:
            return None
        change_id = stack.pop()
        action = describe(self.project, change_id)
        try:
            target.setdefault(scope, []).append(revert(self.project, change_id, actor=self.coder))
        except VinrQualError as error:
            self.notify(str(error), severity="error")
            return ""
        return self.t(message, what=describe_action(self.t, action))

    # commands ---------------------------------------------------------------------------

    def action_help(self) -> None:
        from vinr_qual.tui.dialogs.help import HelpScreen

        self.push_screen(HelpScreen(self.t("help.title"), self.t("help.body")))

    def action_documents(self) -> None:
        from vinr_qual.tui.screens.documents import DocumentsScreen

        while not isinstance(self.screen, DocumentsScreen) and len(self.screen_stack) > 2:
            self.pop_screen()

    def action_import(self) -> None:
        from vinr_qual.tui.dialogs.import_options import ImportChoice, ImportDialog

        def chosen(choice: ImportChoice | None) -> None:
            if choice is not None:
                self.run_import(choice.plan)

        self.push_screen(ImportDialog(self.t), chosen)

    def start_import(self, sources: list[Path], options: ImportOptions | None = None) -> None:
        """Import files already chosen (by a caller that knows them) with `options`."""
        from vinr_qual.errors import VinrQualError
        from vinr_qual.ingest.options import ImportOptions, plan_import

        try:
            plan = plan_import(sources, options or ImportOptions())
        except VinrQualError as error:
            self.notify(str(error), severity="error")
            return
        self.run_import(plan)

    def run_import(self, plan: ImportPlan) -> None:
        """Import the plan's files in a worker behind a progress dialog."""
        from vinr_qual.tui.dialogs.import_progress import ImportScreen

        def finished(summary: ImportSummary | None) -> None:
            if summary is None:
                return
            message, severity = import_message(self.t, summary, plan)
            self.notify(message, severity=severity, markup=False)
            reload = getattr(self.screen, "reload", None)
            if callable(reload):
                reload()

        self.push_screen(
            ImportScreen(self.project_path, plan.requests, self.t, replace=plan.replace),
            finished,
        )

    # work in the background for the whole app -------------------------------------------

    def action_autocode(self) -> None:
        """Run the codebook's rules in a worker; the review queue fills with suggestions."""
        from vinr_qual.tui.background import is_running, run_in_thread
        from vinr_qual.tui.messages import AutocodeDone

        if is_running(self, "autocode"):  # a second run would write the same suggestions
            self.notify(self.t("autocode.running"), severity="warning")
            return
        request = self.requests.next("autocode")
        path = self.project_path

        def work() -> AutocodeDone:
            from vinr_qual.suggest.rules import autocode

            with Project.open(path) as project:
                found = autocode(project)
            return AutocodeDone(request, found.added, found.found)

        self.notify(self.t("autocode.running"))
        run_in_thread(self, "autocode", request, work, description="autocode")

    def on_autocode_done(self, message: AutocodeDone) -> None:
        from vinr_qual.tui.screens.review import ReviewScreen

        self.notify(self.t("autocode.done", count=message.added, found=message.found))
        if isinstance(self.screen, ReviewScreen):
            self.screen.reload()

    def action_report(self) -> None:
        from vinr_qual.tui.dialogs.prompt import TextPrompt

        def chosen(text: str | None) -> None:
            if text and text.strip():
                self.write_report(Path(text.strip()).expanduser())

        default = self.project_path.with_name(f"{self.project_path.stem}-rapport.html")
        self.push_screen(
            TextPrompt(self.t("report.title"), self.t("report.help"), str(default)), chosen
        )

    def write_report(self, target: Path) -> None:
        """Write the report (.html or .md) in a worker; says where, or why not."""
        from vinr_qual.tui.background import is_running, run_in_thread
        from vinr_qual.tui.messages import ReportWritten

        if is_running(self, "report"):
            self.notify(self.t("report.running"), severity="warning")
            return
        request = self.requests.next("report")
        path = self.project_path

        def work() -> ReportWritten:
            from vinr_qual.export.report import write_report

            with Project.open(path) as project:
                return ReportWritten(request, write_report(project, target))

        self.notify(self.t("report.running"))
        run_in_thread(self, "report", request, work, description=f"report {target}")

    def on_report_written(self, message: ReportWritten) -> None:
        written = message.paths[0] if message.paths else ""
        if str(written).lower().endswith(".docx"):  # its charts are inside it
            self.notify(self.t("report.done_docx", path=written), markup=False)
            return
        self.notify(
            self.t("report.done", path=written, charts=len(message.paths) - 1), markup=False
        )

    def on_failed(self, message: Failed) -> None:
        if self.requests.is_current(message.group, message.request):
            self.notify(message.error, severity="error", markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers (rules, report): a crash is shown as one line."""
        from vinr_qual.tui.background import one_line

        if event.state == WorkerState.ERROR:
            self.notify(one_line(event.worker.error), severity="error", markup=False)

    def action_search(self) -> None:
        from vinr_qual.tui.screens.search import SearchScreen

        self.push_screen(SearchScreen())

    def action_matrix(self) -> None:
        from vinr_qual.tui.screens.matrix import MatrixScreen

        self.push_screen(MatrixScreen())

    def action_review(self) -> None:
        from vinr_qual.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen())

    def action_quotes(self) -> None:
        from vinr_qual.tui.screens.quotes import QuotesScreen

        self.push_screen(QuotesScreen())

    def action_pseudonyms(self) -> None:
        from vinr_qual.tui.screens.pseudonyms import PseudonymsScreen

        self.push_screen(PseudonymsScreen())

    def action_switch_language(self) -> None:
        from vinr_qual.tui.screens.documents import DocumentsScreen

        language = "en" if self.t.language == "sv" else "sv"
        self.project.set_setting("ui.language", language)
        self.t = Strings(language)
        self._show_identity()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(DocumentsScreen())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        t = self.t
        yield SystemCommand(
            t("command.documents"), t("command.documents.help"), self.action_documents
        )
        yield SystemCommand(t("command.search"), t("command.search.help"), self.action_search)
        yield SystemCommand(t("command.review"), t("command.review.help"), self.action_review)
        yield SystemCommand(t("command.matrix"), t("command.matrix.help"), self.action_matrix)
        yield SystemCommand(t("command.quotes"), t("command.quotes.help"), self.action_quotes)
        yield SystemCommand(
            t("command.pseudonyms"), t("command.pseudonyms.help"), self.action_pseudonyms
        )
        yield SystemCommand(t("command.import"), t("command.import.help"), self.action_import)
        yield SystemCommand(t("command.autocode"), t("command.autocode.help"), self.action_autocode)
        yield SystemCommand(t("command.report"), t("command.report.help"), self.action_report)
        yield SystemCommand(t("command.coder"), t("command.coder.help"), self.ask_coder)
        yield SystemCommand(
            t("command.language"), t("command.language.help"), self.action_switch_language
        )
        yield SystemCommand(t("command.help"), t("command.help.help"), self.action_help)
        for binding in screen.active_bindings.values():
            action = binding.binding
            if action.id and action.id.startswith("binding.") and action.description:
                yield SystemCommand(
                    action.description,
                    f"{action.key_display or action.key}",
                    lambda name=action.action: self.call_later(screen.run_action, name),
                )


def describe_action(t: Strings, action: Action) -> str:
    """An action as the coder would name it: what it did, to which code and passage."""
    verb = action.action.split()[0] if action.action else ""
    what = t.get(f"action.{verb}", action.action)
    if action.codings > 1:
        what = t("action.many", what=what, count=action.codings)
    if action.code:
        what += f" «{action.code}»"
    if action.passage and action.codings == 1:
        passage = " ".join(action.passage.split())
        what += f": “{passage[:40]}{'…' if len(passage) > 40 else ''}”"
    return what


def import_message(
    t: Strings, summary: ImportSummary, plan: ImportPlan
) -> tuple[str, SeverityLevel]:
    """The toast at the end of an import: the counts, then which files failed and why
    (the first three), and the metadata rows that matched no file."""
    if summary.cancelled:
        lines = [t("import.cancelled", done=summary.done)]
    else:
        lines = [
            t(
                "import.done",
                imported=summary.imported,
                unchanged=summary.unchanged,
                failed=summary.failed,
            )
        ]
    lines.extend(summary.failures[:3])
    if len(summary.failures) > 3:
        lines.append(t("import.more_failed", count=len(summary.failures) - 3))
    if summary.changed:
        lines.append(t("import.changed", names=", ".join(summary.changed[:3])))
    if plan.unused_metadata:
        lines.append(t("import.unused", rows=", ".join(plan.unused_metadata[:5])))
    if not plan.requests:
        lines.append(t("import.nothing"))
    severity: SeverityLevel = "warning" if summary.failures or summary.cancelled else "information"
    return "\n".join(lines), severity


def make_app(project_path: Path, **options: object) -> VinrQualApp:
    """The app on a project file: used by `vinr-qual tui`, `make run` and the tests."""
    return VinrQualApp(project_path, **options)  # type: ignore[arg-type]
