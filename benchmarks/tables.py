"""Markdown tables for the terminal and `docs/performance.md`: a cell reads `median (min-max)`."""

from __future__ import annotations

import math
from collections.abc import Sequence

from benchmarks.stats import Series


def _cell(series: Series, unit: str, digits: int = 2) -> str:
    if not series.samples:
        return "n/a"
    value = f"{series.median:.{digits}f}{unit}"
    if len(series.samples) == 1:
        return value
    return f"{value} ({series.low:.{digits}f}-{series.high:.{digits}f})"


def seconds(series: Series) -> str:
    return _cell(series, " s")


def ratio(series: Series) -> str:
    return _cell(series, "x")


def size(n_bytes: float | None) -> str:
    if n_bytes is None or math.isnan(n_bytes):
        return "n/a"
    for unit in ("B", "KiB", "MiB"):
        if abs(n_bytes) < 1024:
            return f"{n_bytes:.0f} {unit}" if unit == "B" else f"{n_bytes:.1f} {unit}"
        n_bytes /= 1024
    return f"{n_bytes:.1f} GiB"


def verdict(met: bool | None) -> str:
    return {True: "met", False: "**not met**", None: "not judged"}[met]


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table: the first column left-aligned, the others right-aligned."""
    if any(len(row) != len(header) for row in rows):
        raise ValueError(f"every row needs {len(header)} cells: {header[0]!r}")
    aligns = ["---"] + ["---:"] * (len(header) - 1)
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(aligns) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
