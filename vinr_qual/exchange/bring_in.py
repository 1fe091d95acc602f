"""Bring a `Package` into a project: a .qdpx import, or a merge of a coder's copy.

Two steps, as for a codebook: `plan` matches what the package holds with what the project
has and lists what would be added and what conflicts; `apply` adds it in one transaction
(the project is unchanged unless all of it is written) with a change-log row per row
added. Matching: coders by GUID, then name; documents by the hash of their text (a
document is the same whatever tool held it), then GUID; codes by GUID, then their path
of names (reported); cases by GUID, then name; codings and notes by GUID, and a coding
already present with the same passage, code and coder is never added twice. A document
here whose text differs from the package's (the same GUID with a corrected text, or the
same name and a text at least 90 % alike, as another tool holds an interview) takes the
package's codings by aligning the two texts, as a corrected transcript does: each lands
on its passage or waits in the review queue with its passage shown. What
differs (a code named otherwise, an attribute or framework cell with another value) is
listed as a conflict for a person to decide, and the project's version is kept.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vinr_qual.cases.cases import ensure_case, find_case, set_attribute
from vinr_qual.codebook.model import Code, CodeSet, new_id
from vinr_qual.codebook.project_codes import apply_load, plan_load, read_codebook
from vinr_qual.errors import VinrQualError
from vinr_qual.exchange import package as pk
from vinr_qual.project import Project

if TYPE_CHECKING:
    from vinr_qual.coding.realign import Placement


@dataclass
class NewDocument:
    source: pk.Source
    name: str
    case: str | None


@dataclass
class Plan:
    package: pk.Package
    label: str  # the file brought in, for the report and the change log
    coders: dict[str, str] = field(default_factory=dict)  # user guid -> coder name
    new_coders: list[pk.User] = field(default_factory=list)
    code_ids: dict[str, str] = field(default_factory=dict)  # package guid -> project id
    new_codes: list[tuple[Code, str | None, str]] = field(default_factory=list)  # parent, path
    codes_by_name: list[str] = field(default_factory=list)
    documents: dict[str, int] = field(default_factory=dict)  # source guid -> document id
    # documents here whose text differs from the package's (a corrected version, or the
    # same interview as another tool holds it): source guid -> (document id, how matched)
    differing: dict[str, tuple[int, str]] = field(default_factory=dict)
    # where alignment puts a coding of such a document: coding guid -> placement
    placements: dict[str, Placement] = field(default_factory=dict)
    new_documents: list[NewDocument] = field(default_factory=list)
    skipped_sources: set[str] = field(default_factory=set)
    case_names: dict[str, str] = field(default_factory=dict)  # case guid -> name
    new_cases: list[pk.Case] = field(default_factory=list)
    attributes: list[tuple[str, str, str]] = field(default_factory=list)  # case, name, value
    codings: list[tuple[pk.Source, pk.Coding]] = field(default_factory=list)
    codings_present: int = 0
    notes: list[pk.Note] = field(default_factory=list)
    notes_present: int = 0
    sets: list[CodeSet] = field(default_factory=list)
    description: str | None = None
    conflicts: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "coders": len(self.new_coders),
            "codes": len(self.new_codes),
            "documents": len(self.new_documents),
            "cases": len(self.new_cases),
            "attributes": len(self.attributes),
            "codings": len(self.codings),
            "notes": len(self.notes),
            "code sets": len(self.sets),
        }

    def lines(self) -> list[str]:
        """The plan as a person reads it."""
        package = self.package
        lines = [
            f"{self.label}: {package.name}" + (f" (by {package.origin})" if package.origin else "")
        ]
        added = ", ".join(f"{count} {what}" for what, count in self.counts().items() if count)
        lines.append(f"  to add: {added or 'nothing'}")
        already = []
        if self.documents:
            already.append(f"{len(self.documents)} documents")
        if self.codings_present:
            already.append(f"{self.codings_present} codings")
        if self.notes_present:
            already.append(f"{self.notes_present} notes")
        if already:
            lines.append(f"  already in the project: {', '.join(already)}")
        for path in self.codes_by_name:
            lines.append(f"  matched by name: code {path!r}")
        countings: dict[str, list[str]] = {}
        for remark in package.remarks:
            found = _COUNTING_REMARK.match(remark)
            if found:  # one line per way of counting, not one per source
                countings.setdefault(found.group(2), []).append(found.group(1))
            else:
                lines.append(f"  note: {remark}")
        for how, names in countings.items():
            which = names[0] if len(names) == 1 else f"{len(names)} sources"
            lines.append(f"  note: positions of {which} read in {how}")
        if package.not_carried:
            carried = ", ".join(
                f"{count} {what}" for what, count in package.not_carried.items() if count
            )
            if carried:
                lines.append(f"  not carried (vinr-qual has no place for them): {carried}")
        for problem in package.problems:
            lines.append(f"  problem: {problem}")
        for conflict in self.conflicts:
            lines.append(f"  conflict (the project's version kept; decide by hand): {conflict}")
        return lines


def read_other(path: Path) -> pk.Package:
    """A .qdpx package, or another vinr-qual project (opened read-only), as a package."""
    from vinr_qual.exchange.qdpx_read import read_qdpx

    if path.suffix.lower() == ".qdpx":
        return read_qdpx(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as error:
        raise VinrQualError(f"{path}: cannot read ({error.strerror})") from error
    if head != b"SQLite format 3\x00":
        raise VinrQualError(f"{path}: neither a vinr-qual project nor a .qdpx package")
    from vinr_qual.exchange.from_project import package_of

    with Project.open(path, read_only=True) as other:
        package = package_of(other)
    package.origin = f"vinr-qual project {path.name}"
    return package


_COUNTING_REMARK = re.compile(r"^source (.+): positions read in (.+)$")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def plan(project: Project, package: pk.Package, *, label: str) -> Plan:
    result = Plan(package, label)
    _plan_coders(project, package, result)
    _plan_codes(project, package, result)
    _plan_documents(project, package, result)
    _plan_cases(project, package, result)
    _plan_codings(project, package, result)
    _plan_notes(project, package, result)
    _plan_sets(project, package, result)
    current = project.setting("project.description")
    if package.description and not current:
        result.description = package.description
    elif package.description and current != package.description:
        result.conflicts.append("the project descriptions differ")
    return result


def _plan_coders(project: Project, package: pk.Package, result: Plan) -> None:
    by_guid = {guid: name for guid, name in project.db.execute("SELECT guid, name FROM coders")}
    by_name = {name.casefold(): name for name in by_guid.values()}
    for user in package.users:
        if user.guid in by_guid:
            result.coders[user.guid] = by_guid[user.guid]
        elif user.name.casefold() in by_name:
            result.coders[user.guid] = by_name[user.name.casefold()]
        else:
            result.coders[user.guid] = user.name
            result.new_coders.append(user)
            by_name[user.name.casefold()] = user.name


def _plan_codes(project: Project, package: pk.Package, result: Plan) -> None:
    current = read_codebook(project)
    ours = current.by_id()
    our_paths = current.paths()
    by_path = {path: code_id for code_id, path in our_paths.items()}
    paths: dict[int, str] = {}
    for code, parent, _ in package.codebook.walk():
        path = f"{paths[id(parent)]} > {code.name}" if parent else code.name
        paths[id(code)] = path
        if code.id and code.id in ours:
            result.code_ids[code.id] = code.id
            if ours[code.id].name != code.name:
                result.conflicts.append(
                    f"code {our_paths[code.id]!r} is named {code.name!r} in {result.label}"
                )
            continue
        if path in by_path:
            if code.id:
                result.code_ids[code.id] = by_path[path]
            result.codes_by_name.append(path)
            continue
        parent_id = None
        if parent is not None:
            parent_id = result.code_ids.get(parent.id) or by_path.get(paths[id(parent)])
        new = Code(
            name=code.name,
            id=code.id or new_id(),
            name_en=code.name_en,
            definition=code.definition,
            use_when=code.use_when,
            not_when=code.not_when,
            examples=list(code.examples),
            color=code.color,
            codable=code.codable,
            rules=code.rules,
            unit=code.unit,
        )
        if code.id:
            result.code_ids[code.id] = new.id
        by_path[path] = new.id
        result.new_codes.append((new, parent_id, path))


def _plan_documents(project: Project, package: pk.Package, result: Plan) -> None:
    by_hash: dict[str, int] = {}
    by_guid: dict[str, tuple[int, str]] = {}
    names: set[str] = set()
    by_name: dict[str, int] = {}
    for document_id, guid, name, text in project.db.execute(
        "SELECT id, guid, name, text FROM documents"
    ):
        by_hash.setdefault(text_hash(text), document_id)
        by_guid[guid] = (document_id, name)
        names.add(name.casefold())
        by_name.setdefault(_stem(name), document_id)
    case_of: dict[str, pk.Case] = {}
    for case in package.cases:
        for source_guid in case.sources:
            if source_guid in case_of:
                package.remarks.append(
                    f"a source is in the cases {case_of[source_guid].name!r} and {case.name!r};"
                    " a document has one case: the first kept"
                )
                continue
            case_of[source_guid] = case
    for source in package.sources:
        if not source.text.strip():
            package.problems.append(f"{result.label}: source {source.name!r} is empty; left out")
            result.skipped_sources.add(source.guid)
            continue
        found = by_hash.get(text_hash(source.text))
        if found is not None:
            result.documents[source.guid] = found
            continue
        if source.guid in by_guid:
            document_id, name = by_guid[source.guid]
            result.documents[source.guid] = document_id
            result.differing[source.guid] = (document_id, "the same document, another text")
            continue
        alike = _alike_by_name(project, source, by_name)
        if alike is not None:
            result.documents[source.guid] = alike[0]
            result.differing[source.guid] = alike
            continue
        name = source.name
        while name.casefold() in names:
            name = f"{name} ({result.package.origin or 'import'})"
            if name.casefold() in names:
                name = f"{source.name} ({source.guid[:8]})"
        if name != source.name:
            package.remarks.append(f"source {source.name!r} named {name!r}: the name is taken")
        names.add(name.casefold())
        owner = case_of.get(source.guid)
        case_name = owner.name if owner else (source.name if source.values else None)
        result.new_documents.append(NewDocument(source, name, case_name))


# how alike two texts must read (rapidfuzz ratio, white space aside, over their first
# ALIKE_SPAN characters) for a source to be taken as a document of the same name here
ALIKE_MIN = 90.0
ALIKE_SPAN = 50_000


def _stem(name: str) -> str:
    """A document's name without its file suffix, folded: "Kvarnby-01.docx" and NVivo's
    "Kvarnby-01" name one interview."""
    path = Path(name)
    return path.stem.casefold() if path.suffix[1:].isalnum() else name.casefold()


def _alike_by_name(
    project: Project, source: pk.Source, by_name: dict[str, int]
) -> tuple[int, str] | None:
    from vinr_qual.coding.realign import similarity

    document_id = by_name.get(_stem(source.name))
    if document_id is None:
        return None
    text = project.db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()[
        0
    ]
    score = similarity(text[:ALIKE_SPAN], source.text[:ALIKE_SPAN])
    if score < ALIKE_MIN:
        return None
    return document_id, f"the same name, a text {score:.0f} % alike"


def _plan_cases(project: Project, package: pk.Package, result: Plan) -> None:
    by_guid = {guid: name for guid, name in project.db.execute("SELECT guid, name FROM cases")}
    variables = {variable.guid: variable.name for variable in package.variables}
    planned: set[str] = set()
    for case in package.cases:
        if case.guid in by_guid:
            result.case_names[case.guid] = by_guid[case.guid]
        elif find_case(project, case.name) is not None or case.name.casefold() in planned:
            result.case_names[case.guid] = case.name
        else:
            result.case_names[case.guid] = case.name
            result.new_cases.append(case)
            planned.add(case.name.casefold())
        _plan_values(project, result, result.case_names[case.guid], case.values, variables)
    for new in result.new_documents:  # a document's own variables go to its case
        if new.source.values and new.case:
            _plan_values(project, result, new.case, new.source.values, variables)
    for source in package.sources:  # and so do those of a document already here
        if source.guid in result.documents and source.values:
            row = project.db.execute(
                "SELECT c.name FROM documents d JOIN cases c ON c.id = d.case_id WHERE d.id = ?",
                [result.documents[source.guid]],
            ).fetchone()
            if row:
                _plan_values(project, result, row[0], source.values, variables)


def _plan_values(
    project: Project,
    result: Plan,
    case: str,
    values: dict[str, str],
    variables: dict[str, str],
) -> None:
    case_id = find_case(project, case)
    existing: dict[str, str] = {}
    if case_id is not None:
        existing = dict(
            project.db.execute(
                "SELECT name, value FROM case_attributes WHERE case_id = ?", [case_id]
            ).fetchall()
        )
    planned = {(c.casefold(), n): v for c, n, v in result.attributes}
    for guid, value in values.items():
        name = variables.get(guid)
        if name is None:
            continue
        have = existing.get(name, planned.get((case.casefold(), name)))
        if have is None:
            result.attributes.append((case, name, value))
        elif have != value:
            result.conflicts.append(
                f"case {case!r}: {name} is {have!r} here and {value!r} in {result.label}"
            )


def _plan_codings(project: Project, package: pk.Package, result: Plan) -> None:
    guids = {row[0] for row in project.db.execute("SELECT guid FROM codings")}
    coder_names = dict(project.db.execute("SELECT id, name FROM coders").fetchall())
    present = {
        (document_id, start, end, code_id, coder_names[coder_id])
        for document_id, start, end, code_id, coder_id in project.db.execute(
            'SELECT document_id, start, "end", code_id, coder_id FROM codings'
            " WHERE status = 'accepted'"
        )
    }
    planned: set[tuple[str, int, int, str, str]] = set()
    for source in package.sources:
        if source.guid in result.skipped_sources:
            continue
        document_id = result.documents.get(source.guid)
        if source.guid in result.differing:
            _place_codings(project, source, result)
        for coding in source.codings:
            code_id = result.code_ids.get(coding.code_guid)
            if code_id is None:
                package.problems.append(
                    f"{result.label}: a coding in {source.name!r} has no code; left out"
                )
                continue
            coder = coder_of(result, coding.user_guid)
            start, end = coding.start, coding.end
            if coding.guid in result.placements:
                start, end = (
                    result.placements[coding.guid].start,
                    result.placements[coding.guid].end,
                )
            key = (source.guid, start, end, code_id, coder)
            if (
                coding.guid in guids
                or key in planned
                or (
                    document_id is not None and (document_id, start, end, code_id, coder) in present
                )
            ):
                result.codings_present += 1
                continue
            planned.add(key)
            result.codings.append((source, coding))


def _place_codings(project: Project, source: pk.Source, result: Plan) -> None:
    """Carry the codings of a source whose text differs from the document's here by
    aligning the two texts, as a corrected transcript's codings are carried."""
    from vinr_qual.coding.realign import realign

    document_id, how = result.differing[source.guid]
    name, text = project.db.execute(
        "SELECT name, text FROM documents WHERE id = ?", [document_id]
    ).fetchone()
    units = project.db.execute(
        "SELECT start, \"end\" FROM segments WHERE document_id = ? AND kind = 'sentence'"
        " ORDER BY start",
        [document_id],
    ).fetchall()
    placed = realign(source.text, text, [(c.start, c.end) for c in source.codings], units)
    counts = {"kept": 0, "moved": 0, "edited": 0, "review": 0}
    for coding, placement in zip(source.codings, placed, strict=True):
        result.placements[coding.guid] = placement
        counts[placement.verdict] += 1
    result.package.remarks.append(
        f"source {source.name!r} is document {name!r} here ({how}): its codings placed by"
        f" aligning the texts, {counts['kept'] + counts['moved']} exactly,"
        f" {counts['edited']} with edits, {counts['review']} to wait for review"
    )


