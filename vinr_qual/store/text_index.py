"""Keeping the full-text indexes in step with the sentences of each document.

Every sentence segment is one row in each of the three FTS5 tables made by migration
m003 (words, lemmas, trigrams), with the segment's id as row id. The importer indexes a
document right after writing its segments, in the same transaction, and unindexes it
before replacing them. Sentences are cut from the text here in Python: SQLite's substr
would read the whole document once per sentence.
"""

from __future__ import annotations

import sqlite_utils

TABLES = ("search_text", "search_lemmas", "search_trigrams")


def index_document(
    db: sqlite_utils.Database, document_id: int, *, record_range: bool = True
) -> None:
    text = db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()[0]
    rows = db.execute(
        "SELECT id, start, \"end\", coalesce(lemmas, '') FROM segments"
        " WHERE document_id = ? AND kind = 'sentence' ORDER BY id",
        [document_id],
    ).fetchall()
    connection = db.conn
    sentences = [(row[0], text[row[1] : row[2]]) for row in rows]
    connection.executemany("INSERT INTO search_text (rowid, text) VALUES (?, ?)", sentences)
    connection.executemany("INSERT INTO search_trigrams (rowid, text) VALUES (?, ?)", sentences)
    connection.executemany(
        "INSERT INTO search_lemmas (rowid, lemmas) VALUES (?, ?)",
        [(row[0], row[3]) for row in rows],
    )
    record_sentence_range(db, document_id)


def index_all(db: sqlite_utils.Database) -> None:
    for (document_id,) in db.execute("SELECT id FROM documents").fetchall():
        index_document(db, document_id)


def record_sentence_range(db: sqlite_utils.Database, document_id: int) -> None:
    try:
        db.execute(
            "UPDATE documents SET (first_sentence, last_sentence) = (SELECT min(id), max(id)"
            " FROM segments WHERE document_id = ? AND kind = 'sentence') WHERE id = ?",
            [document_id, document_id],
        )
    except Exception as error:  # before migration m004 the columns are not there yet
        if "first_sentence" not in str(error):
            raise


def unindex_document(db: sqlite_utils.Database, document_id: int) -> None:
    for table in TABLES:
        db.execute(
            f"DELETE FROM {table} WHERE rowid IN"
            " (SELECT id FROM segments WHERE document_id = ? AND kind = 'sentence')",
            [document_id],
        )
