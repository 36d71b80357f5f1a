"""A failing sink never raises into the caller: it is counted and reported once."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
from collections.abc import Iterator

import pytest

from logging_lib import JsonFormatter, Sink, StreamSink, configure, get_logger, sink_failures
from logging_lib.handler import SinkHandler

from .support import json_lines

pytestmark = pytest.mark.reliability


class ExplodingSink(Sink):
    """A user-written sink that skips Sink.__init__ and always fails."""

    name = "exploding"

    def write(self, line: str) -> None:
        raise RuntimeError("collector rejected the line")


def _handler() -> SinkHandler:
    return next(h for h in logging.getLogger().handlers if isinstance(h, SinkHandler))


@pytest.fixture
def closed_stream() -> io.StringIO:
    """A text stream that has already been closed."""
    buffer = io.StringIO()
    buffer.close()
    return buffer


@pytest.fixture
def full_disk() -> Iterator[io.TextIOWrapper]:
    """A real stream on /dev/full: every flush fails with ENOSPC, like a full disk."""
    if not os.path.exists("/dev/full"):
        pytest.skip("/dev/full is Linux-only")
    # Not a `with` block: its close() would raise the ENOSPC suppressed below.
    stream = open("/dev/full", "w", encoding="utf-8")  # noqa: SIM115
    yield stream
    # Closing flushes the buffered line again, into the same full disk.
    with contextlib.suppress(OSError):
        stream.close()


def test_closed_stream_does_not_raise_into_the_caller(closed_stream: io.StringIO) -> None:
    """Logging to a closed stream returns normally and counts one failure."""
    configure("INFO", [StreamSink(closed_stream)])
    get_logger("tests.closed").info("lost")
    assert sink_failures() == {"stream:StringIO": 1}


def test_full_disk_is_counted_not_raised(full_disk: io.TextIOWrapper) -> None:
    """ENOSPC from the sink's stream is counted as a failure of that sink."""
    configure("INFO", [StreamSink(full_disk)])
    get_logger("tests.full").info("no room")
    assert sink_failures() == {"stream:/dev/full": 1}


def test_first_failure_is_reported_once_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    """Three failures produce one stderr report in the documented wording."""
    configure("INFO", [ExplodingSink()])
    for _ in range(3):
        get_logger("tests.once").info("lost")
    assert capsys.readouterr().err.splitlines() == [
        "logging_lib: sink exploding failed: RuntimeError: collector rejected the line; "
        "further failures are counted silently"
    ]
    assert sink_failures() == {"exploding": 3}


def test_other_sinks_still_get_the_line(closed_stream: io.StringIO) -> None:
    """A failing sink placed first does not stop the healthy sink after it."""
    healthy = io.StringIO()
    configure("INFO", [StreamSink(closed_stream), StreamSink(healthy)])
    get_logger("tests.others").info("delivered")
    assert json_lines(healthy)[0]["message"] == "delivered"


def test_user_sink_without_init_is_counted() -> None:
    """A Sink subclass that never called Sink.__init__ still gets counted."""
    configure("INFO", [ExplodingSink()])
    get_logger("tests.custom").error("a")
    get_logger("tests.custom").error("b")
    assert sink_failures() == {"exploding": 2}


def test_handler_failures_totals_every_sink(closed_stream: io.StringIO) -> None:
    """handler.failures is the sum of the sinks' counts."""
    configure("INFO", [StreamSink(closed_stream), ExplodingSink(), StreamSink(io.StringIO())])
    get_logger("tests.total").info("x")
    assert _handler().failures == 2


def test_a_broken_stderr_cannot_turn_the_report_into_an_error(
    closed_stream: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If stderr itself is closed, the failure report is dropped, not raised."""
    monkeypatch.setattr(sys, "stderr", closed_stream)
    configure("INFO")  # the default sink: the (closed) stderr
    get_logger("tests.stderr").info("nowhere to go")
    assert sink_failures() == {"stream:StringIO": 1}


def test_a_failing_formatter_is_counted_not_raised(capsys: pytest.CaptureFixture[str]) -> None:
    """A custom formatter that raises costs the line, reported once, never the caller."""

    class BrokenFormatter(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            raise RuntimeError("formatter bug")

    configure("INFO", [StreamSink(io.StringIO())])
    _handler().setFormatter(BrokenFormatter())
    get_logger("tests.fmt").info("a")
    get_logger("tests.fmt").info("b")
    assert _handler().failures == 2
    assert capsys.readouterr().err.count("logging_lib: formatter failed: RuntimeError") == 1


def test_mismatched_percent_args_still_produce_a_line() -> None:
    """`logging.info("%d", "x")` yields the template and a note instead of failing."""
    # Formatted directly: pytest's own capture handler would raise on this record.
    record = logging.LogRecord("tests.args", logging.INFO, __file__, 1, "count=%d", ("many",), None)
    line = json_lines(JsonFormatter().format(record))[0]
    assert line["message"] == "count=%d [logging_lib: arguments did not fit the message: TypeError]"


def test_unprintable_field_still_produces_a_line(stream: io.StringIO) -> None:
    """A field whose __str__ raises is written as a placeholder."""

    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("no")

    get_logger("tests.unprintable").info("event", thing=Unprintable())
    assert json_lines(stream)[0]["thing"] == "<unprintable Unprintable: RuntimeError>"


def test_circular_field_is_marked_not_followed(stream: io.StringIO) -> None:
    """A self-referencing dict is written with a [CIRCULAR] marker."""
    loop: dict[str, object] = {"name": "loop"}
    loop["self"] = loop
    get_logger("tests.loop").info("event", data=loop)
    assert json_lines(stream)[0]["data"] == {"name": "loop", "self": "[CIRCULAR]"}


def test_non_finite_floats_keep_the_line_valid_json(stream: io.StringIO) -> None:
    """NaN and infinity are written as strings, so strict JSON parsers accept the line."""
    get_logger("tests.nan").info("event", ratio=float("nan"), limit=float("inf"))
    raw = stream.getvalue()
    assert "NaN" not in raw and "Infinity" not in raw
    line = json_lines(stream)[0]
    assert (line["ratio"], line["limit"]) == ("nan", "inf")


def test_absurdly_deep_fields_fall_back_to_the_message() -> None:
    """Fields nested beyond the recursion limit are dropped with a note; the message stays."""
    deep: list[object] = []
    for _ in range(sys.getrecursionlimit() + 100):
        deep = [deep]
    record = logging.LogRecord("tests.deep", logging.INFO, __file__, 1, "kept", (), None)
    record.logging_lib_fields = {"deep": deep}
    line = json_lines(JsonFormatter().format(record))[0]
    assert line["message"] == "kept"
    assert line["logging_lib_error"] == "fields dropped: RecursionError"
