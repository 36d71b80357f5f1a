"""What moved between a base branch's `themes.json` and this one, per theme and package.

Both reports are read typed (`covthemes.model.themes.ThemesReport`). Anything that got
worse is a regression: a lower percent, fewer covered lines, or more blind
spots. A theme-unique line appearing is not counted as worse (the theme
guards more code alone), nor one disappearing (another theme now covers it
too); both are reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from covthemes.model.percent import Numbers
from covthemes.model.themes import Figures, ThemesReport
from covthemes.settings.config import ALL_THEMES, ALL_THEMES_ALIAS


@dataclass(frozen=True)
class Change:
    """The change of one theme (or all themes) in total or in one package."""

    percent: float
    covered_lines: int

    @classmethod
    def between(cls, base: Numbers | None, head: Numbers) -> Change:
        """From `base` (nothing covered when None) to `head`, in the percent `themes.json` shows."""
        return cls(
            round(head.percent_covered - (base.percent_covered if base else 0.0), 2),
            head.covered_lines - (base.covered_lines if base else 0),
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
    only_this_theme: int | None

    @property
    def regression(self) -> bool:
        return self.total.regression or any(c.regression for c in self.packages.values())

    def to_json(self) -> dict[str, Any]:
        return {
            **self.total.to_json(),
            "regression": self.regression,
            "unique_lines": self.only_this_theme,
            "packages": {name: change.to_json() for name, change in self.packages.items()},
        }


@dataclass(frozen=True)
class Delta:
    """Each theme's change, and all themes' under `total`."""

    themes: dict[str, ThemeDelta]
    blind_spots: int

    @property
    def regression(self) -> bool:
        return self.blind_spots > 0 or any(t.regression for t in self.themes.values())

    def to_json(self) -> dict[str, Any]:
        """The documented JSON: all themes under `all_themes`."""
        return {
            **{
                (ALL_THEMES_ALIAS if name == ALL_THEMES else name): theme.to_json()
                for name, theme in self.themes.items()
            },
            "blind_spots": self.blind_spots,
            "regression": self.regression,
        }


def _change(base: Figures | None, head: Figures, unique_lines: int | None) -> ThemeDelta:
    base_packages = base.packages if base else {}
    return ThemeDelta(
        total=Change.between(base.total if base else None, head.total),
        packages={name: Change.between(base_packages.get(name), n) for name, n in head.packages.items()},
        only_this_theme=unique_lines,
    )


def compare(base: ThemesReport, head: ThemesReport) -> Delta:
    themes = {}
    for name, theme in head.themes.items():
        before = base.themes.get(name)
        unique = theme.only_this_theme.total - (before.only_this_theme.total if before else 0)
        # A theme's headline, by its tests; all themes keep coverage's own percent.
        themes[name] = _change(before.by_tests if before else None, theme.by_tests, unique)
    themes[ALL_THEMES] = _change(base.all_themes, head.all_themes, None)
    return Delta(themes, head.blind_spots.total - base.blind_spots.total)
