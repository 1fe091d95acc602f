"""The retrieval screen ("coded segments"): every passage of a code, or of a matrix's row,
column or cell, with a preview of the highlighted one (its speaker, time or page,
coders and memos). Enter opens the passage in its document; `g` groups the passages by
case, `c` lists a passage coded by several coders once per coder, and `i` takes in or
leaves out the interviewer's speech (left out from a matrix, as the matrix counts).

The passages are read in a worker on its own connection (vinr_qual.search.retrieval),
so a long list never holds up the screen."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import DataTable, Footer, Header, Label, Static

from vinr_qual.search.retrieval import MatrixPick, Retrieved, Selection, count_cases
from vinr_qual.tui.bindings import translate_bindings
from vinr_qual.tui.messages import RetrievalDone
from vinr_qual.tui.screens.base import AppScreen

SHOWN = 200  # characters of a passage in its row; the preview shows it whole


class RetrievalScreen(AppScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="binding.back"),
        Binding("g", "toggle_by_case", "By case", id="binding.retrieval.by_case"),
        Binding("c", "toggle_by_coder", "Per coder", id="binding.retrieval.by_coder"),
        Binding("i", "toggle_interviewer", "Interviewer", id="binding.retrieval.interviewer"),
        Binding("q", "quote", "Quote", id="binding.quote_add"),
        Binding("question_mark", "app.help", "Help", id="binding.help"),
    ]

    def __init__(self, wanted: Selection | MatrixPick) -> None:
        super().__init__()
        self.wanted = wanted
        self.selection: Selection | None = wanted if isinstance(wanted, Selection) else None
        self.passages: list[Retrieved] = []
        self.code_names: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Label("", id="retrieval-heading")
            yield Label("", id="retrieval-counts")
            yield DataTable(id="retrieval-table", cursor_type="row")
            with VerticalScroll(id="retrieval-preview-box"):
                yield Static("", id="retrieval-preview")
        yield Footer()

    def on_mount(self) -> None:
        translate_bindings(self, self.vq.t)
        t = self.vq.t
        self.sub_title = t("retrieval.title")
        table = self.query_one(DataTable)
        for key, width in (
            ("document", 22),
            ("case", 12),
            ("speaker", 14),
            ("where", 12),
            ("coders", 12),
            ("passage", None),
        ):
            table.add_column(t(f"retrieval.column.{key}"), key=key, width=width)
        table.focus()
        self.load()

    def load(self) -> None:
        self.query_one("#retrieval-counts", Label).update(self.vq.t("retrieval.loading"))
        path = self.vq.project_path
        wanted = self.selection or self.wanted
        self.start("retrieval", lambda request: _retrieve(path, request, wanted))

    def on_retrieval_done(self, message: RetrievalDone) -> None:
        if not self.answers_newest("retrieval", message.request):
            return
        self.selection, self.passages = message.selection, message.passages
        self.code_names = message.code_names
        t = self.vq.t
        table = self.query_one(DataTable)
        table.clear()
        for index, item in enumerate(self.passages):
            passage = item.passage
            table.add_row(
                item.document,
                item.case or "–",
                item.speaker or "",
                item.marks,
                ", ".join(item.coders),
                passage[:SHOWN] + ("…" if len(passage) > SHOWN else ""),
                key=str(index),
            )
        self.query_one("#retrieval-heading", Label).update(self.heading())
        self.query_one("#retrieval-counts", Label).update(self.counts())
        self.show_preview(self.passages[0] if self.passages else None)
        if not self.passages:
            self.query_one("#retrieval-preview", Static).update(t("retrieval.none"))

    def heading(self) -> str:
        """What is listed: the codes and every filter, in a line."""
        t, selection = self.vq.t, self.selection
        if selection is None:
            return ""
        codes = ", ".join(self.code_names) if self.code_names else t("retrieval.all_codes")
        parts = [f"[b]{escape(codes)}[/b]"]
        if selection.codes and selection.with_children:
            parts[0] += f" {t('retrieval.with_children')}"
        if selection.case:
            parts.append(t("retrieval.filter.case", name=escape(selection.case)))
        if selection.attribute:
            name, value = selection.attribute
            parts.append(t("retrieval.filter.attribute", name=escape(name), value=escape(value)))
        if selection.kind:
            kind = t.get(f"kind.{selection.kind}", selection.kind)
            parts.append(t("retrieval.filter.kind", kind=escape(kind)))
        if selection.role:
            parts.append(t("retrieval.filter.role", role=escape(selection.role)))
        if selection.coders:
            parts.append(t("retrieval.filter.coders", names=escape(", ".join(selection.coders))))
        if selection.status != "accepted":
            parts.append(t("retrieval.filter.status", status=selection.status))
        if not selection.include_interviewer:
            parts.append(t("retrieval.no_interviewer"))
        if selection.coding_ids is not None:
            parts.append(t("retrieval.filter.cell"))
        if selection.group_by_case:
            parts.append(t("retrieval.by_case"))
        if selection.by_coder:
            parts.append(t("retrieval.by_coder"))
        return " · ".join(parts)

    def counts(self) -> str:
        """ "37 passages in 9 cases", and the codings where coders coded alike."""
        t = self.vq.t
        count, cases = len(self.passages), count_cases(self.passages)
        many = {1: "one"}
        text = t(
            "retrieval.count",
            passages=t(f"retrieval.passages.{many.get(count, 'many')}", count=count),
            cases=t(f"retrieval.cases.{many.get(cases, 'many')}", count=cases),
        )
        codings = sum(len(item.coding_ids) for item in self.passages)
        if codings != count:
            text += " " + t("retrieval.codings", count=codings)
        if count:
            text += f" · {t('retrieval.hint')}"
        return text

    def show_failure(self, group: str, error: str) -> None:
        self.query_one("#retrieval-counts", Label).update(escape(error))

    def action_quote(self) -> None:
        found = self.current()
        if found is not None:
            self.vq.add_to_basket(
                found.document_id,
                found.start,
                found.end,
                code_id=found.code_id,
                coding_guid=found.coding_guids[0] if found.coding_guids else None,
            )

    def current(self) -> Retrieved | None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        if not self.passages or row is None or not 0 <= row < len(self.passages):
            return None
        return self.passages[row]

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        index = int(event.row_key.value or 0)
        if 0 <= index < len(self.passages):
            self.show_preview(self.passages[index])

    def show_preview(self, item: Retrieved | None) -> None:
        preview = self.query_one("#retrieval-preview", Static)
        if item is None:
            preview.update("")
            return
        t = self.vq.t
        place = []
        if item.speaker:
            same = (item.role or "").casefold() == item.speaker.casefold()
            role = f" ({item.role})" if item.role and not same else ""
            place.append(f"[b]{escape(item.speaker)}[/b]{escape(role)}")
        if item.marks:
            place.append(escape(item.marks))
        where = " · ".join([escape(item.document), escape(item.case or "–"), *place])
        lines = [
            where,
            f"{escape(' > '.join(item.code_path))} · "
            f"{t('retrieval.preview.coders', names=escape(', '.join(item.coders)))}",
            "",
            escape(item.passage),
        ]
        for memo in item.memos:
            who = t("retrieval.preview.memo", coder=escape(memo.coder or "–"))
            lines.extend(["", f"[b]{who}[/b] {escape(memo.text)}"])
        preview.update("\n".join(lines))

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        index = int(event.row_key.value or 0)
        if 0 <= index < len(self.passages):
            item = self.passages[index]
            self.vq.open_document(item.document_id, select=(item.start, item.end))

    def action_toggle_by_case(self) -> None:
        if self.selection is not None:
            self.selection = replace(self.selection, group_by_case=not self.selection.group_by_case)
            self.load()

    def action_toggle_interviewer(self) -> None:
        if self.selection is not None:
            self.selection = replace(
                self.selection, include_interviewer=not self.selection.include_interviewer
            )
            self.load()

    def action_toggle_by_coder(self) -> None:
        if self.selection is not None:
            self.selection = replace(self.selection, by_coder=not self.selection.by_coder)
            self.load()


def _retrieve(path: Path, request: int, wanted: Selection | MatrixPick) -> RetrievalDone:
    from vinr_qual.codebook.project_codes import code_names
    from vinr_qual.project import Project

    with Project.open(path) as project:
        selection = wanted.selection(project) if isinstance(wanted, MatrixPick) else wanted
        passages = selection.run(project)
        names = code_names(project)
    return RetrievalDone(
        request, selection, passages, [names.get(code, code) for code in selection.codes]
    )
