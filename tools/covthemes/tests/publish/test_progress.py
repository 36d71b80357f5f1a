"""`covthemes.publish.progress`: each publish step on stderr, live on a terminal, plain lines elsewhere."""

from __future__ import annotations

import io
import time

import pytest

from covthemes.publish import progress
from covthemes.publish.progress import Progress
from covthemes.publish.steps import STEPS


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_plain_lines_name_each_step_without_carriage_returns() -> None:
    """In a log, each step is one line as it starts, and `done` adds none."""
    stream = io.StringIO()
    report = Progress(stream)
    for name in STEPS:
        report(name)
    report.close()
    lines = stream.getvalue().splitlines()
    assert lines[0] == f"covthemes: publish: step 1/{len(STEPS) - 1}, check"
    assert len(lines) == len(STEPS) - 1
    assert lines[-1].endswith(", swap")
    assert "\r" not in stream.getvalue()


def test_live_line_redraws_the_step_and_elapsed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal one line is redrawn in place, with the elapsed time, and ends with a newline."""
    monkeypatch.setattr(progress, "TICK", 0.01)
    stream = Terminal()
    report = Progress(stream)
    report("check")
    time.sleep(0.1)
    report("swap")
    report("done")
    report.close()
    text = stream.getvalue()
    assert text.startswith("\rcovthemes: publish: step 1/")
    assert text.count("\r") > 3
    assert text.endswith("\x1b[K\n") and text.count("\n") == 1
    assert "swap (" in text and " s)" in text
    assert "\rcovthemes: publish: done (" in text
