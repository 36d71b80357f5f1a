"""The readers of `[tool.covthemes]` keys: each turns one key's value into a setting, or a problem.

Every reader has one signature, `read(value, context)`: `value` is the
key's value, or `MISSING` when the table leaves it out, and `context` carries
the repository root, the key's name and default, what was read before it,
and the list of problems, to which the reader appends one line per problem
it finds. Which key each `Settings` field reads, with which reader, is
written once, on the field (`covthemes.settings.config`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TABLE = "[tool.covthemes]"
# All themes together: its one name in thresholds, `themes.json`, `--fail-under`
# and the badges; `covthemes diff`'s JSON names it ALL_THEMES_ALIAS, which the
# command line accepts too; people read ALL_THEMES_LABEL.
ALL_THEMES = "total"
ALL_THEMES_ALIAS = "all_themes"
ALL_THEMES_NAMES = (ALL_THEMES, ALL_THEMES_ALIAS)
ALL_THEMES_LABEL = "all themes"
# pytest's own marks: a theme of one of these names would be a marker that
# skips, fails or parametrizes its tests instead of naming their theme.
PYTEST_MARKS = ("filterwarnings", "parametrize", "skip", "skipif", "usefixtures", "xfail")


# The value of a key the table leaves out.
MISSING: Any = object()


@dataclass
class Context:
    """What a reader knows: the root, its key, its default, the settings read so far, the problems."""

    root: Path
    key: str = ""
    default: Any = None
    read: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def known(self) -> set[str]:
        """The themes read so far (the `themes` key is read first)."""
        return set(self.read.get("themes", ()))


Reader = Callable[[object, Context], Any]


@dataclass(frozen=True)
class Key:
    """One row of the table: the key's name in `[tool.covthemes]` and its reader."""

    name: str
    read: Reader


def listing(names: set[str]) -> str:
    return ", ".join(sorted(names))


def not_a_theme(where: str, name: str, known: set[str], also: frozenset[str] = frozenset()) -> str:
    """The problem of `where` naming `name`, which is not a theme, with the names it may use.

    With no themes read (the `themes` key is missing or wrong, a problem of its
    own), there is no list to offer: the fix is to list the theme in `themes`.
    """
    if not known:
        return f"{where} names {name!r}, which is not a theme: list it in `themes` in {TABLE}"
    return f"{where} names {name!r}, which is not a theme: use one of {listing(known | also)}"


def themes(value: object, ctx: Context) -> tuple[str, ...]:
    problems = ctx.problems
    if not isinstance(value, list) or not value:
        problems.append(f'{TABLE} needs `themes = ["<theme>", ...]`, a non-empty list of names: add it')
        return ()
    found: list[str] = []
    for name in value:
        if not isinstance(name, str) or not name.isidentifier():
            problems.append(
                f"theme {name!r} in {TABLE} themes is not an identifier: use letters, digits and "
                "underscores, as a pytest marker needs"
            )
        elif name in ALL_THEMES_NAMES:
            problems.append(
                f"theme name {name!r} in {TABLE} themes is reserved for all themes together: rename it"
            )
        elif name in PYTEST_MARKS:
            problems.append(
                f"theme name {name!r} in {TABLE} themes is one of pytest's own marks, which would act on "
                "the tests it marks: rename the theme"
            )
        elif name in found:
            problems.append(f"theme {name!r} appears twice in {TABLE} themes: remove one")
        else:
            found.append(name)
    return tuple(found)


def markers(value: object, ctx: Context) -> tuple[str, ...]:
    """The themes chosen by marker: by default, every theme that has no globs."""
    problems, known, paths = ctx.problems, ctx.known, ctx.read.get("paths", {})
    themes = ctx.read.get("themes", ())
    if value is MISSING:
        value = [t for t in themes if t not in paths]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"`markers` in {TABLE} must be a list of theme names: fix it, or remove it")
        return ()
    for name in value:
        if name not in known:
            problems.append(not_a_theme(f"`markers` in {TABLE}", name, known))
    chosen = tuple(v for v in value if v in known)
    for theme in themes:
        if theme not in chosen and theme not in paths:
            problems.append(
                f"theme {theme!r} is chosen neither by marker nor by path: add it to `markers` "
                f"in {TABLE} (which lists the themes chosen by marker; without it, every theme that "
                "has no globs), or give it globs in [tool.covthemes.paths]"
            )
    return chosen


def thresholds(value: object, ctx: Context) -> dict[str, float]:
    problems, known = ctx.problems, ctx.known
    if value is MISSING:
        return {}
    if not isinstance(value, dict):
        problems.append("[tool.covthemes.thresholds] must be a table of theme = percent: fix it")
        return {}
    found: dict[str, float] = {}
    for key, minimum in value.items():
        if key not in known and key != ALL_THEMES:
            problems.append(not_a_theme("[tool.covthemes.thresholds]", key, known, frozenset({ALL_THEMES})))
        elif isinstance(minimum, bool) or not isinstance(minimum, int | float) or not 0 <= minimum <= 100:
            problems.append(
                f"[tool.covthemes.thresholds] {key} = {minimum!r} is not a percent: "
                "write a number from 0 to 100"
            )
        else:
            found[key] = float(minimum)
    return found


def shards(value: object, ctx: Context) -> dict[str, int]:
    problems, known = ctx.problems, ctx.known
    if value is MISSING:
        return {}
    if not isinstance(value, dict):
        problems.append("[tool.covthemes.shards] must be a table of theme = number of shards: fix it")
        return {}
    counts: dict[str, int] = {}
    for theme, count in value.items():
        if theme not in known:
            problems.append(not_a_theme("[tool.covthemes.shards]", theme, known))
        elif isinstance(count, bool) or not isinstance(count, int) or count < 1:
            problems.append(f"[tool.covthemes.shards] {theme} = {count!r} is not a whole number >= 1: fix it")
        else:
            counts[theme] = count
    return counts


def string(value: object, ctx: Context) -> str:
    if value is MISSING:
        return str(ctx.default)
    if not isinstance(value, str):
        ctx.problems.append(f"{ctx.key} = {value!r} in {TABLE} must be a string: quote it")
        return str(ctx.default)
    return value


def folder(value: object, ctx: Context) -> Path:
    """A path relative to the root."""
    return Path(string(value, ctx))


def command(*placeholders: str) -> Reader:
    """A command shown in messages (or a path pattern), which must hold each `{placeholder}`."""

    def read(value: object, ctx: Context) -> str:
        text = string(value, ctx)
        for name in placeholders:
            if "{" + name + "}" not in text:
                ctx.problems.append(f"{ctx.key} = {text!r} in {TABLE} has no {{{name}}} placeholder: add one")
        return text

    return read


def choice(*choices: str) -> Reader:
    """One of `choices`, the first by default."""

    def read(value: object, ctx: Context) -> str:
        if value is MISSING:
            return choices[0]
        if value not in choices:
            ctx.problems.append(
                f"{ctx.key} = {value!r} in {TABLE} must be one of {', '.join(map(repr, choices))}: fix it"
            )
            return choices[0]
        return str(value)

    return read


def row(name: str, reader: Reader) -> Mapping[str, Key]:
    """A `Settings` field's metadata: the key it is read from, and how."""
    return {KEY: Key(name, reader)}


KEY = "covthemes.key"
