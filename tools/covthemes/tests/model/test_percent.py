"""`covthemes.model.percent`: percents displayed and thresholds judged at one precision."""

from __future__ import annotations

import pytest

from covthemes.model.percent import Numbers, Threshold, display_percent, should_fail_under


def test_pc_covered_counts_branches_like_coverage() -> None:
    """Covered statements and branches over all statements and branches."""
    assert Numbers(8, 6, 2, 1).pc_covered == 70.0


def test_nothing_to_cover_is_fully_covered() -> None:
    """With no statements and no branches, the percent is 100, as coverage reports it."""
    assert Numbers().pc_covered == 100.0


def test_numbers_add_field_by_field() -> None:
    """Adding numbers adds each count."""
    assert Numbers(1, 2, 3, 4) + Numbers(10, 20, 30, 40) == Numbers(11, 22, 33, 44)


def test_numbers_carry_their_precision() -> None:
    """The precision travels with the numbers, through a sum, into the display and the JSON."""
    assert (Numbers(precision=2) + Numbers(3, 2)).precision == 2
    assert Numbers(3, 2, precision=2).display_covered() == "66.67"
    assert Numbers.from_json(Numbers(3, 2, 1, 1, 1).to_json(), 1) == Numbers(3, 2, 1, 1, 1)


def test_to_json_rounds_and_displays() -> None:
    """The JSON form has the counts, the percent to two places and the display at `precision`."""
    assert Numbers(3, 2, 0, 0, precision=1).to_json() == {
        "num_statements": 3,
        "covered_lines": 2,
        "num_branches": 0,
        "covered_branches": 0,
        "percent_covered": 66.67,
        "percent_covered_display": "66.7",
    }


@pytest.mark.parametrize(
    ("pc", "precision", "shown"),
    [
        (0.0, 1, "0.0"),
        (0.01, 1, "0.1"),
        (0.4, 0, "1"),
        (99.96, 1, "99.9"),
        (99.999, 2, "99.99"),
        (99.6, 0, "99"),
        (100.0, 1, "100.0"),
        (74.96, 1, "75.0"),
        (74.94, 1, "74.9"),
        (66.666, 0, "67"),
    ],
)
def test_display_percent_never_rounds_to_0_or_100(pc: float, precision: int, shown: str) -> None:
    """A percent is rounded to `precision`, but shown as 0 or 100 only when it is exactly that."""
    assert display_percent(pc, precision) == shown


@pytest.mark.parametrize(
    ("total", "fail_under", "precision", "fails"),
    [
        (74.96, 75, 1, False),
        (74.94, 75, 1, True),
        (74.6, 75, 0, False),
        (74.4, 75, 0, True),
        (75.0, 75, 2, False),
        (99.99, 100, 1, True),
        (100.0, 100, 0, False),
        (0.0, 0, 1, False),
        # Near 100, as coverage judges it: 99.996 rounds to 100.00 at precision
        # 2 and meets 99.995, though it is displayed as 99.99.
        (99.996, 99.995, 2, False),
        (99.994, 99.995, 2, True),
    ],
)
def test_should_fail_under_judges_as_coverage_does(
    total: float, fail_under: float, precision: int, fails: bool
) -> None:
    """The threshold is judged on the total rounded to `precision`; 100 needs exactly 100."""
    assert should_fail_under(total, fail_under, precision) is fails


def test_threshold_judge_meets_at_display_precision() -> None:
    """74.96% shown as 75.0% at precision 1 meets a 75% threshold."""
    numbers = Numbers(10000, 7496, 0, 0, precision=1)
    assert numbers.display_covered() == "75.0"
    assert Threshold.judge(75, numbers) == Threshold(75, met=True)
    assert Threshold.judge(75, Numbers(10000, 7496, 0, 0, precision=2)) == Threshold(75, met=False)


def test_threshold_judge_without_minimum_is_none() -> None:
    """No configured minimum gives no threshold."""
    assert Threshold.judge(None, Numbers(precision=1)) is None


def test_threshold_display_and_json() -> None:
    """A threshold shows its minimum compactly, and a miss in bold."""
    assert Threshold(75.0, met=False).to_json() == {"min_percent": 75.0, "met": False}
    assert Threshold.from_json({"min_percent": 75, "met": False}) == Threshold(75.0, met=False)
    assert Threshold.from_json(None) is None
