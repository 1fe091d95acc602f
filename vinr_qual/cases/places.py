"""Where a passage is in its source: the speaker whose turn it starts in, the time that
turn starts at in the recording, and the pages it covers.

This is what a quote carries besides its words ("[00:12:31]", "s. 12–13"), what the
document view shows for the cursor, and what lists of passages print. One document's
turns and pages are read once and then every passage is found by bisection, so a list
of thousands of passages costs one query per document.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass

from vinr_qual.project import Project


@dataclass(frozen=True)
class Place:
    speaker: str | None = None
    role: str | None = None
    time: float | None = None  # seconds into the recording at which the turn starts
    pages: tuple[int, int] | None = None

    @property
    def time_mark(self) -> str:
        """ "[00:12:31]", or empty for a passage from an untimed source."""
        return f"[{clock(self.time)}]" if self.time is not None else ""

    @property
    def page_mark(self) -> str:
        """ "s. 12", "s. 12–13" for a passage over two pages, or empty without pages."""
        return page_citation(self.pages)

    def marks(self) -> str:
        """The time and page marks that apply, as a quote is followed by them."""
        return " ".join(mark for mark in (self.time_mark, self.page_mark) if mark)


def clock(seconds: float) -> str:
    """Seconds into a recording as hh:mm:ss, as transcripts write time stamps."""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def page_citation(pages: tuple[int, int] | None) -> str:
    """ "s. 12", or "s. 12–13" for a passage over two pages; empty without pages."""
    if pages is None:
        return ""
    first, last = pages
    return f"s. {first}" if first == last else f"s. {first}–{last}"


class DocumentPlaces:
    """The turns and page starts of one document, to find the place of any passage in it."""

    def __init__(self, project: Project, document_id: int) -> None:
        rows = project.db.execute(
            'SELECT s.start, s."end", s."time", sp.label, sp.role FROM segments s'
            " LEFT JOIN speakers sp ON sp.id = s.speaker_id"
            " WHERE s.document_id = ? AND s.kind = 'turn' ORDER BY s.start",
            [document_id],
        ).fetchall()
        self._turn_starts = [int(row[0]) for row in rows]
        self._turns = rows
        found = project.db.execute(
            "SELECT page_starts FROM documents WHERE id = ?", [document_id]
        ).fetchone()
        self._page_starts: list[int] = json.loads(found[0]) if found and found[0] else []

    def pages(self, start: int, end: int) -> tuple[int, int] | None:
        if not self._page_starts:
            return None
        first = bisect.bisect_right(self._page_starts, start) or 1
        last = bisect.bisect_right(self._page_starts, max(start, end - 1)) or 1
        return first, last

    def place(self, start: int, end: int) -> Place:
        """The place of `[start, end)`: the turn it starts in, and the pages it covers."""
        pages = self.pages(start, end)
        index = bisect.bisect_right(self._turn_starts, start) - 1
        if index < 0 or start >= self._turns[index][1]:
            return Place(pages=pages)
        _, _, time, speaker, role = self._turns[index]
        return Place(speaker, role, time, pages)


class Places:
    """Places of passages across documents: each document's turns and pages read once,
    when a passage of it is first asked for."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.documents: dict[int, DocumentPlaces] = {}

    def __call__(self, document_id: int, start: int, end: int) -> Place:
        if document_id not in self.documents:
            self.documents[document_id] = DocumentPlaces(self.project, document_id)
        return self.documents[document_id].place(start, end)


def place_of(project: Project, document_id: int, start: int, end: int) -> Place:
    """Where one passage is; for many passages of a document, use `DocumentPlaces`."""
    return DocumentPlaces(project, document_id).place(start, end)
