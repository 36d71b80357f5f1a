"""The covthemes pytest plugin, loaded through the `pytest11` entry point.

In a repository whose pyproject.toml has `[tool.covthemes]`, it:

- registers a marker per theme chosen by marker;
- gives each test its themes: the markers it carries, plus every theme one of
  whose `[tool.covthemes.paths]` globs matches its file;
- fails collection, naming each test, when a test belongs to no theme, since
  no themed run would ever measure it;
- with `--covthemes-theme THEME` (which `covthemes run` passes), keeps only
  that theme's tests: pytest collects from its own roots, by its own rules,
  so a theme's run has exactly the tests a plain `pytest` collects from the
  theme's files; for a theme chosen by path alone, the files outside its
  globs are not collected at all (`pytest_ignore_collect`), and the tests of
  other themes are deselected.

In a theme's run in the phases mode (`[tool.covthemes] contexts`), it
switches coverage from the import phase to the tests phase when collection
ends (`covthemes.run.phases`), in each process that collects.

Anywhere else it does nothing. `-p no:covthemes` turns it off, for suites
that are not themed (a repository's tests of its own tooling, say).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from coverage import Coverage

from covthemes.errors import ConfigError
from covthemes.run import phases
from covthemes.settings import config as settings_file
from covthemes.settings import core
from covthemes.settings.config import Settings

SETTINGS = pytest.StashKey[Settings]()
THEME_FILES = pytest.StashKey[dict[str, frozenset[Path]]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("covthemes").addoption(
        "--covthemes-theme",
        metavar="THEME",
        default=None,
        help="run only the tests of this covthemes theme (set by `covthemes run THEME`)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    root = config.rootpath
    theme = config.getoption("covthemes_theme")
    try:
        settings = settings_file.load(root) if settings_file.configured(root) else None
    except ConfigError as exc:
        raise pytest.UsageError(f"covthemes: {exc}") from None
    if settings is None:
        if theme is not None:
            raise pytest.UsageError(
                f"covthemes: --covthemes-theme needs [tool.covthemes] in {root / 'pyproject.toml'}: add it"
            )
        return
    if theme is not None and theme not in settings.themes:
        raise pytest.UsageError(
            f"covthemes: --covthemes-theme {theme!r} is not a theme: "
            f"choose one of {', '.join(settings.themes)}"
        )
    config.stash[SETTINGS] = settings
    config.stash[THEME_FILES] = settings.theme_files()
    for name in settings.marker_themes:
        config.addinivalue_line("markers", f"{name}: a test of the covthemes theme {name!r}")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """In a run of a theme chosen by path alone, skip every file outside its globs (folders are entered)."""
    settings = config.stash.get(SETTINGS, None)
    theme = config.getoption("covthemes_theme")
    if settings is None or theme is None or not settings.path_only(theme) or collection_path.is_dir():
        return None
    return True if collection_path.resolve() not in config.stash[THEME_FILES][theme] else None


def themes_of(item: pytest.Item, settings: Settings, theme_files: dict[str, frozenset[Path]]) -> set[str]:
    """The themes a test belongs to: by its markers, and by its file's path."""
    marked = {name for name in settings.marker_themes if item.get_closest_marker(name)}
    path = item.path.resolve()
    return marked | {theme for theme, files in theme_files.items() if path in files}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    settings = config.stash.get(SETTINGS, None)
    if settings is None:
        return
    theme_files = config.stash[THEME_FILES]
    themes = {item.nodeid: themes_of(item, settings, theme_files) for item in items}
    unthemed = [nodeid for nodeid, found in themes.items() if not found]
    if unthemed:
        listing = "\n  ".join(unthemed)
        raise pytest.UsageError(
            f"{len(unthemed)} test(s) belong to no covthemes theme, so no themed run would measure them; "
            f"{_fixes(settings)}:\n  {listing}"
        )
    theme = config.getoption("covthemes_theme")
    if theme is None:
        return
    keep = [item for item in items if theme in themes[item.nodeid]]
    dropped = [item for item in items if theme not in themes[item.nodeid]]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """In a phases run, what runs from here on is the tests'; what ran until now was the import's."""
    config = session.config
    settings = config.stash.get(SETTINGS, None)
    if settings is None or settings.contexts != core.PHASES or config.getoption("covthemes_theme") is None:
        return
    phases.to_tests(Coverage.current())


def _fixes(settings: Settings) -> str:
    """How to give a test a theme, with the real marker themes (or, with none, a glob)."""
    glob = "match their file with a glob in [tool.covthemes.paths]"
    if not settings.marker_themes:
        return (
            f"{glob} (no theme is chosen by marker: to choose one, list it in `markers` in "
            "[tool.covthemes] and mark the module with `pytestmark = pytest.mark.<theme>`)"
        )
    return (
        f"mark their module with `pytestmark = pytest.mark.<theme>` (one of: "
        f"{', '.join(settings.marker_themes)}) or {glob}"
    )
