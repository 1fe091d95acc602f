"""Check a zip-based office file (OpenDocument .odt, Excel .xlsx) before any XML in it is
parsed, as `safezip` does for Word: every part decompressed through a bounded reader (the
sizes a zip declares can lie), so a zip bomb is refused after at most the limit is read,
and every XML part scanned for a DOCTYPE or ENTITY declaration, which neither LibreOffice
nor Excel writes and which is how entity-expansion attacks start.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.safezip import (
    CHUNK,
    MAX_FILE_BYTES,
    MAX_PART_BYTES,
    MAX_PARTS,
    MAX_TOTAL_BYTES,
    OLE_MAGIC,
)
from vinr_qual.ingest.xml_safety import OVERLAP, declares_entities, looks_like_xml


def check_archive(path: Path, where: str, *, kind: str, required: str) -> None:
    """Refuse, naming `where`, a file that is not a sound zip of `kind` holding `required`."""
    size = path.stat().st_size
    if size == 0:
        raise ImportRefused(f"{where}: the file is empty")
    if size > MAX_FILE_BYTES:
        raise ImportRefused(f"{where}: {size} bytes is larger than the {MAX_FILE_BYTES} allowed")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        raise ImportRefused(
            f"{where}: an old binary Office file (OLE), not {kind}; save it in the newer format"
        )
    if not zipfile.is_zipfile(path):
        raise ImportRefused(f"{where}: not {kind} (it is not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_PARTS:
                raise ImportRefused(f"{where}: {len(infos)} parts in the archive is too many")
            if required not in {info.filename for info in infos}:
                raise ImportRefused(f"{where}: a zip archive but not {kind} (no {required})")
            total = 0
            for info in infos:
                total += _read_bounded(archive, info, where, MAX_TOTAL_BYTES - total)
    except zipfile.BadZipFile as error:
        raise ImportRefused(f"{where}: damaged zip archive ({error})") from error
    except (RuntimeError, NotImplementedError) as error:  # encrypted or unknown compression
        raise ImportRefused(f"{where}: cannot read the archive ({error})") from error


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, room: int) -> int:
    limit = min(MAX_PART_BYTES, room)
    is_xml: bool | None = None
    read = 0
    tail = b""  # the end of the previous chunk, so a marker split between chunks is seen
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            read += len(chunk)
            if read > limit:
                raise ImportRefused(
                    f"{where}: part {info.filename} expands beyond {limit // (1024 * 1024)} MiB"
                    " (a zip bomb?); refused"
                )
            if is_xml is None:
                is_xml = looks_like_xml(chunk)
            if is_xml and declares_entities(tail + chunk):
                raise ImportRefused(
                    f"{where}: part {info.filename} declares XML entities (a DOCTYPE);"
                    " refused for safety"
                )
            tail = chunk[-OVERLAP:]
    return read
