"""Fixtures shared by the whole suite: a fresh project, and no leaks from the user's setup."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from vinr_qual.project import Project

REPO = Path(__file__).resolve().parent.parent

# The shared folder beside the repository holds data the suite reads in place and never
# copies in. It is found here and only here: every test that needs it goes through
# `shared_path`, which skips on a developer's machine when the folder is missing and fails
# under CI, so a test run in CI can never pass by quietly skipping.
SHARED_ENV = "VINR_QUAL_SHARED"
SHARED_EXPECTED = ("data", "refi-qda")


def in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """True when the CI environment variable is "true", in any case."""
    environ = os.environ if environ is None else environ
    return environ.get("CI", "").strip().lower() == "true"


def resolve_shared(environ: Mapping[str, str] | None = None) -> Path:
    """The shared folder: VINR_QUAL_SHARED when set, else `../shared` beside the repository."""
    environ = os.environ if environ is None else environ
    named = environ.get(SHARED_ENV, "").strip()
    return Path(named).expanduser().resolve() if named else REPO.parent / "shared"


def missing_shared_message(path: Path, environ: Mapping[str, str] | None = None) -> str:
    """One line naming the path looked for and how the shared folder was found."""
    environ = os.environ if environ is None else environ
    named = environ.get(SHARED_ENV, "").strip()
    source = (
        f"{SHARED_ENV}={named}"
        if named
        else f"{SHARED_ENV} unset, so ../shared beside the repository"
    )
    return f"shared test data not found: {path} (shared folder from {source})"


def shared_path(relative: str, *, environ: Mapping[str, str] | None = None) -> Path:
    """RELATIVE inside the shared folder, e.g. "data/talbanken".

    When it is not there: under CI the test (or, at import time, the module's collection)
    fails; elsewhere it is skipped, with the path in the reason.
    """
    path = resolve_shared(environ) / relative
    if not path.exists():
        message = missing_shared_message(path, environ)
        if in_ci(environ):
            pytest.fail(message, pytrace=False)
        pytest.skip(message, allow_module_level=True)
    return path


def check_shared_for_ci(environ: Mapping[str, str] | None = None) -> None:
    """Under CI, raise UsageError unless the shared folder and its expected subfolders exist."""
    if not in_ci(environ):
        return
    shared = resolve_shared(environ)
    for path in [shared, *(shared / name for name in SHARED_EXPECTED)]:
        if not path.is_dir():
            raise pytest.UsageError(missing_shared_message(path, environ))


SHARED = resolve_shared()
SHARED_DATA = SHARED / "data"


def pytest_configure(config: pytest.Config) -> None:
    check_shared_for_ci()


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