def coder_of(result: Plan, user_guid: str | None) -> str:
    if user_guid and user_guid in result.coders:
        return result.coders[user_guid]
    return f"{result.package.origin or result.package.name} (ingen kodare angiven)"


def coders_to_compare(project: Project, plan_: Plan) -> tuple[list[str], list[str]]:
    """The project's own coders with accepted codings, and the coders a merge brought
    codings of: the pairs whose agreement a merge shows."""
    theirs = sorted({coder_of(plan_, coding.user_guid) for _, coding in plan_.codings})
    ours = [
        name
        for (name,) in project.db.execute(
            "SELECT DISTINCT c.name FROM coders c JOIN codings k ON k.coder_id = c.id"
            " WHERE k.status = 'accepted' ORDER BY c.name"
        )
        if name not in theirs
    ]
    return ours, theirs


def _plan_notes(project: Project, package: pk.Package, result: Plan) -> None:
    guids = {row[0] for row in project.db.execute("SELECT guid FROM memos")}
    for note in package.notes:
        if not note.text.strip():
            continue
        if note.guid in guids:
            result.notes_present += 1
            continue
        if note.target == "framework":
            if note.target_guid not in result.case_names or note.code_guid not in result.code_ids:
                package.problems.append(f"{result.label}: a framework summary without its case")
                continue
            case = result.case_names[note.target_guid]
            case_id = find_case(project, case)
            if case_id is not None:
                row = project.db.execute(
                    "SELECT summary FROM framework_cells WHERE case_id = ? AND code_id = ?",
                    [case_id, result.code_ids[note.code_guid]],
                ).fetchone()
                if row and row[0] == note.text:
                    result.notes_present += 1
                    continue
                if row:
                    code = project.db.execute(
                        "SELECT name FROM codes WHERE id = ?", [result.code_ids[note.code_guid]]
                    ).fetchone()[0]
                    result.conflicts.append(
                        f"the framework cell {case!r} × {code!r} is summarised both here and in"
                        f" {result.label} (there: {' '.join(note.text.split())[:120]!r})"
                    )
                    continue
        result.notes.append(note)


