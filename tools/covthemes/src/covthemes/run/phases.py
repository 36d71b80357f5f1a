"""The phases mode's one switch: from the import phase to the tests phase, when collection ends.

Until pytest has collected, coverage records under the run's static context,
`<theme>` (what the theme's modules and conftests run at import). From then
on everything is recorded under `<theme>|tests` (`covthemes.settings.core`):
that is one switch per process, in an xdist worker as in a plain run, instead
of pytest-cov's three per test.

On the ctrace and pytrace cores this is coverage's own dynamic-context
switch. sysmon switches the label too, but it has turned off each line's
event once the line fired (it returns `sys.monitoring.DISABLE`), and each
code object's events once it knew it, so a line run at import would never be
seen again by a test. Stopping coverage's collector and starting it again
gives it a new sysmon tracer, which knows no code object yet and re-arms
every event (`SysMonitor.start` calls `sys.monitoring.restart_events()`);
the collected data stays in the collector. (Pausing and resuming the same
tracer is not enough: it keeps its code objects, whose events were cleared
with its tool id.) That goes through the collector, not
`Coverage.switch_context`, which warns `no-sysmon-context` (an error in a
suite run with `-W error`), and not `Coverage.stop`/`start`, which would
apply `[run] patch` a second time.
"""

from __future__ import annotations

from coverage import Coverage

from covthemes.settings.core import TESTS_PHASE


def to_tests(cov: Coverage | None) -> bool:
    """Record everything from now on under the tests phase; False when coverage is not measuring here."""
    if cov is None or cov._collector is None or cov._core is None:
        return False
    collector = cov._collector
    # What ran until now is kept under the static context, then the label changes.
    collector.switch_context(TESTS_PHASE)
    if not cov._core.supports_dynamic_contexts:
        collector.stop()
        collector.start()
    return True
