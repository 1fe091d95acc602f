"""The transcript: a read-only TextArea that paints coded passages in their codes' colours.

TextArea renders only the lines in view and caches them; `get_line` adds the coding
colours to each line it is asked for. Where codings overlap, the text is also underlined.
Positions are converted between string indices and (row, column) with our own table of
line starts (TextArea's own conversion walks every line), so a keystroke costs the same
in a long interview as in a short one.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from functools import lru_cache

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

DEFAULT_COLOR = "#8a8a8a"
SPEAKER_STYLE = Style(bold=True)
OVERLAP_STYLE = Style(underline=True, bold=True)


@dataclass(frozen=True)
class Mark:
    """A coded passage to paint."""

    coding_id: int
    start: int
    end: int
    color: str


@lru_cache(maxsize=1024)
def _background(color: str) -> Style:
    """The style of a passage coded in `color` (one per colour: Rich's parsing is slow)."""
    try:
        parsed = Color.parse(color)
    except Exception:  # a colour Rich cannot read is shown grey
        parsed = Color.parse(DEFAULT_COLOR)
    red, green, blue = parsed.get_truecolor()
    light = (0.299 * red + 0.587 * green + 0.114 * blue) > 150
    return Style(bgcolor=parsed, color="black" if light else "white")


class Transcript(TextArea):
    """A document's text, read-only, with its codings painted and its speakers in bold."""

    DEFAULT_CSS = """
    Transcript { border: none; padding: 0 1; }
    Transcript:focus { border: none; }
    """

    def __init__(self, text: str, *, id: str | None = None) -> None:
        super().__init__(
            text,
            read_only=True,
            soft_wrap=True,
            show_line_numbers=False,
            id=id,
            highlight_cursor_line=False,
        )
        self._length = len(text)
        self._line_starts = [0]
        for index, character in enumerate(text):
            if character == "\n":
                self._line_starts.append(index + 1)
        self._marks_by_line: dict[int, list[tuple[int, int, Style]]] = {}
        self._labels_by_line: dict[int, tuple[int, int]] = {}

    # positions ------------------------------------------------------------------------

    def location_of(self, index: int) -> tuple[int, int]:
        row = bisect.bisect_right(self._line_starts, index) - 1
        return row, index - self._line_starts[row]

    def index_of(self, location: tuple[int, int]) -> int:
        row, column = location
        row = max(0, min(row, len(self._line_starts) - 1))
        return self._line_starts[row] + column

    def selected_span(self) -> tuple[int, int]:
        start, end = sorted(
            (self.index_of(self.selection.start), self.index_of(self.selection.end))
        )
        return start, end

    def cursor_index(self) -> int:
        return self.index_of(self.selection.end)

    def select_span(self, start: int, end: int) -> None:
        self.selection = Selection(self.location_of(start), self.location_of(end))

    def visible_span(self) -> tuple[int, int]:
        """The string indices of the first and last document lines in view."""
        top = self.scroll_offset.y
        height = max(1, self.size.height)
        info = self.wrapped_document._offset_to_line_info
        if not info:
            return 0, 0
        first = info[min(top, len(info) - 1)][0]
        last = info[min(top + height - 1, len(info) - 1)][0]
        end = self._line_starts[last + 1] if last + 1 < len(self._line_starts) else self._length
        return self._line_starts[first], end

    # painting -------------------------------------------------------------------------

    def set_marks(self, marks: list[Mark], labels: list[tuple[int, int]]) -> None:
        """Paint these codings (and bold these speaker labels) from now on."""
        by_line: dict[int, list[tuple[int, int, Style]]] = {}
        for mark in marks:
            style = _background(mark.color)
            first, _ = self.location_of(mark.start)
            last, _ = self.location_of(max(mark.start, mark.end - 1))
            for row in range(first, last + 1):
                line_start = self._line_starts[row]
                column_start = max(mark.start, line_start) - line_start
                column_end = mark.end - line_start
                by_line.setdefault(row, []).append((column_start, column_end, style))
        self._marks_by_line = by_line
        self._labels_by_line = {}
        for start, end in labels:
            row, column = self.location_of(start)
            self._labels_by_line[row] = (column, column + (end - start))
        self.notify_style_update()
        self.refresh()

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        label = self._labels_by_line.get(line_index)
        if label:
            line.stylize(SPEAKER_STYLE, *label)
        marks = self._marks_by_line.get(line_index)
        if not marks:
            return line
        length = len(line.plain)
        for start, end, style in marks:
            line.stylize(style, start, min(end, length))
        if len(marks) > 1:
            edges = sorted(
                {point for start, end, _ in marks for point in (start, min(end, length))}
            )
            for left, right in itertools.pairwise(edges):
                inside = sum(1 for start, end, _ in marks if start <= left and end >= right)
                if inside > 1:
                    line.stylize(OVERLAP_STYLE, left, right)
        return line
