"""`covthemes.render.badges`: shields.io endpoint badges, the percent as summary.md shows it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from covthemes.model.percent import Numbers
from covthemes.model.themes import ThemesReport
from covthemes.render import badges
from covthemes.settings.layout import Layout


@pytest.mark.parametrize(
    ("percent", "colour"),
    [
        (100.0, "brightgreen"),
        (90.0, "brightgreen"),
        (89.9, "green"),
        (80.0, "green"),
        (79.9, "yellowgreen"),
        (70.0, "yellowgreen"),
        (69.9, "yellow"),
        (60.0, "yellow"),
        (59.9, "orange"),
        (50.0, "orange"),
        (49.9, "red"),
        (0.0, "red"),
    ],
)
def test_colour_bands(percent: float, colour: str) -> None:
    """A band starts at its floor: 90 brightgreen, 80 green, 70 yellowgreen, 60 yellow, 50 orange."""
    assert badges.colour(percent) == colour


@pytest.mark.parametrize(
    ("precision", "message", "colour"),
    [(1, "90.0%", "brightgreen"), (2, "89.96%", "green"), (0, "90%", "brightgreen")],
)
def test_message_and_colour_use_the_shown_percent(precision: int, message: str, colour: str) -> None:
    """89.96% is shown at the report's precision, and coloured by the figure shown."""
    numbers = Numbers(num_statements=10_000, covered_lines=8_996, precision=precision)
    assert badges.badge("coverage", numbers) == {
        "schemaVersion": 1,
        "label": "coverage",
        "message": message,
        "color": colour,
    }


def test_write_makes_a_badge_per_theme_and_the_total(themed_summary: ThemesReport, tmp_path: Path) -> None:
    """badges/<theme>.json for each theme (by its tests) and badges/total.json, one line of JSON each."""
    badges.write(themed_summary, Layout(tmp_path))
    folder = Layout(tmp_path).badges
    assert sorted(p.name for p in folder.iterdir()) == ["alpha.json", "beta.json", "total.json"]
    written = {p.stem: json.loads(p.read_text()) for p in folder.iterdir()}
    assert written == {
        "alpha": {"schemaVersion": 1, "label": "alpha by its tests", "message": "40.0%", "color": "red"},
        "beta": {"schemaVersion": 1, "label": "beta by its tests", "message": "10.0%", "color": "red"},
        "total": {"schemaVersion": 1, "label": "coverage", "message": "70.0%", "color": "yellowgreen"},
    }
    assert (folder / "total.json").read_text().count("\n") == 1
