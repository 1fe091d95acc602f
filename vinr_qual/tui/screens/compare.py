"""Policy beside practice: a passage on the left, the other kind of source of its case on
the right (an interview passage beside the steering documents, a plan's passage beside
the interviews).

The right side lists the passages coded with the passage's codes first, then the
sentences closest in wording; the one under the cursor is shown in its context below the
list. Enter opens it in the document view, where V compares again from there: so one
can go from what a coordinator says to what the plan promises and back.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from vinr_qual.analysis.policy_practice import Passage
from vinr_qual.tui.bindings import translate_bindings
from vinr_qual.tui.messages import CounterpartsFound
from vinr_qual.tui.screens.base import AppScreen
from vinr_qual.tui.widgets.transcript import Transcript

CONTEXT = 400  # characters shown around the passage under the cursor


class CompareScreen(AppScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="binding.back"),
        Binding("enter", "open", "Open", id="binding.open", priority=True),
        Binding("tab", "switch_side", "Other side", id="binding.other_side"),
        Binding("question_mark", "app.help", "Help", id="binding.help"),
    ]

    def __init__(self, document_id: int, start: int, end: int, code_id: str | None = None):
        super().__init__()
        self.document_id = document_id
        self.span = (start, end)
        self.code_id = code_id
        self.passages: list[Passage] = []
        self.texts: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        from vinr_qual.cases.documents import document_text

        name, text = document_text(self.vq.project, self.document_id)
        self.document_name = name
        yield Header()
        with Horizontal():
            with Vertical(id="compare-here"):
                yield Static(f"[b]{escape(name)}[/b]", id="compare-here-title")
                yield Transcript(text, id="compare-transcript")
            with Vertical(id="compare-there"):
                yield Static(self.vq.t("compare.searching"), id="compare-there-title")
                yield OptionList(id="compare-list")
                with VerticalScroll(id="compare-context-box"):
                    yield Static("", id="compare-context")
        yield Footer()

    def on_mount(self) -> None:
        translate_bindings(self, self.vq.t)
        self.sub_title = self.vq.t("compare.title")
        transcript = self.query_one(Transcript)
        transcript.select_span(*self.span)
        self.call_after_refresh(transcript.scroll_cursor_visible, center=True)
        self.query_one(OptionList).focus()
        path, document_id, (start, end), code_id = (
            self.vq.project_path,
            self.document_id,
            self.span,
            self.code_id,
        )

        def work(request: int) -> CounterpartsFound:
            from vinr_qual.analysis.policy_practice import counterparts
            from vinr_qual.project import Project

            with Project.open(path) as project:
                found = counterparts(project, document_id, start, end, code_id=code_id)
            return CounterpartsFound(request, found)

        self.start("compare", work)

    def on_counterparts_found(self, message: CounterpartsFound) -> None:
        if not self.answers_newest("compare", message.request):
            return
        t = self.vq.t
        found = message.counterparts
        side = t(f"compare.side.{found.kind}")
        title = t("compare.there", side=side, case=found.case or "–")
        self.query_one("#compare-there-title", Static).update(f"[b]{escape(title)}[/b]")
        options = self.query_one(OptionList)
        options.clear_options()
        self.passages = []
        for heading, passages in (
            (t("compare.by_code"), found.by_code),
            (t("compare.by_wording"), found.by_wording),
        ):
            options.add_option(Option(f"[b]{escape(heading)}[/b] ({len(passages)})", disabled=True))
            for passage in passages:
                options.add_option(Option(_label(passage), id=str(len(self.passages))))
                self.passages.append(passage)
        if not self.passages:
            none = t("compare.none", side=side) if found.case else t("compare.no_case")
            options.add_option(Option(f"[dim]{escape(none)}[/dim]", disabled=True))
            return
        first = next(i for i, o in enumerate(options.options) if not o.disabled)
        options.highlighted = first

    def show_failure(self, group: str, error: str) -> None:
        self.query_one("#compare-there-title", Static).update(escape(error))

    def _current(self) -> Passage | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        option = options.get_option_at_index(options.highlighted)
        return self.passages[int(option.id)] if option.id is not None else None

    @on(OptionList.OptionHighlighted)
    def _show_context(self) -> None:
        passage = self._current()
        box = self.query_one("#compare-context", Static)
        if passage is None:
            box.update("")
            return
        from vinr_qual.cases.documents import document_text

        if passage.document_id not in self.texts:
            self.texts[passage.document_id] = document_text(self.vq.project, passage.document_id)[1]
        text = self.texts[passage.document_id]
        before = text[max(0, passage.start - CONTEXT) : passage.start]
        after = text[passage.end : passage.end + CONTEXT]
        box.update(
            f"[b]{escape(passage.document)}[/b] {escape(passage.place.marks())}\n\n"
            f"[dim]{escape(before)}[/dim][reverse]{escape(passage.text)}[/reverse]"
            f"[dim]{escape(after)}[/dim]"
        )

    def action_open(self) -> None:
        passage = self._current()
        if passage is not None and self.query_one(OptionList).has_focus:
            self.vq.open_document(passage.document_id, select=(passage.start, passage.end))

    def action_switch_side(self) -> None:
        options, transcript = self.query_one(OptionList), self.query_one(Transcript)
        (transcript if options.has_focus else options).focus()


def _label(passage: Passage) -> str:
    words = " ".join(passage.text.split())
    if len(words) > 140:
        words = words[:139] + "…"
    where = " ".join(
        part
        for part in (
            passage.place.marks(),
            passage.place.speaker or "",
            f"({passage.place.role})" if passage.place.role else "",
        )
        if part
    )
    codes = f" [dim]{escape(', '.join(passage.codes))}[/dim]" if passage.codes else ""
    return f"[b]{escape(passage.document)}[/b] {escape(where)}{codes}\n{escape(words)}"
