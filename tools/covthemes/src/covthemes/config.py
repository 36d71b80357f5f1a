"""The `[tool.covthemes]` table of the adopting repository's `pyproject.toml`.

Everything specific to a repository comes from here: the themes, where the
outputs go, which coverage config to read, the tests chosen by path, the
thresholds, and the commands shown in error messages. Every mistake is found
when the settings load, before any work, and reported as one line per
problem naming the key and the fix. What the tool needs from the coverage
config itself is checked in `covthemes.coverage_config`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from covthemes.errors import ConfigError
from covthemes.layout import Layout

TABLE = "[tool.covthemes]"
# The one name of all themes together: in thresholds, `themes.json`,
# `--fail-under` and the badges. `all_themes`, the key of `covthemes diff`'s
# JSON, is accepted for it on the command line.
TOTAL = "total"
ALL_THEMES = "all_themes"
TOTAL_NAMES = (TOTAL, ALL_THEMES)
KEYS = (
    "themes",
    "output",
    "coverage-config",
    "markers",
    "paths",
    "thresholds",
    "run-command",
    "publish-command",
)


@dataclass(frozen=True)
class Settings:
    """One repository's covthemes settings, with every path relative to `root`."""

    root: Path
    themes: tuple[str, ...]
    output: Path = Path("coverage")
    coverage_config: Path | None = None
    marker_themes: tuple[str, ...] = ()
    paths: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    thresholds: Mapping[str, float] = field(default_factory=dict)
    run_command: str = "covthemes run {theme}"
    publish_command: str = "covthemes publish"

    @property
    def layout(self) -> Layout:
        """The output folder's paths, relative to `root`."""
        return Layout(self.output)

    def data_file(self, theme: str) -> Path:
        """The coverage data of one theme, as `covthemes run THEME` writes it (relative to `root`)."""
        return self.layout.data_file(theme)

    def provenance_file(self, theme: str) -> Path:
        return self.layout.provenance_file(theme)

    def rerun(self, theme: str) -> str:
        return self.run_command.format(theme=theme)

    def path_only(self, theme: str) -> bool:
        """True when the theme's tests are chosen by path alone, not by marker."""
        return theme not in self.marker_themes

    def theme_files(self) -> dict[str, frozenset[Path]]:
        """For each theme, the files its path globs match (absolute paths)."""
        return {
            theme: frozenset(
                path.resolve() for pattern in self.paths.get(theme, ()) for path in self.root.glob(pattern)
            )
            for theme in self.themes
        }


