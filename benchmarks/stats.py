"""Summaries of repeated measurements, and the log-log growth fit of P3.

A `Series` is the samples of one quantity over the rounds of a section. The
tables show its median with min and max; a ratio is the median of the
per-round ratios, each taken between commands measured side by side in the
same round, so slow drift of the machine's load cancels out of it.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field


@dataclass
class Series:
    samples: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.samples.append(value)

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else math.nan

    @property
    def low(self) -> float:
        return min(self.samples) if self.samples else math.nan

    @property
    def high(self) -> float:
        return max(self.samples) if self.samples else math.nan

    def as_dict(self) -> dict:
        return {"median": self.median, "min": self.low, "max": self.high, "samples": self.samples}


def paired_ratio(numerator: Series, denominator: Series) -> Series:
    """Per-round ratios of two series measured in the same rounds."""
    return Series([a / b for a, b in zip(numerator.samples, denominator.samples, strict=True) if b > 0])


def loglog_fit(sizes: list[float], values: list[float]) -> tuple[float, float]:
    """Least squares of log(value) = log(a) + k*log(size); returns (k, a).

    k is the growth exponent: 1 is linear, 2 quadratic.
    """
    points = [(math.log(s), math.log(v)) for s, v in zip(sizes, values, strict=True) if s > 0 and v > 0]
    if len(points) < 2:
        return math.nan, math.nan
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    slope = sxy / sxx if sxx else math.nan
    return slope, math.exp(mean_y - slope * mean_x)


def predict(exponent: float, factor: float, size: float) -> float:
    return factor * size**exponent
