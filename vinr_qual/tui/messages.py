"""What the app's workers answer with: one message per kind of result.

A worker runs in a thread on its own connection to the project and posts one of these to
the screen (or the app) that asked; the handler there paints the result. Answers carry
the number of the request they answer, so that the answer to a request that has been
overtaken by a newer one is dropped. None of them bubble: the node that asked handles
its own answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from vinr_qual.analysis.cooccurrence import Cooccurrence
    from vinr_qual.analysis.matrix import Matrix
    from vinr_qual.analysis.policy_practice import Counterparts
    from vinr_qual.ingest.options import ImportOptions, ImportPlan
    from vinr_qual.search.query import SearchResult


@dataclass
class Failed(Message, bubble=False):
    """The core refused a request; `error` is its one-line message for the user."""

    group: str
    request: int
    error: str


@dataclass
class SearchDone(Message, bubble=False):
    request: int
    result: SearchResult


@dataclass
class MatrixDone(Message, bubble=False):
    request: int
    matrix: Matrix


@dataclass
class CooccurrenceDone(Message, bubble=False):
    request: int
    table: Cooccurrence
    names: dict[str, str]  # code id: name


@dataclass
class ImportPlanned(Message, bubble=False):
    """The files an import would bring in, each with its metadata."""

    request: int
    paths: list[Path]
    options: ImportOptions
    plan: ImportPlan


@dataclass
class AutocodeDone(Message, bubble=False):
    request: int
    added: int
    found: int


@dataclass
class ReportWritten(Message, bubble=False):
    request: int
    paths: list[Path] = field(default_factory=list)


@dataclass
class CounterpartsFound(Message, bubble=False):
    """The other side of a passage: its case's steering documents or interviews."""

    request: int
    counterparts: Counterparts


if TYPE_CHECKING:
    from vinr_qual.search.retrieval import Retrieved, Selection


@dataclass
class RetrievalDone(Message, bubble=False):
    """The passages of a retrieval, with what was retrieved (a matrix's pick made into
    filters) and the names of its codes."""

    request: int
    selection: Selection
    passages: list[Retrieved]
    code_names: list[str]


@dataclass
class QuotesExported(Message, bubble=False):
    request: int
    path: Path
