"""The search suite's small corpus (three documents, a codebook with rules) serves here."""

from tests.search.conftest import corpus

__all__ = ["corpus"]
