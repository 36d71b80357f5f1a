"""P6's third-party suite: networkx's own tests, from its sdist, themed by configuration alone.

networkx (BSD-3-Clause) ships its tests in its sdist, next to the code they
test (`networkx/<area>/tests/test_*.py`). The harness fetches the pinned
sdist with pip (`--no-binary :all:`, so it is the sdist and not a wheel),
checks its SHA-256, unpacks it, and adopts it the way the covthemes README
tells a repository to, by configuration alone:

- a `[tool.covthemes]` table appended to the sdist's own `pyproject.toml`
  (the file's existing text is kept byte for byte before it), with themes
  chosen by path: `algorithms`, `classes`, `generators`, and `other` for the
  rest (the top-level, drawing, linalg, readwrite and utils tests), so every
  collected test is in exactly one theme;
- a `.coveragerc`, which the sdist does not have: networkx's own
  `[tool.coverage.run]` (`source`, `branch`, `omit`) plus what covthemes
  requires; coverage reads only the file it is given, so networkx's table
  in `pyproject.toml` is not read next to it.

No code file is touched, and no pytest configuration is added: networkx
has none (its `pyproject.toml` has no `[tool.pytest.ini_options]`), so
pytest takes its rootdir, and its settings, from the first pytest config
file above the folder it runs in. Inside the harness's temporary folder,
which tox puts in this repository's `.tox/bench/tmp`, that would be the
monorepo's own `pytest.ini` (its `addopts`, `filterwarnings = error` and
`pythonpath`, and a rootdir whose `[tool.covthemes]` names other themes). So
the suite is unpacked in a temporary folder with no pytest config above it
(`neutral_folder`), as a checkout of networkx would be. networkx is not installed: pytest imports it from
the unpacked folder (its `conftest.py` sits in the package, so the folder
goes first on `sys.path`), which is what `source = networkx` measures. Its
test dependencies are pytest alone: numpy, scipy, pandas and matplotlib are
left out, and the tests that need them skip themselves
(`pytest.importorskip`), which keeps the collected set the same on every
machine and the suite in pure Python, where branch tracing costs most
(PITFALLS 27). That leaves 6,166 tests collected for 3.6.1.
"""

from __future__ import annotations

import hashlib
import tarfile
import tempfile
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
algorithms = ["networkx/algorithms/**/tests/test_*.py"]
classes = ["networkx/classes/**/tests/test_*.py"]
generators = ["networkx/generators/**/tests/test_*.py"]
other = [
    "networkx/tests/test_*.py",
    "networkx/drawing/**/tests/test_*.py",
    "networkx/linalg/**/tests/test_*.py",
    "networkx/readwrite/**/tests/test_*.py",
    "networkx/utils/**/tests/test_*.py",
]
"""

COVERAGERC = """# Added by benchmarks/thirdparty.py: networkx's [tool.coverage.run], and what covthemes needs.
[run]
source = networkx
branch = True
omit =
    */tests/*
    conftest.py
    *testing/test.py
relative_files = True
context = ${COVERAGE_CONTEXT-}
# coverage's own outputs stay at their defaults, at the root, out of the
# coverage/ folder covthemes publishes into.
data_file = .coverage

[html]
directory = htmlcov
show_contexts = True

[json]
output = coverage.json
show_contexts = True
"""


# Where pytest looks for its configuration, and the section that makes a file one.
PYTEST_CONFIGS = {
    "pytest.ini": "",
    ".pytest.ini": "",
    "pyproject.toml": "[tool.pytest.ini_options]",
    "tox.ini": "[pytest]",
    "setup.cfg": "[tool:pytest]",
}


def pytest_config_above(folder: Path) -> Path | None:
    """The first pytest config file in `folder` or above it, as pytest's rootdir search finds one."""
    for place in (folder, *folder.parents):
        for name, section in PYTEST_CONFIGS.items():
            candidate = place / name
            if candidate.is_file() and section in candidate.read_text(errors="replace"):
                return candidate
    return None


def neutral_folder() -> Path:
    """A new temporary folder with no pytest config above it: the system's, if TMPDIR has one."""
    for base in (Path(tempfile.gettempdir()), Path("/tmp")):
        if base.is_dir() and pytest_config_above(base.resolve()) is None:
            return Path(tempfile.mkdtemp(prefix="themed-bench-p6-", dir=base)).resolve()
    raise procs.CommandFailed(
        f"every temporary folder has a pytest config above it ({pytest_config_above(Path('/tmp'))}): "
        "set TMPDIR to a folder outside any project"
    )


def fetch(tools: ToolEnv, dest: Path) -> Path:
    """The pinned sdist, downloaded into `dest` (untimed), its hash checked."""
    dest.mkdir(parents=True, exist_ok=True)
    spec = f"{NAME}=={VERSION}"
    procs.run(
        [
            tools.python,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "--no-binary",
            ":all:",
            spec,
            "-d",
            str(dest),
        ],
        dest,
    )
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
    if not any(root.glob("networkx/**/tests/test_*.py")):
        raise procs.CommandFailed(f"{sdist.name} ships no tests under networkx/**/tests")
    if (root / ".coveragerc").exists():
        raise procs.CommandFailed(f"{sdist.name} has a .coveragerc of its own: adopt it instead")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + SETTINGS)
    (root / ".coveragerc").write_text(COVERAGERC)
    return root


def prepare(tools: ToolEnv, work: Path, rounds: int, quick: bool) -> Suite:
    root = adopt(fetch(tools, work / "sdist"), work / "project")
    return Suite(
        key=NAME,
        title=f"{NAME} {VERSION}, "
        + (
            f"--quick: {sum(map(len, QUICK_SAMPLE.values()))} of its test files"
            if quick
            else "its sdist's tests"
        ),
        root=root,
        themes=THEMES,
        one_shot_paths=(NAME,),
        rounds=rounds,
        adoption=(
            f"{NAME} {VERSION} sdist (SHA-256 {SDIST_SHA256[:12]}...), a [tool.covthemes] table "
            "appended to its pyproject.toml and a .coveragerc beside it; pytest only (no numpy/scipy)"
        ),
        sample=QUICK_SAMPLE if quick else None,
    )
