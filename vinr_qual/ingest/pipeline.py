"""Import source files into a project as a batched pipeline.

Per batch: read and parse every file (a refused file is reported and skipped), find
speaker turns, split all paragraphs of the batch into sentences in one `nlp.pipe` run,
then write each document in its own transaction. So a crash leaves whole documents or
none, and spaCy works on many texts at once.

A file is known by its document name (the file name) and the SHA-256 of its bytes:

- same name, same bytes: nothing is done, and the outcome says so;
- same bytes under another name: nothing is done (the content is already there);
- same name, other bytes: reported as changed and left alone, unless `replace` is asked.
  Replacing keeps the document's id, so its memos stay; each coding is moved to where
  its passage stands in the new text, exactly or with edits, and a coding whose passage
  cannot be found with confidence waits in the review queue (`coding/realign.py`).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from vinr_qual.cases.cases import ensure_case
from vinr_qual.coding.realign import realign_codings
from vinr_qual.coding.realign import summary as realign_summary
from vinr_qual.errors import ImportRefused, VinrQualError
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.model import ParsedSource, Turn
from vinr_qual.ingest.provisions import find_provisions
from vinr_qual.ingest.readers import read_source
from vinr_qual.ingest.segment import Sentence, sentences
from vinr_qual.ingest.turns import TurnRules, find_turns, interviewer_labels
from vinr_qual.project import Project
from vinr_qual.store import texts
from vinr_qual.store.clock import now

Status = Literal["imported", "replaced", "unchanged", "changed", "failed"]
BATCH_FILES = 16
_WORD = re.compile(r"\w+")


@dataclass
class ImportRequest:
    path: Path
    metadata: SourceMetadata = field(default_factory=SourceMetadata)
    name: str | None = None
    # a text already read (a source of a REFI-QDA package): not read from `path`, and
    # known by the given hash; it keeps the GUID it had
    parsed: ParsedSource | None = None
    sha256: str | None = None
    guid: str | None = None

    @property
    def document_name(self) -> str:
        return self.name or self.path.name


@dataclass
class Outcome:
    path: Path
    name: str
    status: Status
    message: str
    document_id: int | None = None


@dataclass
class _Prepared:
    request: ImportRequest
    sha256: str
    parsed: ParsedSource
    kind: str
    turns: list[Turn]
    replaces: int | None
    sentences: list[tuple[int, int, str]] = field(default_factory=list)


Progress = Callable[[Outcome], None]


def import_sources(
    project: Project,
    requests: Iterable[ImportRequest],
    *,
    replace: bool = False,
    on_outcome: Progress | None = None,
) -> list[Outcome]:
    project.require_writable()
    rules = TurnRules.from_settings(
        project.setting("speaker_patterns"), project.setting("speaker_min_repeats")
    )
    outcomes: list[Outcome] = []

    def report(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    seen: dict[str, Path] = {}  # names and hashes met in this run, with their file
    for batch in _batches(list(requests), BATCH_FILES):
        prepared: list[_Prepared] = []
        for request in batch:
            item = _prepare(project, request, rules, replace, report, seen)
            if item:
                prepared.append(item)
        prepared = _split_sentences(prepared, report)
        for item in prepared:
            try:
                report(_write(project, item))
            except VinrQualError as error:
                report(Outcome(item.request.path, item.request.document_name, "failed", str(error)))
            except sqlite3.Error as error:  # rolled back: the document is wholly absent
                message = f"{item.request.path}: cannot write to the project ({error})"
                report(Outcome(item.request.path, item.request.document_name, "failed", message))
    return outcomes


def _batches(items: list[ImportRequest], size: int) -> Iterator[list[ImportRequest]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _prepare(
    project: Project,
    request: ImportRequest,
    rules: TurnRules,
    replace: bool,
    report: Progress,
    seen: dict[str, Path],
) -> _Prepared | None:
    path, name = request.path, request.document_name
    where = str(path)
    try:
        try:
            sha256 = request.sha256 or _sha256(path)
        except OSError as error:
            raise ImportRefused(f"{where}: cannot read the file ({error.strerror})") from error
        if f"name:{name}" in seen:
            raise ImportRefused(
                f"{where}: the same file name as {seen[f'name:{name}']} in this import;"
                " document names must be unique (rename one of the files)"
            )
        if f"sha:{sha256}" in seen:
            report(Outcome(path, name, "unchanged",
                           f"same content as {seen[f'sha:{sha256}']} in this import"))  # fmt: skip
            return None
        seen[f"name:{name}"] = path
        seen[f"sha:{sha256}"] = path
        same_name = project.db.execute(
            "SELECT id, sha256 FROM documents WHERE name = ?", [name]
        ).fetchone()
        if same_name and same_name[1] == sha256:
            report(Outcome(path, name, "unchanged", "already imported, unchanged", same_name[0]))
            return None
        if same_name and not replace:
            report(
                Outcome(
                    path,
                    name,
                    "changed",
                    "differs from the imported version; not imported (use --replace to"
                    " replace it: codings move with their passages)",
                    same_name[0],
                )
            )
            return None
        same_bytes = project.db.execute(
            "SELECT id, name FROM documents WHERE sha256 = ? AND name != ?", [sha256, name]
        ).fetchone()
        if same_bytes:
            report(
                Outcome(
                    path,
                    name,
                    "unchanged",
                    f"same content as document {same_bytes[1]!r}, already imported",
                    same_bytes[0],
                )
            )
            return None
        parsed = request.parsed or read_source(path, where)
        if same_name:
            _keep_stored_metadata(project, same_name[0], request)
        kind = request.metadata.kind or "interview"
        if parsed.turns is not None:
            turns = parsed.turns
        elif kind != "steering":
            found = find_turns(parsed.text, parsed.blocks, rules)
            turns = found.turns
            parsed.notes.extend(found.notes)
        else:
            turns = []
        return _Prepared(request, sha256, parsed, kind, turns, same_name[0] if same_name else None)
    except ImportRefused as error:
        report(Outcome(path, name, "failed", str(error)))
    except Exception as error:  # a reader bug must not stop the batch: report it
        report(
            Outcome(path, name, "failed", f"{where}: cannot read ({type(error).__name__}: {error})")
        )
    return None


def _keep_stored_metadata(project: Project, document_id: int, request: ImportRequest) -> None:
    """A replaced document keeps its case, kind, date, title and role unless new ones are
    given."""
    case, kind, date, title, role = project.db.execute(
        "SELECT c.name, d.kind, d.date, d.title, d.interviewee_role FROM documents d"
        " LEFT JOIN cases c ON c.id = d.case_id WHERE d.id = ?",
        [document_id],
    ).fetchone()
    meta = request.metadata
    meta.case = meta.case or case
    meta.kind = meta.kind or kind
    meta.date = meta.date or date
    meta.title = meta.title or title
    meta.interviewee_role = meta.interviewee_role or role


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _speech_units(item: _Prepared) -> list[tuple[int, int]]:
    """The stretches to split into sentences: blocks cut at turns, without their labels.

    Outside turns (headers, steering documents) a line break ends a unit unless the line
    runs on: no closing punctuation, and the next line starts in lower case.
    """
    text = item.parsed.text
    turn_starts = {turn.start: turn.content_start for turn in item.turns}
    starts = sorted(turn_starts)
    units: list[tuple[int, int]] = []
    for block in item.parsed.blocks:
        cuts = [block.start] + [s for s in starts if block.start < s < block.end] + [block.end]
        for begin, end in itertools.pairwise(cuts):
            in_turn = begin in turn_starts or _inside_turn(item.turns, begin)
            begin = turn_starts.get(begin, begin)
            pieces = [(begin, end)] if in_turn else _line_runs(text, begin, end)
            units.extend((b, e) for b, e in pieces if b < e and text[b:e].strip())
    return units


def _inside_turn(turns: list[Turn], position: int) -> bool:
    """Turns are sorted and do not overlap, so the last one starting before decides."""
    index = bisect.bisect_right([turn.start for turn in turns], position) - 1
    return index >= 0 and position < turns[index].end


def _line_runs(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    runs = []
    start = begin
    index = text.find("\n", begin, end)
    while index != -1:
        line = text[start:index].rstrip()
        following = text[index + 1 : end].lstrip()
        runs_on = line and line[-1] not in ".!?:;" and following[:1].islower()
        if not runs_on:
            runs.append((start, index))
            start = index + 1
        index = text.find("\n", index + 1, end)
    runs.append((start, end))
    return runs


def _split_sentences(prepared: list[_Prepared], report: Progress) -> list[_Prepared]:
    """Sentences for the whole batch in one spaCy run; if spaCy fails on the batch, each
    document is tried alone, and one that still fails is reported and left out."""
    try:
        _sentences_of(prepared)
        return prepared
    except Exception:  # spaCy's errors have no common base class
        for item in prepared:
            item.sentences.clear()
    kept = []
    for item in prepared:
        try:
            _sentences_of([item])
            kept.append(item)
        except Exception as error:
            message = f"{item.request.path}: cannot split into sentences ({error})"
            report(Outcome(item.request.path, item.request.document_name, "failed", message))
    return kept


def _sentences_of(prepared: list[_Prepared]) -> None:
    jobs: list[tuple[str, tuple[int, int]]] = []
    for index, item in enumerate(prepared):
        for begin, end in _speech_units(item):
            jobs.append((item.parsed.text[begin:end], (index, begin)))
    found: Iterator[tuple[tuple[int, int], list[Sentence]]] = sentences(jobs)
    for (index, base), spans in found:
        prepared[index].sentences.extend(
            (base + span.start, base + span.end, span.lemmas) for span in spans
        )


def _write(project: Project, item: _Prepared) -> Outcome:
    request, parsed = item.request, item.parsed
    meta = request.metadata
    text = parsed.text
    with project.transaction():
        case_id = ensure_case(project, meta.case) if meta.case else None
        row = {
            "name": request.document_name,
            "kind": item.kind,
            "case_id": case_id,
            "title": meta.title,
            "source_name": request.path.name,
            "source_format": parsed.source_format,
            "source_encoding": parsed.encoding,
            "sha256": item.sha256,
            "text": text,
            "length": len(text),
            "words": len(_WORD.findall(text)),
            "imported": now(),
            "date": meta.date,
            "interviewee_role": meta.interviewee_role,
            "import_notes": json.dumps(parsed.notes, ensure_ascii=False),
            "page_starts": json.dumps(parsed.page_starts) if parsed.page_starts else None,
            **({"guid": request.guid} if request.guid else {}),
        }
        if item.replaces is None:
            document_id = texts.insert_document(project, row)
            moved: dict[str, int] = {}
        else:
            document_id = item.replaces
            old_text = texts.replace_document(project, document_id, row)
            units = [(start, end) for start, end, _ in item.sentences]
            moved = realign_codings(project, document_id, old_text, text, units=units)
        _write_structure(project, document_id, case_id, item)
        texts.index_document(project, document_id)
        project.log_change(
            "replace" if item.replaces else "import",
            "document",
            document_id,
            after={
                "name": request.document_name,
                "sha256": item.sha256,
                "case": meta.case,
                "kind": item.kind,
                "notes": parsed.notes,
                **({"codings": moved} if item.replaces else {}),
            },
        )
    turns = len(item.turns)
    summary = f"{row['words']} words, {len(parsed.blocks)} paragraphs, {turns} turns"
    if item.replaces:
        summary += f"; {realign_summary(moved)}"
    if parsed.notes:
        summary += "; " + "; ".join(parsed.notes)
    return Outcome(
        request.path,
        request.document_name,
        "replaced" if item.replaces else "imported",
        summary,
        document_id,
    )


INTERVIEWER_ROLES = {"intervjuare", "interviewer", "moderator", "forskare", "researcher"}


def _write_structure(
    project: Project, document_id: int, case_id: int | None, item: _Prepared
) -> None:
    meta = item.request.metadata
    flagged = {turn.label for turn in item.turns if turn.interviewer}
    given = any(turn.interviewer is not None for turn in item.turns)
    interviewers = flagged if given else interviewer_labels(item.parsed.text, item.turns)
    labels = list(dict.fromkeys(turn.label for turn in item.turns))
    # roles the metadata gives decide: "Anna Berg=intervjuare" is the interviewer, and a
    # speaker given another role is not one, whatever the labels suggest
    roles = {label: meta.speaker_roles[label] for label in labels if label in meta.speaker_roles}
    named = {label for label, role in roles.items() if role.casefold() in INTERVIEWER_ROLES}
    interviewers = named or {label for label in interviewers if label not in roles}
    respondents = [label for label in labels if label not in interviewers]
    speaker_ids: dict[str, int] = {}
    for label in labels:
        role = meta.speaker_roles.get(label)
        if role is None and label in interviewers:
            role = "intervjuare"
        if role is None and len(respondents) == 1:
            role = meta.interviewee_role
        speaker_ids[label] = texts.add_speaker(
            project, document_id, case_id, label, role, is_interviewer=label in interviewers
        )

    rows: list[texts.SegmentRow] = []
    for block in item.parsed.blocks:
        rows.append(
            (document_id, block.kind, block.start, block.end, None, None, block.level, None, None)
        )
    for start, end in item.parsed.tables:
        rows.append((document_id, "table", start, end, None, None, None, None, None))
    if item.kind != "interview":
        for start, end, kind in find_provisions(item.parsed.text, item.parsed.blocks):
            rows.append((document_id, kind, start, end, None, None, None, None, None))
    for turn in item.turns:
        rows.append(
            (
                document_id,
                "turn",
                turn.start,
                turn.end,
                speaker_ids[turn.label],
                turn.content_start,
                None,
                None,
                turn.time,
            )
        )
    turn_index = 0
    for start, end, lemmas in sorted(item.sentences):
        while turn_index < len(item.turns) and item.turns[turn_index].end <= start:
            turn_index += 1
        speaker = None
        if turn_index < len(item.turns) and item.turns[turn_index].start <= start:
            speaker = speaker_ids[item.turns[turn_index].label]
        rows.append((document_id, "sentence", start, end, speaker, None, None, lemmas, None))
    texts.add_segments(project, rows, page_starts=item.parsed.page_starts)


@dataclass
class Collected:
    requests: list[ImportRequest]
    skipped: list[Path]


def collect_sources(paths: Iterable[Path], suffixes: tuple[str, ...]) -> Collected:
    """Source files named directly, and those found under named folders; every other file
    in a folder is listed as skipped (see `skip_reason`): files of other formats, hidden
    files and Word's `~$` lock files, and hidden folders (once, without looking inside)."""
    requests: list[ImportRequest] = []
    skipped: list[Path] = []
    for path in paths:
        if not path.is_dir():
            requests.append(ImportRequest(path))
            continue
        found: list[Path] = []
        for folder, folders, files in os.walk(path):
            here = Path(folder)
            for name in sorted(folders):
                if name.startswith((".", "~$")):
                    found.append(here / name)
                    folders.remove(name)
            found.extend(here / name for name in files)
        for item in sorted(found):
            if item.name.startswith((".", "~$")) or item.suffix.lower() not in suffixes:
                skipped.append(item)
            else:
                requests.append(ImportRequest(item))
    return Collected(requests, skipped)


def skip_reason(path: Path, suffixes: tuple[str, ...]) -> str:
    """Why `collect_sources` skipped a path, in a few words."""
    name = path.name
    if name.startswith("~$"):
        return "Word's lock file (left while the document is open)"
    if name.startswith("."):
        return "hidden folder, not looked into" if path.is_dir() else "hidden file"
    suffix = path.suffix.lower()
    if suffix in suffixes:
        return "skipped"
    if suffix == ".qdpx":
        return "a REFI-QDA project: import it on its own (`vinr-qual import FILE.qdpx`)"
    return f"{suffix or 'no suffix'}, not a format vinr-qual reads"
