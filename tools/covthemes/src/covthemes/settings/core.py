"""How a themed run measures: its contexts mode, and the fastest coverage core that records it.

`[tool.covthemes] contexts` chooses the mode:

- `"phases"` (the default): each theme's data holds its static context,
  `<theme>`, for what ran while pytest collected (imports), and
  `<theme>|tests` for everything after (`covthemes.run.phases` switches once,
  when collection ends, in every process). That is all the themed report
  needs, and every core records it: sysmon, coverage's default from Python
  3.14, is chosen there; before 3.14, sysmon cannot measure branches, and
  ctrace (the C tracer) is chosen.
- `"tests"`: one context per test phase, `<theme>|<test id>|setup|run|teardown`
  (pytest-cov's `--cov-context=test`), for coverage's HTML "which tests ran
  this line". sysmon cannot switch dynamic contexts (coverage issue 2200:
  every line would look import-only), so ctrace is used.

A core the user chose (`COVERAGE_CORE`, or `[run] core` in the coverage
config) is kept when it can record the mode, and refused with the fix when it
cannot.
"""

from __future__ import annotations

import importlib.util
import os
import sys

from covthemes.errors import ConfigError

SYSMON = "sysmon"
CTRACE = "ctrace"
PYTRACE = "pytrace"
VARIABLE = "COVERAGE_CORE"
# Every core coverage knows.
CORES = (CTRACE, PYTRACE, SYSMON)

# The contexts modes, the default first.
PHASES = "phases"
TESTS = "tests"
MODES = (PHASES, TESTS)
# The dynamic context of everything a phases run does once collection ends.
TESTS_PHASE = "tests"
# The cores that switch per-test contexts.
RECORDS_TESTS = (CTRACE, PYTRACE)
# The first Python on which sysmon measures branches, and so the phases mode's core.
SYSMON_BRANCHES = (3, 14)


def has_ctracer() -> bool:
    """True when coverage's C tracer is built and importable here."""
    return importlib.util.find_spec("coverage.tracer") is not None


def choose(
    configured: str | None,
    *,
    mode: str,
    from_environment: bool,
    ctracer: bool,
    python: tuple[int, int],
) -> str:
    """The core for a themed run in `mode`, given the one the user configured (None when none was)."""
    where = (
        f"{VARIABLE}={configured}"
        if from_environment
        else f'[run] core = "{configured}" in the coverage config'
    )
    fix = f"unset {VARIABLE}" if from_environment else "remove it"
    if configured and configured not in CORES:
        raise ConfigError(
            f"{where} names no core coverage knows (it knows {', '.join(CORES)}): {fix}, or choose one"
        )
    if configured == SYSMON and mode == TESTS:
        raise ConfigError(
            f"{where} selects coverage's sysmon core, which cannot record the per-test contexts of "
            f'`contexts = "tests"` (coverage issue 2200; every line would look import-only): {fix}, or set '
            f'`contexts = "phases"` in [tool.covthemes]'
        )
    if configured == SYSMON and python < SYSMON_BRANCHES:
        raise ConfigError(
            f"{where} selects coverage's sysmon core, which measures branches only from Python "
            f"{'.'.join(map(str, SYSMON_BRANCHES))} (this is {'.'.join(map(str, python))}): {fix}"
        )
    if configured:
        return configured
    if mode == PHASES and python >= SYSMON_BRANCHES:
        return SYSMON
    return CTRACE if ctracer else PYTRACE


def for_run(configured: str | None, mode: str) -> str:
    """`choose` with this process's environment, Python and coverage build."""
    return choose(
        configured,
        mode=mode,
        from_environment=bool(os.environ.get(VARIABLE)),
        ctracer=has_ctracer(),
        python=(sys.version_info.major, sys.version_info.minor),
    )