def configured(folder: Path) -> bool:
    """True when `folder` has a pyproject.toml with a [tool.covthemes] table."""
    candidate = folder / "pyproject.toml"
    return candidate.is_file() and "covthemes" in _read_toml(candidate).get("tool", {})


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` whose pyproject.toml has [tool.covthemes]."""
    return next((folder for folder in (start, *start.parents) if configured(folder)), None)


def load(root: Path) -> Settings:
    """The settings in `root/pyproject.toml`; ConfigError names every problem found."""
    table = _read_toml(root / "pyproject.toml").get("tool", {}).get("covthemes")
    if not isinstance(table, dict):
        raise ConfigError(
            f"no {TABLE} table in {root / 'pyproject.toml'}: add one with "
            '`themes = ["<theme>", ...]` (see the covthemes README)'
        )
    return parse(root, table)


def parse(root: Path, table: Mapping[str, Any]) -> Settings:
    problems: list[str] = []
    for key in table:
        if key not in KEYS:
            problems.append(f"unknown key {key!r} in {TABLE}: remove it, or use one of {', '.join(KEYS)}")
    themes = _themes(table.get("themes"), problems)
    known = set(themes)
    markers = _markers(table.get("markers", list(themes)), known, problems)
    paths = _paths(root, table.get("paths", {}), known, problems)
    for theme in themes:
        if theme not in markers and theme not in paths:
            problems.append(
                f"theme {theme!r} is chosen neither by marker nor by path: add it to `markers` "
                f"in {TABLE}, or give it globs in [tool.covthemes.paths]"
            )
    thresholds = _thresholds(table.get("thresholds", {}), known, problems)
    output = _string(table, "output", "coverage", problems)
    config = _string(table, "coverage-config", "", problems)
    if config and not (root / config).is_file():
        problems.append(
            f"coverage-config = {config!r} in {TABLE} names no file: correct the path, or remove the key"
        )
    run_command = _string(table, "run-command", Settings.run_command, problems)
    if "{theme}" not in run_command:
        problems.append(f"run-command = {run_command!r} in {TABLE} has no {{theme}} placeholder: add one")
    publish_command = _string(table, "publish-command", Settings.publish_command, problems)
    if problems:
        raise ConfigError(*problems)
    return Settings(
        root=root,
        themes=themes,
        output=Path(output),
        coverage_config=Path(config) if config else None,
        marker_themes=markers,
        paths=paths,
        thresholds=thresholds,
        run_command=run_command,
        publish_command=publish_command,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}): fix the file") from None


def _themes(value: object, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        problems.append(f'{TABLE} needs `themes = ["<theme>", ...]`, a non-empty list of names: add it')
        return ()
    themes: list[str] = []
    for name in value:
        if not isinstance(name, str) or not name.isidentifier():
            problems.append(
                f"theme {name!r} in {TABLE} themes is not an identifier: use letters, digits and "
                "underscores, as a pytest marker needs"
            )
        elif name in TOTAL_NAMES:
            problems.append(
                f"theme name {name!r} in {TABLE} themes is reserved for all themes together: rename it"
            )
        elif name in themes:
            problems.append(f"theme {name!r} appears twice in {TABLE} themes: remove one")
        else:
            themes.append(name)
    return tuple(themes)


def _markers(value: object, known: set[str], problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"`markers` in {TABLE} must be a list of theme names: fix it, or remove it")
        return ()
    for name in value:
        if name not in known:
            problems.append(
                f"`markers` in {TABLE} names {name!r}, which is not a theme: use one of {_listing(known)}"
            )
    return tuple(v for v in value if v in known)


def _paths(root: Path, value: object, known: set[str], problems: list[str]) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        problems.append("[tool.covthemes.paths] must be a table of theme = [globs]: fix it")
        return {}
    paths: dict[str, tuple[str, ...]] = {}
    for theme, globs in value.items():
        if theme not in known:
            problems.append(
                f"[tool.covthemes.paths] names {theme!r}, which is not a theme: use one of {_listing(known)}"
            )
            continue
        if not isinstance(globs, list) or not globs or not all(isinstance(g, str) for g in globs):
            problems.append(
                f"[tool.covthemes.paths] {theme} must be a non-empty list of glob strings: fix it"
            )
            continue
        for pattern in globs:
            if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
                problems.append(
                    f"[tool.covthemes.paths] {theme}: {pattern!r} must be relative to the "
                    "repository root: fix it"
                )
            elif not any(root.glob(pattern)):
                problems.append(
                    f"[tool.covthemes.paths] {theme}: {pattern!r} matches no file: "
                    "correct the glob, or remove it"
                )
        paths[theme] = tuple(globs)
    return paths


def _thresholds(value: object, known: set[str], problems: list[str]) -> dict[str, float]:
    if not isinstance(value, dict):
        problems.append("[tool.covthemes.thresholds] must be a table of theme = percent: fix it")
        return {}
    thresholds: dict[str, float] = {}
    for key, minimum in value.items():
        if key not in known and key != TOTAL:
            problems.append(
                f"[tool.covthemes.thresholds] names {key!r}, which is not a theme: "
                f"use one of {_listing(known | {TOTAL})}"
            )
        elif isinstance(minimum, bool) or not isinstance(minimum, int | float) or not 0 <= minimum <= 100:
            problems.append(
                f"[tool.covthemes.thresholds] {key} = {minimum!r} is not a percent: "
                "write a number from 0 to 100"
            )
        else:
            thresholds[key] = float(minimum)
    return thresholds


def _string(table: Mapping[str, Any], key: str, default: str, problems: list[str]) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        problems.append(f"{key} = {value!r} in {TABLE} must be a string: quote it")
        return default
    return value


def _listing(names: set[str]) -> str:
    return ", ".join(sorted(names))
