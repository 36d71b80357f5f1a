"""Fault injection for the tests: COVTHEMES_FAULT=<step> fails that publish step.

With it, tests prove that a failure at any step leaves the published report
as it was. `swap` kills the process midway through the swap instead, just
before the rename that publishes. The steps, and the hook that calls
`inject` as each begins, are `covthemes.publish.steps`;
`COVTHEMES_FAULT=fsop:N:error|kill` stops the Nth filesystem operation of the
swap and its cleanup instead (`covthemes.publish.fsops`).
"""

from __future__ import annotations

import os
import signal

from covthemes.errors import InjectedFault

VARIABLE = "COVTHEMES_FAULT"


def inject(step: str) -> None:
    """Fail `step` when COVTHEMES_FAULT names it; kill this process there when it says `kill:<step>`."""
    fault = os.environ.get(VARIABLE)
    if fault == f"kill:{step}":
        os.kill(os.getpid(), signal.SIGKILL)
    if fault != step:
        return
    if step == "swap":
        os.kill(os.getpid(), signal.SIGKILL)
    raise InjectedFault(f"injected failure at publish step {step!r} ({VARIABLE})")