def _plan_sets(project: Project, package: pk.Package, result: Plan) -> None:
    current = {code_set.id for code_set in read_codebook(project).sets}
    for code_set in package.codebook.sets:
        if code_set.id in current:
            continue
        members = [result.code_ids[m] for m in code_set.members if m in result.code_ids]
        result.sets.append(CodeSet(code_set.id, code_set.name, code_set.description, members))


# applying --------------------------------------------------------------------------


@dataclass
class Applied:
    counts: dict[str, int]
    documents: list[tuple[str, str]] = field(default_factory=list)  # name, outcome line


def apply(project: Project, plan_: Plan, *, action: str = "import") -> Applied:
    """Write the plan in one transaction; on any failure nothing of it stays."""
    from vinr_qual.coding.codings import BroughtCoding, add_brought_codings, send_to_review

    project.require_writable()
    applied = Applied(plan_.counts())
    with project.batch(action, "project", after={"source": plan_.label, "counts": plan_.counts()}):
        for user in plan_.new_coders:
            project.coder_id(user.name, guid=user.guid)
        _apply_codes(project, plan_)
        for case in plan_.new_cases:
            ensure_case(project, case.name, guid=case.guid)
        for new in plan_.new_documents:
            if new.case:
                ensure_case(project, new.case)
        for case_name, name, value in plan_.attributes:
            set_attribute(project, case_name, name, value)
        applied.documents = _apply_documents(project, plan_)
        documents = plan_.documents
        rows = []
        for source, coding in plan_.codings:
            placed = plan_.placements.get(coding.guid)
            rows.append(
                BroughtCoding(
                    guid=coding.guid,
                    document_id=documents[source.guid],
                    start=placed.start if placed else coding.start,
                    end=placed.end if placed else coding.end,
                    code_id=plan_.code_ids[coding.code_guid],
                    coder_id=project.coder_id(coder_of(plan_, coding.user_guid)),
                    created=coding.created,
                )
            )
        add_brought_codings(project, rows, origin="import" if action == "import" else "merge")
        coding_ids = dict(project.db.execute("SELECT guid, id FROM codings").fetchall())
        for source, coding in plan_.codings:
            placed = plan_.placements.get(coding.guid)
            if placed is not None and placed.verdict == "review":
                send_to_review(
                    project,
                    coding_ids[coding.guid],
                    placed.start,
                    placed.end,
                    old_passage=source.text[coding.start : coding.end],
                    reason=f"brought in from {plan_.label}, where the text differs",
                    details={"similarity": round(placed.similarity, 1)},
                )
        for note in plan_.notes:
            coder_id = project.coder_id(coder_of(plan_, note.user_guid)) if note.user_guid else None
            _apply_note(project, plan_, note, coder_id, coding_ids)
        if plan_.sets:
            codebook = read_codebook(project)
            codebook.sets = [*codebook.sets, *plan_.sets]
            load = plan_load(project, codebook, keep_missing=True, with_sets=True)
            apply_load(project, load, source=plan_.label)
        if plan_.description:
            project.set_setting("project.description", plan_.description)
    return applied


