"""No test left unmeasured: the test files pytest collects that no theme selects, found before any run.

The rule: a test module pytest would collect (`covthemes.settings.pytest_files`)
is left out when no theme's `[tool.covthemes.paths]` glob matches it, and that
can be known from the files alone only when every theme is chosen by path. A
theme chosen by marker may hold tests in any file, so with one, the covthemes
pytest plugin judges instead: each run of a marker theme collects the whole
suite, and collection fails for a test that belongs to no theme
(`covthemes.run.plugin`). `covthemes run` and `covthemes publish` check both
ways of choosing before they start.
"""

from __future__ import annotations

from pathlib import Path

from covthemes.errors import ConfigError
from covthemes.settings import pytest_files
from covthemes.settings.config import TABLE, Settings

# The files a message names before it counts the rest.
SHOWN = 5


def unselected(settings: Settings) -> list[Path]:
    """The test modules pytest collects that no theme selects (relative to the root), or none."""
    if settings.marker_themes:
        return []
    root = settings.root
    selected = frozenset().union(*settings.theme_files().values())
    return [path for path in pytest_files.read(root).files(root) if (root / path).resolve() not in selected]


def problem(settings: Settings) -> str | None:
    """One line naming the unselected test files and the two fixes, or None."""
    left = unselected(settings)
    if not left:
        return None
    names = ", ".join(p.as_posix() for p in left[:SHOWN])
    more = f" and {len(left) - SHOWN} more" if len(left) > SHOWN else ""
    return (
        f"{len(left)} test file(s) that pytest collects belong to no theme, so no themed run would "
        f"measure them ({names}{more}): add a glob matching them to [tool.covthemes.paths], or mark "
        f"their tests (`pytestmark = pytest.mark.<theme>`) and list the theme in `markers` in {TABLE}"
    )


def check(settings: Settings) -> None:
    """ConfigError when a test file pytest collects is selected by no theme."""
    found = problem(settings)
    if found:
        raise ConfigError(found)
