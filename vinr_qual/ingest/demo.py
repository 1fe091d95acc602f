"""The demo project: the bundled corpus of fictional municipalities, imported in one go."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from vinr_qual.cases.cases import CaseImport, import_cases_csv
from vinr_qual.codebook.project_codes import apply_load, plan_load
from vinr_qual.errors import VinrQualError
from vinr_qual.exchange.codebook_files import read_codebook_file, write_ids_back
from vinr_qual.ingest.options import ImportOptions, plan_import
from vinr_qual.ingest.pipeline import ImportRequest, Outcome, import_sources
from vinr_qual.project import Project

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "corpus"
DEFAULT_CODEBOOK = Path(__file__).resolve().parents[2] / "codebooks" / "vinr.yaml"
# the corpus's own coding by hand: a folder of CSV files of quotes (vinr_qual.coding.quoted),
# one per case, loaded under this coder
REFERENCE_CODING = "reference-coding"
REFERENCE_CODER = "Referenskodning"


def build_demo(
    project: Project,
    corpus: Path = DEFAULT_CORPUS,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> tuple[CaseImport, list[Outcome]]:
    """Load the default codebook, then import the corpus's cases.csv and its documents
    (with documents.csv), and code them as its reference coding says (the CSV files in
    reference-coding/). Safe to repeat: what is there already is left alone, and the
    codebook only adds and updates codes, never removes them."""
    project.require_writable()
    cases_csv, documents_csv = corpus / "cases.csv", corpus / "documents.csv"
    for needed in (cases_csv, documents_csv):
        if not needed.is_file():
            raise VinrQualError(f"{needed}: the demo corpus is missing; pass --corpus FOLDER")
    if DEFAULT_CODEBOOK.is_file():
        read = read_codebook_file(DEFAULT_CODEBOOK)
        plan = plan_load(project, read.codebook, keep_missing=True, carried=read.carried)
        if not plan.empty:
            apply_load(project, plan, source=str(DEFAULT_CODEBOOK))
        write_ids_back(read, DEFAULT_CODEBOOK)
    cases = import_cases_csv(project, cases_csv)
    outcomes = import_sources(project, demo_requests(corpus), on_outcome=on_outcome)
    reference = corpus / REFERENCE_CODING
    if reference.is_dir() and not any(outcome.status == "failed" for outcome in outcomes):
        from vinr_qual.coding.quoted import load_quoted_codings

        for path in sorted(reference.glob("*.csv")):
            load_quoted_codings(project, path, coder=REFERENCE_CODER)
    return cases, outcomes


def demo_requests(corpus: Path = DEFAULT_CORPUS) -> list[ImportRequest]:
    """The corpus's documents with what documents.csv says of each; its CSV files of
    cases, documents and reference codings describe the corpus and are not imported."""
    cases_csv, documents_csv = corpus / "cases.csv", corpus / "documents.csv"
    plan = plan_import([corpus], ImportOptions(metadata=documents_csv))
    reference = (corpus / REFERENCE_CODING).resolve()
    return [
        r
        for r in plan.requests
        if r.path.resolve() != cases_csv.resolve() and reference not in r.path.resolve().parents
    ]
