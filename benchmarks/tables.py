"""Markdown tables for the terminal and for `docs/performance.md`.

Cells read `median (min-max)`: seconds, bytes or ratios. The harness prints
these tables as it finishes each section, so the output can be pasted into
the documentation as it is.
"""

from __future__ import annotations

import math

from benchmarks.stats import Series


def seconds(series: Series) -> str:
    if not series.samples:
        return "n/a"
    if len(series.samples) == 1:  # one round: no range to show
        return f"{series.median:.2f} s"
    return f"{series.median:.2f} s ({series.low:.2f}-{series.high:.2f})"


def ratio(series: Series) -> str:
    if not series.samples:
        return "n/a"
    if len(series.samples) == 1:
        return f"{series.median:.2f}x"
    return f"{series.median:.2f}x ({series.low:.2f}-{series.high:.2f})"


def size(n_bytes: float) -> str:
    if n_bytes is None or (isinstance(n_bytes, float) and math.isnan(n_bytes)):
        return "n/a"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n_bytes) < 1024 or unit == "GiB":
            return f"{n_bytes:.0f} {unit}" if unit == "B" else f"{n_bytes:.1f} {unit}"
        n_bytes /= 1024
    return f"{n_bytes:.1f} GiB"


def verdict(met: bool | None) -> str:
    return {True: "met", False: "**not met**", None: "n/a"}[met]


def table(header: list[str], rows: list[list[str]]) -> str:
    aligns = ["---"] + ["---:"] * (len(header) - 1)
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(aligns) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