def _apply_codes(project: Project, plan_: Plan) -> None:
    if not plan_.new_codes:
        return
    codebook = read_codebook(project)
    by_id = codebook.by_id()
    for code, parent_id, _ in plan_.new_codes:
        siblings = by_id[parent_id].children if parent_id in by_id else codebook.codes
        siblings.append(code)
        by_id[code.id] = code
    load = plan_load(project, codebook, keep_missing=True)
    apply_load(project, load, source=plan_.label)


def _apply_documents(project: Project, plan_: Plan) -> list[tuple[str, str]]:
    from vinr_qual.ingest.metadata import SourceMetadata
    from vinr_qual.ingest.pipeline import ImportRequest, import_sources
    from vinr_qual.ingest.plaintext import parsed_text

    requests = []
    for new in plan_.new_documents:
        source = new.source
        facts = source.facts
        requests.append(
            ImportRequest(
                Path(new.name),
                SourceMetadata(
                    case=new.case,
                    kind=source.kind,
                    date=facts.get("date"),
                    title=facts.get("title"),
                    interviewee_role=facts.get("interviewee_role"),
                ),
                name=new.name,
                parsed=parsed_text(source.text, source.source_format),
                guid=source.guid,
                sha256=text_hash(source.text),
            )
        )
    outcomes = import_sources(project, requests)
    lines = []
    for new, outcome in zip(plan_.new_documents, outcomes, strict=True):
        if outcome.status != "imported" or outcome.document_id is None:
            raise VinrQualError(
                f"{plan_.label}: source {new.source.name!r} could not be imported"
                f" ({outcome.message}); nothing was changed"
            )
        plan_.documents[new.source.guid] = outcome.document_id
        lines.append((new.name, outcome.message))
    return lines


