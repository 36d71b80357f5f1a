"""`configure()` and `sink_failures()`: wiring the handler onto the root logger.

`configure` installs exactly one `SinkHandler` (from `handler.py`) with a
`JsonFormatter` (from `formatting.py`) on the root logger. Calling it again
replaces that handler, closing the sinks the new call does not reuse, and
leaves handlers other libraries or test runners installed alone.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterable

from .formatting import JsonFormatter
from .handler import SinkHandler
from .sinks import Sink, StreamSink

_LEVEL_NAMES = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_configure_lock = threading.Lock()


def _resolve_level(level: int | str) -> int:
    if isinstance(level, bool):  # bool is an int; True would mean level 1
        raise TypeError(f"level must be a level name or an int, got {level!r}")
    if isinstance(level, int):
        return level
    if isinstance(level, str) and level.strip().upper() in _LEVEL_NAMES:
        return logging.getLevelNamesMapping()[level.strip().upper()]
    raise ValueError(f"unknown log level {level!r}: use one of {', '.join(_LEVEL_NAMES)} or an int")


def _validated_sinks(sinks: Iterable[Sink] | None) -> list[Sink]:
    if sinks is None:
        return [StreamSink(sys.stderr)]
    if isinstance(sinks, Sink):
        raise TypeError("sinks must be a list of sinks: write sinks=[sink]")
    checked = list(sinks)
    for index, sink in enumerate(checked):
        if not isinstance(sink, Sink):
            raise TypeError(
                f"sinks[{index}] is a {type(sink).__name__}, not a logging_lib.Sink: "
                "wrap a stream in StreamSink(stream) or subclass Sink"
            )
    return checked


def _installed_handlers(root: logging.Logger) -> list[SinkHandler]:
    return [handler for handler in root.handlers if isinstance(handler, SinkHandler)]


def configure(
    level: int | str = "INFO", sinks: Iterable[Sink] | None = None, *, redact_keys: Iterable[str] = ()
) -> None:
    """Log JSON lines at `level` and above to `sinks` (default: stderr).

    `redact_keys` adds key names to the default sensitive words. Everything
    is validated before the running configuration is touched, so a bad call
    leaves the previous one in place.
    """
    resolved = _resolve_level(level)
    new_sinks = _validated_sinks(sinks)
    handler = SinkHandler(new_sinks)
    handler.setFormatter(JsonFormatter(redact_keys))

    root = logging.getLogger()
    with _configure_lock:
        previous = _installed_handlers(root)
        # Add before removing: a thread logging meanwhile may see a line twice,
        # but never finds no handler (and logging.lastResort) in between.
        root.addHandler(handler)
        for old in previous:
            root.removeHandler(old)
        root.setLevel(resolved)
    kept = {id(sink) for sink in new_sinks}
    for old in previous:
        # A sink passed to this call again stays open; the rest are closed so
        # files and sender threads are not leaked.
        old.sinks = [sink for sink in old.sinks if id(sink) not in kept]
        old.close()


def sink_failures() -> dict[str, int]:
    """Return `{sink name: lines lost}` for the sinks `configure` installed."""
    counts: dict[str, int] = {}
    for handler in _installed_handlers(logging.getLogger()):
        counts.update(handler.sink_failures())
    return counts
