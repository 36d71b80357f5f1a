"""Optional sink: ship JSON lines to an HTTP log collector.

Kept out of `logging_lib/__init__.py` on purpose: it needs an outside service,
so coverage can omit this module with that reason, and an application that
does not ship logs over HTTP never starts its thread. Import it explicitly:

    from logging_lib.http_sink import HttpCollectorSink
    configure(sinks=[StreamSink(sys.stderr), HttpCollectorSink(url)])

`write` only appends to a bounded in-memory queue, so a slow or dead
collector never blocks the code that logs. A background thread sends batches
of lines as one `application/x-ndjson` POST each, retrying with exponential
backoff. Lines that cannot be queued (queue full) or delivered (retries used
up) are counted through `Sink.record_failure` (see `sinks.py`), which also
reports the first failure once on stderr.
"""

from __future__ import annotations

import collections
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable

from .sinks import Sink

# `send(url, body, timeout)` delivers one batch or raises.
Send = Callable[[str, bytes, float], None]

MAX_BATCH_LINES = 100
# Cap on one backoff pause: with many retries the doubling would otherwise
# park a batch (and everything queued behind it) for minutes.
MAX_BACKOFF_SECONDS = 30.0
CLOSE_TIMEOUT_SECONDS = 5.0


def urllib_send(url: str, body: bytes, timeout: float) -> None:
    """POST `body` to `url`; raises on connection errors and non-2xx answers."""
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/x-ndjson"},
    )
    # The scheme was checked in HttpCollectorSink.__init__ (http/https only).
    # urlopen raises HTTPError for 4xx/5xx; the status check catches the rest.
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()
        if not 200 <= response.status < 300:
            raise OSError(f"collector answered HTTP {response.status}")


def backoff_delays(max_retries: int, backoff_seconds: float) -> list[float]:
    """Pauses before retry 1..max_retries: backoff, 2x backoff, 4x ... (capped)."""
    return [min(backoff_seconds * 2**attempt, MAX_BACKOFF_SECONDS) for attempt in range(max_retries)]


def _display_url(url: str) -> str:
    # The sink name shows up on stderr and in sink_failures(); credentials in
    # the userinfo or an api key in the query string must not.
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


class HttpCollectorSink(Sink):
    """Queues lines and POSTs them to `url` from a background thread.

    `send` replaces the transport (default: `urllib_send`); `sleep` replaces
    the pause between retries (default: a wait that `close()` cuts short).
    Counters: `delivered` lines sent, `dropped` lines refused because the queue
    was full, `failures` (from `Sink`) all lines lost, dropped ones included.
    """

    def __init__(
        self,
        url: str,
        *,
        queue_size: int = 1000,
        max_retries: int = 3,
        backoff_seconds: float = 0.5,
        timeout: float = 2.0,
        send: Send | None = None,
        sleep: Callable[[float], object] | None = None,
    ) -> None:
        scheme = urllib.parse.urlsplit(url).scheme if isinstance(url, str) else ""
        if scheme not in ("http", "https") or not urllib.parse.urlsplit(url).hostname:
            # urllib would also open file:// and ftp:// URLs; a log shipper must not.
            raise ValueError(f"collector url must be an http:// or https:// URL with a host, got {url!r}")
        if queue_size < 1:
            raise ValueError(f"queue_size must be at least 1, got {queue_size!r}")
        if max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {max_retries!r}")
        if backoff_seconds < 0:
            raise ValueError(f"backoff_seconds must be >= 0, got {backoff_seconds!r}")
        if timeout <= 0:
            raise ValueError(f"timeout must be > 0 seconds, got {timeout!r}")
        self.url = url
        self.name = f"http:{_display_url(url)}"
        self.queue_size = queue_size
        self.max_retries = max_retries
        self.backoff_seconds = backoff_seconds
        self.timeout = timeout
        self.delivered = 0
        self.dropped = 0
        self._send = send if send is not None else urllib_send
        self._closing = threading.Event()
        self._sleep = sleep if sleep is not None else self._closing.wait
        self._cond = threading.Condition()
        self._queue: collections.deque[str] = collections.deque()
        self._in_flight = 0
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=f"logging_lib {self.name}", daemon=True)
        self._thread.start()

    def write(self, line: str) -> None:
        with self._cond:
            if self._closed:
                raise ValueError(f"sink {self.name} is closed")
            full = len(self._queue) >= self.queue_size
            if full:
                self.dropped += 1
            else:
                self._queue.append(line)
                self._cond.notify_all()
        if full:
            self.record_failure(f"queue full ({self.queue_size} lines), line dropped")

    def flush(self, timeout: float = CLOSE_TIMEOUT_SECONDS) -> bool:
        """Wait until every queued line is delivered or given up; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._in_flight:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
        return True

    def close(self, timeout: float = CLOSE_TIMEOUT_SECONDS) -> None:
        """Stop accepting lines, deliver what is queued, stop the thread.

        Retries still happen while closing, but without their pauses. Lines
        still queued after `timeout` seconds are counted as lost.
        """
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._cond.notify_all()
        self._closing.set()
        self._thread.join(timeout)
        with self._cond:
            abandoned = len(self._queue)
            self._queue.clear()
        if abandoned:
            self.record_failure(f"closed with {abandoned} lines undelivered", abandoned)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if not self._queue:
                    return
                count = min(len(self._queue), MAX_BATCH_LINES)
                batch = [self._queue.popleft() for _ in range(count)]
                self._in_flight = count
            try:
                self._deliver(batch)
            finally:
                with self._cond:
                    self._in_flight = 0
                    self._cond.notify_all()

    def _deliver(self, batch: list[str]) -> None:
        body = ("\n".join(batch) + "\n").encode("utf-8")
        delays = backoff_delays(self.max_retries, self.backoff_seconds)
        for attempt in range(self.max_retries + 1):
            try:
                self._send(self.url, body, self.timeout)
            except Exception as exc:
                if attempt == self.max_retries:
                    self.record_failure(exc, lost_lines=len(batch))
                    return
                if not self._closing.is_set():
                    self._sleep(delays[attempt])
            else:
                with self._cond:
                    self.delivered += len(batch)
                return
