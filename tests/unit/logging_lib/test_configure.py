"""configure(): one handler on the root logger, wired to the given sinks."""

from __future__ import annotations

import io
import logging

import pytest

from logging_lib import RotatingFileSink, StreamSink, configure, get_logger, sink_failures
from logging_lib.formatting import JsonFormatter
from logging_lib.handler import SinkHandler

from .support import json_lines

pytestmark = pytest.mark.architecture


def _ours() -> list[SinkHandler]:
    return [h for h in logging.getLogger().handlers if isinstance(h, SinkHandler)]


def test_installs_one_json_handler_on_the_root_logger() -> None:
    """configure() adds exactly one SinkHandler with a JsonFormatter."""
    configure()
    handlers = _ours()
    assert len(handlers) == 1
    assert isinstance(handlers[0].formatter, JsonFormatter)


def test_reconfiguring_replaces_the_previous_handler() -> None:
    """A second configure() leaves one handler: the new one."""
    first, second = io.StringIO(), io.StringIO()
    configure("INFO", [StreamSink(first)])
    configure("INFO", [StreamSink(second)])
    get_logger("tests.replace").info("only once")
    assert len(_ours()) == 1
    assert first.getvalue() == ""
    assert [line["message"] for line in json_lines(second)] == ["only once"]


def test_leaves_foreign_handlers_alone() -> None:
    """Handlers another library installed on the root logger survive configure()."""
    root = logging.getLogger()
    foreign = logging.StreamHandler(io.StringIO())
    root.addHandler(foreign)
    try:
        configure()
        configure()
        assert foreign in root.handlers
    finally:
        root.removeHandler(foreign)


def test_default_sink_is_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    """Without sinks, lines go to sys.stderr."""
    configure("INFO")
    get_logger("tests.default").info("to stderr")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert json_lines(captured.err)[0]["message"] == "to stderr"


def test_every_line_reaches_every_sink(tmp_path) -> None:
    """Each record is written once to each configured sink."""
    first, second = io.StringIO(), io.StringIO()
    path = tmp_path / "app.log"
    configure("INFO", [StreamSink(first), StreamSink(second), RotatingFileSink(path)])
    get_logger("tests.fanout").info("everywhere")
    for source in (first, second, path):
        assert [line["message"] for line in json_lines(source)] == ["everywhere"]


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("DEBUG", logging.DEBUG),
        ("warning", logging.WARNING),
        (logging.ERROR, logging.ERROR),
    ],
)
def test_sets_the_root_level(level: str | int, expected: int) -> None:
    """The level is taken by name (any case) or as an int."""
    configure(level, [StreamSink(io.StringIO())])
    assert logging.getLogger().level == expected


def test_rejects_an_unknown_level_naming_the_allowed_ones() -> None:
    """A misspelt level fails with the list of valid names."""
    with pytest.raises(ValueError, match=r"unknown log level 'VERBOSE'.*DEBUG, INFO"):
        configure("VERBOSE")


def test_rejects_a_stream_passed_instead_of_a_sink() -> None:
    """A bare stream in sinks fails and says to wrap it in StreamSink."""
    with pytest.raises(TypeError, match=r"sinks\[0\] is a StringIO.*StreamSink\(stream\)"):
        configure("INFO", [io.StringIO()])  # type: ignore[list-item]


def test_rejects_a_single_sink_not_in_a_list() -> None:
    """sinks=StreamSink(...) fails and shows the list form."""
    with pytest.raises(TypeError, match=r"sinks=\[sink\]"):
        configure("INFO", StreamSink(io.StringIO()))  # type: ignore[arg-type]


def test_a_rejected_call_keeps_the_previous_configuration() -> None:
    """A configure() that fails validation changes nothing."""
    buffer = io.StringIO()
    configure("INFO", [StreamSink(buffer)])
    with pytest.raises(ValueError):
        configure("NOPE", [StreamSink(io.StringIO())])
    get_logger("tests.keep").info("still here")
    assert json_lines(buffer)[0]["message"] == "still here"
    assert logging.getLogger().level == logging.INFO


def test_reconfiguring_closes_dropped_sinks_and_keeps_reused_ones(tmp_path) -> None:
    """Sinks left out of the new call are closed; a sink passed again keeps working."""
    kept = RotatingFileSink(tmp_path / "kept.log")
    dropped = RotatingFileSink(tmp_path / "dropped.log")
    configure("INFO", [kept, dropped])
    configure("INFO", [kept])
    get_logger("tests.reuse").info("after")
    assert json_lines(tmp_path / "kept.log")[0]["message"] == "after"
    with pytest.raises(ValueError, match="is closed"):
        dropped.write("{}")


def test_sink_failures_names_each_configured_sink(tmp_path) -> None:
    """sink_failures() maps every configured sink's name to its count."""
    configure("INFO", [StreamSink(io.StringIO()), RotatingFileSink(tmp_path / "a.log")])
    assert sink_failures() == {"stream:StringIO": 0, f"file:{tmp_path / 'a.log'}": 0}


def test_sink_failures_keeps_same_named_sinks_apart() -> None:
    """Two sinks with one name are reported as `name` and `name#2`."""
    configure("INFO", [StreamSink(io.StringIO()), StreamSink(io.StringIO())])
    assert sink_failures() == {"stream:StringIO": 0, "stream:StringIO#2": 0}


def test_sink_failures_is_empty_before_configure() -> None:
    """Without a configured handler there is nothing to report."""
    assert sink_failures() == {}
