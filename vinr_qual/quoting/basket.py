"""The quote basket: passages an author picks for a report, in the author's order, by
theme, trimmed and annotated. This module is the one writer of the `quotes` table.

A quote points to its source (document and span, and the coding it came from) and keeps
a copy of the passage as it was when added. The stored passage is never trimmed: a trim
records which parts of it to keep (`kept`), and the words between are shown as "[…]".
`check` compares each quote with its source today, so a transcript corrected and
re-imported, or a coding moved or removed, is noticed before a report quotes it wrongly.
Each quote's id for authors is the start of its GUID ("Q-3f2a9c1b"), which never changes.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Literal

from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project
from vinr_qual.store.clock import now

LEFT_OUT = "[…]"
State = Literal["ok", "moved", "changed", "removed"]


@dataclass
class Quote:
    id: int
    guid: str
    document_id: int | None
    document: str | None
    case: str | None
    kind: str | None
    start: int
    end: int
    passage: str  # the source passage as it was when the quote was added
    kept: list[tuple[int, int]] = field(default_factory=list)  # empty: all of it
    theme: str | None = None
    code: str | None = None
    code_id: str | None = None
    note: str | None = None
    position: int = 0
    coder: str | None = None
    coding_guid: str | None = None

    @property
    def label(self) -> str:
        return quote_label(self.guid)

    @property
    def shown(self) -> str:
        """The quote as a report prints it: its kept parts, "[…]" where words are left out,
        line breaks folded."""
        return shown_text(self.passage, self.start, self.end, self.kept)


def quote_label(guid: str) -> str:
    return f"Q-{guid[:8]}"


def shown_text(passage: str, start: int, end: int, kept: list[tuple[int, int]]) -> str:
    if not kept:
        return " ".join(passage.split())
    parts: list[str] = []
    position = start
    for first, last in kept:
        if _has_words(passage[position - start : first - start]):
            parts.append(LEFT_OUT)
        parts.append(" ".join(passage[first - start : last - start].split()))
        position = last
    if _has_words(passage[position - start :]):
        parts.append(LEFT_OUT)
    return " ".join(part for part in parts if part)


def _has_words(text: str) -> bool:
    """Whether left-out text holds words (a full stop alone is not marked "[…]")."""
    return any(character.isalnum() for character in text)


_SELECT = (
    'SELECT q.id, q.guid, q.document_id, d.name AS document, c.name AS "case", d.kind,'
    ' q.start, q."end", q.passage, q.kept, q.theme, k.name AS code, q.code_id, q.note,'
    " q.position, coders.name AS coder, q.coding_guid"
    " FROM quotes q LEFT JOIN documents d ON d.id = q.document_id"
    " LEFT JOIN cases c ON c.id = d.case_id LEFT JOIN codes k ON k.id = q.code_id"
    " LEFT JOIN coders ON coders.id = q.coder_id"
)


def _quotes(project: Project, where: str = "", params: list[object] | None = None) -> list[Quote]:
    found = []
    for row in project.db.query(f"{_SELECT} {where} ORDER BY q.position", params or []):
        row["kept"] = [(int(a), int(b)) for a, b in json.loads(row["kept"])]
        found.append(Quote(**row))
    return found


def list_quotes(project: Project) -> list[Quote]:
    """The basket in the author's order."""
    return _quotes(project)


def find_quote(project: Project, reference: str | int) -> Quote:
    """A quote by its label ("Q-3f2a9c1b" or "3f2a9c1b", a GUID prefix of 4 or more) or
    its place in the basket's order (1 is the first)."""
    text = str(reference).strip()
    if text.isdigit():
        quotes = list_quotes(project)
        number = int(text)
        if 1 <= number <= len(quotes):
            return quotes[number - 1]
        raise VinrQualError(f"no quote number {number}; the basket holds {len(quotes)}")
    prefix = text.removeprefix("Q-").removeprefix("q-").lower()
    if len(prefix) < 4:
        raise VinrQualError(f"{reference!r}: give a quote's number or its id (Q-3f2a9c1b)")
    rows = _quotes(project, "WHERE q.guid LIKE ? || '%'", [prefix])
    if not rows:
        raise VinrQualError(f"no quote {reference!r} (see `vinr-qual quotes list`)")
    if len(rows) > 1:
        raise VinrQualError(f"{reference!r} names {len(rows)} quotes; give more of its id")
    return rows[0]


