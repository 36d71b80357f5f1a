"""Coverage numbers and thresholds, displayed and judged at one precision.

Modelled on coverage.py's `results.Numbers`: a threshold is judged on the
percent rounded to `[report] precision`, the same figure that is displayed,
so 74.96% shown as "75.0%" meets a 75% threshold, as coverage's own
`fail_under` would judge it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Numbers:
    """Statement and branch counts of one theme (or all themes) over a set of files."""

    num_statements: int = 0
    covered_lines: int = 0
    num_branches: int = 0
    covered_branches: int = 0

    def __add__(self, other: Numbers) -> Numbers:
        return Numbers(
            self.num_statements + other.num_statements,
            self.covered_lines + other.covered_lines,
            self.num_branches + other.num_branches,
            self.covered_branches + other.covered_branches,
        )

    @property
    def pc_covered(self) -> float:
        """The percent covered, counting branches as coverage does; 100 when there is nothing."""
        total = self.num_statements + self.num_branches
        covered = self.covered_lines + self.covered_branches
        return 100.0 * covered / total if total else 100.0

    def display_covered(self, precision: int) -> str:
        return display_percent(self.pc_covered, precision)

    def to_json(self, precision: int) -> dict[str, Any]:
        return {
            "num_statements": self.num_statements,
            "covered_lines": self.covered_lines,
            "num_branches": self.num_branches,
            "covered_branches": self.covered_branches,
            "percent_covered": round(self.pc_covered, 2),
            "percent_covered_display": self.display_covered(precision),
        }


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
    """A minimum percent and whether a figure meets it at the display precision."""

    min_percent: float
    met: bool

    @classmethod
    def judge(cls, minimum: float | None, numbers: Numbers, precision: int) -> Threshold | None:
        if minimum is None:
            return None
        return cls(minimum, not should_fail_under(numbers.pc_covered, minimum, precision))

    def display(self) -> str:
        return f"{self.min_percent:g}% " + ("met" if self.met else "**missed**")

    def to_json(self) -> dict[str, Any]:
        return {"min_percent": self.min_percent, "met": self.met}


def should_fail_under(total: float, fail_under: float, precision: int) -> bool:
    """True when `total` misses `fail_under`, judged as coverage.py judges `fail_under`."""
    if fail_under == 100.0 and total != 100.0:
        return True
    return float(display_percent(total, precision)) < fail_under
