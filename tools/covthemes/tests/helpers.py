"""Test helpers shared by the covthemes tests: a tiny themed repository, recorded theme data, HTML reading.

The tiny repository (`make_repo`) is what an adopting repository looks like:
a package `pkg`, tests for three themes (two by marker, one by path) and a
pyproject.toml with `[tool.covthemes]` and `[tool.coverage.*]`. Its
`[tool.pytest.ini_options]` table makes it pytest's rootdir, so runs inside it
never climb to a pytest.ini further up. `measure` records a theme's data for
real, `record_theme` writes a minimal one, and `Elements` reads an HTML
page's tags and texts. The fixtures built on them are in conftest.py.
"""

from __future__ import annotations

import os
import runpy
import textwrap
from collections.abc import Callable
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from coverage import Coverage, CoverageData

from covthemes.errors import ConfigError
from covthemes.model import provenance
from covthemes.model.history import AllThemesPoint, History, HistoryEntry, ThemePoint
from covthemes.model.provenance import Outcomes, Provenance
from covthemes.model.revision import Revision
from covthemes.run import phases
from covthemes.settings import core, coverage_config
from covthemes.settings.config import Settings
from covthemes.settings.shards import Shard

# What coverage's `patch = ["subprocess"]` hands to child processes so that
# they are measured too; every other COVERAGE_* variable would leak this
# session's settings into the child.
KEEP = ("COVERAGE_PROCESS_START", "COVERAGE_PROCESS_CONFIG")


COVTHEMES_TABLE = """\
[tool.covthemes]
themes = ["alpha", "beta", "gamma"]
markers = ["alpha", "beta"]

[tool.covthemes.paths]
gamma = ["tests/gamma/test_*.py"]

[tool.covthemes.thresholds]
alpha = 30
beta = 20
total = 70
"""


COVERAGE_TABLES = """\
[tool.coverage.run]
branch = true
relative_files = true
context = "${COVERAGE_CONTEXT-}"
source = ["pkg"]

[tool.coverage.report]
precision = 1

[tool.coverage.html]
show_contexts = true

[tool.coverage.json]
show_contexts = true
"""


PYTEST_TABLE = """\
[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["."]
"""


# Line numbers matter: the publish tests count statements and lines by them.
CORE = """\
def alpha_only(x):
    if x:
        return 1
    return 0


def beta_only():
    return 2


def never():
    return 3
"""


TESTS = {
    "tests/test_alpha.py": """\
        import pytest

        from pkg.core import alpha_only

        pytestmark = pytest.mark.alpha


        def test_alpha():
            assert alpha_only(True) == 1
        """,
    "tests/test_beta.py": """\
        import pytest

        from pkg.core import beta_only

        pytestmark = pytest.mark.beta


        def test_beta():
            assert beta_only() == 2
        """,
    "tests/gamma/test_gamma.py": """\
        def test_gamma():
            assert True
        """,
}


def write_pyproject(root: Path, covthemes: str = COVTHEMES_TABLE, coverage: str = COVERAGE_TABLES) -> Path:
    """Write root/pyproject.toml from its tables; return its path."""
    path = root / "pyproject.toml"
    path.write_text("\n".join(part for part in (covthemes, coverage, PYTEST_TABLE) if part))
    return path


# A child process that creates a Coverage object of its own (`covthemes run`
# does, and so do publish's report workers) tells the Coverage that
# `patch = ["subprocess"]` started in it not to save, so the tool's own code in
# that child goes unmeasured. COVERAGE_COVERAGE (coverage.py's switch for
# measuring itself, read in coverage/env.py) keeps it saving: runner.py goes
# from 50% to 100%, reports.py's workers from 0% to measured.
MEASURE_NESTED = ("COVERAGE_COVERAGE", "1")


def make_repo(root: Path) -> Path:
    """Write the tiny themed repository into `root`; return `root`."""
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "core.py").write_text(CORE)
    for name, text in TESTS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))
    write_pyproject(root)
    return root


def write_provenance(settings: Settings, theme: str, shard: Shard | None = None, **changes: Any) -> Path:
    """Write a passed provenance record vouching for the theme's (or shard's) data file as it is now.

    The record carries this checkout's source hash; `changes` overrides its
    fields. Returns its path.
    """
    root = settings.root
    record = Provenance.of_run(
        root,
        settings.layout.relative(settings.layout.data_file(theme, shard)),
        theme=theme,
        status="passed",
        exit_code=0,
        tests=1,
        outcomes=Outcomes(passed=1),
        started="2026-11-26T10:00:00Z",
        revision=Revision.of(root, [Path("pkg")]),
        config_sha256=_config_sha256(settings),
        contexts=settings.contexts,
        shard=shard.label if shard else None,
    )
    sidecar = root / settings.layout.provenance_file(theme, shard)
    provenance.write(sidecar, replace(record, **changes))
    return sidecar


def _config_sha256(settings: Settings) -> str | None:
    """The hash of the repository's coverage config, as `covthemes run` records it; None when it is broken."""
    try:
        return coverage_config.check(settings).config_sha256
    except ConfigError:
        return None


