"""The matrix screen: themes across cases as a heat map, with drill-down to passages, and
which codes occur together (co-occurrence). `g` splits each case into its interviews
and steering documents (the `case+kind` columns), with the case's name over its kinds.

Every count is made in a worker on its own connection (vinr_qual.tui.background): the
screen says "Counting…" meanwhile, and a change of dimension while one count runs
cancels it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import DataTable, Footer, Header, Label, Select, Static

from vinr_qual.analysis.matrix import CASE_KIND, MEASURES, Matrix
from vinr_qual.tui.bindings import translate_bindings
from vinr_qual.tui.messages import (
    CooccurrenceDone,
    MatrixDone,
)
from vinr_qual.tui.screens.base import AppScreen

ROWS = ("code", "family", "role", "kind", "coder")
# the measure that turns the table into codes × codes: how often two codings overlap
COOCCURRENCE = "cooccurrence"
LOW, HIGH = (245, 248, 250), (8, 88, 158)  # white to deep blue


def heat(value: float, top: float) -> Style:
    share = 0.0 if top <= 0 else min(1.0, value / top)
    red, green, blue = (
        round(low + (high - low) * share) for low, high in zip(LOW, HIGH, strict=True)
    )
    return Style(bgcolor=f"rgb({red},{green},{blue})", color="white" if share > 0.5 else "black")


def bars(matrix: Matrix, width: int = 30) -> str:
    """Row totals as a horizontal bar chart in text."""
    return _bar_lines([(label, matrix.row_totals[key]) for key, label in matrix.rows], width)


def _bar_lines(items: list[tuple[str, float]], width: int = 30) -> str:
    top = max((value for _, value in items), default=0) or 1
    lines = []
    for label, value in sorted(items, key=lambda item: -item[1]):
        bar = "█" * round(width * value / top)
        lines.append(f"{label.split(' > ')[-1][:34]:<34} {bar:<{width}} {value:g}")
    return "\n".join(lines)


class MatrixScreen(AppScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="binding.back"),
        Binding("o", "sort", "Sort by total", id="binding.sort"),
        Binding("b", "toggle_bars", "Bar chart", id="binding.bars"),
        Binding("g", "toggle_groups", "Interviews beside documents", id="binding.groups"),
        Binding(
            "c",
            "retrieve_column",
            "Passages of this column",
            id="binding.retrieval.column",
            show=False,
        ),
        Binding("question_mark", "app.help", "Help", id="binding.help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.matrix: Matrix | None = None
        self.together: CooccurrenceDone | None = None  # shown instead in co-occurrence mode
        self.sorted_by_total = False
        self.ungrouped_columns = "case"  # the columns `g` goes back to

    def compose(self) -> ComposeResult:
        t = self.vq.t
        from vinr_qual.cases.cases import attribute_names

        attributes = attribute_names(self.vq.project)
        columns = ["case", CASE_KIND, "kind", "role", *(f"attr:{name}" for name in attributes)]
        columns += [f"band:{name}" for name in attributes if name in ("folkmängd", "population")]
        from vinr_qual.codebook.fields import field_codes

        if field_codes(self.vq.project):
            columns.insert(3, "field")  # BF, VINR, ANDTS: crossed with every code
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
                    [(t(f"matrix.measure.{m}"), m) for m in (*MEASURES, COOCCURRENCE)],
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

    def _choice(self, selector: str) -> str:
        return str(self.query_one(selector, Select).value)

    @on(Select.Changed)
    def reload(self) -> None:
        """Count again in a worker; the table keeps the last count until the new one."""
        rows, columns = self._choice("#matrix-rows"), self._choice("#matrix-columns")
        measure = self._choice("#matrix-measure")
        together = measure == COOCCURRENCE
        # codes × codes has no dimensions to choose
        self.query_one("#matrix-rows", Select).disabled = together
        self.query_one("#matrix-columns", Select).disabled = together
        self.query_one("#matrix-summary", Label).update(self.vq.t("matrix.counting"))
        path = self.vq.project_path
        if together:
            self.start("matrix", lambda request: _count_together(path, request))
        else:
            self.start("matrix", lambda request: _count(path, request, rows, columns, measure))

    def on_matrix_done(self, message: MatrixDone) -> None:
        if self.answers_newest("matrix", message.request):
            self.matrix, self.together = message.matrix, None
            self.fill()

    def on_cooccurrence_done(self, message: CooccurrenceDone) -> None:
        if self.answers_newest("matrix", message.request):
            self.matrix, self.together = None, message
            self.fill()

    def show_failure(self, group: str, error: str) -> None:
        self.query_one("#matrix-summary", Label).update(escape(error))

    def fill(self) -> None:
        if self.together is not None:
            self.fill_together(self.together)
            return
        matrix = self.matrix
        if matrix is None:
            return
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.header_height = 2 if matrix.groups else 1
        table.add_column("", key="row", width=28)
        for key, label in self._column_labels(matrix):
            table.add_column(label, key=key)
        table.add_column(self.vq.t("matrix.total"), key="__total")
        top = max(matrix.values.values(), default=0)
        # in grouped columns, a case without documents of a kind shows "–", not 0
        absent = {c for c, _ in matrix.columns if matrix.groups and not matrix.column_documents[c]}
        rows = list(matrix.rows)
        if self.sorted_by_total:
            rows.sort(key=lambda row: -matrix.row_totals[row[0]])
        for key, label in rows:
            cells: list[Any] = [label.split(" > ")[-1]]
            for column, _ in matrix.columns:
                value = matrix.value(key, column)
                if column in absent:
                    cells.append(Text("–", style="dim", justify="right"))
                    continue
                cells.append(
                    Text(_show(value, matrix.measure), style=heat(value, top), justify="right")
                )
            cells.append(_show(matrix.row_totals[key], matrix.measure))
            table.add_row(*cells, key=key)
        self.query_one("#matrix-bars-text", Static).update(bars(matrix))
        self.query_one("#matrix-summary", Label).update(
            self.vq.t("matrix.summary", total=_show(matrix.total, matrix.measure))
        )

    def _column_labels(self, matrix: Matrix) -> list[tuple[str, str | Text]]:
        """Each column's header; in grouped columns the case's name over its kind."""
        if not matrix.groups:
            return [(key, label[:12]) for key, label in matrix.columns]
        t = self.vq.t
        labels: list[tuple[str, str | Text]] = []
        for group in matrix.groups:
            for key, kind in group.columns:
                label = Text(group.label[:12], style="bold")
                label.append("\n" + t.get(f"matrix.kind.{kind}", kind)[:12], style="")
                labels.append((key, label))
        return labels

    def fill_together(self, answer: CooccurrenceDone) -> None:
        """Codes × codes: how many pairs of their codings overlap; the last column is
        each code's own number of codings."""
        found, names = answer.table, answer.names
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.header_height = 1
        table.add_column("", key="row", width=28)
        codes = list(found.codes)
        for code in codes:
            table.add_column(names.get(code, code)[:12], key=code)
        table.add_column(self.vq.t("matrix.codings"), key="__total")
        top = max(found.counts.values(), default=0)
        if self.sorted_by_total:
            codes.sort(key=lambda code: -found.totals.get(code, 0))
        for code in codes:
            cells: list[Any] = [names.get(code, code)]
            for other in found.codes:
                value = found.counts.get((code, other), 0)
                shown = "·" if other == code else f"{value:g}"
                style = heat(0 if other == code else value, top)
                cells.append(Text(shown, style=style, justify="right"))
            cells.append(f"{found.totals.get(code, 0):g}")
            table.add_row(*cells, key=code)
        self.query_one("#matrix-bars-text", Static).update(
            _bar_lines([(names.get(code, code), found.totals.get(code, 0)) for code in codes])
        )
        pairs = sum(found.counts.values()) // 2
        self.query_one("#matrix-summary", Label).update(
            self.vq.t("matrix.together_summary", pairs=pairs)
        )

    @on(DataTable.CellSelected)
    def _drill_down(self, event: DataTable.CellSelected) -> None:
        """A cell, a row's label or its total: the passages behind it, in the retrieval
        screen (which finds them in a worker)."""
        row = event.cell_key.row_key.value or ""
        column = event.cell_key.column_key.value or ""
        if column in ("row", "__total"):
            self.retrieve(row=row)
            return
        matrix = self.matrix
        if matrix is None or not matrix.value(row, column):
            return  # an empty cell, or a pair of codes (their rows and headers retrieve)
        self.retrieve(row=row, column=column)

    @on(DataTable.HeaderSelected)
    def _column_chosen(self, event: DataTable.HeaderSelected) -> None:
        """A column's header: every passage of the column (Total's: of the matrix)."""
        column = event.column_key.value or ""
        self.retrieve(column=None if column in ("row", "__total") else column)

    def action_retrieve_column(self) -> None:
        """The passages of the cursor's column, as its header would show them."""
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        column = table.coordinate_to_cell_key(table.cursor_coordinate).column_key.value or ""
        self.retrieve(column=None if column in ("row", "__total") else column)

    def retrieve(self, *, row: str | None = None, column: str | None = None) -> None:
        """The retrieval screen on a row, a column or (neither) the whole matrix."""
        from vinr_qual.search.retrieval import MatrixPick, Selection
        from vinr_qual.tui.screens.retrieval import RetrievalScreen

        if self.together is not None:  # codes × codes: rows and columns are codes
            code = row or column
            wanted: Selection | MatrixPick = Selection(
                codes=(code,) if code else (), with_children=False
            )
        elif self.matrix is not None:
            rows, columns = self._choice("#matrix-rows"), self._choice("#matrix-columns")
            wanted = MatrixPick(rows, columns, row, column)
        else:
            return
        self.app.push_screen(RetrievalScreen(wanted))

    def action_sort(self) -> None:
        self.sorted_by_total = not self.sorted_by_total
        self.fill()

    def action_toggle_groups(self) -> None:
        """Columns by case and document kind, or back to the columns chosen before."""
        columns = self.query_one("#matrix-columns", Select)
        if columns.disabled:  # codes × codes has no columns to split
            return
        if columns.value == CASE_KIND:
            columns.value = self.ungrouped_columns
        else:
            self.ungrouped_columns = str(columns.value)
            columns.value = CASE_KIND

    def action_toggle_bars(self) -> None:
        self.query_one("#matrix-bars").toggle_class("hidden")
        self.query_one(DataTable).toggle_class("hidden")


def _count(path: Path, request: int, rows: str, columns: str, measure: str) -> MatrixDone:
    from vinr_qual.analysis.matrix import code_matrix
    from vinr_qual.project import Project

    with Project.open(path) as project:
        matrix = code_matrix(project, rows=rows, columns=columns, measure=measure)
    return MatrixDone(request, matrix)


def _count_together(path: Path, request: int) -> CooccurrenceDone:
    from vinr_qual.analysis.cooccurrence import cooccurrence
    from vinr_qual.codebook.project_codes import code_names
    from vinr_qual.project import Project

    with Project.open(path) as project:
        found = cooccurrence(project, mode="overlap")
        names = code_names(project)
    return CooccurrenceDone(request, found, names)


def _show(value: float, measure: str) -> str:
    return f"{value:.1%}" if measure == "share" else f"{value:g}"
