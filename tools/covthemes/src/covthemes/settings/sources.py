"""The measured folders: where the coverage config's `source`, `source_pkgs` and `source_dirs` point.

`covthemes.settings.coverage_config.check` reads them once; the provenance's
source hash and the revision checks hash the `.py` files under them.
"""

from __future__ import annotations

import os
from pathlib import Path

from coverage import Coverage

from covthemes.errors import ConfigError
from covthemes.settings import pytest_files
from covthemes.settings.config import Settings

SOURCE_OPTIONS = ("run:source", "run:source_pkgs", "run:source_dirs")


def source_folders(settings: Settings, cov: Coverage) -> list[Path]:
    """The measured folders (relative to the root), from `source`, `source_pkgs` and `source_dirs`.

    An entry that is not a folder under the root is read as a package name,
    looked up under the root and under `src/`.
    """
    entries = [str(entry) for option in SOURCE_OPTIONS for entry in _as_list(cov.get_option(option))]
    if not entries:
        raise ConfigError(
            "the coverage config names no `source`: add `source = <your package or folder>` under its "
            "[run] section, so the themes measure your code and not the tests"
        )
    folders: list[Path] = []
    for entry in entries:
        folder = _locate(settings.root, str(entry))
        if folder is None:
            raise ConfigError(
                f"coverage source {entry!r} is neither a folder nor a package under {settings.root} "
                "or its src/: correct `source` in the coverage config"
            )
        if folder not in folders:
            folders.append(folder)
    _refuse_test_folders(settings.root, folders)
    return folders


def _refuse_test_folders(root: Path, folders: list[Path]) -> None:
    """A measured folder of tests would count the tests as code under test: ConfigError names it.

    A folder of tests is one that is (or lies inside) a `testpaths` entry, or
    whose own top level holds a test file pytest collects. A package that
    keeps its tests in a subfolder (`pkg/tests/`) is not one: `omit` decides.
    """
    found = pytest_files.read(root)
    test_files = found.files(root)
    testpaths = {
        path.resolve() for pattern in found.testpaths for path in root.glob(pattern) if path.resolve() != root
    }
    for folder in folders:
        absolute = (root / folder).resolve()
        inside = [p for p in testpaths if absolute == p or absolute.is_relative_to(p)]
        held = [f for f in test_files if f.parent == folder]
        if inside or held:
            why = (
                "a `testpaths` folder of pytest's"
                if inside
                else f"a folder of test files pytest collects ({held[0].as_posix()})"
            )
            raise ConfigError(
                f"coverage source {folder.as_posix()!r} is {why}, so the themes would measure the tests "
                "as code under test: remove it from `source` in the coverage config"
            )


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else []


def _locate(root: Path, entry: str) -> Path | None:
    direct = Path(entry)
    if direct.is_absolute() and direct.is_dir() and direct.is_relative_to(root):
        return direct.relative_to(root)
    if (root / direct).is_dir():
        return Path(os.path.normpath(direct))
    dotted = Path(*entry.split("."))
    for base in (Path(), Path("src")):
        if (root / base / dotted).is_dir():
            return base / dotted
    return None
