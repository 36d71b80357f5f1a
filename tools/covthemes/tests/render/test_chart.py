"""`covthemes.render.chart`: a point per commit and series, a legend; without a history, no trend."""

from __future__ import annotations

from dataclasses import replace

import pytest
from helpers import Elements

from covthemes.model.history import AllThemesPoint, History, HistoryEntry, ThemePoint
from covthemes.model.revision import Revision
from covthemes.model.themes import ThemesReport
from covthemes.render import chart as html_chart
from covthemes.render import index as html_index
from covthemes.render.chart import Axis


def entry(revision: str, time: str, alpha: float, beta: float | None, blind: int) -> HistoryEntry:
    """An entry whose themes ran by their tests `alpha` and `beta` percent; all themes at alpha + 5."""
    themes = {"alpha": ThemePoint(alpha + 20, 5, 2, 2, alpha)}
    if beta is not None:
        themes["beta"] = ThemePoint(beta + 20, 4, 1, 3, beta)
    return HistoryEntry(Revision(revision, "f" * 64), time, themes, AllThemesPoint(alpha + 5, 6, blind))


RECORDED = History(
    (
        entry("1111111aaaa", "2026-01-01T00:00:00Z", 55.0, 35.0, 4),
        entry("2222222bbbb", "2026-01-02T00:00:00Z", 58.25, 38.0, 3),
    )
)


@pytest.fixture
def index(themed_summary: ThemesReport) -> Elements:
    """conftest's summary (commit abc123) rendered as index.html with RECORDED's two older commits."""
    return Elements(html_index.render(themed_summary, "Title", RECORDED))


def points(page: Elements, chart: str, theme: str) -> list[dict[str, str | None]]:
    """The points of one theme (or `total`) in the chart whose svg has class `chart`."""
    found = []
    inside = False
    for tag, attrs, _ in page.elements:
        if tag == "svg":
            inside = chart in str(attrs.get("class", "")).split()
        elif inside and tag == "circle" and attrs.get("data-theme") == theme:
            found.append(attrs)
    return found


def test_each_theme_and_all_themes_have_a_point_per_commit_with_this_report_newest(index: Elements) -> None:
    """Three points per series: the two recorded commits, then this report; a theme's by its tests."""
    for theme, percents in {
        "alpha": ["55.0", "58.25", "40.0"],
        "beta": ["35.0", "38.0", "10.0"],
        "total": ["60.0", "63.25", "70.0"],
    }.items():
        found = points(index, "percent", theme)
        assert [p["data-percent"] for p in found] == percents, theme
        assert [p["data-revision"] for p in found] == ["1111111aaaa", "2222222bbbb", "abc123"]
        assert {p["data-field"] for p in found} == {"percent_covered"}


def test_an_entry_recorded_before_by_tests_leaves_a_gap(themed_summary: ThemesReport) -> None:
    """A theme's line is its percent by its tests: an older entry without one has no point."""
    older = entry("1", "2026-01-01T00:00:00Z", 55.0, 35.0, 4)
    older = replace(older, themes={"alpha": ThemePoint(75.0, 5, 2, 2)})
    page = Elements(html_index.render(themed_summary, "Title", History((older,))))
    assert [p["data-revision"] for p in points(page, "percent", "alpha")] == ["abc123"]
    assert [p["data-revision"] for p in points(page, "percent", "total")] == ["1", "abc123"]


def test_blind_spot_points_carry_their_count(index: Elements) -> None:
    """The blind-spot chart has one total point per commit, with data-field and data-count."""
    found = points(index, "blind-spots", "total")
    assert [(p["data-field"], p["data-count"]) for p in found] == [
        ("uncovered_lines", "4"),
        ("uncovered_lines", "3"),
        ("uncovered_lines", "2"),
    ]


def test_each_point_titles_its_revision_and_value(index: Elements) -> None:
    """A point's <title>, shown on hover, names its series, commit, time and value at the precision."""
    titles = [text for _, text in index.find("title")][1:]
    assert "alpha, 2222222bbbb (2026-01-02T00:00:00Z): 58.2%" in titles
    assert "all themes, abc123 (" in titles[8]
    assert "blind spots, 1111111aaaa (2026-01-01T00:00:00Z): 4 blind spots" in titles


def test_the_legend_names_every_series_in_its_colour(index: Elements) -> None:
    """The legend has a chip per theme, in the theme's colour class, then all themes and the blind spots."""
    (legend,) = index.find("p", **{"class": "legend trend-legend"})
    chips = [
        (attrs["class"], text)
        for attrs, text in index.find("span")
        if str(attrs.get("class", "")).startswith("chip")
    ]
    assert chips == [
        ("chip t0", "alpha"),
        ("chip t1", "beta"),
        ("chip total", "all themes"),
        ("chip blind", "blind spots"),
    ]
    assert legend[1] == "alphabetaall themesblind spots"


