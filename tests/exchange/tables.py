"""Every table a REFI-QDA project carries, read in a form two projects can be compared in:
rows keyed by GUIDs and names, never by the row ids each project gives its own."""

from __future__ import annotations

from typing import Any

from vinr_qual.project import Project

QUERIES = {
    "coders": "SELECT guid, name FROM coders WHERE id IN (SELECT coder_id FROM codings"
    " WHERE status = 'accepted' UNION SELECT coder_id FROM memos"
    " UNION SELECT coder_id FROM framework_cells)",
    "codes": "SELECT c.id, c.name, c.parent_id, c.color, c.definition, c.use_when, c.not_when,"
    " c.examples, c.codable, c.position FROM codes c",
    "documents": "SELECT d.guid, d.name, d.text, d.kind, c.guid, d.date, d.title,"
    " d.interviewee_role, d.length, d.words FROM documents d LEFT JOIN cases c ON c.id = d.case_id",
    "cases": "SELECT guid, name FROM cases",
    "case_attributes": "SELECT c.guid, a.name, a.value FROM case_attributes a"
    " JOIN cases c ON c.id = a.case_id",
    "codings": 'SELECT k.guid, d.guid, k.start, k."end", k.code_id, r.guid, k.created'
    " FROM codings k JOIN documents d ON d.id = k.document_id JOIN coders r ON r.id = k.coder_id"
    " WHERE k.status = 'accepted'",
    "memos": "SELECT m.guid, m.target, d.guid, m.code_id, c.guid, k.guid, r.guid, m.text,"
    " m.created FROM memos m LEFT JOIN documents d ON d.id = m.document_id"
    " LEFT JOIN cases c ON c.id = m.case_id LEFT JOIN codings k ON k.id = m.coding_id"
    " LEFT JOIN coders r ON r.id = m.coder_id",
    "framework_cells": "SELECT c.guid, f.code_id, f.summary, r.guid FROM framework_cells f"
    " JOIN cases c ON c.id = f.case_id LEFT JOIN coders r ON r.id = f.coder_id",
    "code_sets": "SELECT s.id, s.name, s.description, m.code_id, m.position FROM code_sets s"
    " LEFT JOIN code_set_members m ON m.set_id = s.id",
    "project description": "SELECT value FROM settings WHERE key = 'project.description'",
}


def carried_tables(project: Project) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: sorted(project.db.execute(query).fetchall(), key=repr)
        for table, query in QUERIES.items()
    }
