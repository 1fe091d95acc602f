"""What a reader makes of a source file before anything is written to a project."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["paragraph", "heading", "note"]


@dataclass(frozen=True)
class Block:
    """A paragraph-level piece of the text: `text[start:end]`, without surrounding blanks."""

    start: int
    end: int
    kind: BlockKind = "paragraph"
    level: int | None = None
    bold_label: str | None = None  # a bold run opening the paragraph, as speaker names are
    # an item of a Word list, whose number or bullet is the list's and not in the text
    list_item: bool = False


@dataclass(frozen=True)
class Turn:
    """A speaker's turn: `text[start:end]`, the label included."""

    start: int  # the start of the line, time stamp included
    end: int
    label: str
    content_start: int  # where the spoken words begin, after label and time stamps
    time: float | None = None  # seconds from the start of the recording, where known
    interviewer: bool | None = None  # None: decided from the labels


@dataclass
class ParsedSource:
    """A source file read into normalised text with its paragraph structure."""

    text: str
    blocks: list[Block]
    source_format: str
    encoding: str | None = None
    tables: list[tuple[int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # a reader whose format names its speakers (captions, transcription services) gives
    # the turns itself; None leaves them to be found from the labels in the text
    turns: list[Turn] | None = None
    # paged sources (PDF): where each page begins in the text, page 1 first
    page_starts: list[int] | None = None
