"""Fixtures shared by the whole suite: a fresh project, and no leaks from the user's setup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vinr_qual.project import Project

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's project or coder name."""
    monkeypatch.delenv("VINR_QUAL_PROJECT", raising=False)
    monkeypatch.setenv("VINR_QUAL_CODER", "testkodare")


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "projekt.sqlite"


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with Project.open(project_path, create=True) as opened:
        yield opened


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path
