"""Keeping the full-text indexes in step with the sentences of each document.

Every sentence segment is one row in each of the three FTS5 tables made by migration
m003 (words, lemmas, trigrams), with the segment's id as row id. The importer indexes a
document right after writing its segments, in the same transaction, and unindexes it
before replacing them.
"""

from __future__ import annotations

from typing import Protocol

TABLES = ("search_text", "search_lemmas", "search_trigrams")


class Executes(Protocol):
    def execute(self, sql: str, parameters: list[object] = ..., /) -> object: ...


def _fill(db: Executes, where: str, parameters: list[object]) -> None:
    db.execute(
        f"INSERT INTO search_text (rowid, text) SELECT id, text FROM ("
        f'SELECT s.id AS id, substr(d.text, s.start + 1, s."end" - s.start) AS text'
        f" FROM segments s JOIN documents d ON d.id = s.document_id"
        f" WHERE s.kind = 'sentence' {where})",
        parameters,
    )
    db.execute(
        f"INSERT INTO search_lemmas (rowid, lemmas) SELECT s.id, coalesce(s.lemmas, '')"
        f" FROM segments s WHERE s.kind = 'sentence' {where.replace('d.id', 's.document_id')}",
        parameters,
    )
    db.execute(
        f"INSERT INTO search_trigrams (rowid, text) SELECT s.id,"
        f' substr(d.text, s.start + 1, s."end" - s.start)'
        f" FROM segments s JOIN documents d ON d.id = s.document_id"
        f" WHERE s.kind = 'sentence' {where}",
        parameters,
    )


def index_all(db: Executes) -> None:
    _fill(db, "", [])


def index_document(db: Executes, document_id: int) -> None:
    _fill(db, "AND d.id = ?", [document_id])
    record_sentence_range(db, document_id)


def record_sentence_range(db: Executes, document_id: int) -> None:
    db.execute(
        "UPDATE documents SET (first_sentence, last_sentence) = (SELECT min(id), max(id)"
        " FROM segments WHERE document_id = ? AND kind = 'sentence') WHERE id = ?",
        [document_id, document_id],
    )


def unindex_document(db: Executes, document_id: int) -> None:
    for table in TABLES:
        db.execute(
            f"DELETE FROM {table} WHERE rowid IN"
            " (SELECT id FROM segments WHERE document_id = ? AND kind = 'sentence')",
            [document_id],
        )
