"""The readers of the `[tool.covthemes]` keys that name files in the repository: globs and coverage-config.

They follow the readers' one signature (`covthemes.settings.keys`). What
they accept stays inside the repository: a glob must be relative, must match
a file, and no file it matches may lie outside the repository (through a
symbolic link, say); the coverage config must be a file in the repository.
"""

from __future__ import annotations

from pathlib import Path

from covthemes.settings.keys import MISSING, TABLE, Context, not_a_theme, string

PATHS = "[tool.covthemes.paths]"


def paths(value: object, ctx: Context) -> dict[str, tuple[str, ...]]:
    problems, known = ctx.problems, ctx.known
    if value is MISSING:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{PATHS} must be a table of theme = [globs]: fix it")
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for theme, globs in value.items():
        if theme not in known:
            problems.append(not_a_theme(PATHS, theme, known))
            continue
        if not isinstance(globs, list) or not globs or not all(isinstance(g, str) for g in globs):
            problems.append(f"{PATHS} {theme} must be a non-empty list of glob strings: fix it")
            continue
        for pattern in globs:
            problem = _glob_problem(ctx.root, pattern)
            if problem:
                problems.append(f"{PATHS} {theme}: {pattern!r} {problem}")
        found[theme] = tuple(globs)
    return found


def _glob_problem(root: Path, pattern: str) -> str | None:
    """What is wrong with one glob, or None."""
    if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
        return "must be relative to the repository root: fix it"
    try:
        matches = list(root.glob(pattern))
    except (ValueError, IndexError, NotImplementedError):
        # pathlib refuses '' (ValueError) and, before Python 3.12, fails on '.' (IndexError).
        return "is not a glob of files: write one like 'tests/<theme>/test_*.py'"
    if not matches:
        return "matches no file: correct the glob, or remove it"
    inside = root.resolve()
    outside = sorted(str(path) for path in matches if not path.resolve().is_relative_to(inside))
    if outside:
        return (
            f"matches {outside[0]}, which leads out of the repository (through a symbolic link): "
            "glob only files inside the repository"
        )
    return None


def config_file(value: object, ctx: Context) -> Path | None:
    """An existing file inside the root, given relative to it; None when the key is left out."""
    name = string(value, ctx) if value is not MISSING else ""
    if not name:
        return None
    path = ctx.root / name
    if Path(name).is_absolute() or not path.resolve().is_relative_to(ctx.root.resolve()):
        ctx.problems.append(
            f"{ctx.key} = {name!r} in {TABLE} is outside the repository: name the repository's coverage "
            "config relative to its root (`.coveragerc`, say), or remove the key"
        )
    elif not path.is_file():
        ctx.problems.append(
            f"{ctx.key} = {name!r} in {TABLE} names no file: correct the path, or remove the key"
        )
    return Path(name)
