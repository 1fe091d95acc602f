"""The review queue as a screen: one suggestion at a time, decided with one key."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Footer, Header, Label, Static

from vinr_qual.codebook.project_codes import code_color
from vinr_qual.tui.bindings import translate_bindings
from vinr_qual.tui.screens.base import AppScreen

if TYPE_CHECKING:
    from vinr_qual.suggest.model import Why
    from vinr_qual.suggest.review import ReviewItem

# the review screen's own undo stack: its decisions, not the coding done elsewhere
REVIEW = ("review",)


def _marked(passage: str, words: list[str]) -> str:
    """The passage as markup, with the words that fired underlined."""
    if not words:
        return escape(passage)
    pattern = "|".join(
        r"\s+".join(re.escape(part) for part in word.split())
        for word in sorted(words, key=len, reverse=True)
    )
    found = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)
    pieces, at = [], 0
    for match in found.finditer(passage):
        pieces.append(escape(passage[at : match.start()]))
        pieces.append(f"[b u]{escape(match.group())}[/b u]")
        at = match.end()
    pieces.append(escape(passage[at:]))
    return "".join(pieces)


class ReviewScreen(AppScreen):
    DEFAULT_CSS = """
    ReviewScreen #review-body { height: 1fr; }
    ReviewScreen #review-passage { width: 3fr; }
    ReviewScreen #review-why-box {
        width: 2fr;
        min-width: 24;
        border-left: solid $primary-darken-2;
    }
    ReviewScreen #review-why { padding: 1 1; }
    """
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
            with Horizontal(id="review-body"):
                with VerticalScroll(id="review-passage"):
                    yield Static("", id="review-item")
                # why it was suggested, beside the passage: the rule or model, the words
                # that fired, and what the code is for and not for
                with VerticalScroll(id="review-why-box"):
                    yield Static("", id="review-why")
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
        why_view = self.query_one("#review-why", Static)
        if not self.queue:
            view.update(t("review.empty"))
            why_view.update("")
            return
        from vinr_qual.suggest.model import explain

        found = item(self.vq.project, self.queue[self.position])
        why = explain(self.vq.project, found.coding_id)
        color = code_color(self.vq.project, found.code_id)
        speaker = f", {found.speaker} ({found.role or '?'})" if found.speaker else ""
        named = why.kind in ("rule", "model", "realign")
        kind = t(f"review.why.kind.{why.kind}") if named else found.origin
        view.update(
            f"[b]{escape(found.code)}[/b]  [dim]{escape(kind)}[/dim]  "
            f"[dim]{self.position + 1}/{len(self.queue)}[/dim]\n"
            f"{escape(found.document)}{escape(speaker)}\n\n"
            f"[dim]{escape(' '.join(found.before.split()))}[/dim]\n"
            f"[on {color}]{_marked(' '.join(found.passage.split()), why.words)}[/]\n"
            f"[dim]{escape(' '.join(found.after.split()))}[/dim]"
        )
        why_view.update(self._why(why, found))

    def _origin(self, why: Why) -> str:
        """ "rule: Knappa resurser", "model: Knappa resurser (CV precision 0.78)"."""
        t = self.vq.t
        if why.kind == "rule" and why.source:
            return t("review.why.rule", code=why.source)
        if why.kind == "model" and why.source:
            if why.precision is None:
                return t("review.why.model", code=why.source)
            return t("review.why.model_precision", code=why.source, precision=why.precision)
        if why.kind == "realign":
            return t("review.why.realigned")
        return t("review.why.origin", origin=why.origin)

    def _why(self, why: Why, found: ReviewItem) -> str:
        t = self.vq.t
        parts = [f"[b]{escape(t('review.why.title'))}[/b]", escape(self._origin(why))]
        if found.old_passage is not None:
            # a corrected transcript: the passage as coded, beside its guessed new place
            coder = found.coder or "?"
            parts += [
                escape(t("review.why.realign", coder=coder)),
                "",
                f"[b]{escape(t('review.why.old_passage'))}[/b]",
                escape(" ".join(found.old_passage.split())),
            ]
        if why.kind == "model" and why.recall is not None:
            parts.append(f"[dim]{escape(t('review.why.recall', recall=why.recall))}[/dim]")
        if why.forced:
            parts.append(f"[b]{escape(t('review.why.forced'))}[/b]")
        if why.kind in ("rule", "model"):
            words = ", ".join(why.words) if why.words else t("review.why.no_words")
            parts += ["", f"[b]{escape(t('review.why.words'))}[/b]", escape(words)]
            if why.probability is not None:
                chance = t("review.why.probability", probability=why.probability)
                parts.append(f"[dim]{escape(chance)}[/dim]")
        for key, text in (("definition", why.definition), ("not_when", why.not_when)):
            if text:
                heading = escape(t(f"review.why.{key}"))
                parts += ["", f"[b]{heading}[/b]", escape(" ".join(text.split()))]
        return "\n".join(parts)

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
