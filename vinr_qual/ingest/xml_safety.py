"""Refuse XML that declares a DTD before it is parsed.

Neither Word nor a REFI-QDA codebook ever carries a DOCTYPE; a DTD is how entity-expansion
("billion laughs") and external-entity attacks begin. The markers are looked for in
UTF-8, UTF-16 and UTF-32 alike, and across chunk boundaries by the callers that stream;
`has_doctype` checks a parsed tree as well, for encodings the byte scan cannot know.
"""

from __future__ import annotations

from typing import Any

MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
OVERLAP = max(len(marker) for marker in MARKERS)


def declares_entities(data: bytes) -> bool:
    return any(marker in data for marker in MARKERS)


def looks_like_xml(head: bytes) -> bool:
    for bom in (
        b"\x00\x00\xfe\xff",
        b"\xff\xfe\x00\x00",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"\xfe\xff",
    ):
        head = head.removeprefix(bom)
    return head.lstrip(b" \t\r\n\x00").startswith(b"<")


def has_doctype(tree: Any) -> bool:
    """Whether a document lxml parsed carries a DTD (in whatever encoding it came)."""
    info = tree.getroottree().docinfo
    return bool(info.doctype or info.internalDTD is not None or info.externalDTD is not None)
