"""Themed coverage: measure each roadmap theme on its own, merge, and publish.

`THEMES` is the single source of truth for the theme list. The `pytest.ini`
markers and the `tox.ini` factors are copies of it, kept in step by
`tests/pipeline/test_config.py`; `scripts/coverage_baseline.sh` asks this
package for the list instead of keeping its own.

The layout below is shared by the themed runs (`covthemes.runner`) and the
publish step (`covthemes.publish`); `coverage/README.md` describes the outputs.
"""

from pathlib import Path

THEMES = ("architecture", "reliability", "security")

COVERAGE_DIR = Path("coverage")
DATA_DIR = COVERAGE_DIR / "data"
CONFIG_FILE = Path(".coveragerc")


class UsageError(Exception):
    """A problem the user fixes by running a command; printed without a traceback."""


def data_file(theme: str) -> Path:
    """The coverage data file of one theme, written by its `cov-<theme>` run."""
    return DATA_DIR / f".coverage.{theme}"


def provenance_file(theme: str) -> Path:
    # Not named `.coverage.<theme>.*`: pytest-cov erases every sibling of its
    # data file with that prefix when a run starts.
    return DATA_DIR / f"provenance.{theme}.json"


def rerun_command(theme: str) -> str:
    return f"tox -e cov-{theme}"


def check_theme(theme: str) -> str:
    if theme not in THEMES:
        raise UsageError(
            f"unknown theme {theme!r}: choose one of {', '.join(THEMES)}"
        )
    return theme
