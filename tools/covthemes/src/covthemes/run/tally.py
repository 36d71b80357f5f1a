"""Counting what a themed run selected and how each test ended, serial or across xdist workers.

Under pytest-xdist the controller collects nothing: its `session.items` is
empty. Each worker reports the node ids it collected (after the theme's
selection and any pytest-split group), and the controller receives every
test's reports, so the counts come from there.
"""

from __future__ import annotations

from typing import Any

import pytest

from covthemes.model.provenance import Outcomes


class Tally:
    """A pytest plugin counting the tests a themed run selected, and their outcomes."""

    def __init__(self) -> None:
        self.collected = 0
        self.by_worker: dict[str, int] = {}
        self.passed = self.failed = self.skipped = self.errors = 0

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.collected = len(session.items)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        """pytest-xdist's controller hook: one worker's collected node ids."""
        self.by_worker[str(getattr(node, "gateway", node))] = len(ids)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call":
            if report.skipped:
                self.skipped += 1
            elif report.passed:
                self.passed += 1
            else:
                self.failed += 1
        elif report.failed:
            self.errors += 1
        elif report.skipped and report.when == "setup":
            self.skipped += 1

    @property
    def selected(self) -> int:
        """The tests the run selected: every xdist worker collects the same ones."""
        return max(self.by_worker.values(), default=self.collected)

    @property
    def outcomes(self) -> Outcomes:
        return Outcomes(self.passed, self.failed, self.skipped, self.errors)
