"""Check a zip-based office file (.docx, .odt, .xlsx) before any XML in it is parsed.

Every part is decompressed here through a bounded reader (the sizes a zip declares can
lie), so that a zip bomb is refused after at most the limit is read, and every part that
reads as XML, whatever its name (a main part may be renamed), is scanned in UTF-8 and
UTF-16 alike for a DOCTYPE or ENTITY declaration: no office suite writes one, and a DTD
is how entity-expansion attacks start.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.xml_safety import OVERLAP, declares_entities, looks_like_xml

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_PART_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 300 * 1024 * 1024
MAX_PARTS = 5000
CHUNK = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_docx_archive(path: Path, where: str) -> None:
    check_archive(
        path,
        where,
        kind="a Word document",
        required="[Content_Types].xml",
        old_format="an old Word 97-2003 (.doc) file, not .docx; save it as .docx in Word",
        not_zip="not a Word .docx file (it is not a zip archive)",
    )


def check_archive(
    path: Path,
    where: str,
    *,
    kind: str,
    required: str,
    old_format: str | None = None,
    not_zip: str | None = None,
) -> None:
    """Refuse, naming `where`, a file that is not a sound zip of `kind` holding `required`;
    `old_format` and `not_zip` say it in the format's own words where given."""
    size = path.stat().st_size
    if size == 0:
        raise ImportRefused(f"{where}: the file is empty")
    if size > MAX_FILE_BYTES:
        raise ImportRefused(f"{where}: {size} bytes is larger than the {MAX_FILE_BYTES} allowed")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        raise ImportRefused(
            f"{where}: "
            + (
                old_format
                or f"an old binary Office file (OLE), not {kind}; save it in the newer format"
            )
        )
    if not zipfile.is_zipfile(path):
        raise ImportRefused(f"{where}: " + (not_zip or f"not {kind} (it is not a zip archive)"))
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
