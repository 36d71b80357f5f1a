"""The `[tool.covthemes]` table of the adopting repository's `pyproject.toml`.

Everything specific to a repository comes from here: the themes, where the
outputs go, which coverage config to read, the tests chosen by path, the
thresholds, and the commands shown in error messages. Every mistake is found
when the settings load, before any work, and reported as one line per
problem naming the key and the fix. What the tool needs from the coverage
config itself is checked in `covthemes.settings.coverage_config`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from covthemes.errors import ConfigError
from covthemes.settings import keys as read
from covthemes.settings.keys import ALL_THEMES, TABLE, TOTAL, TOTAL_NAMES
from covthemes.settings.layout import Layout
from covthemes.settings.shards import Shard

__all__ = ["ALL_THEMES", "TABLE", "TOTAL", "TOTAL_NAMES", "Settings", "find_root", "load", "parse"]

# TOTAL is the one name of all themes together: in thresholds, `themes.json`,
# `--fail-under` and the badges. ALL_THEMES, the key of `covthemes diff`'s
# JSON, is accepted for it on the command line.
KEYS = (
    "themes",
    "output",
    "coverage-config",
    "markers",
    "paths",
    "thresholds",
    "shards",
    "durations",
    "baseline-contexts",
    "run-command",
    "shard-command",
    "publish-command",
)
DURATIONS = ".covthemes-durations/{theme}.json"


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
    shards: Mapping[str, int] = field(default_factory=dict)
    durations: str = DURATIONS
    # What baseline.json keeps of each context: the test ("tests") or its theme ("themes").
    baseline_contexts: str = "tests"
    run_command: str = "covthemes run {theme}"
    shard_command: str = "covthemes run {theme} --shard {shard}"
    publish_command: str = "covthemes publish"

    # Every path of the output folder, absolute: built once, here.
    layout: Layout = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "layout", Layout(self.root / self.output, self.root))

    def rerun(self, theme: str, shard: Shard | None = None) -> str:
        """The command that measures `theme` (or one shard of it) again."""
        if shard is None:
            return self.run_command.format(theme=theme)
        return self.shard_command.format(theme=theme, shard=shard.label)

    def durations_file(self, theme: str) -> Path:
        """pytest-split's durations of the theme's tests (relative to `root`)."""
        return Path(self.durations.format(theme=theme))

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
    themes = read.themes(table.get("themes"), problems)
    known = set(themes)
    paths = read.paths(root, table.get("paths", {}), known, problems)
    # A theme with globs is chosen by path alone unless `markers` lists it.
    markers = read.markers(table.get("markers", [t for t in themes if t not in paths]), known, problems)
    for theme in themes:
        if theme not in markers and theme not in paths:
            problems.append(
                f"theme {theme!r} is chosen neither by marker nor by path: add it to `markers` "
                f"in {TABLE} (which lists the themes chosen by marker; without it, every theme that "
                "has no globs), or give it globs in [tool.covthemes.paths]"
            )
    thresholds = read.thresholds(table.get("thresholds", {}), known, problems)
    shards = read.shards(table.get("shards", {}), known, problems)
    durations = read.command(table, "durations", DURATIONS, ("theme",), problems)
    baseline_contexts = read.choice(table, "baseline-contexts", ("tests", "themes"), problems)
    output = read.string(table, "output", "coverage", problems)
    config = read.string(table, "coverage-config", "", problems)
    if config and not (root / config).is_file():
        problems.append(
            f"coverage-config = {config!r} in {TABLE} names no file: correct the path, or remove the key"
        )
    run_command = read.command(table, "run-command", Settings.run_command, ("theme",), problems)
    shard_command = read.command(table, "shard-command", Settings.shard_command, ("theme", "shard"), problems)
    publish_command = read.string(table, "publish-command", Settings.publish_command, problems)
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
        shards=shards,
        durations=durations,
        baseline_contexts=baseline_contexts,
        run_command=run_command,
        shard_command=shard_command,
        publish_command=publish_command,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}): fix the file") from None
