"""The publish's steps, named once, and the one hook that marks each step and can fail it.

`Hook(on_step)` is called as each step begins: it tells `on_step` (progress,
the benchmarks' clock) and, when COVTHEMES_FAULT names the step, fails it
(`covthemes.publish.faults`). The swap's fault fires midway through it instead, so
that an interrupted swap has a journal to roll back.
"""

from __future__ import annotations

from collections.abc import Callable

from covthemes.publish import faults, reports, writers

STEPS = ("check", *reports.STEPS, "summary", *(w.name for w in writers.WRITERS), "swap", "done")
# "done" marks the report in place: a failure there would not be a failed publish.
FAULT_STEPS = STEPS[:-1]
MIDWAY = ("swap",)


def no_step(name: str) -> None:
    """The default progress callback: nothing to record."""


class Hook:
    """Marks each publish step for `on_step`, and injects a fault where COVTHEMES_FAULT asks."""

    def __init__(self, on_step: Callable[[str], None] = no_step) -> None:
        self._on_step = on_step

    def __call__(self, name: str) -> None:
        if name not in STEPS:
            raise ValueError(f"{name!r} is not a publish step of covthemes.publish.steps")
        self._on_step(name)
        if name in FAULT_STEPS and name not in MIDWAY:
            faults.inject(name)

    def midway(self, name: str) -> None:
        """The fault point inside a MIDWAY step."""
        if name in MIDWAY:
            faults.inject(name)
