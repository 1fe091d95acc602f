"""Work that may take more than a frame runs in a thread worker and answers with a message.

The UI thread only paints and routes keys. A piece of work given to `run_in_thread` is a
function of no arguments that runs in a thread, opens its own connection to the project
when it needs one (`with Project.open(path) as project:`: SQLite connections are not
shared between threads) and returns the message to answer with (vinr_qual.tui.messages).

One worker runs per group and node: a new request cancels the one before it, and the
answer of a cancelled worker is never posted. Since a thread cannot be stopped from
outside, a cancelled worker may still finish; `Requests` numbers each node's requests so
that an answer that arrives all the same is recognised as stale and dropped. A
VinrQualError becomes `Failed` with its one-line message; anything else ends the worker in
the ERROR state, which the node's one `Worker.StateChanged` handler shows as one line.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker, get_current_worker

from vinr_qual.errors import VinrQualError
from vinr_qual.tui.messages import Failed


def run_in_thread(
    node: DOMNode,
    group: str,
    request: int,
    work: Callable[[], Message],
    *,
    description: str = "",
) -> Worker[None]:
    """Run `work` in a thread worker of `node` and post its answer to `node`."""

    def job() -> None:
        worker = get_current_worker()
        answer: Message
        try:
            answer = work()
        except VinrQualError as error:
            answer = Failed(group, request, one_line(error))
        if not worker.is_cancelled:
            node.post_message(answer)

    return node.run_worker(
        job,
        name=group,
        group=group,
        description=description or group,
        exit_on_error=False,
        exclusive=True,
        thread=True,
    )


def is_running(node: DOMNode, group: str) -> bool:
    """Whether a worker of `node` in `group` is still at work."""
    return any(
        worker.group == group and worker.node is node and worker.is_running
        for worker in node.workers
    )


def one_line(error: BaseException | None) -> str:
    """An error as the user sees it: its first line, never a traceback."""
    if error is None:
        return ""
    text = str(error).strip().splitlines()
    if isinstance(error, VinrQualError):
        return text[0] if text else type(error).__name__
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


class Requests:
    """Numbers one node's requests per group; only the newest one's answer is shown."""

    def __init__(self) -> None:
        self._newest: dict[str, int] = {}

    def next(self, group: str) -> int:
        self._newest[group] = self._newest.get(group, 0) + 1
        return self._newest[group]

    def is_current(self, group: str, request: int) -> bool:
        return self._newest.get(group) == request
