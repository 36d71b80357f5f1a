"""Structured JSON logging on top of the standard `logging` module.

    from logging_lib import bind, configure, get_logger

    configure("INFO")
    log = get_logger(__name__)
    with bind(request_id="abc"):
        log.info("user logged in", username="ada", password="...")  # masked

Where things live: the line format in `formatting.py`, context binding in
`context.py`, redaction in `redaction.py`, the stream and rotating file sinks
in `sinks.py`, the fan-out handler in `handler.py`, wiring in `config.py`.
The HTTP collector sink needs an outside service and lives in
`logging_lib.http_sink`, which this package deliberately does not import.

This package depends on the standard library only and imports nothing from
`apps`.
"""

from .config import configure, sink_failures
from .context import bind, bound_fields
from .formatting import JsonFormatter
from .loggers import get_logger
from .redaction import redact
from .sinks import RotatingFileSink, Sink, StreamSink

__all__ = [
    "JsonFormatter",
    "RotatingFileSink",
    "Sink",
    "StreamSink",
    "bind",
    "bound_fields",
    "configure",
    "get_logger",
    "redact",
    "sink_failures",
]
