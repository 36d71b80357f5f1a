"""`get_logger`: a thin wrapper that lets a log call carry fields as keywords.

`log.info("login failed", username=name)` becomes one stdlib record with the
fields attached under `formatting.FIELDS_ATTR`; `JsonFormatter` merges them
with the bound context. Plain `logging.getLogger(...)` calls work too, they
just cannot pass fields other than through `extra=`.
"""

from __future__ import annotations

import logging
from typing import Any

from .formatting import FIELDS_ATTR

ExcInfo = Any  # whatever `logging.Logger.log(exc_info=...)` accepts

# BoundLogger.<level>() -> BoundLogger._log() -> Logger.log(): three frames up
# is the caller, so stdlib formatters (and pytest's caplog) show its line.
_CALLER_STACKLEVEL = 3


class BoundLogger:
    """A `logging.Logger` whose methods take structured fields as keywords."""

    def __init__(self, logger: logging.Logger) -> None:
        self.logger = logger

    @property
    def name(self) -> str:
        return self.logger.name

    def debug(self, message: str, /, *, exc_info: ExcInfo = None, **fields: Any) -> None:
        self._log(logging.DEBUG, message, exc_info, fields)

    def info(self, message: str, /, *, exc_info: ExcInfo = None, **fields: Any) -> None:
        self._log(logging.INFO, message, exc_info, fields)

    def warning(self, message: str, /, *, exc_info: ExcInfo = None, **fields: Any) -> None:
        self._log(logging.WARNING, message, exc_info, fields)

    def error(self, message: str, /, *, exc_info: ExcInfo = None, **fields: Any) -> None:
        self._log(logging.ERROR, message, exc_info, fields)

    def critical(self, message: str, /, *, exc_info: ExcInfo = None, **fields: Any) -> None:
        self._log(logging.CRITICAL, message, exc_info, fields)

    def exception(self, message: str, /, *, exc_info: ExcInfo = True, **fields: Any) -> None:
        """Log at ERROR with the exception being handled attached."""
        self._log(logging.ERROR, message, exc_info, fields)

    def _log(self, level: int, message: str, exc_info: ExcInfo, fields: dict[str, Any]) -> None:
        if not self.logger.isEnabledFor(level):
            return
        # No args: the message is used verbatim, so a "%" in it is harmless.
        self.logger.log(
            level,
            message,
            exc_info=exc_info,
            extra={FIELDS_ATTR: fields},
            stacklevel=_CALLER_STACKLEVEL,
        )


def get_logger(name: str) -> BoundLogger:
    """Return a `BoundLogger` for the stdlib logger `name` (use `__name__`)."""
    if not isinstance(name, str):
        raise TypeError(f"get_logger needs a logger name (str), got {type(name).__name__}")
    return BoundLogger(logging.getLogger(name))
