"""Reading each key of `[tool.covthemes]`: every reader appends one line per problem it finds.

`covthemes.settings.config.parse` calls them in turn and reports every problem at
once, before any work.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

TABLE = "[tool.covthemes]"
TOTAL = "total"
ALL_THEMES = "all_themes"
TOTAL_NAMES = (TOTAL, ALL_THEMES)


def themes(value: object, problems: list[str]) -> tuple[str, ...]:
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


def markers(value: object, known: set[str], problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"`markers` in {TABLE} must be a list of theme names: fix it, or remove it")
        return ()
    for name in value:
        if name not in known:
            problems.append(
                f"`markers` in {TABLE} names {name!r}, which is not a theme: use one of {listing(known)}"
            )
    return tuple(v for v in value if v in known)


def paths(root: Path, value: object, known: set[str], problems: list[str]) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        problems.append("[tool.covthemes.paths] must be a table of theme = [globs]: fix it")
        return {}
    paths: dict[str, tuple[str, ...]] = {}
    for theme, globs in value.items():
        if theme not in known:
            problems.append(
                f"[tool.covthemes.paths] names {theme!r}, which is not a theme: use one of {listing(known)}"
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


def thresholds(value: object, known: set[str], problems: list[str]) -> dict[str, float]:
    if not isinstance(value, dict):
        problems.append("[tool.covthemes.thresholds] must be a table of theme = percent: fix it")
        return {}
    thresholds: dict[str, float] = {}
    for key, minimum in value.items():
        if key not in known and key != TOTAL:
            problems.append(
                f"[tool.covthemes.thresholds] names {key!r}, which is not a theme: "
                f"use one of {listing(known | {TOTAL})}"
            )
        elif isinstance(minimum, bool) or not isinstance(minimum, int | float) or not 0 <= minimum <= 100:
            problems.append(
                f"[tool.covthemes.thresholds] {key} = {minimum!r} is not a percent: "
                "write a number from 0 to 100"
            )
        else:
            thresholds[key] = float(minimum)
    return thresholds


def string(table: Mapping[str, Any], key: str, default: str, problems: list[str]) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        problems.append(f"{key} = {value!r} in {TABLE} must be a string: quote it")
        return default
    return value


def listing(names: set[str]) -> str:
    return ", ".join(sorted(names))


def shards(value: object, known: set[str], problems: list[str]) -> dict[str, int]:
    if not isinstance(value, dict):
        problems.append("[tool.covthemes.shards] must be a table of theme = number of shards: fix it")
        return {}
    counts: dict[str, int] = {}
    for theme, count in value.items():
        if theme not in known:
            problems.append(
                f"[tool.covthemes.shards] names {theme!r}, which is not a theme: use one of {listing(known)}"
            )
        elif isinstance(count, bool) or not isinstance(count, int) or count < 1:
            problems.append(f"[tool.covthemes.shards] {theme} = {count!r} is not a whole number >= 1: fix it")
        else:
            counts[theme] = count
    return counts


def command(
    table: Mapping[str, Any], key: str, default: str, placeholders: tuple[str, ...], problems: list[str]
) -> str:
    """A command shown in error messages, with its `{theme}` (and `{shard}`) placeholders."""
    value = string(table, key, default, problems)
    for name in placeholders:
        if "{" + name + "}" not in value:
            problems.append(f"{key} = {value!r} in {TABLE} has no {{{name}}} placeholder: add one")
    return value


def choice(table: Mapping[str, Any], key: str, choices: tuple[str, ...], problems: list[str]) -> str:
    """One of `choices`, the first by default."""
    value = table.get(key, choices[0])
    if value not in choices:
        problems.append(
            f"{key} = {value!r} in {TABLE} must be one of {', '.join(map(repr, choices))}: fix it"
        )
        return choices[0]
    return str(value)
