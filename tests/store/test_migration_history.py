"""Project files of every old schema version, with real content, opened by this version.

For each k, a file is made by applying only the first k migrations (through migrate's own
machinery, so `_migrations` and `PRAGMA user_version` are exactly as a release of that
schema left them), and filled with raw SQL the way vinr-qual of that schema wrote it:
coders, a case, documents with their segments and speakers, codes, manual codings,
suggestions accepted (one decided twice), rejected and pending, memos, framework
summaries and the review decisions in the change log. Opening it must keep every row,
give everything that travels a guid, make the old documents searchable and their
sentence ranges right, and make the person who accepted a suggestion its coder.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from vinr_qual import __version__
from vinr_qual.project import Project
from vinr_qual.store.migrate import VERSION_SETTING, migrate
from vinr_qual.store.migrations import MIGRATIONS

RULES = "vinr-qual rules"
EARLIER = "2025-01-10T09:00:00+00:00"
ANNA_DECIDES = "2025-01-11T10:00:00+00:00"
ANNA_UNDOES = "2025-01-11T10:05:00+00:00"
BO_DECIDES = "2025-01-12T14:30:00+00:00"

# everything that travels (design.md), codes apart: their id is their guid
IDENTIFIED_TABLES = ("coders", "documents", "codings", "memos", "cases")
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

# (speaker label, sentences of the turn); a document is one turn per line
TESTBY = [
    ("I", ["Hur samverkar ni med polisen?"]),
    ("IP", ["Vi samverkade mycket inom länssamverkan.", "Det får vi fortsätta med."]),
]
PROVBY = [
    ("I", ["Vad gör ni för kvinnofriden?"]),
    ("IP", ["Vi har en samordnare.", "Far min arbetade här förr."]),
]
LEMMAS = {
    "Hur samverkar ni med polisen?": "hur samverka ni med polis",
    "Vi samverkade mycket inom länssamverkan.": "vi samverka mycket inom länssamverkan",
    "Det får vi fortsätta med.": "det få vi fortsätta med",
    "Vad gör ni för kvinnofriden?": "vad göra ni för kvinnofrid",
    "Vi har en samordnare.": "vi ha en samordnare",
    "Far min arbetade här förr.": "far min arbeta här förr",
}


@dataclass
class Content:
    """What the old file holds, by name, to check against after opening."""

    coders: dict[str, int] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)
    sentences: dict[str, int] = field(default_factory=dict)
    sentence_runs: dict[str, tuple[int, int]] = field(default_factory=dict)
    codings: dict[str, int] = field(default_factory=dict)


def _row(db: sqlite_utils.Database, table: str, row_id: int) -> dict[str, Any]:
    return next(db.query(f"SELECT * FROM {table} WHERE id = ?", [row_id]))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _insert(db: sqlite_utils.Database, sql: str, params: list[Any]) -> int:
    return int(db.execute(sql, params).lastrowid or 0)


def _log(
    db: sqlite_utils.Database,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: object,
    before: Any = None,
    after: Any = None,
) -> int:
    return _insert(
        db,
        "INSERT INTO changes (at, actor, action, entity, entity_id, before, after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            at,
            actor,
            action,
            entity,
            None if entity_id is None else str(entity_id),
            None if before is None else _json(before),
            None if after is None else _json(after),
        ],
    )


def _document(
    db: sqlite_utils.Database,
    applied: set[str],
    content: Content,
    name: str,
    turns: list[tuple[str, list[str]]],
    case_id: int | None,
) -> int:
    lines = [f"{label}: {' '.join(sentences)}" for label, sentences in turns]
    text = "\n".join(lines) + "\n"
    document_id = _insert(
        db,
        "INSERT INTO documents (name, kind, case_id, title, source_name, source_format,"
        " source_encoding, sha256, text, length, words, imported, date, interviewee_role,"
        " import_notes) VALUES (?, 'interview', ?, ?, ?, 'txt', 'utf-8', ?, ?, ?, ?, ?,"
        " '2025-01-05', 'kvinnofridssamordnare', '[]')",
        [
            name,
            case_id,
            f"Intervju i {name.split('-')[0]}",
            f"{name}.txt",
            "ab" * 32,
            text,
            len(text),
            len(text.split()),
            EARLIER,
        ],
    )
    content.documents[name] = document_id
    speakers = {
        label: _insert(
            db,
            "INSERT INTO speakers (document_id, case_id, label, role, is_interviewer)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                document_id,
                case_id,
                label,
                "intervjuare" if label == "I" else "kvinnofridssamordnare",
                int(label == "I"),
            ],
        )
        for label, _ in turns
    }
    spans = []
    start = 0
    for line in lines:
        spans.append((start, start + len(line)))
        start += len(line) + 1
    for line_start, line_end in spans:
        db.execute(
            "INSERT INTO segments (document_id, kind, start, \"end\") VALUES (?, 'paragraph', ?, ?)",
            [document_id, line_start, line_end],
        )
    for (label, _), (line_start, line_end) in zip(turns, spans, strict=True):
        db.execute(
            'INSERT INTO segments (document_id, kind, start, "end", speaker_id, content_start)'
            " VALUES (?, 'turn', ?, ?, ?, ?)",
            [document_id, line_start, line_end, speakers[label], line_start + len(label) + 2],
        )
    ids = []
    for (label, sentences), (line_start, _) in zip(turns, spans, strict=True):
        for sentence in sentences:
            begin = text.index(sentence, line_start)
            assert text[begin : begin + len(sentence)] == sentence
            sentence_id = _insert(
                db,
                'INSERT INTO segments (document_id, kind, start, "end", speaker_id, lemmas)'
                " VALUES (?, 'sentence', ?, ?, ?, ?)",
                [document_id, begin, begin + len(sentence), speakers[label], LEMMAS[sentence]],
            )
            content.sentences[sentence] = sentence_id
            ids.append(sentence_id)
            if "m003_search" in applied:  # the importer of that schema indexed as it went
                db.execute(
                    "INSERT INTO search_text (rowid, text) VALUES (?, ?)", [sentence_id, sentence]
                )
                db.execute(
                    "INSERT INTO search_trigrams (rowid, text) VALUES (?, ?)",
                    [sentence_id, sentence],
                )
                db.execute(
                    "INSERT INTO search_lemmas (rowid, lemmas) VALUES (?, ?)",
                    [sentence_id, LEMMAS[sentence]],
                )
    content.sentence_runs[name] = (min(ids), max(ids))
    if "m004_sentence_ranges" in applied:
        db.execute(
            "UPDATE documents SET first_sentence = ?, last_sentence = ? WHERE id = ?",
            [min(ids), max(ids), document_id],
        )
    return document_id


def _coding(
    db: sqlite_utils.Database,
    content: Content,
    key: str,
    document: str,
    sentence: str,
    code_id: str,
    coder: str,
    status: str,
    origin: str,
) -> int:
    start, end = next(
        db.execute('SELECT start, "end" FROM segments WHERE id = ?', [content.sentences[sentence]])
    )
    coding_id = _insert(
        db,
        'INSERT INTO codings (document_id, start, "end", code_id, coder_id, created, status,'
        " origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            content.documents[document],
            start,
            end,
            code_id,
            content.coders[coder],
            EARLIER,
            status,
            origin,
        ],
    )
    content.codings[key] = coding_id
    return coding_id


def _decide(
    db: sqlite_utils.Database,
    applied: set[str],
    content: Content,
    key: str,
    action: str,
    decider: str,
    at: str,
) -> int:
    """A review decision as the review of that schema logged it: the whole row before and
    after. From m008 on, the decider of an accepted suggestion is its coder."""
    coding_id = content.codings[key]
    before = _row(db, "codings", coding_id)
    values: dict[str, Any] = {"status": {"accept": "accepted", "reject": "rejected"}[action]}
    if action == "accept" and "m008_deciders" in applied:
        if decider not in content.coders:
            content.coders[decider] = _insert(
                db, "INSERT INTO coders (name, created) VALUES (?, ?)", [decider, at]
            )
        values["coder_id"] = content.coders[decider]
    assignments = ", ".join(f"{name} = ?" for name in values)
    db.execute(f"UPDATE codings SET {assignments} WHERE id = ?", [*values.values(), coding_id])
    return _log(
        db, at, decider, action, "coding", coding_id, before, _row(db, "codings", coding_id)
    )


def write_content(db: sqlite_utils.Database, applied: set[str]) -> Content:
    content = Content()
    with db.atomic():
        db.execute("INSERT INTO settings (key, value) VALUES ('coder', 'Anna')")
        for name in ("Anna", RULES):
            content.coders[name] = _insert(
                db, "INSERT INTO coders (name, created) VALUES (?, ?)", [name, EARLIER]
            )
        testby = _insert(db, "INSERT INTO cases (name, created) VALUES ('Testby', ?)", [EARLIER])
        db.execute(
            "INSERT INTO case_attributes (case_id, name, value, source)"
            " VALUES (?, 'län', 'Uppsala län', 'csv')",
            [testby],
        )
        _log(db, EARLIER, "Anna", "create", "case", testby, None, {"name": "Testby"})
        _document(db, applied, content, "Testby-intervju", TESTBY, testby)
        _document(db, applied, content, "Provby-intervju", PROVBY, None)
        for position, (code_id, parent, name) in enumerate(
            [
                ("k-samverkan", None, "Samverkan"),
                ("k-polis", "k-samverkan", "Samverkan med polisen"),
                ("k-kvinnofrid", None, "Kvinnofrid"),
            ]
        ):
            db.execute(
                "INSERT INTO codes (id, parent_id, name, definition, color, position, created)"
                " VALUES (?, ?, ?, ?, '#E76F51', ?, ?)",
                [code_id, parent, name, f"Allt om {name.lower()}.", position, EARLIER],
            )
        if "m002_codebook" in applied:
            db.execute(
                "UPDATE codes SET use_when = 'när det nämns', examples = '[\"polisen\"]'"
                " WHERE id = 'k-polis'"
            )
            db.execute("INSERT INTO code_sets (id, name) VALUES ('s-1', 'Strukturfrågor')")
            db.execute(
                "INSERT INTO code_set_members (set_id, code_id) VALUES ('s-1', 'k-samverkan')"
            )

        manual = _coding(
            db,
            content,
            "manual",
            "Testby-intervju",
            "Vi samverkade mycket inom länssamverkan.",
            "k-samverkan",
            "Anna",
            "accepted",
            "manual",
        )
        _log(db, EARLIER, "Anna", "create", "coding", manual, None, _row(db, "codings", manual))
        _coding(
            db,
            content,
            "manual in Provby",
            "Provby-intervju",
            "Vad gör ni för kvinnofriden?",
            "k-kvinnofrid",
            "Anna",
            "accepted",
            "manual",
        )
        suggestions = [
            ("accepted by Anna", "Testby-intervju", "Hur samverkar ni med polisen?", "k-polis"),
            ("accepted twice", "Provby-intervju", "Vi har en samordnare.", "k-kvinnofrid"),
            ("rejected", "Provby-intervju", "Far min arbetade här förr.", "k-samverkan"),
            ("pending", "Testby-intervju", "Det får vi fortsätta med.", "k-samverkan"),
        ]
        for key, document, sentence, code_id in suggestions:
            _coding(
                db,
                content,
                key,
                document,
                sentence,
                code_id,
                RULES,
                "suggested",
                f"rule:{code_id}",
            )
        # accepted on import, never reviewed: no decider to take over
        _coding(
            db,
            content,
            "imported",
            "Testby-intervju",
            "Det får vi fortsätta med.",
            "k-polis",
            RULES,
            "accepted",
            "import:refi-qda",
        )
        _decide(db, applied, content, "accepted by Anna", "accept", "Anna", ANNA_DECIDES)
        # Anna accepts, undoes it, and Bo (not yet a coder) accepts: the last decision counts
        twice = content.codings["accepted twice"]
        first = _decide(db, applied, content, "accepted twice", "accept", "Anna", ANNA_DECIDES)
        accepted_row = _row(db, "codings", twice)
        db.execute(
            "UPDATE codings SET status = 'suggested', coder_id = ? WHERE id = ?",
            [content.coders[RULES], twice],
        )
        _log(
            db,
            ANNA_UNDOES,
            "Anna",
            f"revert {first}",
            "coding",
            twice,
            accepted_row,
            _row(db, "codings", twice),
        )
        _decide(db, applied, content, "accepted twice", "accept", "Bo", BO_DECIDES)
        _decide(db, applied, content, "rejected", "reject", "Anna", ANNA_DECIDES)

        db.execute(
            "INSERT INTO memos (target, coding_id, coder_id, text, created, updated)"
            " VALUES ('coding', ?, ?, 'Tydligt exempel.', ?, ?)",
            [manual, content.coders["Anna"], EARLIER, EARLIER],
        )
        db.execute(
            "INSERT INTO memos (target, document_id, coder_id, text, created, updated)"
            " VALUES ('document', ?, ?, 'Intervjun gjordes på distans.', ?, ?)",
            [content.documents["Testby-intervju"], content.coders["Anna"], EARLIER, EARLIER],
        )
        if "m005_framework" in applied:
            summary = "Samverkar mycket med polisen."
            db.execute(
                "INSERT INTO framework_cells (case_id, code_id, summary, coder_id, updated)"
                " VALUES (?, 'k-samverkan', ?, ?, ?)",
                [testby, summary, content.coders["Anna"], ANNA_DECIDES],
            )
            _log(
                db,
                ANNA_DECIDES,
                "Anna",
                "summarise",
                "framework_cell",
                f"{testby}:k-samverkan",
                None,
                {"summary": summary},
            )
    return content


def build_old_project(path: Path, k: int) -> Content:
    db = sqlite_utils.Database(path)
    assert [name for name, _ in MIGRATIONS[:k]] == migrate(db, until=k)
    assert db.execute("PRAGMA user_version").fetchone()[0] == k
    content = write_content(db, {name for name, _ in MIGRATIONS[:k]})
    db.close()
    return content


def snapshot(db: sqlite_utils.Database) -> dict[str, list[dict[str, Any]]]:
    """Every row of every ordinary table (not the full-text indexes, checked by search)."""
    tables = [
        name
        for name in db.table_names()
        if not name.startswith("search_") and not name.startswith("sqlite_")
    ]
    return {table: list(db.query(f"SELECT * FROM {table}")) for table in tables}


OLD_VERSIONS = list(range(1, len(MIGRATIONS)))


@pytest.mark.parametrize("k", OLD_VERSIONS)
def test_a_project_of_schema_k_opens_with_everything_kept(tmp_path: Path, k: int) -> None:
    path = tmp_path / f"schema-{k}.sqlite"
    content = build_old_project(path, k)
    old = sqlite_utils.Database(path)
    before = snapshot(old)
    old.close()
    decided_now = "m008_deciders" not in {name for name, _ in MIGRATIONS[:k]}

    with Project.open(path) as project:
        db = project.db
        assert project.schema_version == len(MIGRATIONS)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        coder_ids = {row["name"]: row["id"] for row in db.query("SELECT id, name FROM coders")}

        # every row is still there with the same values; the only changes are the deciders
        expected = {table: [dict(row) for row in rows] for table, rows in before.items()}
        if decided_now:
            moved = {
                content.codings["accepted by Anna"]: coder_ids["Anna"],
                content.codings["accepted twice"]: coder_ids["Bo"],
            }
            for row in expected["codings"]:
                row["coder_id"] = moved.get(row["id"], row["coder_id"])
        # the lemmas of a file older than m016 are made anew by today's lemmatizer
        from vinr_qual.ingest.lemmas import sentence_lemmas

        texts = dict(db.execute("SELECT id, text FROM documents").fetchall())
        for row in expected["segments"]:
            if row["kind"] == "sentence":
                row["lemmas"] = sentence_lemmas(
                    texts[row["document_id"]][row["start"] : row["end"]]
                )
        added: dict[str, list[dict[str, Any]]] = {}
        for table, rows in expected.items():
            columns = list(rows[0]) if rows else []
            now_rows = [
                {name: row[name] for name in columns} for row in db.query(f"SELECT * FROM {table}")
            ]
            missing = [row for row in rows if row not in now_rows]
            assert missing == [], (table, missing)
            added[table] = [row for row in now_rows if row not in rows]
        assert [row["name"] for row in added.pop("_migrations")] == [
            name for name, _ in MIGRATIONS[k:]
        ]
        if decided_now:
            assert [(row["name"], row["created"]) for row in added.pop("coders")] == [
                ("Bo", BO_DECIDES)
            ]
            (migrated,) = added.pop("changes")
            assert (migrated["actor"], migrated["action"], migrated["entity"]) == (
                "vinr-qual",
                "migrate m008",
                "coding",
            )
            assert migrated["entity_id"] is None and migrated["before"] is None
            assert json.loads(migrated["after"]) == {"codings": 2}
        # which vinr-qual wrote the schema (releases before this one did not say)
        from vinr_qual.ingest.lemmas import lemmatizer_name
        from vinr_qual.project import LEMMATIZER_SETTING

        assert sorted(added.pop("settings"), key=lambda row: row["key"]) == [
            {"key": LEMMATIZER_SETTING, "value": lemmatizer_name()},
            {"key": VERSION_SETTING, "value": __version__},
        ]
        assert {table: rows for table, rows in added.items() if rows} == {}

        # everything that travels has a guid: filled, unique, a version 4 UUID
        for table in IDENTIFIED_TABLES:
            guids = [row[0] for row in db.execute(f"SELECT guid FROM {table}")]
            assert guids and all(isinstance(guid, str) and GUID.match(guid) for guid in guids)
            assert all(uuid.UUID(guid).version == 4 for guid in guids)
            assert len(set(guids)) == len(guids), table
        all_guids = [
            row[0] for table in IDENTIFIED_TABLES for row in db.execute(f"SELECT guid FROM {table}")
        ]
        assert len(set(all_guids)) == len(all_guids)

        # the old documents are searchable: one row per sentence in each index
        def hits(table: str, query: str) -> list[int]:
            return [
                row[0]
                for row in db.execute(
                    f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid", [query]
                )
            ]

        sentence = content.sentences
        assert hits("search_text", "samverkade") == [
            sentence["Vi samverkade mycket inom länssamverkan."]
        ]
        assert hits("search_text", "far") == [sentence["Far min arbetade här förr."]]
        assert hits("search_text", "får") == [sentence["Det får vi fortsätta med."]]
        assert hits("search_lemmas", "samverka") == sorted(
            [
                sentence["Hur samverkar ni med polisen?"],
                sentence["Vi samverkade mycket inom länssamverkan."],
            ]
        )
        assert hits("search_trigrams", '"samverkan"') == [
            sentence["Vi samverkade mycket inom länssamverkan."]
        ]
        for table in ("search_text", "search_lemmas", "search_trigrams"):
            assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(sentence)
        texts = dict(db.execute("SELECT rowid, text FROM search_text").fetchall())
        assert texts == {segment_id: text for text, segment_id in sentence.items()}

        # each document's first and last sentence
        runs = {
            name: (first, last)
            for name, first, last in db.execute(
                "SELECT name, first_sentence, last_sentence FROM documents"
            )
        }
        assert runs == content.sentence_runs

        # the decider is the coder; the origin still names the rule
        coded = {
            row["id"]: (row["coder_id"], row["origin"], row["status"])
            for row in db.query("SELECT id, coder_id, origin, status FROM codings")
        }
        codings = content.codings
        assert coded[codings["accepted by Anna"]] == (coder_ids["Anna"], "rule:k-polis", "accepted")
        assert coded[codings["accepted twice"]] == (
            coder_ids["Bo"],
            "rule:k-kvinnofrid",
            "accepted",
        )
        for key in ("rejected", "pending", "imported"):
            assert coded[codings[key]][0] == coder_ids[RULES], key
        assert coded[codings["manual"]][0] == coder_ids["Anna"]
        after_first_open = snapshot(db)

    # reopening applies nothing more and changes nothing
    with Project.open(path) as again:
        assert migrate(again.db) == []
        assert snapshot(again.db) == after_first_open
        assert again.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
