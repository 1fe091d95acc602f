"""The review queue as a screen: one suggestion at a time, decided with one key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Footer, Header, Label, Static

from vinr_qual.codebook.project_codes import code_color
from vinr_qual.tui.bindings import translate_bindings
from vinr_qual.tui.screens.base import AppScreen

# the review screen's own undo stack: its decisions, not the coding done elsewhere
REVIEW = ("review",)


class ReviewScreen(AppScreen):
    BINDINGS = [
        Binding("a", "decide('accept')", "Accept", id="binding.accept"),
        Binding("r", "decide('reject')", "Reject", id="binding.reject"),
        Binding("c", "recode", "Change code", id="binding.recode"),
        Binding("s", "widen('sentence')", "Widen to sentence", id="binding.widen_sentence"),
        Binding("t", "widen('turn')", "Widen to turn", id="binding.widen_turn"),
        Binding("n,right", "move(1)", "Skip", id="binding.skip"),
        Binding("p,left", "move(-1)", "Previous", id="binding.previous", show=False),
        Binding("o", "show", "Show in document", id="binding.show", show=False),
        Binding("q", "quote", "Quote", id="binding.quote_add"),
        Binding("g", "app.autocode", "Suggest codings", id="binding.autocode", show=False),
        Binding("ctrl+z", "undo", "Undo", id="binding.undo"),
        Binding("ctrl+y", "redo", "Redo", id="binding.redo", show=False),
        Binding("escape", "back", "Back", id="binding.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.queue: list[int] = []
        self.position = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Label("", id="review-progress")
            with VerticalScroll():
                yield Static("", id="review-item")
        yield Footer()

    def on_mount(self) -> None:
        translate_bindings(self, self.vq.t)
        self.reload()

    def reload(self) -> None:
        from vinr_qual.suggest.review import pending

        self.queue = pending(self.vq.project)
        self.position = min(self.position, max(0, len(self.queue) - 1))
        self.show_item()

    def show_item(self) -> None:
        from vinr_qual.suggest.review import item, progress

        t = self.vq.t
        counts = progress(self.vq.project)
        self.query_one("#review-progress", Label).update(
            t("review.progress", decided=counts.decided, pending=counts.pending)
        )
        view = self.query_one("#review-item", Static)
        if not self.queue:
            view.update(t("review.empty"))
            return
        found = item(self.vq.project, self.queue[self.position])
        color = code_color(self.vq.project, found.code_id)
        speaker = f", {found.speaker} ({found.role or '?'})" if found.speaker else ""
        origin = "rule" if found.origin.startswith("rule:") else found.origin
        view.update(
            f"[b]{escape(found.code)}[/b]  [dim]{escape(origin)}[/dim]  "
            f"[dim]{self.position + 1}/{len(self.queue)}[/dim]\n"
            f"{escape(found.document)}{escape(speaker)}\n\n"
            f"[dim]{escape(' '.join(found.before.split()))}[/dim]\n"
            f"[on {color}]{escape(' '.join(found.passage.split()))}[/]\n"
            f"[dim]{escape(' '.join(found.after.split()))}[/dim]"
        )

    def _current(self) -> int | None:
        return self.queue[self.position] if self.queue else None

    def action_quote(self) -> None:
        from vinr_qual.coding.codings import coding_row

        coding_id = self._current()
        if coding_id is None:
            return
        row = coding_row(self.vq.project, coding_id)
        self.vq.add_to_basket(
            row["document_id"],
            row["start"],
            row["end"],
            code_id=row["code_id"],
            coding_guid=row["guid"],
        )

    def action_decide(self, action: str) -> None:
        from vinr_qual.suggest import review

        coding_id = self._current()
        if coding_id is None:
            return
        getattr(review, action)(self.vq.project, coding_id, decider=self.vq.coder)
        self.vq.record_action(REVIEW)
        self.notify(self.vq.t(f"review.{action}ed"))
        self.reload()

    def action_recode(self) -> None:
        from vinr_qual.suggest import review

        coding_id = self._current()
        if coding_id is None:
            return

        def chosen(code_id: str | None) -> None:
            if code_id:
                review.recode(self.vq.project, coding_id, code_id, decider=self.vq.coder)
                self.vq.record_action(REVIEW)
                self.vq.remember(code_id)
                self.reload()

        self.vq.pick_code(self.vq.t("picker.recode_title"), chosen)

    def action_widen(self, unit: str) -> None:
        from vinr_qual.errors import VinrQualError
        from vinr_qual.suggest import review

        coding_id = self._current()
        if coding_id is None:
            return
        try:
            review.widen(self.vq.project, coding_id, unit, decider=self.vq.coder)
        except VinrQualError as error:
            self.notify(str(error), severity="warning")
            return
        self.vq.record_action(REVIEW)
        self.notify(self.vq.t("review.widened"))
        self.show_item()

    def action_move(self, step: int) -> None:
        if self.queue:
            self.position = (self.position + step) % len(self.queue)
            self.show_item()

    def action_show(self) -> None:
        from vinr_qual.coding.codings import coding_row

        coding_id = self._current()
        if coding_id is not None:
            row = coding_row(self.vq.project, coding_id)
            self.vq.open_document(row["document_id"], select=(row["start"], row["end"]))

    def action_undo(self) -> None:
        self._revert(self.vq.undo(REVIEW), "document.nothing_to_undo")

    def action_redo(self) -> None:
        self._revert(self.vq.redo(REVIEW), "document.nothing_to_redo")

    def _revert(self, message: str | None, nothing: str) -> None:
        """Undo here takes back this screen's own decisions, newest first."""
        if message is None:
            self.notify(self.vq.t(nothing))
            return
        if message:
            self.notify(message)
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()