def _apply_note(
    project: Project,
    plan_: Plan,
    note: pk.Note,
    coder_id: int | None,
    coding_ids: dict[str, int],
) -> None:
    from vinr_qual.analysis.framework import set_summary
    from vinr_qual.coding.memos import add_memo

    target = note.target
    text = note.text.strip()
    values: dict[str, object] = {}
    if target == "framework":
        set_summary(
            project,
            plan_.case_names[note.target_guid or ""],
            plan_.code_ids[note.code_guid or ""],
            text,
            coder=coder_of(plan_, note.user_guid),
        )
        return
    if target == "document" and note.target_guid in plan_.documents:
        values["document_id"] = plan_.documents[note.target_guid]
    elif target == "passage" and note.target_guid in plan_.documents:
        document_id = plan_.documents[note.target_guid]
        # the passage as the package has it: a document here may read otherwise
        source = next(s for s in plan_.package.sources if s.guid == note.target_guid)
        passage = source.text[note.start or 0 : note.end or 0]
        target, values["document_id"] = "document", document_id
        text = f"«{passage}»\n{text}"
    elif target == "code" and note.target_guid in plan_.code_ids:
        values["code_id"] = plan_.code_ids[note.target_guid]
    elif target == "case" and note.target_guid in plan_.case_names:
        values["case_id"] = find_case(project, plan_.case_names[note.target_guid])
    elif target == "coding" and note.target_guid in coding_ids:
        values["coding_id"] = coding_ids[note.target_guid]
    else:
        target = "project"
    add_memo(
        project,
        target,
        text,
        guid=note.guid,
        coder_id=coder_id,
        created=note.created,
        **values,  # type: ignore[arg-type]
    )


def plan_as_json(plan_: Plan) -> dict[str, object]:
    package = plan_.package
    return {
        "source": plan_.label,
        "name": package.name,
        "origin": package.origin,
        "add": plan_.counts(),
        "already": {
            "documents": len(plan_.documents),
            "codings": plan_.codings_present,
            "notes": plan_.notes_present,
        },
        "codes_matched_by_name": plan_.codes_by_name,
        "not_carried": {what: count for what, count in package.not_carried.items() if count},
        "problems": package.problems,
        "remarks": package.remarks,
        "conflicts": plan_.conflicts,
    }
