"""Near-duplicate code names, flagged when codes are added (a typo or a second "Samverkan")."""

from __future__ import annotations

from rapidfuzz import fuzz

from vinr_qual.codebook.model import Code

THRESHOLD = 85.0


def similar_names(
    code: Code, others: list[Code], threshold: float = THRESHOLD
) -> list[tuple[Code, float]]:
    """Other codes whose Swedish or English name is close to this code's, best first."""
    labels = [label.casefold() for label in (code.name, code.name_en) if label]
    found: dict[str, tuple[Code, float]] = {}
    for other in others:
        if other.id == code.id:
            continue
        for label in labels:
            for theirs in (other.name, other.name_en):
                if not theirs:
                    continue
                score = fuzz.ratio(label, theirs.casefold())
                if score >= threshold and score > found.get(other.id, (other, 0.0))[1]:
                    found[other.id] = (other, round(score, 1))
    return sorted(found.values(), key=lambda item: -item[1])
