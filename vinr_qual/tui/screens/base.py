"""What every screen of the app shares: the app with its project and strings, Back, and
work in the background.

Each screen calls `translate_bindings` in its `on_mount`, so its footer speaks the
interface's language. A screen hands slow work to `start` (a thread worker with its own
connection, vinr_qual.tui.background) and paints the answer in a message handler; a
refusal or failure of that work reaches the user as one line through `show_failure`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from vinr_qual.tui.background import Requests, one_line, run_in_thread
from vinr_qual.tui.messages import Failed

if TYPE_CHECKING:
    from vinr_qual.tui.app import VinrQualApp


class AppScreen(Screen[None]):
    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name, id, classes)
        self.requests = Requests()

    @property
    def vq(self) -> VinrQualApp:
        return self.app  # type: ignore[return-value]

    def action_back(self) -> None:
        self.app.pop_screen()

    # work in the background -----------------------------------------------------------

    def start(self, group: str, work: Callable[[int], Message]) -> int:
        """Run `work(request)` in a thread worker; a newer request of the same group
        cancels this one. Returns the request's number, which its answer carries."""
        request = self.requests.next(group)
        run_in_thread(self, group, request, lambda: work(request))
        return request

    def answers_newest(self, group: str, request: int) -> bool:
        """Whether an answer is to the newest request of its group (else it is dropped)."""
        return self.requests.is_current(group, request)

    def show_failure(self, group: str, error: str) -> None:
        """Show why work of `group` failed; screens with a status line put it there."""
        self.notify(error, severity="error", markup=False)

    def on_failed(self, message: Failed) -> None:
        if self.answers_newest(message.group, message.request):
            self.show_failure(message.group, message.error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place where a worker that broke (not a refusal: a bug) is reported."""
        if event.state == WorkerState.ERROR:
            self.show_failure(event.worker.group, one_line(event.worker.error))
