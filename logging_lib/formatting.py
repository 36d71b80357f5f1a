"""The JSON line format: one `logging.LogRecord` in, one JSON object out.

Each line is `{"time", "level", "logger", "message", ...bound fields...,
...per-call fields...}`. Bound fields come from `context.py`, per-call fields
from `BoundLogger` in `loggers.py` (or stdlib `extra=`), and every value goes
through the `Redactor` from `redaction.py` before the line exists. Where the
line goes is the business of `handler.py` and the sinks.

Formatting never raises: a broken `%` format, an unprintable object or a
cycle still yields a valid JSON line that says what went wrong.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from .context import bound_fields
from .redaction import Redactor

# `BoundLogger` passes its per-call fields under this one record attribute, so
# a field called `name` or `msg` cannot collide with a LogRecord attribute
# (stdlib `extra=` raises KeyError for those).
FIELDS_ATTR = "logging_lib_fields"

CORE_KEYS = ("time", "level", "logger", "message")
# A field named like a core key is kept under this prefix instead of
# overwriting the core value or being dropped.
COLLISION_PREFIX = "field_"

_STANDARD_ATTRS = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "taskName",
    FIELDS_ATTR,
}


def _utc_timestamp(created: float) -> str:
    moment = datetime.fromtimestamp(created, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _safe_str(value: object) -> str:
    try:
        return str(value)
    except Exception as exc:  # a broken __str__ must not cost the line
        return f"<unprintable {type(value).__name__}: {type(exc).__name__}>"


def _jsonable(value: Any) -> Any:
    """Convert to plain JSON types: str keys, lists, finite numbers."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        # NaN and Infinity are not JSON; strict parsers reject the whole line.
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return {_safe_str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(item) for item in value]
    return _safe_str(value)


class JsonFormatter(logging.Formatter):
    """Formats a record as one line of JSON with secrets redacted.

    `redact_keys` adds sensitive key names to the defaults in `redaction.py`.
    """

    def __init__(self, redact_keys: Iterable[str] = ()) -> None:
        super().__init__()
        self.redactor = Redactor(redact_keys)

    def format(self, record: logging.LogRecord) -> str:
        message = self._message(record)
        try:
            payload = self._payload(record, message)
            # ensure_ascii keeps every line pure ASCII, so no sink can fail on
            # an encoding its stream does not support.
            return json.dumps(_jsonable(self.redactor(payload)))
        except Exception as exc:  # e.g. RecursionError on absurdly deep fields
            fallback = {
                "time": _utc_timestamp(record.created),
                "level": record.levelname,
                "logger": record.name,
                "message": self.redactor.mask_text(message),
                "logging_lib_error": f"fields dropped: {type(exc).__name__}",
            }
            return json.dumps(fallback)

    def _message(self, record: logging.LogRecord) -> str:
        try:
            return record.getMessage()
        except Exception as exc:  # `log.info("%d", "x")`: keep the template
            return (
                f"{_safe_str(record.msg)} "
                f"[logging_lib: arguments did not fit the message: {type(exc).__name__}]"
            )

    def _payload(self, record: logging.LogRecord, message: str) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "time": _utc_timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
        }
        extras = {
            key: value
            for key, value in record.__dict__.items()
            if key not in _STANDARD_ATTRS and not key.startswith("_")
        }
        per_call = getattr(record, FIELDS_ATTR, None) or {}
        # Later sources win: per-call fields override bound ones.
        for source in (bound_fields(), extras, per_call):
            for key, value in source.items():
                key = _safe_str(key)
                payload[COLLISION_PREFIX + key if key in CORE_KEYS else key] = value
        if record.exc_info:
            exc_type = record.exc_info[0]
            payload["exc_type"] = exc_type.__name__ if exc_type else None
            payload["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            payload["stack"] = self.formatStack(record.stack_info)
        return payload
