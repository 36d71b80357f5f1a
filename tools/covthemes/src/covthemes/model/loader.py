"""Reading the published report back, typed: `themes.json` and `lines.json`, behind one guard.

A missing, cut-short, foreign or mistyped file is an expected error: one line
naming the file, what is wrong with it, and the command that makes it again.
The files are parsed by the same dataclasses that wrote them
(`ThemesReport.from_json`, `LineListing.from_json`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from covthemes.errors import CovthemesError
from covthemes.model import typed
from covthemes.model.lines import LineListing
from covthemes.model.themes import ThemesReport
from covthemes.model.typed import BadJson, FormatMismatch
from covthemes.settings.config import Settings
from covthemes.settings.layout import LINES_JSON, THEMES_JSON

T = TypeVar("T")


def load(
    path: Path, shown: str, kind: str, parse: Callable[[object], T], fix: str, missing: str | None = None
) -> T:
    """`path` parsed by `parse`; CovthemesError names `shown` and `fix` (or `missing`) if it cannot."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CovthemesError(missing or f"{shown} is missing: {fix}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CovthemesError(f"{shown} cannot be read ({exc}): {fix}") from None
    try:
        value = typed.parse(text)
    except BadJson as exc:
        raise CovthemesError(f"{shown} {exc}: {fix}") from None
    try:
        return parse(value)
    except FormatMismatch as exc:
        raise CovthemesError(f"{shown} is {kind} {exc}: {fix}") from None
    except (TypeError, KeyError, ValueError, OverflowError) as exc:
        raise CovthemesError(f"{shown} is not a covthemes {kind} ({exc}): {fix}") from None


def _remake(settings: Settings) -> str:
    return f"run `{settings.publish_command}` to publish it again with this covthemes"


def read_report(settings: Settings) -> ThemesReport:
    """The published `themes.json`."""
    path = settings.layout.themes_json
    shown = settings.layout.shown(path)
    nothing = f"no published report ({shown} is missing): run `{settings.publish_command}` first"
    return load(path, shown, THEMES_JSON, ThemesReport.from_json, _remake(settings), nothing)


def read_listing(settings: Settings) -> LineListing:
    """The published `lines.json`."""
    path = settings.layout.lines_json
    return load(path, settings.layout.shown(path), LINES_JSON, LineListing.from_json, _remake(settings))


def read_base_report(path: str) -> ThemesReport:
    """A base branch's `themes.json`, given as `--base-report PATH`."""
    return load(
        Path(path),
        f"--base-report {path}",
        THEMES_JSON,
        ThemesReport.from_json,
        "pass the base branch's themes.json, published with this covthemes, or leave --base-report out",
    )
