"""Fixtures for the logging_lib tests: real streams, and a root logger put back as it was.

`configure()` changes process-wide state (a handler on the root logger and its
level); the autouse fixture below removes whatever handler a test installed and
closes its sinks, so no test sees another's configuration or leaks a file.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from logging_lib import StreamSink, configure, get_logger
from logging_lib.handler import SinkHandler
from logging_lib.http_sink import HttpCollectorSink
from logging_lib.loggers import BoundLogger


@pytest.fixture(autouse=True)
def restore_root_logger() -> Iterator[None]:
    """Undo configure(): remove (and close) logging_lib handlers, restore the root level."""
    root = logging.getLogger()
    level = root.level
    yield
    # Only our handlers: pytest's own capture handlers come and go per phase.
    for handler in [h for h in root.handlers if isinstance(h, SinkHandler)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.fixture
def stream() -> io.StringIO:
    """An in-memory text stream configured as the only sink, at DEBUG."""
    buffer = io.StringIO()
    configure("DEBUG", [StreamSink(buffer)])
    return buffer


@pytest.fixture
def log() -> BoundLogger:
    """A BoundLogger named for these tests."""
    return get_logger("tests.logging_lib")


@pytest.fixture
def make_http_sink() -> Iterator[Callable[..., HttpCollectorSink]]:
    """A factory for HttpCollectorSinks aimed at an unroutable URL; all are closed afterwards.

    Tests pass `send=Collector(...)` (see support.py), which stands in for the
    network; the sink itself, its queue and its thread are real.
    """
    made: list[HttpCollectorSink] = []

    def make(**options: Any) -> HttpCollectorSink:
        options.setdefault("url", "http://collector.invalid/ingest")
        made.append(HttpCollectorSink(**options))
        return made[-1]

    yield make
    for sink in made:
        sink.close()
