"""The tables of a project file, one migration at a time.

A project is one SQLite database. Its schema is a list of named migrations applied in
order and recorded in `_migrations`; `PRAGMA user_version` holds their count so that any
SQLite client can tell the schema version. A migration is never edited once released:
changes come as new migrations at the end of `MIGRATIONS`.

Migrations are frozen: each one carries everything it does, in SQL or Python private to
this module, and imports nothing of vinr_qual (only the standard library and
sqlite-utils), so that live code can change without changing what an old migration
does to an old file.

Positions (`start`, `end`) are always `[start, end)` Python string indices into
`documents.text`, which never changes after import.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import sqlite_utils

M001_INITIAL = """
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE coders (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    created TEXT NOT NULL
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    created TEXT NOT NULL
);

CREATE TABLE case_attributes (
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    value TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'user',
    PRIMARY KEY (case_id, name)
) WITHOUT ROWID;
CREATE INDEX case_attributes_by_name ON case_attributes (name, value);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT 'interview'
        CHECK (kind IN ('interview', 'steering', 'other')),
    case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,
    title TEXT,
    source_name TEXT NOT NULL,
    source_format TEXT NOT NULL,
    source_encoding TEXT,
    sha256 TEXT NOT NULL,
    text TEXT NOT NULL,
    length INTEGER NOT NULL,
    words INTEGER NOT NULL,
    imported TEXT NOT NULL,
    date TEXT,
    interviewee_role TEXT,
    import_notes TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX documents_by_case ON documents (case_id);
CREATE INDEX documents_by_kind ON documents (kind);
CREATE INDEX documents_by_sha256 ON documents (sha256);
CREATE INDEX documents_by_source_name ON documents (source_name);

CREATE TABLE speakers (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,
    label TEXT NOT NULL,
    role TEXT,
    is_interviewer INTEGER NOT NULL DEFAULT 0 CHECK (is_interviewer IN (0, 1)),
    UNIQUE (document_id, label)
);
CREATE INDEX speakers_by_case ON speakers (case_id);
CREATE INDEX speakers_by_role ON speakers (role);

CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL
        CHECK (kind IN ('paragraph', 'heading', 'turn', 'sentence', 'table', 'note')),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    speaker_id INTEGER REFERENCES speakers(id) ON DELETE SET NULL,
    content_start INTEGER,
    level INTEGER,
    lemmas TEXT,
    CHECK (start >= 0 AND "end" > start)
);
CREATE INDEX segments_by_document ON segments (document_id, kind, start);
CREATE INDEX segments_by_speaker ON segments (speaker_id);

