"""The documents screen: every document with its case, kind, length, codings and progress."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Input, Label

from vinr_qual.cases.documents import DocumentRow, document_rows, filter_documents
from vinr_qual.errors import VinrQualError
from vinr_qual.search.filters import parse_filter
from vinr_qual.tui.bindings import translate_bindings
from vinr_qual.tui.screens.base import AppScreen


class DocumentsScreen(AppScreen):
    AUTO_FOCUS = "#documents-table"
    BINDINGS = [
        Binding("enter", "open", "Open", id="binding.open"),
        Binding("slash", "filter", "Filter", id="binding.filter"),
        Binding("ctrl+f", "app.search", "Search", id="binding.search"),
        Binding("ctrl+r", "app.review", "Review", id="binding.review"),
        Binding("ctrl+t", "app.matrix", "Matrix", id="binding.matrix"),
        Binding("question_mark", "app.help", "Help", id="binding.help"),
        Binding("ctrl+q", "app.quit", "Quit", id="binding.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[DocumentRow] = []

    def compose(self) -> ComposeResult:
        t = self.vq.t
        yield Header()
        with Vertical():
            yield Input(placeholder=t("documents.filter"), id="documents-filter")
            yield DataTable(id="documents-table", cursor_type="row", zebra_stripes=True)
            yield Label("", id="documents-count")
        yield Footer()

    def on_mount(self) -> None:
        translate_bindings(self, self.vq.t)
        t = self.vq.t
        table = self.query_one(DataTable)
        widths = {"name": 28, "case": 11, "kind": 12, "words": 6, "codings": 8, "progress": 12}
        for key, width in widths.items():
            table.add_column(t(f"documents.column.{key}"), key=key, width=width)
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        shown_coder = None if self.vq.show_others else self.vq.coder
        self.rows = document_rows(self.vq.project, coder=shown_coder)
        self.refill()

    def refill(self) -> None:
        t = self.vq.t
        table = self.query_one(DataTable)
        table.clear()
        try:
            shown = filter_documents(self.rows, parse_filter(self.query_one(Input).value))
        except VinrQualError as error:
            self.query_one("#documents-count", Label).update(str(error))
            return
        for row in shown:
            table.add_row(
                row.name,
                row.case,
                t(f"kind.{row.kind}"),
                f"{row.words:,}".replace(",", " "),
                str(row.codings),
                _bar(row.progress),
                key=str(row.id),
            )
        label = t("documents.count", shown=len(shown), total=len(self.rows))
        self.query_one("#documents-count", Label).update(label if shown else t("documents.empty"))

    @on(Input.Changed, "#documents-filter")
    def _filter_changed(self) -> None:
        self.refill()

    @on(Input.Submitted, "#documents-filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.vq.open_document(int(event.row_key.value))

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            if key.value:
                self.vq.open_document(int(key.value))

    def action_filter(self) -> None:
        self.query_one(Input).focus()


def _bar(share: float, width: int = 6) -> str:
    filled = round(share * width)
    return f"{'█' * filled}{'░' * (width - filled)} {share:>4.0%}"
