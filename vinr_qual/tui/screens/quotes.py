"""The quote basket: the author's quotes in order, grouped by theme, each with its
attribution and whether it still matches its source; reorder, trim, note, regroup,
remove, open the source, and export to Word, Markdown or CSV."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Footer, Header, Label, OptionList
from textual.widgets.option_list import Option

from vinr_qual.errors import VinrQualError
from vinr_qual.quoting.basket import Quote
from vinr_qual.tui.bindings import translate_bindings
from vinr_qual.tui.messages import QuotesExported
from vinr_qual.tui.screens.base import AppScreen


class QuotesScreen(AppScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="binding.back"),
        Binding("enter", "open", "Open", id="binding.open", priority=True),
        Binding("ctrl+up", "move(-1)", "Move up", id="binding.quote_up"),
        Binding("ctrl+down", "move(1)", "Move down", id="binding.quote_down"),
        Binding("t", "trim", "Trim", id="binding.quote_trim"),
        Binding("n", "note", "Note", id="binding.quote_note"),
        Binding("h", "theme", "Theme", id="binding.quote_theme"),
        Binding("delete", "remove", "Remove", id="binding.remove"),
        Binding("e", "export", "Export", id="binding.quote_export"),
        Binding("question_mark", "app.help", "Help", id="binding.help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.quotes: list[Quote] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Label("", id="quotes-summary")
            yield OptionList(id="quotes-list")
        yield Footer()

    def on_mount(self) -> None:
        translate_bindings(self, self.vq.t)
        self.sub_title = self.vq.t("quotes.title")
        self.reload()
        self.query_one(OptionList).focus()

    def reload(self, keep: str | None = None) -> None:
        """Read the basket again (a few hundred quotes at most), keeping the cursor on the
        quote `keep` (a guid) where given."""
        from vinr_qual.quoting import basket
        from vinr_qual.quoting.attribution import Attributor

        t = self.vq.t
        project = self.vq.project
        self.quotes = basket.list_quotes(project)
        attributor = Attributor(project)
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        theme = None
        for index, quote in enumerate(self.quotes):
            heading = quote.theme or quote.code or t("quotes.no_theme")
            if heading != theme:
                options.add_option(Option(f"[b]{escape(heading)}[/b]", disabled=True))
                theme = heading
            try:
                by = (
                    attributor.of(quote.document_id, quote.start, quote.end)
                    if (quote.document_id is not None)
                    else ""
                )
            except VinrQualError as error:
                by = f"! {error}"
            state = basket.check(project, quote)
            warning = "" if state.state == "ok" else f"\n  [red]! {escape(state.message)}[/red]"
            note = f"\n  [i]{escape(quote.note)}[/i]" if quote.note else ""
            options.add_option(
                Option(
                    f"{index + 1}. “{escape(quote.shown)}”\n  [dim]({escape(by)})"
                    f" {quote.label} · {escape(quote.document or '')}[/dim]{note}{warning}",
                    id=quote.guid,
                )
            )
        self.query_one("#quotes-summary", Label).update(
            t("quotes.summary", count=len(self.quotes)) if self.quotes else t("quotes.empty")
        )
        if keep is not None:
            for number, option in enumerate(options.options):
                if option.id == keep:
                    options.highlighted = number
                    break
        elif highlighted is not None and options.option_count:
            options.highlighted = min(highlighted, options.option_count - 1)
        elif self.quotes:
            options.highlighted = 1

    def current(self) -> Quote | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        guid = options.get_option_at_index(options.highlighted).id
        return next((quote for quote in self.quotes if quote.guid == guid), None)

    def _do(self, change: Callable[[], object]) -> None:
        """Run a core change; its refusal is one line."""
        try:
            change()
        except VinrQualError as error:
            self.notify(str(error), severity="error", markup=False)

    def action_open(self) -> None:
        quote = self.current()
        if quote is not None and quote.document_id is not None:
            self.vq.open_document(quote.document_id, select=(quote.start, quote.end))

    def action_move(self, step: int) -> None:
        from vinr_qual.quoting import basket

        quote = self.current()
        if quote is None:
            return
        place = self.quotes.index(quote) + 1 + step
        if 1 <= place <= len(self.quotes):
            self._do(lambda: basket.move(self.vq.project, quote, place))
            self.reload(keep=quote.guid)

    def _ask(self, key: str, value: str, done: Callable[[str | None], None]) -> None:
        from vinr_qual.tui.dialogs.prompt import TextPrompt

        t = self.vq.t
        self.app.push_screen(TextPrompt(t(f"{key}.title"), t(f"{key}.help"), value), done)

    def action_trim(self) -> None:
        from vinr_qual.quoting import basket

        quote = self.current()
        if quote is None:
            return

        def done(text: str | None) -> None:
            if text is None:
                return
            pieces = [piece.strip() for piece in text.split("|") if piece.strip()]
            self._do(lambda: basket.trim(self.vq.project, quote, pieces))
            self.reload(keep=quote.guid)

        self._ask("quotes.trim", " | ".join(quote.shown.split(" […] ")).strip(" […]"), done)

    def action_note(self) -> None:
        from vinr_qual.quoting import basket

        quote = self.current()
        if quote is None:
            return

        def done(text: str | None) -> None:
            if text is not None:
                self._do(lambda: basket.set_note(self.vq.project, quote, text))
                self.reload(keep=quote.guid)

        self._ask("quotes.note", quote.note or "", done)

    def action_theme(self) -> None:
        from vinr_qual.quoting import basket

        quote = self.current()
        if quote is None:
            return

        def done(text: str | None) -> None:
            if text is not None:
                self._do(lambda: basket.set_theme(self.vq.project, quote, text))
                self.reload(keep=quote.guid)

        self._ask("quotes.theme", quote.theme or "", done)

    def action_remove(self) -> None:
        from vinr_qual.quoting import basket

        quote = self.current()
        if quote is not None:
            self._do(lambda: basket.remove(self.vq.project, quote))
            self.reload()
            self.notify(self.vq.t("quotes.removed", id=quote.label))

    def action_export(self) -> None:
        """Export in a worker: a long basket to Word takes a moment, and keys go on."""
        default = self.vq.project_path.with_name(f"{self.vq.project_path.stem}-citat.docx")
        path = self.vq.project_path

        def done(text: str | None) -> None:
            if not text or not text.strip():
                return
            target = Path(text.strip()).expanduser()

            def work(request: int) -> QuotesExported:
                from vinr_qual.project import Project
                from vinr_qual.quoting.outputs import export

                with Project.open(path) as project:
                    return QuotesExported(request, export(project, target, sources=True))

            self.start("export", work)

        self._ask("quotes.export", str(default), done)

    def on_quotes_exported(self, message: QuotesExported) -> None:
        if self.answers_newest("export", message.request):
            self.notify(self.vq.t("quotes.exported", path=str(message.path)), markup=False)

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_open()
