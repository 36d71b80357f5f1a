"""`covthemes.settings.core`: the core of a themed run, for its contexts mode, on every Python."""

from __future__ import annotations

import sys

import pytest

from covthemes.errors import ConfigError
from covthemes.settings import core

PY311 = (3, 11)
PY314 = (3, 14)


@pytest.mark.parametrize(
    ("configured", "mode", "python", "ctracer", "chosen"),
    [
        (None, "phases", PY314, True, "sysmon"),
        (None, "phases", (3, 15), False, "sysmon"),
        (None, "phases", PY311, True, "ctrace"),
        (None, "phases", (3, 13), False, "pytrace"),
        (None, "tests", PY314, True, "ctrace"),
        (None, "tests", PY311, False, "pytrace"),
        ("ctrace", "phases", PY314, True, "ctrace"),
        ("pytrace", "tests", PY311, True, "pytrace"),
        ("sysmon", "phases", PY314, True, "sysmon"),
    ],
)
def test_the_fastest_core_that_records_the_mode_is_chosen(
    configured: str | None, mode: str, python: tuple[int, int], ctracer: bool, chosen: str
) -> None:
    """Phases: sysmon from 3.14, ctrace (pytrace unbuilt) before; tests: ctrace; a fitting choice stays."""
    assert (
        core.choose(configured, mode=mode, from_environment=False, ctracer=ctracer, python=python) == chosen
    )


def test_sysmon_in_the_tests_mode_is_refused_with_its_fix() -> None:
    """COVERAGE_CORE=sysmon with per-test contexts names the variable, the reason and both fixes."""
    with pytest.raises(ConfigError) as raised:
        core.choose("sysmon", mode="tests", from_environment=True, ctracer=True, python=PY314)
    (problem,) = raised.value.problems
    assert problem == (
        "COVERAGE_CORE=sysmon selects coverage's sysmon core, which cannot record the per-test contexts of "
        '`contexts = "tests"` (coverage issue 2200; every line would look import-only): unset COVERAGE_CORE, '
        'or set `contexts = "phases"` in [tool.covthemes]'
    )


def test_sysmon_before_3_14_is_refused_with_its_fix() -> None:
    """`[run] core = "sysmon"` on 3.13 says sysmon measures no branches there, and to remove it."""
    with pytest.raises(ConfigError) as raised:
        core.choose("sysmon", mode="phases", from_environment=False, ctracer=True, python=(3, 13))
    assert raised.value.problems == (
        '[run] core = "sysmon" in the coverage config selects coverage\'s sysmon core, which measures '
        "branches only from Python 3.14 (this is 3.13): remove it",
    )


def test_for_run_reads_the_environment_and_this_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """`for_run` tells a choice in the environment from one in the config, on this Python."""
    monkeypatch.setenv("COVERAGE_CORE", "sysmon")
    with pytest.raises(ConfigError, match="unset COVERAGE_CORE"):
        core.for_run("sysmon", "tests")
    monkeypatch.delenv("COVERAGE_CORE")
    fallback = "ctrace" if core.has_ctracer() else "pytrace"
    assert core.for_run(None, "tests") == fallback
    assert core.for_run(None, "phases") == ("sysmon" if sys.version_info >= (3, 14) else fallback)


@pytest.mark.parametrize("from_environment", [True, False])
def test_a_core_coverage_does_not_know_is_refused_with_its_fix(from_environment: bool) -> None:
    """COVERAGE_CORE=bogus (or `core = "bogus"`) is one line naming it and the cores there are."""
    with pytest.raises(ConfigError) as raised:
        core.choose("bogus", mode="phases", from_environment=from_environment, ctracer=True, python=PY314)
    where = "COVERAGE_CORE=bogus" if from_environment else '[run] core = "bogus" in the coverage config'
    fix = "unset COVERAGE_CORE" if from_environment else "remove it"
    assert raised.value.problems == (
        f"{where} names no core coverage knows (it knows ctrace, pytrace, sysmon): {fix}, or choose one",
    )
