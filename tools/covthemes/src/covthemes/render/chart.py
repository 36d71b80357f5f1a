"""The index's trend chart: each theme's and all themes' percent by recorded commit, and the blind spots.

A theme's line is its percent by its tests (history's `by_tests_percent`),
all themes' is coverage's own percent.

Inline SVG drawn from the history (`covthemes.model.history`), oldest commit on
the left: no script, no font and nothing fetched, so it works from file://.
The colours are the themes' own, from `assets/report.css`. Every point is a
`<circle class="point">` with `data-theme` (a theme, or `total` for all
themes), `data-revision` (the commit, or the source hash without git),
`data-field="percent_covered"` and `data-percent`; in the blind-spot chart,
`data-theme="total"`, `data-field="uncovered_lines"` and `data-count`, as the
index names its blind-spot cell. Each point's `<title>` shows its commit and value on hover.
`covthemes.render.index` places the chart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from covthemes.model.history import History, HistoryEntry
from covthemes.model.percent import display_percent
from covthemes.render.pages import theme_class
from covthemes.settings.config import ALL_THEMES, ALL_THEMES_LABEL

WIDTH = 760
LEFT, RIGHT, TOP, BOTTOM = 52, 32, 30, 30
PERCENT_HEIGHT = 240
BLIND_HEIGHT = 150
TICKS = 4
# Revisions are labelled under every point up to this many, else under the first and the last.
LABEL_ALL = 10
SHORT = 12


@dataclass(frozen=True)
class Axis:
    """A value axis from `low` to `high` in steps of `step`."""

    low: float
    high: float
    step: float

    @classmethod
    def over(cls, values: Sequence[float], *, least_step: float, ceiling: float | None = None) -> Axis:
        """A round axis around `values`, never below 0 nor above `ceiling`."""
        low, high = min(values), max(values)
        candidates = (m * 10.0**e for e in range(-1, 9) for m in (1, 2, 5))
        step = next(s for s in candidates if s >= least_step and s * TICKS >= high - low)
        bottom = max(0.0, math.floor(low / step) * step)
        top = math.ceil(high / step) * step
        if top <= bottom:
            top = bottom + step
        if ceiling is not None and top > ceiling:
            top = ceiling
            bottom = min(bottom, ceiling - step)
        return cls(bottom, top, step)

    def ticks(self) -> list[float]:
        count = round((self.high - self.low) / self.step)
        return [self.low + i * self.step for i in range(count + 1)]

    def y(self, value: float, height: int) -> float:
        inner = height - TOP - BOTTOM
        return TOP + inner * (self.high - value) / (self.high - self.low)


@dataclass(frozen=True)
class Series:
    """One line of a chart: its theme, its CSS class and its value at each entry (None where it had none)."""

    theme: str
    css: str
    label: str
    values: tuple[float | None, ...]


def x(index: int, count: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    return LEFT + (inner * index / (count - 1) if count > 1 else inner / 2)


def render(history: History, themes: Sequence[str], precision: int) -> str:
    """The trend section of the index: a legend, the percent chart and the blind-spot chart."""
    entries = history.entries
    names = [*themes, *sorted({t for e in entries for t in e.themes} - set(themes))]
    percents = [
        Series(t, theme_class(names, t), t, tuple(_theme_percent(e, t) for e in entries)) for t in names
    ]
    percents.append(
        Series(ALL_THEMES, "total", ALL_THEMES_LABEL, tuple(e.all_themes.percent for e in entries))
    )
    blind = Series(
        ALL_THEMES, "blind", "blind spots", tuple(float(e.all_themes.blind_spots) for e in entries)
    )
    legend = "".join(f'<span class="chip {s.css}">{escape(s.label)}</span>' for s in [*percents, blind])

    def percent_text(value: float) -> str:
        return f"{display_percent(value, precision)}%"

    def percent_point(value: float) -> str:
        return f'data-field="percent_covered" data-percent="{value}"'

    def count_point(value: float) -> str:
        return f'data-field="uncovered_lines" data-count="{int(value)}"'

    percent_values = [v for s in percents for v in s.values if v is not None]
    percent_chart = _chart(
        "percent",
        "Each theme's percent by its tests, and all themes' coverage percent",
        entries,
        percents,
        Axis.over(percent_values, least_step=0.5, ceiling=100.0),
        PERCENT_HEIGHT,
        (lambda v: f"{v:g}%", percent_text, percent_point),
    )
    blind_chart = _chart(
        "blind-spots",
        "Blind spots: statements no theme runs",
        entries,
        [blind],
        Axis.over([v for v in blind.values if v is not None], least_step=1.0),
        BLIND_HEIGHT,
        (lambda v: f"{v:g}", lambda v: f"{int(v)} blind spots", count_point),
    )
    return (
        f'<figure class="trend" data-entries="{len(entries)}">\n'
        f'<p class="legend trend-legend">{legend}</p>\n'
        f"{percent_chart}\n{blind_chart}\n"
        f"<figcaption>The last {len(entries)} recorded commits, oldest first, this report last. "
        "Hover a point for its commit and value.</figcaption>\n"
        "</figure>\n"
    )


def _theme_percent(entry: HistoryEntry, theme: str) -> float | None:
    point = entry.themes.get(theme)
    # The headline, by its tests; an entry recorded before it was kept leaves a gap.
    return point.by_tests if point else None


# How a chart writes a tick label, a point's value in its title, and its value attributes.
Formats = tuple[Callable[[float], str], Callable[[float], str], Callable[[float], str]]


def _chart(
    name: str,
    label: str,
    entries: Sequence[HistoryEntry],
    series: Sequence[Series],
    axis: Axis,
    height: int,
    formats: Formats,
) -> str:
    tick_text, value_text, value_attrs = formats
    count = len(entries)
    parts = [
        f'<svg class="trend {name}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-label="{escape(label)}, by commit" xmlns="http://www.w3.org/2000/svg">',
        f'<text class="heading" x="{LEFT}" y="16">{escape(label)}</text>',
    ]
    for tick in axis.ticks():
        y = axis.y(tick, height)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick_text(tick)}</text>'
        )
    for index, entry in enumerate(entries):
        if count <= LABEL_ALL or index in (0, count - 1):
            parts.append(
                f'<text class="revision" x="{x(index, count):.1f}" y="{height - 10}" '
                f'text-anchor="middle">{escape(entry.key[:7])}</text>'
            )
    for line in series:
        parts.append(f'<g class="series {line.css}" data-theme="{escape(line.theme)}">')
        parts += _polylines(line, axis, height, count)
        for index, (entry, value) in enumerate(zip(entries, line.values, strict=True)):
            if value is None:
                continue
            title = f"{line.label}, {entry.key[:SHORT]} ({entry.time}): {value_text(value)}"
            parts.append(
                f'<circle class="point" data-theme="{escape(line.theme)}" '
                f'data-revision="{escape(entry.key)}" {value_attrs(value)} '
                f'cx="{x(index, count):.1f}" cy="{axis.y(value, height):.1f}" r="4">'
                f"<title>{escape(title)}</title></circle>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _polylines(line: Series, axis: Axis, height: int, count: int) -> list[str]:
    """One polyline per run of entries that have a value: a theme absent from some commits has gaps."""
    runs: list[list[str]] = [[]]
    for index, value in enumerate(line.values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append(f"{x(index, count):.1f},{axis.y(value, height):.1f}")
    return [f'<polyline points="{" ".join(run)}"/>' for run in runs if len(run) > 1]
