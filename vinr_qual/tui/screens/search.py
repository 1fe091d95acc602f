"""The search screen: find passages across the project, open them, code them."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header, Input, Label, Select

from vinr_qual.search.query import Hit, SearchResult, on_one_line
from vinr_qual.tui.bindings import translate_bindings
from vinr_qual.tui.messages import SearchDone
from vinr_qual.tui.screens.base import AppScreen

LIMIT = 200


class SearchScreen(AppScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="binding.back"),
        Binding("c", "code_hit", "Code hit", id="binding.code_hit"),
        Binding("A", "code_all", "Code all hits", id="binding.code_all"),
        Binding("q", "quote", "Quote", id="binding.quote_add"),
        Binding("question_mark", "app.help", "Help", id="binding.help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[Hit] = []
        self.focus_when_asked: Widget | None = None

    def compose(self) -> ComposeResult:
        t = self.vq.t
        yield Header()
        with Vertical():
            with Horizontal(id="search-bar"):
                yield Input(placeholder=t("search.query"), id="search-query")
                yield Select(
                    [(t(f"search.mode.{mode}"), mode) for mode in ("words", "lemma", "compound")],
                    value="words",
                    allow_blank=False,
                    id="search-mode",
                )
            yield Input(placeholder=t("search.filters"), id="search-filters")
            yield DataTable(id="search-results", cursor_type="row")
            yield Label("", id="search-summary")
        yield Footer()

    def on_mount(self) -> None:
        translate_bindings(self, self.vq.t)
        t = self.vq.t
        table = self.query_one(DataTable)
        table.add_column(t("search.column.document"), key="document", width=22)
        table.add_column(t("search.column.speaker"), key="speaker", width=10)
        table.add_column(t("search.column.context"), key="context")
        self.query_one("#search-query", Input).focus()

    @on(Input.Submitted)
    @on(Select.Changed)
    def run_search(self) -> None:
        """Search in a worker; a search started while one runs takes its place."""
        query = self.query_one("#search-query", Input).value
        typed_filters = self.query_one("#search-filters", Input).value
        if not query.strip():
            self._retrieve_code(typed_filters)
            return
        if self._only_a_code_filter(query):
            self._retrieve_code(f"{typed_filters} {query}")
            return
        mode = str(self.query_one(Select).value)
        path = self.vq.project_path
        self.query_one("#search-summary", Label).update(self.vq.t("search.running"))
        self.focus_when_asked = self.focused

        def work(request: int) -> SearchDone:
            from vinr_qual.project import Project
            from vinr_qual.search import query as search_query
            from vinr_qual.search.filters import search_filters

            with Project.open(path) as project:
                filters = search_filters(project, typed_filters)
                result = search_query.search(
                    project,
                    query,
                    mode=mode,  # type: ignore[arg-type]
                    filters=filters,
                    limit=LIMIT,
                )
            return SearchDone(request, result)

        self.start("search", work)

    def _only_a_code_filter(self, query: str) -> bool:
        """Whether the query box holds only filters, a code among them (`code:l`): the
        same wish as the code in the filter box and no words. Filters without words and
        without a code are the search's to explain."""
        from vinr_qual.errors import VinrQualError
        from vinr_qual.search.filters import query_filters

        try:
            typed = query_filters(self.vq.project, query)
        except VinrQualError:
            return False  # the search says what is wrong
        return bool(typed.typed and not typed.words.strip() and typed.filters.code_id)

    def _retrieve_code(self, typed_filters: str) -> None:
        """No words but a code filter: every passage of the code, in the retrieval screen
        (a search for nothing inside a code is a wish to see the code's passages)."""
        from vinr_qual.errors import VinrQualError
        from vinr_qual.search.filters import search_filters
        from vinr_qual.search.retrieval import Selection
        from vinr_qual.tui.screens.retrieval import RetrievalScreen

        if not typed_filters.strip():
            return
        try:
            filters = search_filters(self.vq.project, typed_filters)
        except VinrQualError as error:
            self.show_failure("search", str(error))
            return
        if filters.code_id is None:
            return
        self.app.push_screen(
            RetrievalScreen(
                Selection(
                    codes=(filters.code_id,),
                    case=filters.case,
                    attribute=filters.attribute,
                    kind=filters.kind,
                    role=filters.role,
                )
            )
        )

    def on_search_done(self, message: SearchDone) -> None:
        if not self.answers_newest("search", message.request):
            return
        result = message.result
        self.hits = result.hits
        table = self.query_one(DataTable)
        table.clear()
        for index, hit in enumerate(result.hits):
            # the text as it stands, the hit in bold (inside the word for a compound's part)
            left, keyword, right = (
                on_one_line(part) for part in (hit.left, hit.keyword, hit.right)
            )
            context = f"{escape(left[-30:])}[b]{escape(keyword)}[/b]{escape(right[:40])}"
            table.add_row(hit.document, hit.speaker or "", context, key=str(index))
        self.query_one("#search-summary", Label).update(escape(self.summary(result)))
        if result.hits and self.focused is self.focus_when_asked:
            table.focus()  # unless the user has gone on to something else meanwhile

    def summary(self, result: SearchResult) -> str:
        """Hits, documents and every case with its count, on one line: as many cases as
        the screen is wide, then how many more there are."""
        t = self.vq.t
        if not result.total:
            return t("search.none")
        cases = [f"{name or '–'} {count}" for name, count in result.per_case.items()]

        def line(shown: int) -> str:
            listed = ", ".join(cases[:shown])
            if shown < len(cases):
                more = t("search.cases_more", count=len(cases) - shown)
                listed = f"{listed} {more}" if listed else more
            total, documents = result.total, len(result.per_document)
            return t("search.summary", total=total, documents=documents, cases=listed)

        width = max(self.size.width - 2, 20)  # the summary's padding
        shown = len(cases)
        while shown > 0 and len(line(shown)) > width:
            shown -= 1
        return line(shown)

    def show_failure(self, group: str, error: str) -> None:
        self.query_one("#search-summary", Label).update(escape(error))

    def _current(self) -> Hit | None:
        table = self.query_one(DataTable)
        if not self.hits or table.cursor_row is None or table.cursor_row >= len(self.hits):
            return None
        return self.hits[table.cursor_row]

    def action_quote(self) -> None:
        hit = self._current()
        if hit is not None and self.query_one(DataTable).has_focus:
            self.vq.add_to_basket(hit.document_id, hit.start, hit.end)

    @on(DataTable.RowSelected)
    def _open(self) -> None:
        hit = self._current()
        if hit:
            first = hit.matches[0] if hit.matches else (hit.start, hit.end)
            self.vq.open_document(hit.document_id, select=first)

    def action_code_hit(self) -> None:
        hit = self._current()
        if hit:
            self.vq.pick_code(self.vq.t("picker.title"), lambda code_id: self._code([hit], code_id))

    def action_code_all(self) -> None:
        if self.hits:
            hits = list(self.hits)
            self.vq.pick_code(self.vq.t("picker.title"), lambda code_id: self._code(hits, code_id))

    def _code(self, hits: list[Hit], code_id: str | None) -> None:
        """Code each hit's sentence; a sentence already coded so is left alone."""
        if not code_id:
            return
        from vinr_qual.codebook.project_codes import code_name
        from vinr_qual.search.query import code_hits

        project = self.vq.project
        count = code_hits(project, hits, code_id, coder=self.vq.coder)
        if count:
            self.vq.record_action(("search",))
        self.vq.remember(code_id)
        self.notify(self.vq.t("search.coded", count=count, code=code_name(project, code_id)))
