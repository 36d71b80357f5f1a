"""The harness's Markdown tables and cells."""

from __future__ import annotations

import pytest

from benchmarks import tables
from benchmarks.stats import Series


def test_seconds_cell_shows_median_and_range() -> None:
    """Over several rounds a cell reads `median (min-max)`."""
    assert tables.seconds(Series.of([2.0, 1.0, 4.0])) == "2.00 s (1.00-4.00)"


def test_one_round_shows_its_value_alone() -> None:
    """Over one round there is no range to show."""
    assert tables.ratio(Series.of([0.98])) == "0.98x"


def test_no_samples_read_not_available() -> None:
    """A quantity that was never measured reads n/a, not a number."""
    assert tables.seconds(Series()) == "n/a"


@pytest.mark.parametrize(
    ("n_bytes", "shown"),
    [
        (512, "512 B"),
        (2048, "2.0 KiB"),
        (136.4 * 1024**2, "136.4 MiB"),
        (3 * 1024**3, "3.0 GiB"),
        (None, "n/a"),
    ],
)
def test_sizes_in_binary_units(n_bytes: float | None, shown: str) -> None:
    """Sizes read in B, KiB, MiB or GiB, whichever keeps the number under 1024."""
    assert tables.size(n_bytes) == shown


def test_verdicts() -> None:
    """A missed goal stands out in bold; an unjudged one says so."""
    assert [tables.verdict(v) for v in (True, False, None)] == ["met", "**not met**", "not judged"]


def test_table_aligns_numbers_right() -> None:
    """The first column is left-aligned, the figures right-aligned."""
    assert tables.table(["arm", "wall"], [["shards", "1.0 s"]]).splitlines() == [
        "| arm | wall |",
        "|---|---:|",
        "| shards | 1.0 s |",
    ]


def test_table_refuses_a_short_row() -> None:
    """A row with a missing cell is an error, not a shifted column."""
    with pytest.raises(ValueError, match="2 cells"):
        tables.table(["arm", "wall"], [["shards"]])
