"""A project as the REFI-QDA standard carries it, between a file and a project.

Reading a .qdpx and reading another vinr-qual project both give a `Package`; exporting
writes one, and importing or merging brings one into a project (`exchange/bring_in.py`).
So one model serves the four directions, and what the standard carries is exactly what
this module holds. Texts are stored normalised and positions are our code-point indices
into them: the producer's own counting stays at the file's edge.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from vinr_qual.codebook.model import Codebook

# GUIDs we derive (variables, selections) come from this namespace, so that exporting
# the same project twice writes the same GUIDs
NAMESPACE = uuid.UUID("6f1c4a52-0d8e-4b7e-9a35-3c2f5e8d7b10")

VariableType = Literal["Text", "Boolean", "Integer", "Float", "Date", "DateTime"]
NoteTarget = Literal["project", "document", "code", "case", "coding", "passage", "framework"]

# document facts carried as variables on their source, as MAXQDA carries its document
# variables (the standard has no field for them)
DOCUMENT_VARIABLES = {
    "kind": "Dokumenttyp",
    "date": "Datum",
    "title": "Titel",
    "interviewee_role": "Intervjupersonens roll",
}


def derived_guid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


@dataclass
class User:
    guid: str
    name: str
    initials: str | None = None


@dataclass
class Coding:
    guid: str
    code_guid: str
    start: int
    end: int
    user_guid: str | None = None
    created: str | None = None


@dataclass
class Source:
    guid: str
    name: str
    text: str
    kind: str = "interview"
    facts: dict[str, str] = field(default_factory=dict)  # date, title, interviewee_role
    values: dict[str, str] = field(default_factory=dict)  # variable guid -> value
    codings: list[Coding] = field(default_factory=list)
    user_guid: str | None = None
    created: str | None = None
    source_format: str = "txt"
    counting: str | None = None  # how the producer's positions were read, for the report


@dataclass
class Variable:
    guid: str
    name: str
    type: VariableType = "Text"
    description: str | None = None


@dataclass
class Case:
    guid: str
    name: str
    description: str | None = None
    values: dict[str, str] = field(default_factory=dict)  # variable guid -> value
    sources: list[str] = field(default_factory=list)  # source guids


@dataclass
class Note:
    guid: str
    text: str
    target: NoteTarget = "project"
    # the guid of what the note is on; for a passage, the source's (with start and end);
    # for a framework summary, the case's (with the code's in `code_guid`)
    target_guid: str | None = None
    code_guid: str | None = None
    start: int | None = None
    end: int | None = None
    name: str | None = None
    user_guid: str | None = None
    created: str | None = None


@dataclass
class SourceSet:
    """A set of sources (the standard's MemberSource), which vinr-qual has no table for."""

    guid: str
    name: str
    sources: list[str] = field(default_factory=list)


@dataclass
class Package:
    name: str
    origin: str | None = None
    description: str | None = None
    users: list[User] = field(default_factory=list)
    codebook: Codebook = field(default_factory=Codebook)
    variables: list[Variable] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    source_sets: list[SourceSet] = field(default_factory=list)
    # what the package holds that vinr-qual cannot carry, counted by kind
    not_carried: Counter[str] = field(default_factory=Counter)
    # one line per problem found reading it (the import report lists them)
    problems: list[str] = field(default_factory=list)
    # what was read in a way worth saying (countings chosen, text taken from a .docx)
    remarks: list[str] = field(default_factory=list)

    def coding_count(self) -> int:
        return sum(len(source.codings) for source in self.sources)
