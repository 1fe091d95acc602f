"""Fixtures of the codebook and search suites: a coded project, and a small corpus."""

from tests.codebook.conftest import codebook_file, coded_project
from tests.search.conftest import corpus

__all__ = ["codebook_file", "coded_project", "corpus"]
