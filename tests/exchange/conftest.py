"""The codebook suite's fixtures: a codebook file and a coded project."""

from tests.codebook.conftest import codebook_file, coded_project

__all__ = ["codebook_file", "coded_project"]
