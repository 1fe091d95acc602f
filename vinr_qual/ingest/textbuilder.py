"""One text built from paragraphs, as the document readers (.odt, .rtf, .html) make it.

Each paragraph is normalised (NFC, `\\n`) and stripped; paragraphs are joined by a blank
line, and each one's place in the text is kept as a block. Consecutive table rows are
recorded as one table span.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vinr_qual.ingest.model import Block, BlockKind
from vinr_qual.ingest.normalise import normalise


@dataclass
class TextBuilder:
    parts: list[str] = field(default_factory=list)
    length: int = 0
    blocks: list[Block] = field(default_factory=list)
    tables: list[tuple[int, int]] = field(default_factory=list)

    def add(
        self, raw: str, kind: BlockKind = "paragraph", level: int | None = None
    ) -> Block | None:
        """Add a paragraph; an empty one is left out and gives None."""
        text = normalise(raw).strip()
        if not text:
            return None
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        block = Block(self.length, self.length + len(text), kind, level)
        self.parts.append(text)
        self.length += len(text)
        self.blocks.append(block)
        return block

    def add_table(self, rows: list[list[str]]) -> None:
        """A table as one paragraph per row, its cells joined by " | "."""
        first: Block | None = None
        last: Block | None = None
        for cells in rows:
            block = self.add(" | ".join(cell for cell in cells if cell.strip()))
            if block:
                first = first or block
                last = block
        if first and last:
            self.tables.append((first.start, last.end))

    def text(self) -> str:
        return "".join(self.parts)
