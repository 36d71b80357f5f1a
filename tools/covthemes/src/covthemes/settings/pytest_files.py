"""The test files pytest would collect in a repository, read from its pytest config, importing nothing.

pytest's config is the first of `pytest.ini`, `.pytest.ini`, `pyproject.toml`
(`[tool.pytest.ini_options]`), `tox.ini` (`[pytest]`) and `setup.cfg`
(`[tool:pytest]`) at the root that has its section, as pytest looks for it.
From it: `testpaths` (globs; the root when unset), `python_files` (default
`test_*.py *_test.py`) and `norecursedirs`. The files are the Python modules
under the test paths whose names match `python_files`, and the text files
pytest's doctest plugin collects by default (`test*.txt`), outside the folders
pytest does not enter. Tests a `conftest.py` collects from other files (data
files, say) are not among them: only running pytest finds those.
Where the other half lives: `covthemes.run.unmeasured` refuses the files that
no theme selects; `covthemes.settings.sources` a `source` that holds tests.
"""

from __future__ import annotations

import configparser
import fnmatch
import os
import shlex
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PYTHON_FILES = ("test_*.py", "*_test.py")
# pytest's default `--doctest-glob`: its doctest plugin collects these text files.
DOCTEST_GLOB = "test*.txt"
# pytest's default `norecursedirs`.
DEFAULT_NORECURSE = ("*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}")
# Each candidate config file, and the section pytest reads in it.
INI_FILES = (
    ("pytest.ini", "pytest"),
    (".pytest.ini", "pytest"),
    ("tox.ini", "pytest"),
    ("setup.cfg", "tool:pytest"),
)


@dataclass(frozen=True)
class PytestFiles:
    """What pytest's config says about where tests are: the settings `files` applies."""

    testpaths: tuple[str, ...] = ()
    python_files: tuple[str, ...] = DEFAULT_PYTHON_FILES
    norecursedirs: tuple[str, ...] = DEFAULT_NORECURSE

    def files(self, root: Path) -> list[Path]:
        """The test modules pytest would collect, relative to `root`, sorted."""
        starts = [p for pattern in self.testpaths for p in sorted(root.glob(pattern))] or [root]
        found: set[Path] = set()
        for start in starts:
            if start.is_file():
                found.add(start.relative_to(root))
                continue
            for folder, dirs, names in os.walk(start):
                here = Path(folder)
                dirs[:] = sorted(d for d in dirs if self._enters(here / d))
                found.update((here / n).relative_to(root) for n in names if self.is_test_file(n))
        return sorted(found)

    def is_test_file(self, name: str) -> bool:
        if fnmatch.fnmatch(name, DOCTEST_GLOB):
            return True
        return name.endswith(".py") and any(fnmatch.fnmatch(name, p) for p in self.python_files)

    def _enters(self, folder: Path) -> bool:
        if folder.name == "__pycache__" or (folder / "pyvenv.cfg").exists():
            return False
        return not any(fnmatch.fnmatch(folder.name, pattern) for pattern in self.norecursedirs)


def read(root: Path) -> PytestFiles:
    """pytest's settings at `root`, from the first config file that has its section (defaults without one)."""
    for name in ("pytest.ini", ".pytest.ini"):
        if (root / name).is_file():
            return _from_ini(root / name, "pytest", always=True) or PytestFiles()
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            table = tomllib.loads(pyproject.read_text()).get("tool", {}).get("pytest", {}).get("ini_options")
        except tomllib.TOMLDecodeError:
            table = None
        if isinstance(table, dict):
            return PytestFiles(
                testpaths=_words(table.get("testpaths"), ()),
                python_files=_words(table.get("python_files"), DEFAULT_PYTHON_FILES),
                norecursedirs=_words(table.get("norecursedirs"), DEFAULT_NORECURSE),
            )
    for name, section in INI_FILES[2:]:
        found = _from_ini(root / name, section)
        if found:
            return found
    return PytestFiles()


def _from_ini(path: Path, section: str, always: bool = False) -> PytestFiles | None:
    if not path.is_file():
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error:
        return None
    if not parser.has_section(section):
        return PytestFiles() if always else None
    options = parser[section]
    return PytestFiles(
        testpaths=_words(options.get("testpaths"), ()),
        python_files=_words(options.get("python_files"), DEFAULT_PYTHON_FILES),
        norecursedirs=_words(options.get("norecursedirs"), DEFAULT_NORECURSE),
    )


def _words(value: object, default: tuple[str, ...]) -> tuple[str, ...]:
    """An ini value split on whitespace (a TOML list as it is; a TOML string split too)."""
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, str) and value.strip():
        return tuple(shlex.split(value))
    return default
