"""Counts that summarise a project."""

from __future__ import annotations

from typing import Any

from vinr_qual.project import Project


def project_stats(project: Project) -> dict[str, Any]:
    db = project.db

    def one(sql: str) -> int:
        return int(db.execute(sql).fetchone()[0] or 0)

    def grouped(sql: str) -> dict[str, int]:
        return {str(key): int(count) for key, count in db.execute(sql).fetchall()}

    return {
        "project": str(project.path),
        "schema_version": project.schema_version,
        "documents": one("SELECT count(*) FROM documents"),
        "documents_by_kind": grouped("SELECT kind, count(*) FROM documents GROUP BY kind"),
        "words": one("SELECT sum(words) FROM documents"),
        "cases": one("SELECT count(*) FROM cases"),
        "documents_without_case": one("SELECT count(*) FROM documents WHERE case_id IS NULL"),
        "speakers": one("SELECT count(*) FROM speakers"),
        "speakers_by_role": grouped(
            "SELECT coalesce(role, '(unknown)'), count(*) FROM speakers GROUP BY 1 ORDER BY 1"
        ),
        "segments": grouped("SELECT kind, count(*) FROM segments GROUP BY kind ORDER BY kind"),
        "codes": one("SELECT count(*) FROM codes"),
        "codings": grouped("SELECT status, count(*) FROM codings GROUP BY status"),
        "coders": one("SELECT count(*) FROM coders"),
        "memos": one("SELECT count(*) FROM memos"),
        "changes": one("SELECT count(*) FROM changes"),
    }
