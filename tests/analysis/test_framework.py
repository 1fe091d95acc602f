"""The framework matrix: summaries per case and theme, versioned, beside their passages."""

from __future__ import annotations

from vinr_qual.analysis.framework import framework, set_summary, summary_history
from vinr_qual.codebook.operations import find_code
from vinr_qual.project import Project


def test_summaries_are_stored_versioned_and_shown_with_their_passages(study: Project) -> None:
    resources = find_code(study, "Knappa resurser")
    set_summary(study, "Aby", resources, "Tid och pengar saknas.", coder="Anna")
    set_summary(
        study, "aby", resources, "Tid och pengar saknas; planen lovar resurser.", coder="Bo"
    )
    found = framework(study, [resources])
    aby = next(case_id for case_id, name in found.cases if name == "Aby")
    cell = found.cells[(aby, resources)]
    assert cell.summary == "Tid och pengar saknas; planen lovar resurser."
    assert cell.passages == 4 and len(cell.coding_ids) == 4
    history = summary_history(study, "Aby", resources)
    assert [(who, text) for _, who, text in history] == [
        ("Anna", "Tid och pengar saknas."),
        ("Bo", "Tid och pengar saknas; planen lovar resurser."),
    ]
    set_summary(study, "Aby", resources, "")
    assert framework(study, [resources]).cells[(aby, resources)].summary is None