def record_theme(
    settings: Settings,
    theme: str,
    *,
    branches: bool = True,
    shard: Shard | None = None,
    test_contexts: bool = True,
    **changes: Any,
) -> tuple[Path, Path]:
    """Write a theme's (or shard's) data file (one line of pkg/core.py) and its provenance record.

    The line is run by a test, in a per-test context, unless `test_contexts`
    is False. Returns the data and provenance paths.
    """
    data_path = settings.layout.data_file(theme, shard)
    data_path.parent.mkdir(parents=True, exist_ok=True)
    data = CoverageData(basename=str(data_path))
    # As pytest-cov records a test: `<theme>|<test node id>|<phase>`.
    data.set_context(f"{theme}|tests/test_{theme}.py::test_{theme}|run" if test_contexts else theme)
    if branches:
        data.add_arcs({str(settings.root / "pkg" / "core.py"): {(-1, 1), (1, -1)}})
    else:
        data.add_lines({str(settings.root / "pkg" / "core.py"): [1]})
    data.write()
    return data_path, write_provenance(settings, theme, shard, **changes)


# What each theme's one test calls in pkg/core.py (see `measure`).
CALLS: dict[str, Callable[[dict[str, Any]], object]] = {
    "alpha": lambda module: module["alpha_only"](True),
    "beta": lambda module: module["beta_only"](),
    "gamma": lambda module: None,
}


def measure(settings: Settings, theme: str) -> None:
    """Record `theme`'s data for real, with the repository's coverage config, and vouch for it.

    As `covthemes run` measures, with the core it chooses: pkg/core.py's
    import under the bare theme context, then the theme's one test (CALLS)
    under `<theme>|tests` (the phases mode) or `<theme>|<test>|run` (the
    tests mode).
    """
    data_file = settings.layout.data_file(theme)
    data_file.parent.mkdir(parents=True, exist_ok=True)
    saved = os.environ.get(core.VARIABLE)
    measuring_core = core.for_run(None, settings.contexts)
    # coverage picks its core as it starts.
    os.environ[core.VARIABLE] = measuring_core
    cov = Coverage(
        data_file=str(data_file),
        data_suffix=False,
        config_file=str(settings.root / "pyproject.toml"),
        context=theme,
    )
    cov.start()
    try:
        module = runpy.run_path(str(settings.root / "pkg" / "core.py"))
        if settings.contexts == core.PHASES:
            phases.to_tests(cov)
        else:
            # Joined to the static context: `<theme>|tests/test_x.py::test_x|run`.
            cov.switch_context(f"tests/test_{theme}.py::test_{theme}|run")
        CALLS[theme](module)
    finally:
        cov.stop()
        if saved is None:
            del os.environ[core.VARIABLE]
        else:
            os.environ[core.VARIABLE] = saved
    cov.save()
    write_provenance(settings, theme, coverage_core=measuring_core)


def isolate_publish(patch: pytest.MonkeyPatch, root: Path, factory: pytest.TempPathFactory) -> None:
    """For a module-scoped publish of `root`: work from it, with `environ`'s clean environment."""
    patch.chdir(root)
    patch.setenv("GIT_CEILING_DIRECTORIES", str(factory.getbasetemp()))
    patch.delenv("COVERAGE_CONTEXT", raising=False)
    patch.delenv("COVTHEMES_FAULT", raising=False)
    if any(name in os.environ for name in KEEP):
        # The report workers inherit it: see MEASURE_NESTED.
        patch.setenv(*MEASURE_NESTED)


def file_entry(statements: int, covered: int, branches: int = 0, covered_branches: int = 0) -> dict[str, Any]:
    """A file of a coverage JSON report, with its summary counts."""
    return {
        "summary": {
            "num_statements": statements,
            "covered_lines": covered,
            "num_branches": branches,
            "covered_branches": covered_branches,
        }
    }


# The reports behind `themed_summary`: beta never imported lib/util.py, which
# is still counted, with nothing covered.
MERGED_REPORT = {"files": {"pkg/core.py": file_entry(8, 6, 2, 1), "lib/util.py": file_entry(0, 0)}}


THEME_REPORTS = {
    "alpha": {"files": {"pkg/core.py": file_entry(8, 5, 2, 1)}},
    "beta": {"files": {"pkg/core.py": file_entry(8, 4, 2, 0)}},
}


# A folder and a file named to break out of each context covthemes writes:
# HTML text and attributes, URLs, Markdown code spans, links and tables.
HOSTILE_FOLDER = "evil`<b>|[x](y)"
HOSTILE_PATH = f'{HOSTILE_FOLDER}/"><img src=x onerror=alert(1)>`` |#?%.py'


class Elements(HTMLParser):
    """Every start tag of an HTML page with its attributes, and the text inside each element."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None], list[str]]] = []
        self._open: list[list[str]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text: list[str] = []
        self.elements.append((tag, dict(attrs), text))
        if tag not in VOID:
            self._open.append(text)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for text in self._open:
            text.append(data)

    def find(self, tag: str, **wanted: str) -> list[tuple[dict[str, str | None], str]]:
        """Each `tag` element whose attributes include `wanted` (underscores as dashes): attributes, text."""
        return [
            (attrs, "".join(text))
            for name, attrs, text in self.elements
            if name == tag and all(attrs.get(k.replace("_", "-")) == v for k, v in wanted.items())
        ]


VOID = frozenset({"meta", "link", "input", "br", "img"})


def history_entry(revision: str | None, time: str, percent: float = 50.0, blind: int = 3) -> HistoryEntry:
    """An entry of one theme, `alpha`, at `percent` (by its tests too), with `blind` blind spots."""
    return HistoryEntry(
        Revision(revision, "f" * 64),
        time,
        {"alpha": ThemePoint(percent, 4, 1, 2, percent)},
        AllThemesPoint(percent + 10, 5, blind),
    )


def history_keys(recorded: History) -> list[str]:
    return [e.key for e in recorded.entries]
