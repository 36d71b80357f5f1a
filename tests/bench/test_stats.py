"""The harness's statistics: medians with their range, and ratios taken round by round."""

from __future__ import annotations

import math

from benchmarks.stats import Series, paired_ratio


def test_median_and_range_of_the_samples() -> None:
    """A series reports the median of its samples, with their minimum and maximum."""
    series = Series.of([3.0, 1.0, 2.0, 10.0])
    assert (series.median, series.low, series.high) == (2.5, 1.0, 10.0)


def test_empty_series_is_nan_and_not_judged() -> None:
    """A series with no samples has no median, and judges no goal."""
    series = Series()
    assert math.isnan(series.median)
    assert series.at_most(1.1) is None


def test_goal_judged_on_the_median() -> None:
    """A goal is met when the median is within the limit, whatever the slowest round did."""
    assert Series.of([1.0, 1.05, 3.0]).at_most(1.1) is True
    assert Series.of([1.2, 1.05, 1.3]).at_most(1.1) is False


def test_paired_ratio_divides_within_each_round() -> None:
    """Ratios pair the samples of one round, so load drift between rounds cancels out."""
    ratios = paired_ratio([(20.0, 10.0), (33.0, 30.0), (4.0, 4.0)])
    assert ratios.samples == (2.0, 1.1, 1.0)
    assert ratios.median == 1.1


def test_paired_ratio_skips_a_zero_denominator() -> None:
    """A round whose reference took no time gives no ratio rather than a division error."""
    assert paired_ratio([(1.0, 0.0), (3.0, 2.0)]).samples == (1.5,)
