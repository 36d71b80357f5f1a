"""`covthemes.diff.delta`: what moved between a base branch's themes.json and this one, read typed."""

from __future__ import annotations

import json
from dataclasses import replace

from covthemes.diff import delta as diff_delta
from covthemes.diff.delta import Change
from covthemes.model.percent import Numbers
from covthemes.model.provenance import Outcomes
from covthemes.model.revision import Revision
from covthemes.model.themes import Counts, Figures, ThemeResult, ThemeRun, ThemesReport
from covthemes.settings.config import ALL_THEMES

RUN = ThemeRun(
    "passed", 1, Outcomes(passed=1), "3.11.7", Revision(None, "0" * 64), "t0", "t1", "phases", "ctrace"
)


def n(statements: int, covered: int) -> Numbers:
    return Numbers(statements, covered, precision=1)


def theme(total: Numbers, unique: int, **packages: Numbers) -> ThemeResult:
    """A theme whose tests ran all it covered: nothing only at import."""
    figures = Figures(total, packages, {})
    return ThemeResult(RUN, figures, Counts(unique, {}), Counts(0, {}), None, figures)


def report(themes: dict[str, ThemeResult], total: Figures, blind_spots: int) -> ThemesReport:
    return ThemesReport("t", Revision(None, "0" * 64), 1, themes, total, None, Counts(blind_spots, {}))


BASE = report(
    {"alpha": theme(n(10, 6), 2, pkg=n(10, 6)), "beta": theme(n(10, 4), 1, pkg=n(10, 4))},
    Figures(n(10, 7), {"pkg": n(10, 7)}, {}),
    blind_spots=2,
)
HEAD = report(
    {
        # Better overall, but a new package `lib` it covers nothing of.
        "alpha": theme(n(16, 10), 3, pkg=n(12, 9), lib=n(4, 0)),
        # Same percent, two covered lines fewer: a regression.
        "beta": theme(n(5, 2), 0, pkg=n(5, 2)),
        # New: compared with nothing.
        "gamma": theme(n(10, 3), 0, pkg=n(10, 3)),
    },
    Figures(n(14, 10), {"pkg": n(14, 10)}, {}),
    blind_spots=1,
)


def test_compare_reports_each_theme_and_all_themes() -> None:
    """Each theme and all themes (under `total`) get their change in percent, covered and unique lines."""
    delta = diff_delta.compare(BASE, HEAD)
    assert list(delta.themes) == ["alpha", "beta", "gamma", ALL_THEMES]
    alpha = delta.themes["alpha"]
    assert alpha.total == Change(2.5, 4)
    assert alpha.packages == {"pkg": Change(15.0, 3), "lib": Change(0.0, 0)}
    assert alpha.only_this_theme == 1
    assert delta.themes["beta"].total == Change(0.0, -2)
    assert delta.themes["beta"].only_this_theme == -1
    assert delta.themes["gamma"].total == Change(30.0, 3)
    assert delta.themes["gamma"].only_this_theme == 0
    # 71.43% against 70.0%, as themes.json shows them.
    assert delta.themes[ALL_THEMES].total == Change(1.43, 3)
    assert delta.themes[ALL_THEMES].only_this_theme is None
    assert delta.blind_spots == -1


def test_regressions_are_lower_percents_or_fewer_lines() -> None:
    """A lower percent or fewer covered lines, in total or in a package, is a regression."""
    delta = diff_delta.compare(BASE, HEAD)
    assert {name: t.regression for name, t in delta.themes.items()} == {
        "alpha": False,
        "beta": True,
        "gamma": False,
        ALL_THEMES: False,
    }
    assert delta.regression is True
    assert Change(-0.01, 3).regression
    assert not Change(0.0, 0).regression


def test_a_worse_package_alone_is_a_regression() -> None:
    """A theme whose total improved still regresses when one of its packages got worse."""
    head = replace(HEAD, themes={"alpha": theme(n(100, 61), 2, pkg=n(100, 59))})
    delta = diff_delta.compare(BASE, head)
    assert delta.themes["alpha"].total.regression is False
    assert delta.themes["alpha"].regression is True


def test_more_blind_spots_is_a_regression() -> None:
    """Even with every theme as it was, more statements no theme runs is a regression."""
    head = replace(BASE, blind_spots=Counts(3, {}))
    delta = diff_delta.compare(BASE, head)
    assert not any(t.regression for t in delta.themes.values())
    assert delta.blind_spots == 1
    assert delta.regression is True


def test_to_json_shape() -> None:
    """The delta's JSON: each theme's change, its packages', all themes under `all_themes`, the verdict."""
    record = diff_delta.compare(BASE, HEAD).to_json()
    assert record["beta"] == {
        "percent": 0.0,
        "covered_lines": -2,
        "regression": True,
        "unique_lines": -1,
        "packages": {"pkg": {"percent": 0.0, "covered_lines": -2, "regression": True}},
    }
    assert ALL_THEMES not in record
    assert record["all_themes"]["unique_lines"] is None
    assert record["blind_spots"] == -1
    assert record["regression"] is True


def test_compare_with_a_published_summary(themed_summary: ThemesReport) -> None:
    """A real themes.json, read back, compared with itself has no change and no regression."""
    read = ThemesReport.from_json(json.loads(json.dumps(themed_summary.to_json())))
    delta = diff_delta.compare(read, read)
    assert all(t.total == Change(0.0, 0) for t in delta.themes.values())
    assert delta.regression is False
