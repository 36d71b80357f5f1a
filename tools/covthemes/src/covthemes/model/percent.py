"""Coverage numbers and thresholds, each carrying the precision it is shown and judged at.

Modelled on coverage.py's `results.Numbers`: the numbers carry `[report]
precision`, and a threshold is judged as coverage judges `fail_under`, on the
percent rounded to that precision. The display never shows 0 or 100 for a
figure that is not exactly that.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from covthemes.model.typed import read_int, read_number


@dataclass(frozen=True)
class Numbers:
    """Statement and branch counts of one theme (or all themes) over a set of files."""

    num_statements: int = 0
    covered_lines: int = 0
    num_branches: int = 0
    covered_branches: int = 0
    precision: int = 0

    def __add__(self, other: Numbers) -> Numbers:
        return Numbers(
            self.num_statements + other.num_statements,
            self.covered_lines + other.covered_lines,
            self.num_branches + other.num_branches,
            self.covered_branches + other.covered_branches,
            max(self.precision, other.precision),
        )

    @property
    def pc_covered(self) -> float:
        """The percent covered, counting branches as coverage does; 100 when there is nothing."""
        return percent(self.covered_lines + self.covered_branches, self.num_statements + self.num_branches)

    @property
    def percent_covered(self) -> float:
        """The percent as `themes.json` writes it: to two decimals."""
        return round(self.pc_covered, 2)

    def display_covered(self) -> str:
        return display_percent(self.pc_covered, self.precision)

    def to_json(self) -> dict[str, Any]:
        return {
            "num_statements": self.num_statements,
            "covered_lines": self.covered_lines,
            "num_branches": self.num_branches,
            "covered_branches": self.covered_branches,
            "percent_covered": self.percent_covered,
            "percent_covered_display": self.display_covered(),
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any], precision: int) -> Numbers:
        counts = [read_int(value, key) for key in COUNTS]
        for key, count in zip(COUNTS, counts, strict=True):
            # Beyond 2**53 a count is no longer a float's exact whole number: no percent of it is.
            if not 0 <= count <= 2**53:
                raise ValueError(f"{key!r} is {count}, not a count of lines")
        statements, lines, branches, covered_branches = counts
        return cls(statements, lines, branches, covered_branches, precision)


COUNTS = ("num_statements", "covered_lines", "num_branches", "covered_branches")


def percent(covered: int, total: int) -> float:
    """`covered` of `total` as a percent, as coverage counts it: 100 when there is nothing to cover."""
    return 100.0 * covered / total if total else 100.0


def display_percent(pc: float, precision: int) -> str:
    """`pc` at `precision` decimals, never shown as 0 or 100 when it is not exactly that."""
    near_zero = 10.0**-precision
    near_hundred = 100.0 - near_zero
    if 0 < pc < near_zero:
        pc = near_zero
    elif near_hundred < pc < 100:
        pc = near_hundred
    return f"{round(pc, precision):.{precision}f}"


@dataclass(frozen=True)
class Threshold:
    """A minimum percent and whether a figure meets it, judged at the figure's precision."""

    min_percent: float
    met: bool

    @classmethod
    def judge(cls, minimum: float | None, numbers: Numbers) -> Threshold | None:
        if minimum is None:
            return None
        return cls(minimum, not should_fail_under(numbers.pc_covered, minimum, numbers.precision))

    def to_json(self) -> dict[str, Any]:
        return {"min_percent": self.min_percent, "met": self.met}

    @classmethod
    def from_json(cls, value: object) -> Threshold | None:
        if value is None:
            return None
        if not isinstance(value, Mapping) or not isinstance(value.get("met"), bool):
            raise TypeError(f"a threshold is null or {{min_percent, met}}, not {value!r}")
        return cls(read_number(value, "min_percent"), value["met"])


def should_fail_under(total: float, fail_under: float, precision: int) -> bool:
    """True when `total` misses `fail_under`, as coverage.py's `results.should_fail_under` judges it.

    The total is rounded to `precision` first; only exactly 100 meets 100.
    """
    if fail_under == 100.0 and total != 100.0:
        return True
    return round(total, precision) < fail_under
