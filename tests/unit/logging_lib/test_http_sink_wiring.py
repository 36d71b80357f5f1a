"""The HTTP sink wired end to end: configure() -> real urllib -> a real local server.

One bounded test against `http.server` on 127.0.0.1 proves the default
transport speaks the protocol the sink promises (POST, NDJSON body, content
type); everything else about the sink is tested with an injected `send` in
test_http_sink.py.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from logging_lib import StreamSink, bind, configure, get_logger, sink_failures
from logging_lib.http_sink import HttpCollectorSink

pytestmark = pytest.mark.architecture


class CollectorServer(HTTPServer):
    """An HTTP server that keeps what it was sent."""

    requests: list[tuple[str, str, str, bytes]]


class CollectorHandler(BaseHTTPRequestHandler):
    server: CollectorServer

    def do_POST(self) -> None:  # http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.requests.append((self.command, self.path, self.headers.get("Content-Type", ""), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default access log on stderr."""


@pytest.fixture
def collector_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[CollectorServer]:
    """A real HTTP collector on 127.0.0.1, shut down after the test."""
    for variable in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    server = CollectorServer(("127.0.0.1", 0), CollectorHandler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_configured_http_sink_posts_json_lines_to_a_real_collector(
    collector_server: CollectorServer,
) -> None:
    """A logged line travels through configure() and urllib to the collector as NDJSON."""
    port = collector_server.server_address[1]
    sink = HttpCollectorSink(f"http://127.0.0.1:{port}/ingest", timeout=5.0, max_retries=0)
    configure("INFO", [sink, StreamSink(io.StringIO())])
    with bind(request_id="wired"):
        get_logger("tests.wiring").info("shipped", password="hunter2")
    assert sink.flush(timeout=10)
    sink.close()

    assert sink_failures() == {sink.name: 0, "stream:StringIO": 0}
    assert len(collector_server.requests) == 1
    method, path, content_type, body = collector_server.requests[0]
    assert (method, path, content_type) == ("POST", "/ingest", "application/x-ndjson")
    line = json.loads(body.decode().splitlines()[0])
    assert (line["message"], line["request_id"], line["password"]) == ("shipped", "wired", "[REDACTED]")
