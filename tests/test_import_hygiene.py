"""The core never pulls in Textual, and spaCy loads only when text is segmented."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import vinr_qual


def core_modules() -> list[str]:
    found = []
    for module in pkgutil.walk_packages(vinr_qual.__path__, "vinr_qual."):
        if not module.name.startswith(("vinr_qual.tui", "vinr_qual.__main__")):
            found.append(module.name)
    return found


def loaded_after_import(modules: list[str]) -> set[str]:
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n    importlib.import_module(name)\n"
        "print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_no_core_module_imports_textual_or_spacy_at_import_time() -> None:
    modules = core_modules()
    assert "vinr_qual.ingest.pipeline" in modules and "vinr_qual.cli" in modules
    loaded = loaded_after_import(modules)
    assert "textual" not in loaded
    assert "spacy" not in loaded


HEAVY = ("spacy", "textual", "sqlite_utils")


def loaded_after_cli(*args: str) -> set[str]:
    """Top-level packages loaded once `vinr-qual ARGS` has answered, in a fresh process."""
    probe = (
        "import sys\n"
        "from vinr_qual.cli import main\n"
        f"sys.argv = ['vinr-qual', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        "print('LOADED', ' '.join(sorted(m.split('.')[0] for m in sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    [line] = [line for line in result.stdout.splitlines() if line.startswith("LOADED ")]
    return set(line.split()[1:])


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("import", "--help"),
        ("codebook", "--help"),
        ("codebook", "load", "--help"),
        ("autocode", "speaker", "--help"),
        ("tui", "--help"),
        ("review", "next", "--version"),
    ],
    ids=" ".join,
)
def test_help_and_version_load_nothing_heavy(args: tuple[str, ...]) -> None:
    loaded = loaded_after_cli(*args)
    assert "click" in loaded
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
