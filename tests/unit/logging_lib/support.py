"""Helpers shared by the logging_lib tests (fixtures live in conftest.py)."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path
from typing import Any


def json_lines(source: io.StringIO | Path | str) -> list[dict[str, Any]]:
    """Parse every line written to a StringIO, a file or a string as one JSON object."""
    if isinstance(source, io.StringIO):
        text = source.getvalue()
    elif isinstance(source, Path):
        text = source.read_text(encoding="utf-8")
    else:
        text = source
    return [json.loads(line) for line in text.splitlines()]


class Collector:
    """Stands in for the network under HttpCollectorSink: records each POST body.

    The first `failures` calls raise `error`, like an unreachable collector.
    With `gated=True` every call first waits for `release` (bounded), so a test
    can hold a batch "in flight" and know exactly what is still queued.
    """

    def __init__(self, failures: int = 0, error: Exception | None = None, gated: bool = False) -> None:
        self.failures = failures
        self.error = error or ConnectionRefusedError("collector unreachable")
        self.calls = 0
        self.bodies: list[bytes] = []
        self.entered = threading.Event()
        self.release = threading.Event()
        if not gated:
            self.release.set()

    def __call__(self, url: str, body: bytes, timeout: float) -> None:
        self.calls += 1
        self.entered.set()
        self.release.wait(timeout=10)
        if self.calls <= self.failures:
            raise self.error
        self.bodies.append(body)

    @property
    def lines(self) -> list[str]:
        return [line for body in self.bodies for line in body.decode("utf-8").splitlines()]
