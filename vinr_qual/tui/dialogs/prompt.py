"""Asking for a line of text (a name, a path) or a longer text (a memo)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, TextArea


class TextPrompt(ModalScreen[str | None]):
    """Returns the text entered, or None when cancelled."""

    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical {
        width: 70; max-width: 95%; height: auto; border: thick $accent;
        background: $surface; padding: 0 1;
    }
    TextPrompt .prompt-title { text-style: bold; }
    TextPrompt .prompt-help { color: $text-muted; padding: 0 0 1 0; }
    TextPrompt TextArea { height: 8; }
    """
    BINDINGS = [
        Binding("escape", "cancel", show=False),
        Binding("ctrl+s", "save", show=False, priority=True),
    ]

    def __init__(
        self, title: str, help_text: str, value: str = "", *, multiline: bool = False
    ) -> None:
        super().__init__()
        self.title_text = title
        self.help_text = help_text
        self.value = value
        self.multiline = multiline

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="prompt-title")
            yield Label(self.help_text, classes="prompt-help")
            if self.multiline:
                yield TextArea(self.value, id="prompt-text")
            else:
                yield Input(self.value, id="prompt-input")

    def on_mount(self) -> None:
        self.query_one("#prompt-text" if self.multiline else "#prompt-input").focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_save(self) -> None:
        if self.multiline:
            self.dismiss(self.query_one(TextArea).text)
        else:
            self.dismiss(self.query_one(Input).value)

    def action_cancel(self) -> None:
        self.dismiss(None)
