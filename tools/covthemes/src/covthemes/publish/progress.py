"""The publish's progress on stderr: each step as it starts (`covthemes.publish.steps.Hook` calls `Progress`).

On a terminal, one live line shows the step and the time since the publish
began, redrawn in place with carriage returns about twice a second; anywhere
else (a CI log, a file), one plain line a step, with no carriage return.
"""

from __future__ import annotations

import threading
import time
from typing import TextIO

from covthemes.publish.steps import STEPS

# The live line's redraw interval, in seconds.
TICK = 0.5


class Progress:
    """An `on_step` callback that reports each publish step on `stream`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._live = stream.isatty()
        self._started = time.monotonic()
        self._step = ""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __call__(self, name: str) -> None:
        with self._lock:
            self._step = name
        if not self._live:
            if name != "done":
                self._stream.write(f"covthemes: publish: {self._label(name)}\n")
                self._stream.flush()
            return
        if name == "done":
            self.close()
            return
        self._draw()
        if self._ticker is None:
            self._ticker = threading.Thread(target=self._tick, name="covthemes-progress", daemon=True)
            self._ticker.start()

    def close(self) -> None:
        """End the live line (a no-op for plain lines); safe to call twice."""
        if not self._live or self._stop.is_set():
            return
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        self._draw()
        self._stream.write("\n")
        self._stream.flush()

    def _label(self, name: str) -> str:
        return f"step {STEPS.index(name) + 1}/{len(STEPS) - 1}, {name}"

    def _tick(self) -> None:
        while not self._stop.wait(TICK):
            self._draw()

    def _draw(self) -> None:
        with self._lock:
            name = self._step
            elapsed = time.monotonic() - self._started
            label = "done" if name == "done" else self._label(name)
            # \r back to the line's start, ESC[K clears what a longer line left.
            self._stream.write(f"\rcovthemes: publish: {label} ({elapsed:.1f} s)\x1b[K")
            self._stream.flush()
