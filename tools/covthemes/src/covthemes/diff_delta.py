"""What moved between a base branch's `themes.json` and this one, per theme and package.

Anything that got worse is a regression: a lower percent, fewer covered
lines, or more blind spots. A theme-unique line appearing is not counted as
worse (the theme guards more code alone), nor one disappearing (another theme
now covers it too); both are reported.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from covthemes.errors import CovthemesError
from covthemes.summary import FORMAT as THEMES_FORMAT

ALL_THEMES = "all_themes"


@dataclass(frozen=True)
class Change:
    """The change of one theme (or all themes) in total or in one package."""

    percent: float
    covered_lines: int

    @classmethod
    def between(cls, base: Mapping[str, Any] | None, head: Mapping[str, Any]) -> Change:
        base = base or {"percent_covered": 0.0, "covered_lines": 0}
        return cls(
            round(head["percent_covered"] - base["percent_covered"], 2),
            head["covered_lines"] - base["covered_lines"],
        )

    @property
    def regression(self) -> bool:
        return self.percent < 0 or self.covered_lines < 0

    def to_json(self) -> dict[str, Any]:
        return {"percent": self.percent, "covered_lines": self.covered_lines, "regression": self.regression}


@dataclass(frozen=True)
class ThemeDelta:
    total: Change
    packages: dict[str, Change]
    unique_lines: int | None

    @property
    def regression(self) -> bool:
        return self.total.regression or any(c.regression for c in self.packages.values())

    def to_json(self) -> dict[str, Any]:
        return {
            **self.total.to_json(),
            "regression": self.regression,
            "unique_lines": self.unique_lines,
            "packages": {name: change.to_json() for name, change in self.packages.items()},
        }


@dataclass(frozen=True)
class Delta:
    themes: dict[str, ThemeDelta]
    blind_spots: int

    @property
    def regression(self) -> bool:
        return self.blind_spots > 0 or any(t.regression for t in self.themes.values())

    def to_json(self) -> dict[str, Any]:
        return {
            **{name: theme.to_json() for name, theme in self.themes.items()},
            "blind_spots": self.blind_spots,
            "regression": self.regression,
        }


def read_base_report(path: str) -> dict[str, Any]:
    """A base branch's themes.json, refusing an unreadable one or one of another format."""
    try:
        report: dict[str, Any] = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise CovthemesError(
            f"--base-report {path}: not a readable themes.json ({exc}): pass the base's themes.json"
        ) from None
    if not isinstance(report, dict) or report.get("format") != THEMES_FORMAT:
        found = report.get("format") if isinstance(report, dict) else None
        raise CovthemesError(
            f"--base-report {path} is themes.json format {found}, not {THEMES_FORMAT}: "
            "publish the base with this covthemes, or leave --base-report out"
        )
    return report


def _theme(base: Mapping[str, Any] | None, head: Mapping[str, Any], *, with_unique: bool) -> ThemeDelta:
    base_packages = (base or {}).get("packages", {})
    unique = None
    if with_unique:
        unique = head["unique_lines"]["total"] - ((base or {}).get("unique_lines") or {}).get("total", 0)
    return ThemeDelta(
        total=Change.between((base or {}).get("total"), head["total"]),
        packages={
            name: Change.between(base_packages.get(name), numbers)
            for name, numbers in head["packages"].items()
        },
        unique_lines=unique,
    )


def compare(base: Mapping[str, Any], head: Mapping[str, Any]) -> Delta:
    themes = {
        name: _theme(base["themes"].get(name), values, with_unique=True)
        for name, values in head["themes"].items()
    }
    themes[ALL_THEMES] = _theme(base["total"], head["total"], with_unique=False)
    blind = head["uncovered_lines"]["total"] - base["uncovered_lines"]["total"]
    return Delta(themes, blind)
