"""`covthemes.faults` and `covthemes.errors`: injected failures and expected errors."""

from __future__ import annotations

import pytest

from covthemes import faults
from covthemes.errors import ConfigError, CovthemesError, InjectedFault


def test_inject_does_nothing_without_the_variable() -> None:
    """Without COVTHEMES_FAULT every step runs."""
    for step in faults.STEPS:
        faults.inject(step)


def test_inject_fails_the_named_step_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """COVTHEMES_FAULT=<step> fails that step, naming it and the variable."""
    monkeypatch.setenv(faults.VARIABLE, "combine")
    faults.inject("json")
    with pytest.raises(InjectedFault) as raised:
        faults.inject("combine")
    assert str(raised.value) == "injected failure at publish step 'combine' (COVTHEMES_FAULT)"


def test_inject_swap_kills_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The swap fault kills the process with SIGKILL (here, a stand-in for os.kill)."""
    killed: list[tuple[int, int]] = []
    monkeypatch.setattr(faults.os, "kill", lambda pid, sig: killed.append((pid, sig)))
    monkeypatch.setenv(faults.VARIABLE, "swap")
    with pytest.raises(InjectedFault):
        faults.inject("swap")
    assert killed == [(faults.os.getpid(), faults.signal.SIGKILL)]


def test_errors_keep_each_problem_as_a_line() -> None:
    """An expected error holds its problems; its text is one line per problem."""
    error = ConfigError("first: fix one", "second: fix two")
    assert isinstance(error, CovthemesError)
    assert error.problems == ("first: fix one", "second: fix two")
    assert str(error) == "first: fix one\nsecond: fix two"
