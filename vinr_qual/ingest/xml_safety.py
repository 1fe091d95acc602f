"""Refuse XML that declares a DTD before it is parsed.

Neither Word nor a REFI-QDA codebook ever carries a DOCTYPE; a DTD is how entity-expansion
("billion laughs") and external-entity attacks begin. The markers are looked for in
UTF-8 and UTF-16 alike, and across chunk boundaries by the callers that stream.
"""

from __future__ import annotations

MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
OVERLAP = max(len(marker) for marker in MARKERS)


def declares_entities(data: bytes) -> bool:
    return any(marker in data for marker in MARKERS)


def looks_like_xml(head: bytes) -> bool:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(bom)
    return head.lstrip(b" \t\r\n\x00").startswith(b"<")
