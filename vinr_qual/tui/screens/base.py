"""What every screen of the app shares: the app with its project and strings, and Back.

Each screen calls `translate_bindings` in its `on_mount`, so its footer speaks the
interface's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from vinr_qual.tui.app import VinrQualApp


class AppScreen(Screen[None]):
    @property
    def vq(self) -> VinrQualApp:
        return self.app  # type: ignore[return-value]

    def action_back(self) -> None:
        self.app.pop_screen()
