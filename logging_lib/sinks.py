"""Sinks: where formatted lines go (a stream, a rotating file).

A sink takes finished JSON lines; it neither formats nor filters. The handler
in `handler.py` fans each line out to every configured sink and turns an
exception from `write` into `Sink.record_failure`, which counts it and reports
it once on stderr. The optional network sink lives in `http_sink.py`, outside
the measured core, because it needs a collector to talk to.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from pathlib import Path
from typing import BinaryIO, TextIO

from .redaction import redact

# One lock for all failure counters: failures are rare, and a shared lock
# keeps the bookkeeping working for subclasses that skip `Sink.__init__`.
_FAILURE_LOCK = threading.Lock()


def _describe(error: BaseException | str) -> str:
    text = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else error
    # An error text can quote a URL or header; mask it like a log line.
    masked: str = redact(text)  # redact() returns a str for a str
    return masked


class Sink:
    """Base class of all sinks: `write(line)` one JSON line, `close()` at the end.

    `name` identifies the sink in `logging_lib.sink_failures()` and in the
    stderr report; `failures` counts lines the sink lost.
    """

    name: str = "sink"
    failures: int = 0
    _failure_reported: bool = False

    def write(self, line: str) -> None:
        """Write one line (without its trailing newline). May raise; the handler counts it."""
        raise NotImplementedError(f"{type(self).__name__} must implement write(line)")

    def close(self) -> None:
        """Release what the sink holds. The base class holds nothing."""

    def record_failure(self, error: BaseException | str, lost_lines: int = 1) -> None:
        """Count `lost_lines` lost lines; report the first failure on stderr.

        Later failures are only counted, so a dead disk does not turn every
        log call into a second, equally failing write to stderr.
        """
        with _FAILURE_LOCK:
            self.failures += lost_lines
            first = not self._failure_reported
            self._failure_reported = True
        if first:
            _report(
                f"logging_lib: sink {self.name} failed: {_describe(error)}; "
                "further failures are counted silently"
            )


def _report(message: str) -> None:
    # Looked up at call time: stderr may have been replaced (or be None under
    # pythonw), and a report that cannot be written is dropped, never raised.
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(message + "\n")
        stream.flush()
    except Exception:
        pass


class StreamSink(Sink):
    """Writes each line to a text stream and flushes it.

    Closing the sink flushes but does not close the stream: the caller opened
    it (and `sys.stderr` must outlive logging).
    """

    def __init__(self, stream: TextIO) -> None:
        if not callable(getattr(stream, "write", None)):
            raise TypeError(f"StreamSink needs a text stream with write(), got {type(stream).__name__}")
        self.stream = stream
        self.name = f"stream:{getattr(stream, 'name', type(stream).__name__)}"

    def write(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if not getattr(self.stream, "closed", False):
            self.stream.flush()


class RotatingFileSink(Sink):
    """Appends lines to `path`, rolling over to `path.1` ... `path.<backup_count>`.

    A line that would push the file past `max_bytes` first moves the current
    file to `path.1` (older backups shift up, the oldest is deleted). With
    `backup_count=0` the file is truncated instead, so it stays bounded. A
    single line longer than `max_bytes` is still written whole, alone in a
    fresh file. One process per file: rotation is not coordinated between
    processes.

    After a failed write (disk full, directory gone) the file is reopened on
    the next write, so the sink recovers once the cause is fixed.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, max_bytes: int = 10_485_760, backup_count: int = 5
    ) -> None:
        if not isinstance(max_bytes, int) or max_bytes <= 0:
            raise ValueError(f"max_bytes must be a positive int, got {max_bytes!r}")
        if not isinstance(backup_count, int) or backup_count < 0:
            raise ValueError(f"backup_count must be an int >= 0, got {backup_count!r}")
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.backup_count = backup_count
        self.name = f"file:{self.path}"
        self._lock = threading.Lock()
        self._file: BinaryIO | None = None
        self._size = 0
        self._closed = False
        # Opened now so a wrong path fails at configure() time, where the
        # person configuring can see and fix it.
        self._open()

    def _open(self) -> BinaryIO:
        # Kept open across writes until rollover or close(), so no `with` block.
        self._file = file = open(self.path, "ab")  # noqa: SIM115
        self._size = file.tell()
        return file

    def _discard_file(self) -> None:
        file, self._file = self._file, None
        if file is not None:
            # The write that brought us here is already counted.
            with contextlib.suppress(OSError):
                file.close()

    def write(self, line: str) -> None:
        data = line.encode("utf-8") + b"\n"
        with self._lock:
            if self._closed:
                raise ValueError(f"sink {self.name} is closed")
            try:
                file = self._file if self._file is not None else self._open()
                if self._size > 0 and self._size + len(data) > self.max_bytes:
                    file = self._rollover()
                file.write(data)
                file.flush()
                self._size += len(data)
            except BaseException:
                self._discard_file()
                raise

    def _rollover(self) -> BinaryIO:
        self._discard_file()
        if self.backup_count == 0:
            self._file = file = open(self.path, "wb")  # noqa: SIM115 -- kept open, as in _open()
            self._size = 0
            return file
        for index in range(self.backup_count - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{index}")
            if older.exists():
                os.replace(older, self.path.with_name(f"{self.path.name}.{index + 1}"))
        if self.path.exists():
            os.replace(self.path, self.path.with_name(f"{self.path.name}.1"))
        return self._open()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._discard_file()