def add_quote(
    project: Project,
    document_id: int,
    start: int,
    end: int,
    *,
    code_id: str | None = None,
    coding_guid: str | None = None,
    theme: str | None = None,
    note: str | None = None,
    coder: str | None = None,
) -> Quote:
    """Put a passage in the basket, last. A passage already there with the same span and
    theme is not added twice: that quote is returned."""
    project.require_writable()
    row = project.db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()
    if row is None:
        raise VinrQualError(f"no document with id {document_id}")
    text = str(row[0])
    if not 0 <= start < end <= len(text):
        raise VinrQualError(f"[{start}, {end}) is not a passage of document {document_id}")
    if not text[start:end].strip():
        raise VinrQualError("the passage holds no words")
    theme = (theme or "").strip() or None
    same = project.db.execute(
        'SELECT guid FROM quotes WHERE document_id = ? AND start = ? AND "end" = ?'
        " AND theme IS ? AND code_id IS ?",
        [document_id, start, end, theme, code_id],
    ).fetchone()
    if same:
        return find_quote(project, str(same[0]))
    guid = str(uuid.uuid4())
    with project.transaction():
        position = project.db.execute("SELECT coalesce(max(position), 0) + 1 FROM quotes")
        after = {
            "guid": guid,
            "document_id": document_id,
            "start": start,
            "end": end,
            "passage": text[start:end],
            "coding_guid": coding_guid,
            "code_id": code_id,
            "theme": theme,
            "note": (note or "").strip() or None,
            "position": int(position.fetchone()[0]),
            "coder_id": project.coder_id(coder),
            "created": now(),
        }
        project.db.execute(
            f"INSERT INTO quotes ({', '.join(_quoted(k) for k in after)})"
            f" VALUES ({', '.join('?' for _ in after)})",
            list(after.values()),
        )
        project.log_change("add", "quote", guid, after=after, actor=coder)
    return find_quote(project, guid)


def add_codings(
    project: Project, coding_ids: list[int], *, theme: str | None = None
) -> list[Quote]:
    """Put codings' passages in the basket, each under its code (or `theme`)."""
    added = []
    for coding_id in coding_ids:
        row = project.db.execute(
            'SELECT document_id, start, "end", code_id, guid FROM codings WHERE id = ?',
            [coding_id],
        ).fetchone()
        if row is None:
            raise VinrQualError(f"no coding with id {coding_id}")
        document_id, start, end, code_id, guid = row
        added.append(
            add_quote(
                project, document_id, start, end, code_id=code_id, coding_guid=guid, theme=theme
            )
        )
    return added


def _quoted(column: str) -> str:
    return f'"{column}"' if column == "end" else column


def _update(project: Project, quote: Quote, action: str, **values: object) -> Quote:
    project.require_writable()
    with project.transaction():
        before = {key: getattr(quote, key) for key in values}
        stored = {
            key: json.dumps(value) if key == "kept" else value for key, value in values.items()
        }
        project.db.execute(
            f"UPDATE quotes SET {', '.join(f'{_quoted(k)} = ?' for k in stored)} WHERE id = ?",
            [*stored.values(), quote.id],
        )
        project.log_change(action, "quote", quote.guid, before=before, after=values)
    return find_quote(project, quote.guid)


def set_theme(project: Project, quote: Quote, theme: str | None) -> Quote:
    """Group a quote under the author's heading (None: under its code again)."""
    return _update(project, quote, "theme", theme=(theme or "").strip() or None)


def set_note(project: Project, quote: Quote, note: str | None) -> Quote:
    return _update(project, quote, "note", note=(note or "").strip() or None)


def trim(project: Project, quote: Quote, keep: list[str]) -> Quote:
    """Keep only these pieces of the passage, each given as its words in the order they
    stand ("tjugo procent", "det var vad vi kunde"); the rest is shown as "[…]". No
    pieces: the whole passage again."""
    if not keep:
        return _update(project, quote, "trim", kept=[])
    kept: list[tuple[int, int]] = []
    position = 0
    folded = _Folded(quote.passage)
    for piece in keep:
        found = folded.find(piece, position)
        if found is None:
            where = "" if position == 0 else " after the piece before it"
            raise VinrQualError(
                f"{quote.label}: {piece!r} is not in the quote{where}: {quote.shown[:80]!r}"
            )
        first, last = found
        kept.append((quote.start + first, quote.start + last))
        position = last
    return _update(project, quote, "trim", kept=kept)


