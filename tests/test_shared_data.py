"""The shared data folder: found in one place, and under CI never skipped when missing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import (
    REPO,
    SHARED_ENV,
    SHARED_EXPECTED,
    check_shared_for_ci,
    in_ci,
    resolve_shared,
    shared_path,
)

TINY_TEST = """
from pathlib import Path
import os
import re
import shutil

from tests.conftest import SHARED, shared_path


def test_the_shared_folder() -> None:
    assert SHARED == Path(os.environ["VINR_QUAL_SHARED"]).resolve()
    assert shared_path("data/korpus") == SHARED / "data" / "korpus"
"""


def complete_shared(root: Path) -> Path:
    """A shared folder with every expected subfolder and the one the tiny test wants."""
    for name in SHARED_EXPECTED:
        (root / name).mkdir(parents=True)
    (root / "data" / "korpus").mkdir()
    return root


def run_tiny_suite(
    tmp_path: Path, shared: Path, *, ci: str | None
) -> subprocess.CompletedProcess[str]:
    """Pytest in a fresh process on TINY_TEST, with the suite's conftest as a plugin."""
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (suite / "test_tiny.py").write_text(TINY_TEST, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key not in ("CI", SHARED_ENV)}
    env[SHARED_ENV] = str(shared)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.pop("PYTEST_ADDOPTS", None)
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider", "-rs"],
        cwd=suite,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ci_is_the_variable_true_in_any_case() -> None:
    assert in_ci({"CI": "true"}) and in_ci({"CI": "TRUE"}) and in_ci({"CI": " True "})
    assert not in_ci({}) and not in_ci({"CI": "false"}) and not in_ci({"CI": "1"})


def test_the_default_is_shared_beside_the_repository() -> None:
    assert resolve_shared({}) == REPO.parent / "shared"
    assert resolve_shared({SHARED_ENV: ""}) == REPO.parent / "shared"


def test_vinr_qual_shared_names_the_shared_folder(tmp_path: Path) -> None:
    shared = complete_shared(tmp_path / "annan")
    environ = {SHARED_ENV: str(shared), "CI": "true"}
    assert resolve_shared(environ) == shared.resolve()
    assert shared_path("data/korpus", environ=environ) == shared.resolve() / "data" / "korpus"
    check_shared_for_ci(environ)


def test_missing_under_ci_fails_naming_the_path_and_the_variable(tmp_path: Path) -> None:
    missing = tmp_path / "saknas"
    with pytest.raises(pytest.fail.Exception) as failure:
        shared_path("data/talbanken", environ={"CI": "true", SHARED_ENV: str(missing)})
    message = str(failure.value)
    assert str(missing.resolve() / "data" / "talbanken") in message
    assert SHARED_ENV in message and "\n" not in message


def test_missing_outside_ci_skips_naming_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "saknas"
    with pytest.raises(pytest.skip.Exception, match="saknas"):
        shared_path("data/talbanken", environ={SHARED_ENV: str(missing)})


def test_under_ci_the_session_check_wants_the_folder(tmp_path: Path) -> None:
    missing = tmp_path / "saknas"
    with pytest.raises(pytest.UsageError, match=re.escape(str(missing.resolve()))):
        check_shared_for_ci({"CI": "true", SHARED_ENV: str(missing)})
    check_shared_for_ci({SHARED_ENV: str(missing)})


@pytest.mark.parametrize("absent", SHARED_EXPECTED)
def test_under_ci_the_session_check_wants_every_expected_subfolder(
    tmp_path: Path, absent: str
) -> None:
    shared = complete_shared(tmp_path / "delat")
    shutil.rmtree(shared / absent)
    with pytest.raises(pytest.UsageError, match=re.escape(str(shared.resolve() / absent))):
        check_shared_for_ci({"CI": "true", SHARED_ENV: str(shared)})


def test_a_ci_run_without_the_shared_folder_fails_at_once(tmp_path: Path) -> None:
    missing = tmp_path / "saknas"
    result = run_tiny_suite(tmp_path, missing, ci="true")
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout + result.stderr
    [line] = [line for line in result.stderr.splitlines() if "shared test data" in line]
    assert str(missing.resolve()) in line and SHARED_ENV in line


def test_a_ci_run_missing_a_wanted_subfolder_fails_the_test(tmp_path: Path) -> None:
    shared = complete_shared(tmp_path / "delat")
    (shared / "data" / "korpus").rmdir()
    result = run_tiny_suite(tmp_path, shared, ci="true")
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout + result.stderr
    assert "1 failed" in result.stdout
    assert str(shared.resolve() / "data" / "korpus") in result.stdout


def test_outside_ci_a_missing_folder_is_skipped_with_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "saknas"
    result = run_tiny_suite(tmp_path, missing, ci=None)
    assert result.returncode == pytest.ExitCode.OK, result.stdout + result.stderr
    assert "1 skipped" in result.stdout and str(missing.resolve()) in result.stdout


def test_a_run_honours_vinr_qual_shared(tmp_path: Path) -> None:
    shared = complete_shared(tmp_path / "delat")
    result = run_tiny_suite(tmp_path, shared, ci="true")
    assert result.returncode == pytest.ExitCode.OK, result.stdout + result.stderr
    assert "1 passed" in result.stdout
