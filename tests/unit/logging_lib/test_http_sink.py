"""HttpCollectorSink: bounded queue, background sender, retry with backoff.

`send` is replaced by `support.Collector`, which stands in for the network
only; the queue, the thread and the retry logic under test are real. The one
test that needs real sockets is `test_unreachable_collector_is_counted`.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest

from logging_lib import configure, get_logger, sink_failures
from logging_lib.http_sink import MAX_BATCH_LINES, HttpCollectorSink, backoff_delays

from .support import Collector

pytestmark = pytest.mark.reliability

MakeSink = Callable[..., HttpCollectorSink]


def test_delivers_every_line_as_ndjson(make_http_sink: MakeSink) -> None:
    """Written lines arrive in order, newline-terminated, in POST bodies."""
    collector = Collector()
    sink = make_http_sink(send=collector)
    for index in range(3):
        sink.write(f'{{"n": {index}}}')
    assert sink.flush(timeout=10)
    assert collector.lines == ['{"n": 0}', '{"n": 1}', '{"n": 2}']
    assert all(body.endswith(b"\n") for body in collector.bodies)
    assert sink.delivered == 3


def test_sends_queued_lines_in_bounded_batches(make_http_sink: MakeSink) -> None:
    """A backlog goes out in POSTs of at most MAX_BATCH_LINES lines."""
    collector = Collector(gated=True)
    sink = make_http_sink(send=collector)
    sink.write("first")
    assert collector.entered.wait(timeout=10)
    for index in range(MAX_BATCH_LINES * 2 + 50):
        sink.write(f"line {index}")
    collector.release.set()
    assert sink.flush(timeout=10)
    assert [len(body.splitlines()) for body in collector.bodies] == [1, MAX_BATCH_LINES, MAX_BATCH_LINES, 50]


def test_retries_with_exponential_backoff(make_http_sink: MakeSink) -> None:
    """Three failed attempts are followed by pauses of 0.5, 1 and 2 seconds, then success."""
    pauses: list[float] = []
    collector = Collector(failures=3)
    sink = make_http_sink(send=collector, max_retries=3, backoff_seconds=0.5, sleep=pauses.append)
    sink.write("line")
    assert sink.flush(timeout=10)
    assert pauses == [0.5, 1.0, 2.0]
    assert (collector.calls, sink.delivered, sink.failures) == (4, 1, 0)


def test_backoff_doubles_up_to_a_cap() -> None:
    """Pauses double per retry and never exceed MAX_BACKOFF_SECONDS (30 s)."""
    assert backoff_delays(6, 10.0) == [10.0, 20.0, 30.0, 30.0, 30.0, 30.0]
    assert backoff_delays(0, 1.0) == []


def test_gives_up_after_max_retries_and_counts_the_lines(
    make_http_sink: MakeSink, capsys: pytest.CaptureFixture[str]
) -> None:
    """A batch that fails 1 + max_retries times is counted as lost, reported once."""
    collector = Collector(failures=100)
    sink = make_http_sink(send=collector, max_retries=2, sleep=lambda _: None)
    sink.write("a")
    assert sink.flush(timeout=10)
    sink.write("b")
    assert sink.flush(timeout=10)
    assert collector.calls == 6
    assert (sink.delivered, sink.failures) == (0, 2)
    assert capsys.readouterr().err.count("failed: ConnectionRefusedError") == 1


def test_full_queue_drops_new_lines_and_counts_them(make_http_sink: MakeSink) -> None:
    """With the sender stuck, lines beyond queue_size are dropped and counted."""
    collector = Collector(gated=True)
    sink = make_http_sink(send=collector, queue_size=2)
    sink.write("in flight")
    assert collector.entered.wait(timeout=10)
    for index in range(5):
        sink.write(f"queued {index}")
    assert (sink.dropped, sink.failures) == (3, 3)
    collector.release.set()
    assert sink.flush(timeout=10)
    assert collector.lines == ["in flight", "queued 0", "queued 1"]


def test_logging_never_waits_for_a_hanging_collector(make_http_sink: MakeSink) -> None:
    """Log calls return while the collector hangs; the lines wait in the queue."""
    collector = Collector(gated=True)
    sink = make_http_sink(send=collector)
    configure("INFO", [sink])
    log = get_logger("tests.hang")
    for index in range(20):
        log.info("event", n=index)
    assert collector.entered.wait(timeout=10)
    assert collector.calls == 1
    assert sink_failures() == {sink.name: 0}
    collector.release.set()
    assert sink.flush(timeout=10)
    assert len(collector.lines) == 20


def test_flush_returns_false_when_it_times_out(make_http_sink: MakeSink) -> None:
    """flush() gives up after its timeout instead of hanging with the collector."""
    collector = Collector(gated=True)
    sink = make_http_sink(send=collector)
    sink.write("line")
    assert sink.flush(timeout=0.01) is False
    collector.release.set()
    assert sink.flush(timeout=10) is True


def test_close_delivers_what_is_queued(make_http_sink: MakeSink) -> None:
    """close() sends the remaining lines before the thread stops."""
    collector = Collector()
    sink = make_http_sink(send=collector)
    for index in range(5):
        sink.write(f"line {index}")
    sink.close(timeout=10)
    assert sink.delivered == 5
    assert sink.failures == 0


def test_close_cuts_the_backoff_pause_short(make_http_sink: MakeSink) -> None:
    """A retry waiting out a one-minute pause is retried at once when the sink closes."""
    collector = Collector(failures=1)
    sink = make_http_sink(send=collector, backoff_seconds=60.0)
    sink.write("line")
    assert collector.entered.wait(timeout=10)
    sink.close(timeout=10)
    assert (collector.calls, sink.delivered) == (2, 1)


def test_close_counts_lines_it_could_not_deliver(make_http_sink: MakeSink) -> None:
    """Lines still queued when close() times out are counted as lost."""
    collector = Collector(gated=True)
    sink = make_http_sink(send=collector)
    sink.write("in flight")
    assert collector.entered.wait(timeout=10)
    sink.write("queued 1")
    sink.write("queued 2")
    sink.close(timeout=0.01)
    collector.release.set()
    assert sink.failures == 2


def test_writing_after_close_is_counted_not_raised(make_http_sink: MakeSink) -> None:
    """A closed HTTP sink left in the handler costs the line, not the caller."""
    sink = make_http_sink(send=Collector())
    configure("INFO", [sink])
    sink.close()
    get_logger("tests.closed").info("late")
    assert sink_failures() == {sink.name: 1}


def test_unreachable_collector_is_counted(
    make_http_sink: MakeSink, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real urllib transport against a closed local port: counted, reported, not raised."""
    for variable in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    with socket.socket() as probe:  # a port that was free a moment ago, now closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = make_http_sink(url=f"http://127.0.0.1:{port}/ingest", max_retries=0, timeout=5.0)
    sink.write("line")
    assert sink.flush(timeout=10)
    assert sink.failures == 1
    assert "failed: URLError" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("queue_size", 0),
        ("max_retries", -1),
        ("backoff_seconds", -0.1),
        ("timeout", 0),
    ],
)
def test_rejects_settings_that_break_the_bounds(setting: str, value: float) -> None:
    """Each invalid setting is refused with its name in the message."""
    with pytest.raises(ValueError, match=setting):
        HttpCollectorSink("http://collector.invalid/", **{setting: value})