class _Folded:
    """Finds words in a passage whatever its line breaks and runs of spaces."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded: list[str] = []
        self.origin: list[int] = []
        space = False
        for index, character in enumerate(text):
            if character.isspace():
                if not space and self.folded:
                    self.folded.append(" ")
                    self.origin.append(index)
                space = True
                continue
            space = False
            self.folded.append(character.casefold())
            self.origin.append(index)
        self.joined = "".join(self.folded)

    def find(self, piece: str, after: int) -> tuple[int, int] | None:
        wanted = " ".join(piece.split()).casefold()
        if not wanted:
            return None
        start_at = next((i for i, o in enumerate(self.origin) if o >= after), len(self.origin))
        index = self.joined.find(wanted, start_at)
        if index < 0:
            return None
        return self.origin[index], self.origin[index + len(wanted) - 1] + 1


def move(project: Project, quote: Quote, position: int) -> Quote:
    """Put a quote at this place in the basket's order (1 is the first)."""
    quotes = list_quotes(project)
    if not 1 <= position <= len(quotes):
        raise VinrQualError(f"place {position} is outside the basket (1–{len(quotes)})")
    order = [q for q in quotes if q.id != quote.id]
    order.insert(position - 1, quote)
    project.require_writable()
    with project.transaction():
        for number, each in enumerate(order, start=1):
            if each.position != number:
                project.db.execute("UPDATE quotes SET position = ? WHERE id = ?", [number, each.id])
        project.log_change(
            "move",
            "quote",
            quote.guid,
            before={"position": quote.position},
            after={"position": position},
        )
    return find_quote(project, quote.guid)


def remove(project: Project, quote: Quote) -> None:
    project.require_writable()
    with project.transaction():
        row = project.db.execute("SELECT * FROM quotes WHERE id = ?", [quote.id]).fetchone()
        project.db.execute("DELETE FROM quotes WHERE id = ?", [quote.id])
        project.log_change("remove", "quote", quote.guid, before=list(row) if row else None)


@dataclass
class Checked:
    quote: Quote
    state: State
    message: str
    now: str | None = None  # the source's words today, where they differ


def check(project: Project, quote: Quote) -> Checked:
    """Whether the quote still stands in its source as it was taken: `ok`; `moved` (the
    coding it came from now covers another span of the same words, after a corrected
    transcript was imported); `changed` (the words at its place differ now); `removed`
    (its document is gone)."""
    if quote.document_id is None:
        return Checked(quote, "removed", f"{quote.label}: its document was removed")
    row = project.db.execute("SELECT text FROM documents WHERE id = ?", [quote.document_id])
    text = str(row.fetchone()[0])
    here = text[quote.start : quote.end]
    if here == quote.passage:
        return Checked(quote, "ok", f"{quote.label}: matches its source")
    if quote.coding_guid:
        coding = project.db.execute(
            'SELECT start, "end" FROM codings WHERE guid = ?', [quote.coding_guid]
        ).fetchone()
        if coding and text[coding[0] : coding[1]] == quote.passage:
            return Checked(
                quote,
                "moved",
                f"{quote.label}: the passage now stands at [{coding[0]}, {coding[1]}) of"
                f" {quote.document} (the transcript was corrected);"
                " `quotes check --fix` follows it",
            )
    return Checked(
        quote,
        "changed",
        f"{quote.label}: {quote.document} now reads {' '.join(here.split())[:80]!r} where the"
        " quote was taken",
        here,
    )


def follow(project: Project, checked: Checked) -> Quote:
    """A moved quote follows its coding to the passage's new place."""
    quote = checked.quote
    if checked.state != "moved" or not quote.coding_guid:
        return quote
    start, end = project.db.execute(
        'SELECT start, "end" FROM codings WHERE guid = ?', [quote.coding_guid]
    ).fetchone()
    shift = start - quote.start
    kept = [(a + shift, b + shift) for a, b in quote.kept]
    return _update(project, quote, "follow", start=start, end=end, kept=kept)
