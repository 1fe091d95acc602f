"""Pseudonyms: the project's real names and their replacements, and the names the texts
suggest. `a` adds one ("Lena Holm = Karin"), Enter on a suggestion asks for its alias,
Delete removes one; suggestions are gathered in a worker."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Label

from vinr_qual.errors import VinrQualError
from vinr_qual.quoting.pseudonyms import Candidate, Pseudonym
from vinr_qual.tui.bindings import translate_bindings
from vinr_qual.tui.screens.base import AppScreen


@dataclass
class CandidatesFound(Message, bubble=False):
    request: int
    candidates: list[Candidate]


class PseudonymsScreen(AppScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="binding.back"),
        Binding("a", "add", "Add", id="binding.pseudonym_add"),
        Binding("delete", "remove", "Remove", id="binding.remove"),
        Binding("s", "suggest", "Suggest names", id="binding.pseudonym_suggest"),
        Binding("question_mark", "app.help", "Help", id="binding.help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Pseudonym] = []
        self.candidates: list[Candidate] = []

    def compose(self) -> ComposeResult:
        t = self.vq.t
        yield Header()
        with Vertical():
            yield Label(t("pseudonyms.table"), id="pseudonyms-heading")
            yield DataTable(id="pseudonyms-table", cursor_type="row")
            yield Label(t("pseudonyms.suggestions.none"), id="pseudonyms-suggested-heading")
            yield DataTable(id="pseudonyms-suggested", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        translate_bindings(self, self.vq.t)
        t = self.vq.t
        self.sub_title = t("pseudonyms.title")
        table = self.query_one("#pseudonyms-table", DataTable)
        for key in ("real", "alias", "kind", "gender"):
            table.add_column(t(f"pseudonyms.column.{key}"), key=key)
        suggested = self.query_one("#pseudonyms-suggested", DataTable)
        for key in ("name", "kind", "count", "where"):
            suggested.add_column(t(f"pseudonyms.column.{key}"), key=key)
        self.reload()
        table.focus()

    def reload(self) -> None:
        from vinr_qual.quoting.pseudonyms import list_pseudonyms

        self.entries = list_pseudonyms(self.vq.project)
        table = self.query_one("#pseudonyms-table", DataTable)
        table.clear()
        for index, entry in enumerate(self.entries):
            table.add_row(entry.real, entry.alias, entry.kind, entry.gender or "", key=str(index))

    def _ask_alias(self, real: str, kind: str) -> None:
        from vinr_qual.tui.dialogs.prompt import TextPrompt

        t = self.vq.t

        def done(text: str | None) -> None:
            if not text or not text.strip():
                return
            real_name, alias = (real, text) if real else _pair(text)
            if not real_name or not alias:
                self.notify(t("pseudonyms.add.help"), severity="warning")
                return
            from vinr_qual.quoting.pseudonyms import add_pseudonym

            try:
                add_pseudonym(self.vq.project, real_name.strip(), alias.strip(), kind=kind)
            except VinrQualError as error:
                self.notify(str(error), severity="error", markup=False)
                return
            self.reload()
            self._mark_taken(real_name.strip())

        if real:
            title, help_text = t("pseudonyms.alias.title", name=real), t("pseudonyms.alias.help")
        else:
            title, help_text = t("pseudonyms.add.title"), t("pseudonyms.add.help")
        self.app.push_screen(TextPrompt(title, help_text), done)

    def action_add(self) -> None:
        self._ask_alias("", "person")

    def action_remove(self) -> None:
        from vinr_qual.quoting.pseudonyms import remove_pseudonym

        table = self.query_one("#pseudonyms-table", DataTable)
        if not table.has_focus or not self.entries or table.cursor_row >= len(self.entries):
            return
        entry = self.entries[table.cursor_row]
        try:
            remove_pseudonym(self.vq.project, entry.real)
        except VinrQualError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.reload()

    def action_suggest(self) -> None:
        self.query_one("#pseudonyms-suggested-heading", Label).update(
            self.vq.t("pseudonyms.suggestions.running")
        )
        path = self.vq.project_path

        def work(request: int) -> CandidatesFound:
            from vinr_qual.project import Project
            from vinr_qual.quoting.pseudonyms import suggest

            with Project.open(path) as project:
                return CandidatesFound(request, suggest(project))

        self.start("suggest", work)

    def on_candidates_found(self, message: CandidatesFound) -> None:
        if not self.answers_newest("suggest", message.request):
            return
        self.candidates = [c for c in message.candidates if not c.in_table]
        table = self.query_one("#pseudonyms-suggested", DataTable)
        table.clear()
        for index, candidate in enumerate(self.candidates):
            where = candidate.example.document if candidate.example else ""
            table.add_row(candidate.text, candidate.kind, candidate.count, where, key=str(index))
        self.query_one("#pseudonyms-suggested-heading", Label).update(
            escape(self.vq.t("pseudonyms.suggestions", count=len(self.candidates)))
        )
        if self.candidates:
            table.focus()

    def _mark_taken(self, real: str) -> None:
        table = self.query_one("#pseudonyms-suggested", DataTable)
        for index, candidate in enumerate(self.candidates):
            if candidate.text.casefold() == real.casefold():
                table.remove_row(str(index))

    @on(DataTable.RowSelected, "#pseudonyms-suggested")
    def _suggestion_chosen(self, event: DataTable.RowSelected) -> None:
        index = int(event.row_key.value or 0)
        if index < len(self.candidates):
            candidate = self.candidates[index]
            self._ask_alias(candidate.text, candidate.kind)


def _pair(text: str) -> tuple[str, str]:
    """ "Lena Holm = Karin" as (real, alias)."""
    real, _, alias = text.partition("=")
    return real.strip(), alias.strip()
