"""The code picker: type a few letters, Enter codes with the best match."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from vinr_qual.codebook.model import Codebook
from vinr_qual.codebook.picker import rank_codes
from vinr_qual.tui.i18n import Strings


class CodePicker(ModalScreen[str | None]):
    """Returns the chosen code's id, or None when cancelled."""

    DEFAULT_CSS = """
    CodePicker { align: center middle; }
    CodePicker > Vertical {
        width: 76; max-width: 95%; height: auto; max-height: 80%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    CodePicker OptionList { height: auto; max-height: 16; border: none; }
    CodePicker #picker-title { text-style: bold; padding: 0 0 1 0; }
    """
    BINDINGS = [
        Binding("escape", "cancel", show=False),
        Binding("down", "move(1)", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
    ]

    def __init__(
        self, codebook: Codebook, recent: list[str], strings: Strings, *, title: str
    ) -> None:
        super().__init__()
        self.codebook = codebook
        self.recent = recent
        self.t = strings
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, id="picker-title")
            yield Input(placeholder=self.t("picker.placeholder"), id="picker-query")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        choices = rank_codes(self.codebook, query, self.recent)
        if not choices:
            options.add_option(Option(self.t("picker.none"), disabled=True))
            return
        for choice in choices:
            code = choice.code
            key = f"[b]{escape('[' + code.shortcut + ']')}[/b] " if code.shortcut else ""
            english = f"  [dim]{escape(code.name_en)}[/dim]" if code.name_en else ""
            swatch = f"[{code.color}]██[/] " if code.color else "   "
            options.add_option(Option(f"{swatch}{key}{escape(choice.path)}{english}", id=code.id))
        options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if option.id:
                self.dismiss(option.id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
