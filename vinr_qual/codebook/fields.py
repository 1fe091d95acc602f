"""The field a passage is about: BF, VINR, ANDTS, or several.

The field is a small family of codes (the codebook names it with `field_family`), coded
on the same passage as any other code. A family rather than an attribute of a coding:
it needs no schema of its own, it travels to other tools as ordinary codes (REFI-QDA),
intercoder agreement covers it as any code, a passage about two fields simply has two
field codings, and a coder can add the field later without touching the coding it
qualifies. The analyses cross it with every other code by overlap: a coding's fields
are those field codings of its document whose span overlaps it (vinr_qual.analysis).
"""

from __future__ import annotations

from vinr_qual.errors import VinrQualError
from vinr_qual.project import Project


def field_family(project: Project) -> str | None:
    """The id of the field family, if the codebook names one that exists."""
    family = project.setting("codebook.field_family")
    if family and project.db.execute("SELECT 1 FROM codes WHERE id = ?", [family]).fetchone():
        return family
    return None


def field_codes(project: Project) -> dict[str, str]:
    """The field codes (id: name) in codebook order; empty without a field family."""
    family = field_family(project)
    if family is None:
        return {}
    return {
        str(code_id): str(name)
        for code_id, name in project.db.execute(
            "SELECT id, name FROM codes WHERE parent_id = ? AND codable = 1 ORDER BY position",
            [family],
        )
    }


def require_field_codes(project: Project) -> dict[str, str]:
    found = field_codes(project)
    if not found:
        raise VinrQualError(
            "the codebook names no field family: set `field_family:` in its `codebook:`"
            " header to the id of the family whose codes are the fields (BF, VINR, ANDTS)"
        )
    return found


def code_field(
    project: Project, coding_id: int, fields: list[str], *, coder: str | None = None
) -> list[int]:
    """Code the passage of a coding with these field codes (ids), as one action; a field
    the passage has already is left as it is. Returns the new codings' ids."""
    from vinr_qual.coding.codings import Passage, code_passages, coding_row

    known = require_field_codes(project)
    unknown = [field for field in fields if field not in known]
    if unknown:
        raise VinrQualError(
            f"{', '.join(unknown)} is not a field; the fields are {', '.join(known.values())}"
        )
    row = coding_row(project, coding_id)
    passage = Passage(row["document_id"], row["start"], row["end"])
    added: list[int] = []
    with project.batch("code field", "coding", after={"coding": coding_id, "fields": fields}):
        for field in fields:
            added.extend(code_passages(project, [passage], field, coder=coder))
    return added
