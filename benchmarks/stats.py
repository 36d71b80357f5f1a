"""Summaries of repeated measurements: a median with its range, and ratios taken round by round.

A ratio between two commands is the median of their per-round ratios, each
taken between commands run side by side in the same round, so slow drift of
the machine's load cancels out of it. The arithmetic is the standard
library's `statistics`: pyperf, the well-kept alternative, calibrates loops
of one command in worker processes of its own, where the harness times
whole multi-process pipelines of 30-400 s, a few rounds each in a rotating
order, and needs nothing of it but a median.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    samples: tuple[float, ...] = ()

    @classmethod
    def of(cls, values: Iterable[float]) -> Series:
        return cls(tuple(values))

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else math.nan

    @property
    def low(self) -> float:
        return min(self.samples) if self.samples else math.nan

    @property
    def high(self) -> float:
        return max(self.samples) if self.samples else math.nan

    def at_most(self, limit: float) -> bool | None:
        """Whether the median is within `limit`; None when nothing was measured."""
        return self.median <= limit if self.samples else None

    def at_least(self, limit: float) -> bool | None:
        """Whether the median reaches `limit`; None when nothing was measured."""
        return self.median >= limit if self.samples else None


def paired_ratio(pairs: Iterable[tuple[float, float]]) -> Series:
    """The ratios of (numerator, denominator) pairs of one round each; a zero denominator is left out."""
    return Series.of(a / b for a, b in pairs if b > 0)