def test_no_history_leaves_the_index_as_it_was(themed_summary: ThemesReport) -> None:
    """Without a history there is no trend section: the trend is all that a history adds to the page."""
    page = html_index.render(themed_summary, "Title")
    assert page == html_index.render(themed_summary, "Title", None)
    assert "Trend" not in page and '<figure class="trend"' not in page
    with_trend = html_index.render(themed_summary, "Title", History())
    without = with_trend.replace(
        with_trend[with_trend.index("<h2>Trend</h2>") : with_trend.index("<h2>Themes by")], ""
    )
    assert without == page


def test_an_empty_history_draws_this_report_alone(themed_summary: ThemesReport) -> None:
    """The first run has no history yet: the chart shows the one point of this report."""
    page = Elements(html_index.render(themed_summary, "Title", History()))
    assert [p["data-revision"] for p in points(page, "percent", "alpha")] == ["abc123"]
    (figure,) = page.find("figure")
    assert figure[0]["data-entries"] == "1"


def test_this_reports_commit_replaces_its_recorded_entry(themed_summary: ThemesReport) -> None:
    """Published again on a recorded commit, the chart shows that commit once, at this report's numbers."""
    recorded = History((*RECORDED.entries, entry("abc123", "2026-01-03T00:00:00Z", 1.0, 1.0, 9)))
    page = Elements(html_index.render(themed_summary, "Title", recorded))
    found = points(page, "percent", "alpha")
    assert [(p["data-revision"], p["data-percent"]) for p in found][-1] == ("abc123", "40.0")
    assert len(found) == 3


def test_a_theme_missing_from_a_commit_leaves_a_gap(themed_summary: ThemesReport) -> None:
    """A theme missing from a commit has no point there; a theme no longer configured still shows."""
    recorded = History(
        (
            entry("1", "2026-01-01T00:00:00Z", 55.0, None, 4),
            replace(
                entry("2", "2026-01-02T00:00:00Z", 56.0, 36.0, 4),
                themes={
                    "alpha": ThemePoint(56.0, 5, 2, 2, 56.0),
                    "beta": ThemePoint(36.0, 4, 1, 3, 36.0),
                    "old": ThemePoint(1.0, 1, 0, 0, 1.0),
                },
            ),
        )
    )
    page = Elements(html_index.render(themed_summary, "Title", recorded))
    assert [p["data-revision"] for p in points(page, "percent", "beta")] == ["2", "abc123"]
    assert [p["data-revision"] for p in points(page, "percent", "old")] == ["2"]
    (old,) = [attrs for attrs, _ in page.find("g") if attrs.get("data-theme") == "old"]
    assert old["class"] == "series t2"


def test_many_commits_label_only_the_first_and_last() -> None:
    """Past ten commits, only the oldest and newest revisions are written under the axis."""
    recorded = History(
        tuple(entry(f"{n:02d}abcdef", f"2026-01-{n:02d}T00:00:00Z", 50.0 + n, 30.0, 4) for n in range(1, 15))
    )
    page = Elements(html_chart.render(recorded, ("alpha", "beta"), 1))
    labels = [text for attrs, text in page.find("text") if attrs.get("class") == "revision"]
    # The percent chart's labels, then the blind-spot chart's.
    assert labels == ["01abcde", "14abcde", "01abcde", "14abcde"]


def test_revision_is_the_source_hash_without_git(themed_summary: ThemesReport) -> None:
    """A report without git is named by its source hash."""
    summary = replace(themed_summary, revision=Revision(None, "e" * 64))
    page = Elements(html_index.render(summary, "Title", History()))
    assert [p["data-revision"] for p in points(page, "percent", "alpha")] == ["e" * 64]


@pytest.mark.parametrize(
    ("values", "least", "ceiling", "expected"),
    [
        ([61.2, 61.3], 0.5, 100.0, (61.0, 61.5, 0.5)),
        ([40.0, 70.0], 0.5, 100.0, (40.0, 70.0, 10.0)),
        ([100.0], 0.5, 100.0, (99.5, 100.0, 0.5)),
        ([0.0], 0.5, 100.0, (0.0, 0.5, 0.5)),
        ([3.0, 4.0], 1.0, None, (3.0, 4.0, 1.0)),
        ([12.0], 1.0, None, (12.0, 13.0, 1.0)),
        ([0.0, 180.0], 1.0, None, (0.0, 200.0, 50.0)),
    ],
)
def test_the_axis_is_round_and_holds_every_value(
    values: list[float], least: float, ceiling: float | None, expected: tuple[float, float, float]
) -> None:
    """An axis starts and ends on a step, holds every value, and stays within 0 and the ceiling."""
    axis = Axis.over(values, least_step=least, ceiling=ceiling)
    assert (axis.low, axis.high, axis.step) == expected
    assert axis.ticks()[0] == axis.low and axis.ticks()[-1] == axis.high
