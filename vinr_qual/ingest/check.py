"""Read files as an import would, without a project: a report per file.

Used on folders of real-world Word files to see that every file is either read with its
body text or refused with a reason. A reader error that is not a refusal is a bug, and is
reported as "crashed" rather than raised, so one file never stops the run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.readers import read_source
from vinr_qual.ingest.turns import DEFAULT_PATTERNS, TurnRules, find_turns

_WORD = re.compile(r"\w+")


@dataclass
class FileReport:
    path: Path
    status: Literal["ok", "refused", "crashed"]
    message: str = ""
    words: int = 0
    paragraphs: int = 0
    headings: int = 0
    tables: int = 0
    turns: int = 0
    notes: list[str] = field(default_factory=list)


def check_file(path: Path, rules: TurnRules | None = None) -> FileReport:
    rules = rules or TurnRules(dict(DEFAULT_PATTERNS))
    try:
        parsed = read_source(path)
    except ImportRefused as error:
        return FileReport(path, "refused", str(error))
    except Exception as error:  # reported, never raised: see the module docstring
        return FileReport(path, "crashed", f"{path}: {type(error).__name__}: {error}")
    found = find_turns(parsed.text, parsed.blocks, rules)
    return FileReport(
        path,
        "ok",
        words=len(_WORD.findall(parsed.text)),
        paragraphs=sum(1 for block in parsed.blocks if block.kind == "paragraph"),
        headings=sum(1 for block in parsed.blocks if block.kind == "heading"),
        tables=len(parsed.tables),
        turns=len(found.turns),
        notes=[*parsed.notes, *found.notes],
    )


def check_sources(paths: Iterable[Path]) -> list[FileReport]:
    rules = TurnRules(dict(DEFAULT_PATTERNS))
    return [check_file(path, rules) for path in paths]
