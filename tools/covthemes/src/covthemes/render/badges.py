"""Per-theme badges: `badges/<theme>.json` and `badges/total.json` in shields.io's endpoint format.

A README shows one with
`https://img.shields.io/endpoint?url=<where the JSON is served>`. The message
is the percent exactly as `summary.md` shows it first: a theme's by its tests,
all themes' coverage's own.
"""

from __future__ import annotations

import json

from covthemes.model.percent import Numbers
from covthemes.model.themes import ThemesReport
from covthemes.settings.config import ALL_THEMES
from covthemes.settings.layout import Layout

# shields.io's named colours, from the lowest band to the highest.
COLOURS = ((90.0, "brightgreen"), (80.0, "green"), (70.0, "yellowgreen"), (60.0, "yellow"), (50.0, "orange"))


def colour(percent: float) -> str:
    return next((name for floor, name in COLOURS if percent >= floor), "red")


def badge(label: str, numbers: Numbers) -> dict[str, object]:
    shown = numbers.display_covered()
    return {"schemaVersion": 1, "label": label, "message": f"{shown}%", "color": colour(float(shown))}


def write(summary: ThemesReport, output: Layout) -> None:
    """`badges/<theme>.json` for each theme and `badges/total.json`, into `output`."""
    output.badges.mkdir(parents=True, exist_ok=True)
    badges = {name: badge(f"{name} by its tests", t.by_tests.total) for name, t in summary.themes.items()}
    badges[ALL_THEMES] = badge("coverage", summary.all_themes.total)
    for name, content in badges.items():
        output.badge(name).write_text(json.dumps(content) + "\n")
