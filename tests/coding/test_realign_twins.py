"""A realigned coding accepted where the same coding already stands folds into it."""

from __future__ import annotations

from pathlib import Path

from tests.codebook.conftest import codebook_file, load_file
from tests.conftest import write_text
from vinr_qual.coding.codings import add_coding, send_to_review
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.project import Project
from vinr_qual.suggest.review import accept

__all__ = ["codebook_file"]

BEFORE = """I: Hur gick det?

IP: Jag gjorde inte det heller. Vi hade ingen plan för samverkan med polisen.
"""


def test_accepting_a_realigned_coding_on_a_twin_leaves_one_coding(
    project: Project, codebook_file: Path, tmp_path: Path
) -> None:
    load_file(project, codebook_file)
    source = write_text(tmp_path / "Testby-02.txt", BEFORE)
    import_sources(project, [ImportRequest(source)])
    code = project.db.execute("SELECT id FROM codes WHERE name = 'Intern samverkan'").fetchone()[0]
    document_id, text = project.db.execute("SELECT id, text FROM documents").fetchone()
    for passage in ("Jag gjorde inte det heller.", "Vi hade ingen plan för samverkan med polisen."):
        start = text.index(passage)
        add_coding(project, document_id, start, start + len(passage), code, coder="Anna")
    first, second = (row[0] for row in project.db.execute("SELECT id FROM codings ORDER BY start"))
    # a corrected text dropped the first sentence; the guess for its coding is the second,
    # which the same coder already coded with the same code
    twin = project.db.execute('SELECT start, "end" FROM codings WHERE id = ?', [second]).fetchone()
    send_to_review(project, first, *twin, old_passage="Jag gjorde inte det heller.", reason="test")
    accept(project, first, decider="Bo")
    rows = project.db.execute('SELECT id, start, "end", status FROM codings').fetchall()
    assert rows == [(second, *twin, "accepted")]
