"""The third-party suite: networkx's own tests, from its pinned sdist, themed by configuration alone.

As the covthemes README tells a repository to: a `[tool.covthemes]` table
appended to its `pyproject.toml`, themes by path, and a `.coveragerc` with
networkx's own `[tool.coverage.run]` plus what covthemes requires. No code
file is touched and no pytest config added, so it is unpacked where none lies
above it (`benchmarks.tempdir.neutral_folder`), and not installed. Its tests
need pytest alone; those that need numpy and the like skip themselves, which
keeps the suite pure Python and the same everywhere: 6,166 tests for 3.6.1.
"""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path

from benchmarks import procs
from benchmarks.suites import Suite
from benchmarks.toolenv import ToolEnv

NAME = "networkx"
VERSION = "3.6.1"
SDIST_SHA256 = "26b7c357accc0c8cde558ad486283728b65b6a95d85ee1cd66bafab4c8168509"
THEMES = ("algorithms", "classes", "generators", "other")
# `--quick`: a few files per theme, each with tests that run without numpy
# (a sample taken blindly picks files whose tests all skip, and a theme that
# selects nothing fails its run).
QUICK_SAMPLE = {
    "algorithms": (
        "networkx/algorithms/tests/test_cycles.py",
        "networkx/algorithms/shortest_paths/tests/test_generic.py",
    ),
    "classes": ("networkx/classes/tests/test_graph.py",),
    "generators": ("networkx/generators/tests/test_classic.py",),
    "other": ("networkx/utils/tests/test_misc.py", "networkx/tests/test_relabel.py"),
}

SETTINGS = """
# Added by benchmarks/thirdparty.py: networkx adopted by configuration alone.
[tool.covthemes]
themes = ["algorithms", "classes", "generators", "other"]
markers = []
output = "coverage"
coverage-config = ".coveragerc"

[tool.covthemes.paths]
# Every file pytest would collect has a theme, or covthemes refuses to run:
# base_test.py matches pytest's `*_test.py` (it holds mixins, no tests), and
# requirements/test*.txt its doctest glob `test*.txt` (no doctests in them).
algorithms = ["networkx/algorithms/**/tests/test_*.py", "networkx/algorithms/**/tests/*_test.py"]
classes = ["networkx/classes/**/tests/test_*.py"]
generators = ["networkx/generators/**/tests/test_*.py"]
other = [
    "networkx/tests/test_*.py",
    "networkx/drawing/**/tests/test_*.py",
    "networkx/linalg/**/tests/test_*.py",
    "networkx/readwrite/**/tests/test_*.py",
    "networkx/utils/**/tests/test_*.py",
    "requirements/test*.txt",
]
"""

COVERAGERC = """# networkx's [tool.coverage.run], and what covthemes needs.
[run]
source = networkx
branch = True
omit =
    */tests/*
    conftest.py
    *testing/test.py
relative_files = True
context = ${COVERAGE_CONTEXT-}

[html]
show_contexts = True

[json]
show_contexts = True
"""


def fetch(tools: ToolEnv, dest: Path) -> Path:
    """The pinned sdist, downloaded into `dest` (untimed), its hash checked."""
    dest.mkdir(parents=True, exist_ok=True)
    pip = [tools.exe("python"), "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:"]
    procs.run([*pip, f"{NAME}=={VERSION}", "-d", str(dest)], dest)
    sdist = dest / f"{NAME}-{VERSION}.tar.gz"
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    if digest != SDIST_SHA256:
        raise procs.CommandFailed(f"{sdist.name} has SHA-256 {digest}, expected {SDIST_SHA256}")
    return sdist


def adopt(sdist: Path, dest: Path) -> Path:
    """Unpack `sdist` into `dest` and add the two configuration files; return the project root."""
    with tarfile.open(sdist) as archive:
        archive.extractall(dest, filter="data")
    root = dest / f"{NAME}-{VERSION}"
    if (root / ".coveragerc").exists():
        raise procs.CommandFailed(f"{sdist.name} has a .coveragerc of its own: adopt it instead")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + SETTINGS)
    (root / ".coveragerc").write_text(COVERAGERC)
    return root


def prepare(tools: ToolEnv, work: Path, rounds: int, quick: bool) -> Suite:
    root = adopt(fetch(tools, work / "sdist"), work / "project")
    cut = (
        f"--quick: {sum(map(len, QUICK_SAMPLE.values()))} of its test files" if quick else "its sdist's tests"
    )
    adoption = (
        f"{NAME} {VERSION} sdist, a [tool.covthemes] table and a .coveragerc added; pytest only (no numpy)"
    )
    return Suite(
        NAME,
        f"{NAME} {VERSION}, {cut}",
        root,
        THEMES,
        (NAME,),
        rounds,
        adoption,
        QUICK_SAMPLE if quick else None,
    )
