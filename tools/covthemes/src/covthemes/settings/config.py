"""The `[tool.covthemes]` table of the adopting repository's `pyproject.toml`.

Everything specific to a repository comes from here: the themes, where the
outputs go, which coverage config to read, the tests chosen by path, the
thresholds, and the commands shown in error messages. Every mistake is found
when the settings load, before any work, and reported as one line per
problem naming the key and the fix. What the tool needs from the coverage
config itself is checked in `covthemes.settings.coverage_config`.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import MISSING as MISSING_FIELD
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from covthemes.errors import ConfigError
from covthemes.settings import core, files, keys
from covthemes.settings.keys import (
    ALL_THEMES,
    ALL_THEMES_ALIAS,
    ALL_THEMES_LABEL,
    ALL_THEMES_NAMES,
    MISSING,
    TABLE,
    Context,
    Key,
    row,
)
from covthemes.settings.layout import Layout
from covthemes.settings.shards import Shard

__all__ = [
    "ALL_THEMES",
    "ALL_THEMES_ALIAS",
    "ALL_THEMES_LABEL",
    "ALL_THEMES_NAMES",
    "TABLE",
    "Settings",
    "find_root",
    "load",
    "parse",
]

DURATIONS = ".covthemes-durations/{theme}.json"
# What baseline.json keeps of each context: the test, or only its theme.
PER_TEST = "tests"
PER_THEME = "themes"


@dataclass(frozen=True)
class Settings:
    """One repository's covthemes settings, with every path relative to `root`.

    Each field after `root` is one key of `[tool.covthemes]`: its metadata
    names the key and its reader (`covthemes.settings.keys`), which `parse`
    reads in field order, and the field's default is the key's.
    """

    root: Path
    themes: tuple[str, ...] = field(metadata=row("themes", keys.themes))
    output: Path = field(default=Path("coverage"), metadata=row("output", keys.folder))
    coverage_config: Path | None = field(default=None, metadata=row("coverage-config", files.config_file))
    paths: Mapping[str, tuple[str, ...]] = field(default_factory=dict, metadata=row("paths", files.paths))
    # After `paths`: a theme with globs is chosen by path alone unless `markers` lists it.
    marker_themes: tuple[str, ...] = field(default=(), metadata=row("markers", keys.markers))
    thresholds: Mapping[str, float] = field(default_factory=dict, metadata=row("thresholds", keys.thresholds))
    shards: Mapping[str, int] = field(default_factory=dict, metadata=row("shards", keys.shards))
    durations: str = field(default=DURATIONS, metadata=row("durations", keys.command("theme")))
    # How runs measure: one switch per process (phases) or per test (tests); `covthemes.settings.core`.
    contexts: str = field(default=core.PHASES, metadata=row("contexts", keys.choice(*core.MODES)))
    baseline_contexts: str = field(
        default=PER_TEST, metadata=row("baseline-contexts", keys.choice(PER_TEST, PER_THEME))
    )
    run_command: str = field(
        default="covthemes run {theme}", metadata=row("run-command", keys.command("theme"))
    )
    shard_command: str = field(
        default="covthemes run {theme} --shard {shard}",
        metadata=row("shard-command", keys.command("theme", "shard")),
    )
    publish_command: str = field(default="covthemes publish", metadata=row("publish-command", keys.string))

    # Where the user ran covthemes, which messages show paths relative to
    # (`Layout.shown`); None: relative to the root.
    cwd: Path | None = field(default=None, compare=False, repr=False)
    # Every path of the output folder, absolute: built once, here.
    layout: Layout = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "layout", Layout(self.root / self.output, self.root, self.cwd))

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


def rows() -> list[tuple[str, Key, Any]]:
    """The table of keys: each `Settings` field, its key and reader, and its default."""
    found = []
    for spec in fields(Settings):
        key = spec.metadata.get(keys.KEY)
        if key is None:
            continue
        default = spec.default_factory() if spec.default_factory is not MISSING_FIELD else spec.default
        found.append((spec.name, key, None if default is MISSING_FIELD else default))
    return found


KEYS = tuple(key.name for _, key, _ in rows())


def parse(root: Path, table: Mapping[str, Any]) -> Settings:
    context = Context(root)
    for key in table:
        if key not in KEYS:
            near = difflib.get_close_matches(key, KEYS, n=1)
            fix = f"did you mean `{near[0]}`? Rename it" if near else "remove it"
            context.problems.append(f"unknown key {key!r} in {TABLE}: {fix}, or use one of {', '.join(KEYS)}")
    for name, row_key, default in rows():
        context.key, context.default = row_key.name, default
        context.read[name] = row_key.read(table.get(row_key.name, MISSING), context)
    if context.problems:
        raise ConfigError(*context.problems)
    return Settings(root=root, **context.read)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}): fix the file") from None
