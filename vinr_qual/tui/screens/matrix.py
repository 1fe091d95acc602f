"""The matrix screen: themes across cases as a heat map, with drill-down to passages."""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Label, Select, Static

from vinr_qual.analysis.matrix import MEASURES, Matrix
from vinr_qual.tui.bindings import translate_bindings
from vinr_qual.tui.screens.base import AppScreen

ROWS = ("code", "family", "role", "kind", "coder")
LOW, HIGH = (245, 248, 250), (8, 88, 158)  # white to deep blue


def heat(value: float, top: float) -> Style:
    share = 0.0 if top <= 0 else min(1.0, value / top)
    red, green, blue = (
        round(low + (high - low) * share) for low, high in zip(LOW, HIGH, strict=True)
    )
    return Style(bgcolor=f"rgb({red},{green},{blue})", color="white" if share > 0.5 else "black")


def bars(matrix: Matrix, width: int = 30) -> str:
    """Row totals as a horizontal bar chart in text."""
    top = max(matrix.row_totals.values(), default=0) or 1
    lines = []
    for key, label in sorted(matrix.rows, key=lambda row: -matrix.row_totals[row[0]]):
        value = matrix.row_totals[key]
        bar = "█" * round(width * value / top)
        lines.append(f"{label.split(' > ')[-1][:34]:<34} {bar:<{width}} {value:g}")
    return "\n".join(lines)


class MatrixScreen(AppScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="binding.back"),
        Binding("o", "sort", "Sort by total", id="binding.sort"),
        Binding("b", "toggle_bars", "Bar chart", id="binding.bars"),
        Binding("question_mark", "app.help", "Help", id="binding.help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.matrix: Matrix | None = None
        self.sorted_by_total = False

    def compose(self) -> ComposeResult:
        t = self.vq.t
        from vinr_qual.cases.cases import attribute_names

        attributes = attribute_names(self.vq.project)
        columns = ["case", "kind", "role", *(f"attr:{name}" for name in attributes)]
        columns += [f"band:{name}" for name in attributes if name in ("folkmängd", "population")]
        yield Header()
        with Vertical():
            with Horizontal(id="matrix-bar"):
                yield Select(
                    [(t(f"matrix.dimension.{d}"), d) for d in ROWS],
                    value="code",
                    allow_blank=False,
                    id="matrix-rows",
                )
                yield Select(
                    [
                        (t(f"matrix.dimension.{c.split(':')[0]}", name=c.partition(":")[2]), c)
                        for c in columns
                    ],
                    value="case",
                    allow_blank=False,
                    id="matrix-columns",
                )
                yield Select(
                    [(t(f"matrix.measure.{m}"), m) for m in MEASURES],
                    value="passages",
                    allow_blank=False,
                    id="matrix-measure",
                )
            yield DataTable(id="matrix-table", cursor_type="cell", zebra_stripes=False)
            with VerticalScroll(id="matrix-bars", classes="hidden"):
                yield Static("", id="matrix-bars-text")
            yield Label("", id="matrix-summary")
        yield Footer()

    def on_mount(self) -> None:
        translate_bindings(self, self.vq.t)
        self.reload()
        self.query_one(DataTable).focus()

    @on(Select.Changed)
    def reload(self) -> None:
        from vinr_qual.analysis.matrix import code_matrix

        rows = str(self.query_one("#matrix-rows", Select).value)
        columns = str(self.query_one("#matrix-columns", Select).value)
        measure = str(self.query_one("#matrix-measure", Select).value)
        self.matrix = code_matrix(self.vq.project, rows=rows, columns=columns, measure=measure)
        self.fill()

    def fill(self) -> None:
        matrix = self.matrix
        if matrix is None:
            return
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column("", key="row", width=28)
        for key, label in matrix.columns:
            table.add_column(label[:12], key=key)
        table.add_column(self.vq.t("matrix.total"), key="__total")
        top = max(matrix.values.values(), default=0)
        rows = list(matrix.rows)
        if self.sorted_by_total:
            rows.sort(key=lambda row: -matrix.row_totals[row[0]])
        for key, label in rows:
            cells: list[Any] = [label.split(" > ")[-1]]
            for column, _ in matrix.columns:
                value = matrix.value(key, column)
                cells.append(
                    Text(_show(value, matrix.measure), style=heat(value, top), justify="right")
                )
            cells.append(_show(matrix.row_totals[key], matrix.measure))
            table.add_row(*cells, key=key)
        self.query_one("#matrix-bars-text", Static).update(bars(matrix))
        self.query_one("#matrix-summary", Label).update(
            self.vq.t("matrix.summary", total=_show(matrix.total, matrix.measure))
        )

    @on(DataTable.CellSelected)
    def _drill_down(self, event: DataTable.CellSelected) -> None:
        matrix = self.matrix
        if matrix is None:
            return
        from vinr_qual.analysis.matrix import cell_codings

        row = event.cell_key.row_key.value or ""
        column = event.cell_key.column_key.value or ""
        if column in ("row", "__total") or not matrix.value(row, column):
            return
        ids = matrix.cells.get((row, column)) or cell_codings(
            self.vq.project,
            rows=str(self.query_one("#matrix-rows", Select).value),
            columns=str(self.query_one("#matrix-columns", Select).value),
            row=row,
            column=column,
        )
        if ids:
            self.app.push_screen(PassagesScreen(ids))

    def action_sort(self) -> None:
        self.sorted_by_total = not self.sorted_by_total
        self.fill()

    def action_toggle_bars(self) -> None:
        self.query_one("#matrix-bars").toggle_class("hidden")
        self.query_one(DataTable).toggle_class("hidden")


def _show(value: float, measure: str) -> str:
    return f"{value:.1%}" if measure == "share" else f"{value:g}"


class PassagesScreen(AppScreen):
    """The passages behind a cell; Enter opens one in the document view."""

    BINDINGS = [Binding("escape", "back", "Back", id="binding.back")]

    def __init__(self, coding_ids: list[int]) -> None:
        super().__init__()
        self.coding_ids = coding_ids
        self.rows: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="passages-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        from vinr_qual.coding.codings import list_codings

        translate_bindings(self, self.vq.t)
        t = self.vq.t
        table = self.query_one(DataTable)
        table.add_column(t("search.column.document"), width=22)
        table.add_column(t("matrix.code"), width=18)
        table.add_column(t("search.column.context"))
        for coding_id in self.coding_ids:
            self.rows.extend(list_codings(self.vq.project, coding_id=coding_id))
        for index, row in enumerate(self.rows):
            table.add_row(
                row["document"], row["code"], " ".join(row["passage"].split()), key=str(index)
            )
        table.focus()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        row = self.rows[int(event.row_key.value or 0)]
        self.vq.open_document(row["document_id"], select=(row["start"], row["end"]))
