"""`covthemes.publish.steps` and `.faults`, `covthemes.errors`: the step hook, injected faults, errors."""

from __future__ import annotations

import pytest

from covthemes.errors import ConfigError, CovthemesError, InjectedFault
from covthemes.publish import faults, steps


def test_without_the_variable_every_step_runs() -> None:
    """Without COVTHEMES_FAULT the hook fails no step, midway points included, and tells each one."""
    seen: list[str] = []
    hook = steps.Hook(seen.append)
    for name in steps.STEPS:
        hook(name)
        hook.midway(name)
    assert seen == list(steps.STEPS)


def test_hook_marks_and_fails_each_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one hook tells the callback of every step and fails the one COVTHEMES_FAULT names."""
    for name in steps.FAULT_STEPS:
        if name in steps.MIDWAY:
            continue
        seen: list[str] = []
        monkeypatch.setenv(faults.VARIABLE, name)
        hook = steps.Hook(seen.append)
        with pytest.raises(InjectedFault, match=f"'{name}'"):
            hook(name)
        assert seen == [name]


def test_done_is_never_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the report is in place nothing fails: COVTHEMES_FAULT=done is told, and not raised."""
    monkeypatch.setenv(faults.VARIABLE, "done")
    seen: list[str] = []
    steps.Hook(seen.append)("done")
    assert seen == ["done"]


def test_hook_fails_the_swap_midway_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The swap's fault fires at its midway point, not as it begins."""
    killed: list[int] = []
    monkeypatch.setattr(faults.os, "kill", lambda pid, sig: killed.append(sig))
    monkeypatch.setenv(faults.VARIABLE, "swap")
    hook = steps.Hook()
    hook("swap")
    assert killed == []
    with pytest.raises(InjectedFault):
        hook.midway("swap")
    assert killed == [faults.signal.SIGKILL]


def test_hook_refuses_an_unknown_step() -> None:
    """A step that covthemes.publish.steps does not name is a bug."""
    with pytest.raises(ValueError, match="'reports' is not a publish step"):
        steps.Hook()("reports")


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
