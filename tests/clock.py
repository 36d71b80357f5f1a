"""A hand-moved clock for tests of time windows: token expiry, lockouts, rotation."""

from __future__ import annotations


class FakeClock:
    """A zero-argument callable returning epoch seconds; `advance` moves it."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
