"""`covthemes.diff_delta`: what moved between a base branch's themes.json and this one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from covthemes import diff_delta
from covthemes.diff_delta import Change
from covthemes.errors import CovthemesError
from covthemes.summary import Summary


def numbers(percent: float, covered: int) -> dict[str, Any]:
    """The two fields of a themes.json numbers record that the delta reads."""
    return {"percent_covered": percent, "covered_lines": covered}


def theme(total: dict[str, Any], unique: int, **packages: dict[str, Any]) -> dict[str, Any]:
    """A theme's record in themes.json, as far as the delta reads it."""
    return {"total": total, "packages": packages, "unique_lines": {"total": unique}}


BASE = {
    "format": 2,
    "themes": {
        "alpha": theme(numbers(60.0, 5), 2, pkg=numbers(60.0, 5)),
        "beta": theme(numbers(40.0, 4), 1, pkg=numbers(40.0, 4)),
    },
    "total": {"total": numbers(70.0, 6), "packages": {"pkg": numbers(70.0, 6)}},
    "uncovered_lines": {"total": 2},
}
HEAD = {
    "format": 2,
    "themes": {
        # Better overall, but a new package `lib` it covers nothing of.
        "alpha": theme(numbers(62.5, 6), 3, pkg=numbers(75.0, 6), lib=numbers(0.0, 0)),
        # Same percent, one covered line fewer: a regression.
        "beta": theme(numbers(40.0, 3), 0, pkg=numbers(40.0, 3)),
        # New: compared with nothing.
        "gamma": theme(numbers(30.0, 3), 0, pkg=numbers(30.0, 3)),
    },
    "total": {"total": numbers(71.43, 7), "packages": {"pkg": numbers(71.43, 7)}},
    "uncovered_lines": {"total": 1},
}


def test_compare_reports_each_theme_and_all_themes() -> None:
    """Each theme and all themes get their change in percent, covered lines and unique lines."""
    delta = diff_delta.compare(BASE, HEAD)
    assert list(delta.themes) == ["alpha", "beta", "gamma", "all_themes"]
    alpha = delta.themes["alpha"]
    assert alpha.total == Change(2.5, 1)
    assert alpha.packages == {"pkg": Change(15.0, 1), "lib": Change(0.0, 0)}
    assert alpha.unique_lines == 1
    assert delta.themes["beta"].total == Change(0.0, -1)
    assert delta.themes["beta"].unique_lines == -1
    assert delta.themes["gamma"].total == Change(30.0, 3)
    assert delta.themes["gamma"].unique_lines == 0
    assert delta.themes["all_themes"].total == Change(1.43, 1)
    assert delta.themes["all_themes"].unique_lines is None
    assert delta.blind_spots == -1


def test_regressions_are_lower_percents_or_fewer_lines() -> None:
    """A lower percent or fewer covered lines, in total or in a package, is a regression."""
    delta = diff_delta.compare(BASE, HEAD)
    assert {name: t.regression for name, t in delta.themes.items()} == {
        "alpha": False,
        "beta": True,
        "gamma": False,
        "all_themes": False,
    }
    assert delta.regression is True
    assert Change(-0.01, 3).regression
    assert not Change(0.0, 0).regression


def test_a_worse_package_alone_is_a_regression() -> None:
    """A theme whose total improved still regresses when one of its packages got worse."""
    head = {**HEAD, "themes": {"alpha": theme(numbers(61.0, 6), 2, pkg=numbers(59.0, 5))}}
    delta = diff_delta.compare(BASE, head)
    assert delta.themes["alpha"].total.regression is False
    assert delta.themes["alpha"].regression is True


def test_more_blind_spots_is_a_regression() -> None:
    """Even with every theme better, more statements no theme runs is a regression."""
    head = {**BASE, "uncovered_lines": {"total": 3}}
    delta = diff_delta.compare(BASE, head)
    assert not any(t.regression for t in delta.themes.values())
    assert delta.blind_spots == 1
    assert delta.regression is True


def test_to_json_shape() -> None:
    """The delta's JSON: each theme's change, its packages', blind spots and the verdict."""
    record = diff_delta.compare(BASE, HEAD).to_json()
    assert record["beta"] == {
        "percent": 0.0,
        "covered_lines": -1,
        "regression": True,
        "unique_lines": -1,
        "packages": {"pkg": {"percent": 0.0, "covered_lines": -1, "regression": True}},
    }
    assert record["all_themes"]["unique_lines"] is None
    assert record["blind_spots"] == -1
    assert record["regression"] is True


def test_compare_with_a_published_summary(themed_summary: Summary) -> None:
    """A real themes.json compared with itself has no change and no regression."""
    report = json.loads(json.dumps(themed_summary.to_json()))
    delta = diff_delta.compare(report, report)
    assert all(t.total == Change(0.0, 0) for t in delta.themes.values())
    assert delta.regression is False


def test_read_base_report_reads_a_themes_json(tmp_path: Path) -> None:
    """A themes.json of this format is read as it is."""
    path = tmp_path / "themes.json"
    path.write_text(json.dumps(BASE))
    assert diff_delta.read_base_report(str(path)) == BASE


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "--base-report {path}: not a readable themes.json ("),
        ("{not json", "--base-report {path}: not a readable themes.json ("),
        ('{"format": 1}', "--base-report {path} is themes.json format 1, not 2: publish the base"),
        ("[2]", "--base-report {path} is themes.json format None, not 2: publish the base"),
    ],
)
def test_read_base_report_refuses_in_one_line(tmp_path: Path, content: str | None, problem: str) -> None:
    """A missing, unparsable or other-format base report is one expected error, of one line."""
    path = tmp_path / "themes.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(CovthemesError) as raised:
        diff_delta.read_base_report(str(path))
    (message,) = raised.value.problems
    assert message.startswith(problem.format(path=path))
    assert "\n" not in message
