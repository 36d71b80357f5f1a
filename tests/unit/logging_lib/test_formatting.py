"""The JSON line format: keys, order, time, fields and exceptions."""

from __future__ import annotations

import io
import json
import logging

import pytest

from logging_lib import JsonFormatter, bind
from logging_lib.loggers import BoundLogger

from .support import json_lines

pytestmark = pytest.mark.architecture


def _record(**overrides: object) -> logging.LogRecord:
    record = logging.LogRecord("tests.fmt", logging.INFO, __file__, 1, "hello", (), None)
    record.__dict__.update(overrides)
    return record


def test_line_starts_with_time_level_logger_message(stream: io.StringIO, log: BoundLogger) -> None:
    """The first four keys are time, level, logger and message, in that order."""
    log.info("hello", user="ada")
    line = json_lines(stream)[0]
    assert list(line)[:4] == ["time", "level", "logger", "message"]
    assert (line["level"], line["logger"], line["message"]) == ("INFO", "tests.logging_lib", "hello")


def test_time_is_utc_iso8601_with_z() -> None:
    """`time` is UTC, ISO-8601, millisecond precision, with a `Z` suffix."""
    line = json.loads(JsonFormatter().format(_record(created=86_400.25)))
    assert line["time"] == "1970-01-02T00:00:00.250Z"


def test_each_record_is_exactly_one_line() -> None:
    """The formatted record contains no newline, even for multi-line messages."""
    text = JsonFormatter().format(_record(msg="first\nsecond"))
    assert "\n" not in text
    assert json.loads(text)["message"] == "first\nsecond"


def test_per_call_fields_follow_bound_fields(stream: io.StringIO, log: BoundLogger) -> None:
    """Bound fields come before per-call fields, which win on a shared key."""
    with bind(request_id="r-1", user="bound"):
        log.info("event", user="call", count=2)
    line = json_lines(stream)[0]
    assert list(line)[4:] == ["request_id", "user", "count"]
    assert line["user"] == "call"


def test_field_named_like_a_core_key_is_kept_under_a_prefix(stream: io.StringIO, log: BoundLogger) -> None:
    """A field called `level` neither replaces the level nor disappears."""
    log.warning("event", level="custom", logger="other")
    line = json_lines(stream)[0]
    assert line["level"] == "WARNING"
    assert line["field_level"] == "custom"
    assert line["field_logger"] == "other"


@pytest.mark.parametrize(
    ("method", "level"),
    [
        ("debug", "DEBUG"),
        ("info", "INFO"),
        ("warning", "WARNING"),
        ("error", "ERROR"),
    ],
)
def test_each_method_logs_at_its_level(
    stream: io.StringIO, log: BoundLogger, method: str, level: str
) -> None:
    """log.<method>() writes a line with the matching level name."""
    getattr(log, method)("event")
    assert json_lines(stream)[0]["level"] == level


def test_exception_adds_type_and_traceback(stream: io.StringIO, log: BoundLogger) -> None:
    """log.exception() inside `except` records the exception type and traceback."""
    try:
        raise KeyError("missing")
    except KeyError:
        log.exception("lookup failed", key="k")
    line = json_lines(stream)[0]
    assert line["level"] == "ERROR"
    assert line["exc_type"] == "KeyError"
    assert line["exception"].startswith("Traceback (most recent call last):")
    assert line["key"] == "k"


def test_plain_stdlib_records_are_formatted_too(stream: io.StringIO) -> None:
    """logging.getLogger(x) calls produce the same JSON, %-args and extra= included."""
    with bind(request_id="r-2"):
        logging.getLogger("thirdparty").warning("retry %d of %d", 1, 3, extra={"host": "db"})
    line = json_lines(stream)[0]
    assert line["message"] == "retry 1 of 3"
    assert line["logger"] == "thirdparty"
    assert (line["request_id"], line["host"]) == ("r-2", "db")


def test_percent_in_a_bound_logger_message_is_literal(stream: io.StringIO, log: BoundLogger) -> None:
    """BoundLogger messages are not %-formatted, so `100%` needs no escaping."""
    log.info("upload 100% done (%s)")
    assert json_lines(stream)[0]["message"] == "upload 100% done (%s)"


def test_records_below_the_level_are_not_written() -> None:
    """At WARNING, info and debug calls write nothing."""
    from logging_lib import StreamSink, configure, get_logger

    buffer = io.StringIO()
    configure("WARNING", [StreamSink(buffer)])
    quiet = get_logger("tests.quiet")
    quiet.debug("no")
    quiet.info("no")
    quiet.warning("yes")
    assert [line["message"] for line in json_lines(buffer)] == ["yes"]


def test_records_point_at_the_calling_line(caplog: pytest.LogCaptureFixture, log: BoundLogger) -> None:
    """BoundLogger reports the caller's function, not its own internals."""
    with caplog.at_level(logging.INFO):
        log.info("where")
    assert caplog.records[-1].funcName == "test_records_point_at_the_calling_line"


def test_non_json_values_are_written_as_text(stream: io.StringIO, log: BoundLogger) -> None:
    """Sets, bytes and arbitrary objects become JSON lists and strings."""
    log.info("event", tags={"a"}, raw=b"x", obj=ValueError("bad"))
    line = json_lines(stream)[0]
    assert line["tags"] == ["a"]
    assert line["raw"] == "b'x'"
    assert line["obj"] == "bad"
