"""`covthemes.settings.core`: the measurement core of a themed run, on every Python."""

from __future__ import annotations

import pytest

from covthemes.errors import ConfigError
from covthemes.settings import core


@pytest.mark.parametrize(
    ("configured", "ctracer", "chosen"),
    [
        (None, True, "ctrace"),
        (None, False, "pytrace"),
        ("ctrace", True, "ctrace"),
        ("pytrace", True, "pytrace"),
    ],
)
def test_a_core_that_records_contexts_is_chosen(configured: str | None, ctracer: bool, chosen: str) -> None:
    """Without a choice, the C tracer (Python's where it is not built); a user's ctrace or pytrace stays."""
    assert core.choose(configured, from_environment=False, ctracer=ctracer) == chosen
    assert chosen in core.RECORDS_CONTEXTS


def test_sysmon_from_the_environment_is_refused_with_its_fix() -> None:
    """COVERAGE_CORE=sysmon names the variable, the reason and the fix in one line."""
    with pytest.raises(ConfigError) as raised:
        core.choose("sysmon", from_environment=True, ctracer=True)
    (problem,) = raised.value.problems
    assert problem == (
        "COVERAGE_CORE=sysmon selects coverage's sysmon core, which cannot record the per-test contexts "
        "covthemes needs (coverage issue 2200; every line would look import-only): "
        "unset COVERAGE_CORE, or set COVERAGE_CORE=ctrace"
    )


def test_sysmon_from_the_config_is_refused_with_its_fix() -> None:
    """`[run] core = "sysmon"` names the config setting to remove."""
    with pytest.raises(ConfigError, match=r'\[run\] core = "sysmon" in the coverage config .*: remove it$'):
        core.choose("sysmon", from_environment=False, ctracer=True)


def test_for_run_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """`for_run` tells a sysmon choice from the environment apart from one in the config."""
    monkeypatch.setenv("COVERAGE_CORE", "sysmon")
    with pytest.raises(ConfigError, match="unset COVERAGE_CORE"):
        core.for_run("sysmon")
    monkeypatch.delenv("COVERAGE_CORE")
    assert core.for_run(None) == ("ctrace" if core.has_ctracer() else "pytrace")


@pytest.mark.parametrize("from_environment", [True, False])
def test_a_core_coverage_does_not_know_is_refused_with_its_fix(from_environment: bool) -> None:
    """COVERAGE_CORE=bogus (or `core = "bogus"`) is one line naming it and the cores there are."""
    with pytest.raises(ConfigError) as raised:
        core.choose("bogus", from_environment=from_environment, ctracer=True)
    where = "COVERAGE_CORE=bogus" if from_environment else '[run] core = "bogus" in the coverage config'
    fix = "unset COVERAGE_CORE" if from_environment else "remove it"
    assert raised.value.problems == (
        f"{where} names no core coverage knows (it knows ctrace, pytrace, sysmon): {fix}, or choose "
        "ctrace or pytrace",
    )
