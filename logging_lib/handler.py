"""The one handler `configure()` installs: format once, fan out to every sink.

`SinkHandler` is the only place that calls `Sink.write`, so it is the place
that makes a failing sink harmless: an exception from one sink is counted on
that sink (see `Sink.record_failure` in `sinks.py`) and the other sinks still
get the line. `config.py` installs and replaces it; `formatting.py` makes the
line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from .sinks import Sink, _report


class SinkHandler(logging.Handler):
    """Writes each formatted record to every sink; never raises into the caller."""

    def __init__(self, sinks: Iterable[Sink]) -> None:
        super().__init__()
        self.sinks: list[Sink] = list(sinks)
        self.format_failures = 0

    @property
    def failures(self) -> int:
        """Lines lost in total: formatting failures plus every sink's failures."""
        return self.format_failures + sum(sink.failures for sink in self.sinks)

    def sink_failures(self) -> dict[str, int]:
        """Failure count per sink name (a repeated name gets a `#2` suffix)."""
        counts: dict[str, int] = {}
        for sink in self.sinks:
            name = sink.name
            suffix = 2
            while name in counts:
                name = f"{sink.name}#{suffix}"
                suffix += 1
            counts[name] = sink.failures
        return counts

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception as exc:  # JsonFormatter does not raise; a custom one might
            self.format_failures += 1
            if self.format_failures == 1:
                _report(
                    f"logging_lib: formatter failed: {type(exc).__name__}: {exc}; "
                    "further failures are counted silently"
                )
            return
        for sink in self.sinks:
            try:
                sink.write(line)
            except Exception as exc:
                sink.record_failure(exc)

    def close(self) -> None:
        """Close every sink (logging.shutdown calls this at interpreter exit)."""
        try:
            for sink in self.sinks:
                try:
                    sink.close()
                except Exception as exc:
                    sink.record_failure(exc, lost_lines=0)
        finally:
            super().close()
