"""The measurement core of a themed run: one that records per-test contexts, on every Python.

coverage's sysmon core (`COVERAGE_CORE=sysmon` or `[run] core = "sysmon"`,
and coverage's default from Python 3.14) cannot switch dynamic contexts
(coverage issue 2200): the per-test contexts pytest-cov's `--cov-context=test`
switches are dropped, and every line would look "import only". A themed run
therefore uses ctrace, the C tracer, unless the user chose a core that records
them; a user who chose sysmon is told why it cannot be used.
"""

from __future__ import annotations

import importlib.util
import os

from covthemes.errors import ConfigError

SYSMON = "sysmon"
CTRACE = "ctrace"
PYTRACE = "pytrace"
VARIABLE = "COVERAGE_CORE"
# The cores that record per-test contexts; a themed run records which it used.
RECORDS_CONTEXTS = (CTRACE, PYTRACE)
# Every core coverage knows.
CORES = (CTRACE, PYTRACE, SYSMON)


def has_ctracer() -> bool:
    """True when coverage's C tracer is built and importable here."""
    return importlib.util.find_spec("coverage.tracer") is not None


def choose(configured: str | None, *, from_environment: bool, ctracer: bool) -> str:
    """The core for a themed run, given the one the user configured (None when none was)."""
    if configured == SYSMON:
        where = f"{VARIABLE}=sysmon" if from_environment else '[run] core = "sysmon" in the coverage config'
        fix = f"unset {VARIABLE}, or set {VARIABLE}=ctrace" if from_environment else "remove it"
        raise ConfigError(
            f"{where} selects coverage's sysmon core, which cannot record the per-test contexts covthemes "
            f"needs (coverage issue 2200; every line would look import-only): {fix}"
        )
    if configured and configured not in CORES:
        where = (
            f"{VARIABLE}={configured}"
            if from_environment
            else f'[run] core = "{configured}" in the coverage config'
        )
        fix = f"unset {VARIABLE}" if from_environment else "remove it"
        raise ConfigError(
            f"{where} names no core coverage knows (it knows {', '.join(CORES)}): {fix}, or choose "
            f"{CTRACE} or {PYTRACE}"
        )
    if configured:
        return configured
    return CTRACE if ctracer else PYTRACE


def for_run(configured: str | None) -> str:
    """`choose` with this process's environment and coverage build."""
    return choose(configured, from_environment=bool(os.environ.get(VARIABLE)), ctracer=has_ctracer())
