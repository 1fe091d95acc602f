"""Word 97–2003 documents (.doc): converted with LibreOffice where it is installed, else
refused with the hint to save the file as .docx.

With `soffice` on PATH the file is converted in a temporary folder
(`soffice --headless --convert-to docx`, with a profile of its own so that a running
LibreOffice is not disturbed) and the .docx is read as any other, with a note saying so.
A file named .doc that is really RTF or a .docx (Word does save such files) is read as
what it is, with a note.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.model import ParsedSource
from vinr_qual.ingest.safezip import MAX_FILE_BYTES, OLE_MAGIC

CONVERSION_SECONDS = 180
SAVE_AS_DOCX = "save it as .docx in Word (or install LibreOffice, whose soffice converts it)"


def soffice() -> str | None:
    """The LibreOffice program on PATH, if there is one."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(path: Path, where: str) -> ParsedSource:
    size = path.stat().st_size
    if size == 0:
        raise ImportRefused(f"{where}: the file is empty")
    if size > MAX_FILE_BYTES:
        raise ImportRefused(f"{where}: {size} bytes is larger than the {MAX_FILE_BYTES} allowed")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        from vinr_qual.ingest.rtf_reader import read_rtf

        parsed = read_rtf(path.read_bytes(), where)
        parsed.notes.insert(0, "a .doc file that is RTF inside; read as RTF")
        return parsed
    if zipfile.is_zipfile(path):
        from vinr_qual.ingest.docx_reader import read_docx

        parsed = read_docx(path, where)
        parsed.notes.insert(0, "a .doc file that is a .docx inside; read as .docx")
        return parsed
    if head != OLE_MAGIC:
        raise ImportRefused(f"{where}: not a Word document (neither Word 97-2003 nor .docx)")
    program = soffice()
    if program is None:
        raise ImportRefused(f"{where}: an old Word 97-2003 (.doc) file; {SAVE_AS_DOCX}")
    return _converted(program, path, where)


def _converted(program: str, path: Path, where: str) -> ParsedSource:
    from vinr_qual.ingest.docx_reader import read_docx

    with tempfile.TemporaryDirectory(prefix="vinr-qual-doc-") as folder:
        work = Path(folder)
        source = work / "source.doc"
        shutil.copyfile(path, source)
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=CONVERSION_SECONDS, check=False
            )
        except subprocess.TimeoutExpired as error:
            raise ImportRefused(
                f"{where}: LibreOffice did not convert the .doc file within"
                f" {CONVERSION_SECONDS} s; {SAVE_AS_DOCX}"
            ) from error
        except OSError as error:
            raise ImportRefused(
                f"{where}: cannot run LibreOffice ({error.strerror}); {SAVE_AS_DOCX}"
            ) from error
        converted = work / "out" / "source.docx"
        if done.returncode != 0 or not converted.is_file():
            reason = " ".join((done.stderr or done.stdout or "no output").split())[:200]
            raise ImportRefused(
                f"{where}: LibreOffice could not convert the .doc file ({reason});"
                " save it as .docx in Word"
            )
        parsed = read_docx(converted, where)
    parsed.notes.insert(
        0, "converted from Word 97-2003 (.doc) to .docx with LibreOffice; compare with the original"
    )
    parsed.source_format = "doc"
    return parsed