CREATE TABLE codes (
    id TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES codes(id) ON DELETE RESTRICT,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_en TEXT,
    definition TEXT,
    color TEXT,
    shortcut TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
CREATE INDEX codes_by_parent ON codes (parent_id, position);
CREATE UNIQUE INDEX codes_unique_shortcut ON codes (shortcut) WHERE shortcut IS NOT NULL;

CREATE TABLE codings (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    code_id TEXT NOT NULL REFERENCES codes(id) ON DELETE RESTRICT,
    coder_id INTEGER NOT NULL REFERENCES coders(id) ON DELETE RESTRICT,
    created TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'accepted'
        CHECK (status IN ('suggested', 'accepted', 'rejected')),
    origin TEXT NOT NULL DEFAULT 'manual',
    CHECK (start >= 0 AND "end" > start)
);
CREATE INDEX codings_by_document ON codings (document_id, start);
CREATE INDEX codings_by_code ON codings (code_id, status);
CREATE INDEX codings_by_coder ON codings (coder_id, status);
CREATE INDEX codings_by_status_origin ON codings (status, origin);

CREATE TABLE memos (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL CHECK (target IN ('project', 'document', 'code', 'case', 'coding')),
    document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
    code_id TEXT REFERENCES codes(id) ON DELETE CASCADE,
    case_id INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    coding_id INTEGER REFERENCES codings(id) ON DELETE CASCADE,
    coder_id INTEGER REFERENCES coders(id) ON DELETE RESTRICT,
    text TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    CHECK (
        (target = 'project' AND document_id IS NULL AND code_id IS NULL
            AND case_id IS NULL AND coding_id IS NULL)
        OR (target = 'document' AND document_id IS NOT NULL)
        OR (target = 'code' AND code_id IS NOT NULL)
        OR (target = 'case' AND case_id IS NOT NULL)
        OR (target = 'coding' AND coding_id IS NOT NULL)
    )
);
CREATE INDEX memos_by_document ON memos (document_id);
CREATE INDEX memos_by_code ON memos (code_id);
CREATE INDEX memos_by_case ON memos (case_id);
CREATE INDEX memos_by_coding ON memos (coding_id);

CREATE TABLE changes (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    before TEXT,
    after TEXT
);
CREATE INDEX changes_by_entity ON changes (entity, entity_id);
CREATE INDEX changes_by_actor ON changes (actor, at);

CREATE TRIGGER changes_append_only_update BEFORE UPDATE ON changes
BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only');
END;
CREATE TRIGGER changes_append_only_delete BEFORE DELETE ON changes
BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only');
END;
"""


def m001_initial(db: sqlite_utils.Database) -> None:
    for statement in _statements(M001_INITIAL):
        db.execute(statement)


def _statements(script: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    current: list[str] = []
    in_trigger = False
    for line in script.splitlines():
        if not line.strip() and not current:
            continue
        current.append(line)
        stripped = line.strip().upper()
        if stripped.startswith("CREATE TRIGGER"):
            in_trigger = True
        if (in_trigger and stripped == "END;") or (not in_trigger and stripped.endswith(";")):
            statements.append("\n".join(current))
            current = []
            in_trigger = False
    return statements


M002_CODEBOOK = """
ALTER TABLE codes ADD COLUMN use_when TEXT;
ALTER TABLE codes ADD COLUMN not_when TEXT;
ALTER TABLE codes ADD COLUMN examples TEXT NOT NULL DEFAULT '[]';
ALTER TABLE codes ADD COLUMN rules TEXT;
ALTER TABLE codes ADD COLUMN codable INTEGER NOT NULL DEFAULT 1 CHECK (codable IN (0, 1));
CREATE INDEX codes_by_name ON codes (name COLLATE NOCASE);

CREATE TABLE code_sets (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    description TEXT,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE code_set_members (
    set_id TEXT NOT NULL REFERENCES code_sets(id) ON DELETE CASCADE,
    code_id TEXT NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (set_id, code_id)
) WITHOUT ROWID;
CREATE INDEX code_set_members_by_code ON code_set_members (code_id);
"""


def m002_codebook(db: sqlite_utils.Database) -> None:
    """Everything a codebook file carries: guidance, examples, rules, folders and sets."""
    for statement in _statements(M002_CODEBOOK):
        db.execute(statement)


def m003_search(db: sqlite_utils.Database) -> None:
    """Full-text indexes of every sentence, kept in step by the importer.

    `search_text`: words, with å, ä and ö as letters of their own (no diacritics folded),
    so that `får` does not find `far`; `search_lemmas`: the sentence's lemmas, so that
    `samverka` finds `samverkade`; `search_trigrams`: three-letter pieces, so that
    `samverkan` also finds `länssamverkan` inside a compound. Row ids are segment ids.
    """
    db.execute(
        "CREATE VIRTUAL TABLE search_text USING fts5("
        "text, tokenize = 'unicode61 remove_diacritics 0')"
    )
    db.execute(
        "CREATE VIRTUAL TABLE search_lemmas USING fts5("
        "lemmas, tokenize = 'unicode61 remove_diacritics 0')"
    )
    db.execute("CREATE VIRTUAL TABLE search_trigrams USING fts5(text, tokenize = 'trigram')")
    _m003_index_sentences(db)


def _m003_index_sentences(db: sqlite_utils.Database) -> None:
    """Every sentence of the documents already there, in all three tables.

    Each sentence is cut from its document's text in Python: SQLite's substr would read
    the whole text once per sentence.
    """
    connection = db.conn
    for (document_id,) in connection.execute("SELECT id FROM documents ORDER BY id").fetchall():
        text = connection.execute(
            "SELECT text FROM documents WHERE id = ?", [document_id]
        ).fetchone()[0]
        rows = connection.execute(
            "SELECT id, start, \"end\", coalesce(lemmas, '') FROM segments"
            " WHERE document_id = ? AND kind = 'sentence' ORDER BY id",
            [document_id],
        ).fetchall()
        sentences = [(row[0], text[row[1] : row[2]]) for row in rows]
        connection.executemany("INSERT INTO search_text (rowid, text) VALUES (?, ?)", sentences)
        connection.executemany("INSERT INTO search_trigrams (rowid, text) VALUES (?, ?)", sentences)
        connection.executemany(
            "INSERT INTO search_lemmas (rowid, lemmas) VALUES (?, ?)",
            [(row[0], row[3]) for row in rows],
        )


def m004_sentence_ranges(db: sqlite_utils.Database) -> None:
    """Each document's first and last sentence segment id.

    A document's segments are written in one go, so its sentences have ids in one run;
    search maps a hit to its document by these ranges instead of a join per hit.
    """
    db.execute("ALTER TABLE documents ADD COLUMN first_sentence INTEGER")
    db.execute("ALTER TABLE documents ADD COLUMN last_sentence INTEGER")
    # covers what search reads of each document, so that no row (and no text) is read
    db.execute(
        "CREATE INDEX documents_sentence_runs ON documents"
        " (first_sentence, last_sentence, case_id, kind, name)"
    )
    db.execute(
        "UPDATE documents SET (first_sentence, last_sentence) = (SELECT min(id), max(id)"
        " FROM segments WHERE segments.document_id = documents.id AND kind = 'sentence')"
    )


def m005_framework(db: sqlite_utils.Database) -> None:
    """The framework matrix: a researcher's summary per case and code; every version is
    in the change log."""
    db.execute(
        "CREATE TABLE framework_cells ("
        " case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
        " code_id TEXT NOT NULL REFERENCES codes(id) ON DELETE CASCADE,"
        " summary TEXT NOT NULL, coder_id INTEGER REFERENCES coders(id), updated TEXT NOT NULL,"
        " PRIMARY KEY (case_id, code_id)) WITHOUT ROWID"
    )


def m006_coding_tally(db: sqlite_utils.Database) -> None:
    """Covers the tally of codings per document, code and coder that matrices start from,
    so that it is read in index order without touching the codings themselves."""
    db.execute("CREATE INDEX codings_tally ON codings (status, document_id, code_id, coder_id)")


# m007's own: a later migration that needs either copies it rather than sharing it
_M007_TABLES = ("coders", "documents", "codings", "memos", "cases")
# a version 4 UUID, lower-case 8-4-4-4-12: random hex with the version nibble 4 and the
# variant nibble one of 8, 9, a, b (`random() & 3` is never negative, unlike abs(random()),
# which overflows on the smallest integer)
_M007_NEW_GUID = (
    "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'"
    " || substr(hex(randomblob(2)), 2) || '-' || substr('89AB', 1 + (random() & 3), 1)"
    " || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
)


def m007_identities(db: sqlite_utils.Database) -> None:
    """A GUID for everything that travels: coders, documents, codings, memos and cases.

    Integer ids are local to one file; exchange (REFI-QDA) and merging two coders' copies
    match on guids. Rows already there get distinct random ones. A row inserted without a
    guid gets one from a trigger, so every write path has one even if it gives none,
    while a writer that puts a removed row back (undo) gives its old guid explicitly.
    Once set, a guid never changes. The trigger fills the guid after the insert, so an
    `INSERT ... RETURNING guid` returns NULL: read it back with a SELECT.
    """
    for table in _M007_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN guid TEXT")
        db.execute(f"UPDATE {table} SET guid = {_M007_NEW_GUID}")
        db.execute(f"CREATE UNIQUE INDEX {table}_by_guid ON {table} (guid)")
        db.execute(
            f"CREATE TRIGGER {table}_guid_given AFTER INSERT ON {table}"
            " FOR EACH ROW WHEN NEW.guid IS NULL"
            f" BEGIN UPDATE {table} SET guid = {_M007_NEW_GUID} WHERE id = NEW.id; END"
        )
        db.execute(
            f"CREATE TRIGGER {table}_guid_kept BEFORE UPDATE OF guid ON {table}"
            " FOR EACH ROW WHEN OLD.guid IS NOT NULL AND NEW.guid IS NOT OLD.guid"
            " BEGIN SELECT RAISE(ABORT, 'a guid never changes'); END"
        )


def m008_deciders(db: sqlite_utils.Database) -> None:
    """The decider is the coder: an accepted suggestion becomes its decider's coding.

    Before this, accepting a suggestion left the coder of the rules that proposed it;
    now each accepted suggestion whose latest `accept` in the change log names a person
    gets that person as coder (registered as a coder, created when they first decided,
    if they were not one). The origin still names the rule. One change row records how
    many codings moved.
    """
    connection = db.conn
    decided = connection.execute(
        "SELECT g.id, g.coder_id, ch.actor, ch.at FROM codings g"
        " JOIN changes ch ON ch.id = (SELECT max(c.id) FROM changes c"
        " WHERE c.entity = 'coding' AND c.action = 'accept'"
        " AND c.entity_id = CAST(g.id AS TEXT))"
        " WHERE g.status = 'accepted' AND g.origin != 'manual' ORDER BY g.id"
    ).fetchall()
    first_decision: dict[str, str] = {}
    for _, _, actor, at in decided:
        name = actor.strip()
        if name and (name not in first_decision or at < first_decision[name]):
            first_decision[name] = at
    coder_ids: dict[str, int] = {}
    for name, at in first_decision.items():
        row = connection.execute("SELECT id FROM coders WHERE name = ?", [name]).fetchone()
        if row is None:
            cursor = connection.execute(
                "INSERT INTO coders (name, created) VALUES (?, ?)", [name, at]
            )
            coder_ids[name] = int(cursor.lastrowid or 0)
        else:
            coder_ids[name] = int(row[0])
    moved = [
        (coder_ids[actor.strip()], coding_id)
        for coding_id, coder_id, actor, _ in decided
        if actor.strip() and coder_ids[actor.strip()] != coder_id
    ]
    connection.executemany("UPDATE codings SET coder_id = ? WHERE id = ?", moved)
    if moved:
        connection.execute(
            "INSERT INTO changes (at, actor, action, entity, entity_id, before, after)"
            " VALUES (?, 'vinr-qual', 'migrate m008', 'coding', NULL, NULL, ?)",
            [
                dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                json.dumps({"codings": len(moved)}),
            ],
        )


def m009_change_batches(db: sqlite_utils.Database) -> None:
    """An action made of many changes (every hit of a search coded, a run of the rules) is
    one row for the whole and a row per change pointing to it, so that it is undone as one
    and each change in it can still be traced."""
    db.execute("ALTER TABLE changes ADD COLUMN batch INTEGER REFERENCES changes(id)")
    db.execute("CREATE INDEX changes_by_batch ON changes (batch) WHERE batch IS NOT NULL")
    db.execute("CREATE INDEX changes_of_actor ON changes (actor, id) WHERE batch IS NULL")


def m010_turn_times(db: sqlite_utils.Database) -> None:
    """When a turn was said: seconds from the start of the recording, as the caption and
    transcription formats give it (NULL where the source has no times)."""
    db.execute('ALTER TABLE segments ADD COLUMN "time" REAL')


def m011_pages(db: sqlite_utils.Database) -> None:
    """Pages of paged sources (PDF): where each page begins in the document's text (a JSON
    list of positions, page 1 first), and the page each segment begins on, so that a
    passage is cited with its page ("s. 12", "s. 12–13")."""
    db.execute("ALTER TABLE documents ADD COLUMN page_starts TEXT")
    db.execute("ALTER TABLE segments ADD COLUMN page INTEGER")


def m012_provisions(db: sqlite_utils.Database) -> None:
    """Goals and measures of steering documents ("Mål 2.1", "Åtgärd 3", the numbered
    items under a heading about goals or measures) are segments of their own, kinds
    `goal` and `measure`, so that they can be coded and counted. SQLite cannot change a
    CHECK constraint, so the table is built anew with the same rows and ids."""
    db.execute(
        """CREATE TABLE segments_m012 (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN
        ('paragraph', 'heading', 'turn', 'sentence', 'table', 'note', 'goal', 'measure')),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    speaker_id INTEGER REFERENCES speakers(id) ON DELETE SET NULL,
    content_start INTEGER,
    level INTEGER,
    lemmas TEXT,
    "time" REAL,
    page INTEGER,
    CHECK (start >= 0 AND "end" > start)
)"""
    )
    db.execute(
        'INSERT INTO segments_m012 (id, document_id, kind, start, "end", speaker_id,'
        ' content_start, level, lemmas, "time", page) SELECT id, document_id, kind, start,'
        ' "end", speaker_id, content_start, level, lemmas, "time", page FROM segments'
    )
    db.execute("DROP TABLE segments")
    db.execute("ALTER TABLE segments_m012 RENAME TO segments")
    db.execute("CREATE INDEX segments_by_document ON segments (document_id, kind, start)")
    db.execute("CREATE INDEX segments_by_speaker ON segments (speaker_id)")


def m013_quotes_and_pseudonyms(db: sqlite_utils.Database) -> None:
    """What goes into a report: the quote basket, pseudonyms for real names, and the
    aliases cases are reported under ("Kommun A").

    A quote keeps its source's place (document, span, and the coding's guid when it came
    from one) and a copy of the passage as it was when added, so that a removed or moved
    source is noticed rather than quoted wrongly; `kept` lists the parts of the passage
    the author keeps (JSON `[[start, end], …]` in the document's positions; empty: all),
    and the words between are left out with "[…]". A pseudonym replaces a real name in
    everything shown for export, never in the stored text.
    """
    db.execute(
        """CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    guid TEXT NOT NULL UNIQUE,
    document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    passage TEXT NOT NULL,
    coding_guid TEXT,
    code_id TEXT REFERENCES codes(id) ON DELETE SET NULL,
    theme TEXT,
    kept TEXT NOT NULL DEFAULT '[]',
    note TEXT,
    position INTEGER NOT NULL,
    coder_id INTEGER REFERENCES coders(id),
    created TEXT NOT NULL,
    CHECK (start >= 0 AND "end" > start)
)"""
    )
    db.execute("CREATE INDEX quotes_in_order ON quotes (position)")
    db.execute("CREATE INDEX quotes_by_document ON quotes (document_id)")
    db.execute(
        "CREATE TRIGGER quotes_guid_kept BEFORE UPDATE OF guid ON quotes"
        " FOR EACH ROW WHEN NEW.guid IS NOT OLD.guid"
        " BEGIN SELECT RAISE(ABORT, 'a guid never changes'); END"
    )
    db.execute(
        """CREATE TABLE pseudonyms (
    id INTEGER PRIMARY KEY,
    real TEXT NOT NULL CHECK (length(trim(real)) > 0),
    alias TEXT NOT NULL CHECK (length(trim(alias)) > 0),
    kind TEXT NOT NULL DEFAULT 'person'
        CHECK (kind IN ('person', 'municipality', 'place', 'organisation')),
    gender TEXT,
    created TEXT NOT NULL
)"""
    )
    db.execute("CREATE UNIQUE INDEX pseudonyms_by_real ON pseudonyms (real COLLATE NOCASE)")
    db.execute("CREATE UNIQUE INDEX pseudonyms_by_alias ON pseudonyms (alias COLLATE NOCASE)")
    db.execute(
        """CREATE TABLE case_aliases (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    alias TEXT NOT NULL CHECK (length(trim(alias)) > 0),
    position INTEGER NOT NULL
)"""
    )
    db.execute("CREATE UNIQUE INDEX case_aliases_by_alias ON case_aliases (alias COLLATE NOCASE)")


def m014_code_units(db: sqlite_utils.Database) -> None:
    """Each code may name the unit it is coded in by default (sentence, turn, paragraph or
    passage): what a shortcut codes when nothing is selected. NULL: the sentence."""
    db.execute("ALTER TABLE codes ADD COLUMN unit TEXT")


def m015_analysis_order(db: sqlite_utils.Database) -> None:
    """What every analysis reads, in the order it reads it: the codings by status, then
    document by document in reading order, holding every column counted, and the speaker
    turns of each document in order, so that neither is sorted, nor each row looked up."""
    db.execute(
        "CREATE INDEX codings_in_reading_order ON codings"
        ' (status, document_id, start, "end", id, code_id, coder_id)'
    )
    db.execute(
        'CREATE INDEX segments_turns ON segments (document_id, start, "end", speaker_id)'
        " WHERE kind = 'turn'"
    )


def m016_lemmas_outdated(db: sqlite_utils.Database) -> None:
    """The lemmas stored so far were made by spaCy's lookup table, which has no part of
    speech and gives common words a rare homograph's lemma (`har` → `hare`, `med` →
    `mede`): mark them as made by it, in the setting `vinr_qual.lemmatizer`.

    A migration may use no lemmatizer (nothing of vinr_qual, no third-party library), so
    this only marks: the project re-lemmatises every sentence with the lemmatizer it runs
    now when it opens a file whose lemmas another lemmatizer made, document by document,
    both `segments.lemmas` and `search_lemmas`, and records its own. A file without
    sentences is not marked: whatever it gets later, the current lemmatizer makes.
    """
    db.execute(
        "INSERT INTO settings (key, value) SELECT 'vinr_qual.lemmatizer',"
        " 'spacy-lookups-data sv_lemma_lookup' WHERE EXISTS (SELECT 1 FROM segments"
        " WHERE kind = 'sentence') ON CONFLICT (key) DO UPDATE SET value = excluded.value"
    )


MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("m001_initial", m001_initial),
    ("m002_codebook", m002_codebook),
    ("m003_search", m003_search),
    ("m004_sentence_ranges", m004_sentence_ranges),
    ("m005_framework", m005_framework),
    ("m006_coding_tally", m006_coding_tally),
    ("m007_identities", m007_identities),
    ("m008_deciders", m008_deciders),
    ("m009_change_batches", m009_change_batches),
    ("m010_turn_times", m010_turn_times),
    ("m011_pages", m011_pages),
    ("m012_provisions", m012_provisions),
    ("m013_quotes_and_pseudonyms", m013_quotes_and_pseudonyms),
    ("m014_code_units", m014_code_units),
    ("m015_analysis_order", m015_analysis_order),
    ("m016_lemmas_outdated", m016_lemmas_outdated),
]
