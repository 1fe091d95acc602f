"""The document view: read, select and code a transcript.

The screen keeps the document's codings in memory (a few hundred rows at most) and asks
the core for every change: a coding keystroke is one core call, one repaint of the lines
in view, and a refresh of the side panel.
"""

from __future__ import annotations

import gc
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Footer, Header, Static, TextArea, Tree

from vinr_qual.tui.bindings import translate_bindings
from vinr_qual.tui.screens.base import AppScreen
from vinr_qual.tui.widgets.transcript import Mark, Transcript


def _settle_memory() -> None:
    """Move what a long document brought (text lines, wrap tables, codings) out of the
    garbage collector's sight: otherwise a full collection walks it all now and then and
    a keystroke takes a tenth of a second instead of a few hundredths."""
    gc.freeze()


_OUTLINE_SHOWN_FROM = 3  # headings or goals: fewer, and the outline waits for H


class DocumentScreen(AppScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="binding.back"),
        Binding("enter", "code", "Code", id="binding.code", priority=True),
        Binding("S", "extend('sentence')", "Sentence", id="binding.sentence", show=False),
        Binding("T", "extend('turn')", "Turn", id="binding.turn", show=False),
        Binding("P", "extend('paragraph')", "Paragraph", id="binding.paragraph", show=False),
        Binding("G", "extend('provision')", "Goal or measure", id="binding.provision", show=False),
        Binding("H", "toggle_outline", "Outline", id="binding.outline", show=False),
        Binding("V", "compare", "Policy beside practice", id="binding.compare"),
        Binding("Q", "quote", "Quote", id="binding.quote_add"),
        Binding("F", "field", "Field", id="binding.field"),
        Binding("delete,backspace", "remove", "Remove", id="binding.remove", priority=True),
        Binding("C", "recode", "Change code", id="binding.recode", show=False),
        Binding("A", "adjust", "Move to selection", id="binding.adjust", show=False),
        Binding("M", "memo", "Memo", id="binding.memo"),
        Binding("ctrl+z", "undo", "Undo", id="binding.undo", priority=True),
        Binding("ctrl+y", "redo", "Redo", id="binding.redo", priority=True),
        Binding("O", "toggle_others", "Other coders", id="binding.others", show=False),
        Binding("B", "toggle_codebook", "Codebook", id="binding.codebook"),
        Binding(
            "r", "retrieve_code", "Passages of this code", id="binding.retrieval.code", show=False
        ),
        Binding("question_mark", "app.help", "Help", id="binding.help"),
    ]

    def __init__(self, document_id: int, select: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.document_id = document_id
        self.initial_selection = select
        self.codings: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        from vinr_qual.cases.documents import document_text

        name, text = document_text(self.vq.project, self.document_id)
        self.document_name = name
        self.text = text
        yield Header()
        with Horizontal():
            yield Tree(self.vq.t("document.outline"), id="outline", classes="hidden")
            yield Transcript(text, id="transcript")
            with VerticalScroll(id="side"):
                yield Static("", id="place")
                yield Static("", id="here")
                yield Static("", id="memo")
                yield Static("", id="in-view")
            with Vertical(id="codebook-panel", classes="hidden"):
                yield Tree(self.vq.t("document.codebook"), id="codebook-tree")
                yield Static("", id="code-details")
        yield Footer()

    def on_mount(self) -> None:
        translate_bindings(self, self.vq.t)
        self.sub_title = self.document_name
        from vinr_qual.cases.documents import turn_labels
        from vinr_qual.cases.places import DocumentPlaces

        self.labels = turn_labels(self.vq.project, self.document_id)
        self.places = DocumentPlaces(self.vq.project, self.document_id)
        self.reload_codings()
        self.fill_outline()
        transcript = self.query_one(Transcript)
        transcript.focus()
        if self.initial_selection:
            transcript.select_span(*self.initial_selection)
            self.call_after_refresh(transcript.scroll_cursor_visible, center=True)
        self.call_after_refresh(_settle_memory)

    # state ----------------------------------------------------------------------------

    def reload_codings(self) -> None:
        from vinr_qual.coding.codings import list_codings

        rows = list_codings(self.vq.project, document_id=self.document_id, status="accepted")
        if not self.vq.show_others:
            rows = [row for row in rows if row["coder"] == self.vq.coder]
        self.codings = rows
        self.repaint()
        if not self.query_one("#codebook-panel").has_class("hidden"):
            self.fill_codebook()

    def repaint(self) -> None:
        self.query_one(Transcript).set_marks(
            [Mark(r["id"], r["start"], r["end"], r["color"] or "#8a8a8a") for r in self.codings],
            self.labels,
        )
        self.update_side()

    def codings_at(self, index: int) -> list[dict[str, Any]]:
        return [row for row in self.codings if row["start"] <= index < row["end"]]

    def own_coding_at(self, index: int) -> dict[str, Any] | None:
        """The coding that Delete, C, A and M act on: the newest of your own at `index`
        (other coders' codings are shown, never changed)."""
        mine = [row for row in self.codings_at(index) if row["coder"] == self.vq.coder]
        return max(mine, key=lambda row: row["id"]) if mine else None

    # the side panel -------------------------------------------------------------------

    def update_side(self) -> None:
        t = self.vq.t
        transcript = self.query_one(Transcript)
        cursor = transcript.cursor_index()
        start, end = transcript.selected_span()
        self.query_one("#place", Static).update(self.place_line(start, max(end, start + 1)))
        here = self.codings_at(cursor)
        lines = [f"[b]{t('document.here')}[/b]"]
        for row in here:
            lines.append(
                f"[{row['color'] or '#8a8a8a'}]██[/] {escape(row['code'])}"
                f" [dim]{escape(row['coder'])}[/dim]"
            )
        if not here:
            lines.append(f"[dim]{t('document.here.none')}[/dim]")
        self.query_one("#here", Static).update("\n".join(lines))
        memo_lines = [f"[b]{t('document.memo')}[/b]"]
        memo = None
        shown = self.own_coding_at(cursor) or (max(here, key=lambda r: r["id"]) if here else None)
        if shown:
            from vinr_qual.coding.memos import coding_memo

            memo = coding_memo(self.vq.project, shown["id"])
        memo_lines.append(escape(memo) if memo else f"[dim]{t('document.memo.none')}[/dim]")
        self.query_one("#memo", Static).update("\n".join(memo_lines))
        first, last = transcript.visible_span()
        in_view = [row for row in self.codings if row["start"] < last and row["end"] > first]
        view_lines = [f"[b]{t('document.in_view')}[/b]"]
        for row in in_view:
            top = transcript.location_of(row["start"])[0] + 1
            bottom = transcript.location_of(max(row["start"], row["end"] - 1))[0] + 1
            where = t("document.lines", first=top, last=bottom)
            view_lines.append(
                f"[{row['color'] or '#8a8a8a'}]▌[/]{escape(row['code'])} [dim]{where}[/dim]"
            )
        if not in_view:
            view_lines.append(f"[dim]{t('document.in_view.none')}[/dim]")
        self.query_one("#in-view", Static).update("\n".join(view_lines))

    def place_line(self, start: int, end: int) -> str:
        """Who speaks at the cursor, when the turn starts and on which page, as a quote
        from here would be marked."""
        place = self.places.place(start, end)
        parts = []
        if place.speaker:
            same = (place.role or "").casefold() == place.speaker.casefold()
            role = f" ({place.role})" if place.role and not same else ""
            parts.append(f"[b]{escape(place.speaker)}[/b]{escape(role)}")
        if place.marks():
            parts.append(escape(place.marks()))
        return " ".join(parts) + ("\n" if parts else "")

    @on(TextArea.SelectionChanged)
    def _selection_changed(self) -> None:
        self.update_side()

    def on_mouse_scroll_down(self) -> None:
        self.call_after_refresh(self.update_side)

    def on_mouse_scroll_up(self) -> None:
        self.call_after_refresh(self.update_side)

    # selecting ------------------------------------------------------------------------

    def action_extend(self, kind: str) -> None:
        from vinr_qual.cases.documents import enclosing_span

        transcript = self.query_one(Transcript)
        start, end = transcript.selected_span()
        kinds = ["measure", "goal"] if kind == "provision" else [kind]
        spans = [
            found
            for each in kinds
            if (found := enclosing_span(self.vq.project, self.document_id, each, start, end))
        ]
        # a measure inside a goal's section: the innermost is what the coder points at
        span = min(spans, key=lambda found: found[1] - found[0]) if spans else None
        if span is None:
            self.notify(self.vq.t("document.no_segment", kind=self.vq.t(f"segment.{kind}")))
            return
        transcript.select_span(*span)

    def target_span(self, unit: str = "sentence") -> tuple[int, int] | None:
        """The selection, or with nothing selected the `unit` (a segment kind) at the
        cursor: the sentence, or the code's own unit when a code is given."""
        from vinr_qual.cases.documents import enclosing_span

        transcript = self.query_one(Transcript)
        start, end = transcript.selected_span()
        if end > start:
            return start, end
        found = enclosing_span(self.vq.project, self.document_id, unit, start, start)
        if found is None and unit != "sentence":
            found = enclosing_span(self.vq.project, self.document_id, "sentence", start, start)
        return found

    # coding ---------------------------------------------------------------------------

    def action_code(self) -> None:
        outline = self.query_one("#outline", Tree)
        if outline.has_focus:
            self.jump_to(outline.cursor_node)
            return
        if self.target_span() is None:
            self.notify(self.vq.t("document.no_selection"), severity="warning")
            return
        self.vq.pick_code(self.vq.t("picker.title"), self.code_selection)

    def code_selection(self, code_id: str | None) -> None:
        from vinr_qual.codebook.project_codes import default_unit

        if not code_id:
            return
        span = self.target_span(default_unit(self.vq.project, code_id))
        if span is not None:
            self.code_span(span, code_id)

    def code_span(self, span: tuple[int, int], code_id: str) -> None:
        """Code `span` with a code, and show it at once."""
        from vinr_qual.coding.codings import add_coding

        coding_id = add_coding(
            self.vq.project, self.document_id, span[0], span[1], code_id, coder=self.vq.coder
        )
        self.vq.remember(code_id)
        self.vq.record_action(self.scope)
        # the new coding joins those in memory: no need to read the document's codings again
        from vinr_qual.coding.codings import list_codings

        self.codings.extend(list_codings(self.vq.project, coding_id=coding_id))
        self.codings.sort(key=lambda row: (row["start"], row["end"], row["id"]))
        self.repaint()
        self.query_one(Transcript).select_span(span[0], span[0])

    def on_key(self, event: Any) -> None:
        """A codebook shortcut codes the selection (or the sentence) at once."""
        character = getattr(event, "character", None)
        if not character or len(character) != 1 or not self.query_one(Transcript).has_focus:
            return
        code_id = self.vq.shortcuts().get(character)
        if code_id:
            event.stop()
            event.prevent_default()
            if self.target_span() is None:
                self.notify(self.vq.t("document.no_selection"), severity="warning")
                return
            self.code_selection(code_id)

    def _coding_here(self) -> dict[str, Any] | None:
        row = self.own_coding_at(self.query_one(Transcript).cursor_index())
        if row is None:
            self.notify(self.vq.t("document.nothing_here"), severity="warning")
        return row

    def action_remove(self) -> None:
        from vinr_qual.coding.codings import remove_coding

        row = self._coding_here()
        if row:
            remove_coding(self.vq.project, row["id"], coder=self.vq.coder)
            self.vq.record_action(self.scope)
            self.reload_codings()
            self.notify(self.vq.t("document.removed", code=row["code"]))

    def action_recode(self) -> None:
        row = self._coding_here()
        if row is None:
            return

        def chosen(code_id: str | None) -> None:
            if code_id:
                from vinr_qual.coding.codings import change_code

                change_code(self.vq.project, row["id"], code_id, coder=self.vq.coder)
                self.vq.remember(code_id)
                self.vq.record_action(self.scope)
                self.reload_codings()
                name = next((r["code"] for r in self.codings if r["id"] == row["id"]), "")
                self.notify(self.vq.t("document.recoded", code=name))

        self.vq.pick_code(self.vq.t("picker.recode_title"), chosen)

    def action_adjust(self) -> None:
        from vinr_qual.coding.codings import adjust_coding

        transcript = self.query_one(Transcript)
        start, end = transcript.selected_span()
        if end <= start:
            self.notify(self.vq.t("document.no_selection"), severity="warning")
            return
        here = [
            r
            for r in self.codings
            if r["start"] < end and r["end"] > start and r["coder"] == self.vq.coder
        ]
        if not here:
            self.notify(self.vq.t("document.nothing_here"), severity="warning")
            return
        row = max(here, key=lambda r: r["id"])
        adjust_coding(self.vq.project, row["id"], start, end, coder=self.vq.coder)
        self.vq.record_action(self.scope)
        self.reload_codings()
        self.notify(self.vq.t("document.adjusted"))

    def action_memo(self) -> None:
        from vinr_qual.coding.memos import coding_memo, set_coding_memo
        from vinr_qual.tui.dialogs.prompt import TextPrompt

        row = self._coding_here()
        if row is None:
            return

        def saved(text: str | None) -> None:
            if text is not None:
                set_coding_memo(self.vq.project, row["id"], text, coder=self.vq.coder)
                self.update_side()
                self.notify(self.vq.t("document.memo_saved"))

        current = coding_memo(self.vq.project, row["id"]) or ""
        self.app.push_screen(
            TextPrompt(
                self.vq.t("memo.title", code=row["code"]),
                self.vq.t("memo.help"),
                current,
                multiline=True,
            ),
            saved,
        )

    @property
    def scope(self) -> tuple[object, ...]:
        """Undo here takes back this coder's actions in this document only."""
        return ("document", self.document_id)

    def action_undo(self) -> None:
        self._revert(self.vq.undo(self.scope), "document.nothing_to_undo")

    def action_redo(self) -> None:
        self._revert(self.vq.redo(self.scope), "document.nothing_to_redo")

    def _revert(self, message: str | None, nothing: str) -> None:
        if message is None:
            self.notify(self.vq.t(nothing))
            return
        self.reload_codings()
        if message:
            self.notify(message)

    def action_toggle_others(self) -> None:
        self.vq.show_others = not self.vq.show_others
        self.reload_codings()
        key = "document.others.shown" if self.vq.show_others else "document.others.hidden"
        self.notify(self.vq.t(key))

    def action_field(self) -> None:
        """Say which field (BF, VINR, ANDTS) a passage is about: the selection, or else
        the passage of your newest coding at the cursor, or the sentence there."""
        from vinr_qual.codebook.fields import field_family
        from vinr_qual.codebook.model import Codebook
        from vinr_qual.codebook.project_codes import read_codebook

        family = field_family(self.vq.project)
        if family is None:
            self.notify(self.vq.t("document.no_fields"), severity="warning")
            return
        transcript = self.query_one(Transcript)
        start, end = transcript.selected_span()
        coding = self.own_coding_at(transcript.cursor_index())
        if end > start:
            span: tuple[int, int] | None = (start, end)
        elif coding is not None:
            span = (coding["start"], coding["end"])
        else:
            span = self.target_span()
        if span is None:
            self.notify(self.vq.t("document.no_selection"), severity="warning")
            return
        fields = Codebook(codes=[read_codebook(self.vq.project).by_id()[family]])
        chosen = span

        def picked(code_id: str | None) -> None:
            if code_id:
                self.code_span(chosen, code_id)

        self.vq.pick_code(self.vq.t("document.field_title"), picked, codebook=fields)

    def action_quote(self) -> None:
        """The selection, or the sentence at the cursor, into the quote basket; a passage
        that is one of your codings goes in under its code."""
        span = self.target_span()
        if span is None:
            self.notify(self.vq.t("document.no_selection"), severity="warning")
            return
        same = [
            row
            for row in self.codings
            if (row["start"], row["end"]) == span and row["coder"] == self.vq.coder
        ]
        coding = max(same, key=lambda row: row["id"]) if same else None
        self.vq.add_to_basket(
            self.document_id,
            *span,
            code_id=coding["code_id"] if coding else None,
            coding_guid=coding["guid"] if coding else None,
        )

    def action_compare(self) -> None:
        """The passage (selection, or sentence at the cursor) beside the other kind of
        source of its case: interviews beside steering documents, and back."""
        from vinr_qual.tui.screens.compare import CompareScreen

        span = self.target_span()
        if span is None:
            self.notify(self.vq.t("document.no_selection"), severity="warning")
            return
        self.app.push_screen(CompareScreen(self.document_id, *span))

    # the outline ----------------------------------------------------------------------

    def fill_outline(self) -> None:
        """Headings, goals and measures beside the text; shown at once for a document
        that has a few headings (a steering document), on H for any other."""
        from vinr_qual.cases.documents import outline_of

        entries = outline_of(self.vq.project, self.document_id)
        tree: Tree[int] = self.query_one("#outline", Tree)
        tree.clear()
        parents: list[Any] = [tree.root]
        marks = {"goal": "◎ ", "measure": "▸ ", "heading": ""}
        for entry in entries:
            del parents[entry.depth + 1 :]
            parent = parents[-1]
            page = f" [dim]s. {entry.page}[/dim]" if entry.page else ""
            node = parent.add(
                f"{marks[entry.kind]}{escape(entry.title)}{page}", data=entry.start, expand=True
            )
            parents.append(node)
            if len(parents) > 2:
                parents[-2].allow_expand = True
            node.allow_expand = False  # until a child comes: a leaf shows no arrow
        tree.root.expand()
        tree.show_root = False
        headings = sum(entry.kind != "measure" for entry in entries)
        tree.set_class(headings < _OUTLINE_SHOWN_FROM, "hidden")

    def action_toggle_outline(self) -> None:
        outline = self.query_one("#outline", Tree)
        outline.toggle_class("hidden")
        if outline.has_class("hidden"):
            self.query_one(Transcript).focus()
        else:
            outline.focus()

    def jump_to(self, node: Any) -> None:
        if node is None or node.data is None:
            return
        transcript = self.query_one(Transcript)
        transcript.select_span(node.data, node.data)
        transcript.focus()
        self.call_after_refresh(transcript.scroll_cursor_visible, center=True)

    @on(Tree.NodeSelected, "#outline")
    def _outline_clicked(self, event: Tree.NodeSelected[int]) -> None:
        self.jump_to(event.node)

    # the codebook panel ---------------------------------------------------------------

    def action_toggle_codebook(self) -> None:
        panel = self.query_one("#codebook-panel")
        panel.toggle_class("hidden")
        # the codebook takes the side panel's place, so the text keeps its width
        self.query_one("#side").set_class(not panel.has_class("hidden"), "hidden")
        if not panel.has_class("hidden"):
            self.fill_codebook()

    def fill_codebook(self) -> None:
        from vinr_qual.codebook.project_codes import read_codebook
        from vinr_qual.coding.codings import coding_counts

        tree: Tree[str] = self.query_one("#codebook-tree", Tree)
        tree.clear()
        book = read_codebook(self.vq.project)
        totals = {code_id: count for code_id, (count, _) in coding_counts(self.vq.project).items()}
        here: dict[str, int] = {}
        for row in self.codings:
            here[row["code_id"]] = here.get(row["code_id"], 0) + 1
        self.code_details = {code.id: code for code, _, _ in book.walk()}

        def add(node: Any, codes: list[Any]) -> None:
            for code in codes:
                swatch = f"[{code.color}]█[/] " if code.color else ""
                key = f"[b]{escape('[' + code.shortcut + ']')}[/b] " if code.shortcut else ""
                count = f" [dim]{totals.get(code.id, 0)}[/dim]"
                child = node.add(
                    f"{swatch}{key}{escape(code.name)}{count}", data=code.id, expand=False
                )
                add(child, code.children)

        document_node = tree.root.add(
            f"[b]{self.vq.t('document.codebook.document')}[/b]", expand=True
        )
        for code_id, count in sorted(here.items(), key=lambda item: -item[1]):
            code = self.code_details.get(code_id)
            if code:
                document_node.add_leaf(
                    f"[{code.color or '#8a8a8a'}]█[/] {escape(code.name)} [dim]{count}[/dim]",
                    data=code_id,
                )
        add(tree.root, book.codes)
        tree.root.expand()

    @on(Tree.NodeHighlighted, "#codebook-tree")
    def _code_highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        code = getattr(self, "code_details", {}).get(event.node.data or "")
        details = self.query_one("#code-details", Static)
        if code is None:
            details.update("")
            return
        english = f" [dim]({escape(code.name_en)})[/dim]" if code.name_en else ""
        parts = [f"[b]{escape(code.name)}[/b]{english}"]
        if code.definition:
            parts.append(escape(code.definition))
        if code.use_when:
            parts.append(f"[i]+[/i] {escape(code.use_when)}")
        if code.not_when:
            parts.append(f"[i]−[/i] {escape(code.not_when)}")
        parts.extend(f"[dim]» {escape(example)}[/dim]" for example in code.examples)
        details.update("\n".join(parts))

    def action_retrieve_code(self) -> None:
        """From the codebook panel: every passage of the highlighted code and its children.
        Only while the codebook has focus: in the text, letters are codebook shortcuts."""
        tree: Tree[str] = self.query_one("#codebook-tree", Tree)
        if not tree.has_focus:
            return
        node = tree.cursor_node
        if node is None or not node.data:
            self.notify(self.vq.t("retrieval.no_code"), severity="warning")
            return
        from vinr_qual.search.retrieval import Selection
        from vinr_qual.tui.screens.retrieval import RetrievalScreen

        self.app.push_screen(RetrievalScreen(Selection(codes=(node.data,))))
