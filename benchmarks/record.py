"""Measure one theme of a synthetic project, the way `covthemes run` would, in a child process.

    python -m benchmarks.record N_TESTS THEME      (cwd: the synthetic project)

Real execution under coverage's API, not hand-written data: a `Coverage` on
the project's own coverage config (`covthemes.settings.coverage_config.open_coverage`,
which writes exactly the theme's data file of `[tool.covthemes]`), with the
theme as static context (what `COVERAGE_CONTEXT` does in the real runs),
imports every module, as collection does, then switches to each test's
`<node id>|setup` and `<node id>|run` context, as `--cov-context=test` does,
and calls the code. The provenance sidecar is a `covthemes.model.provenance.Provenance`
written with covthemes' own `write`, with the revision covthemes computes
(`Revision.of`), so the real publish step accepts the data as fresh.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from benchmarks import synth


def main(n_tests: int, theme: str) -> int:
    from covthemes.model import provenance
    from covthemes.model.provenance import Outcomes, Provenance
    from covthemes.model.revision import Revision
    from covthemes.settings import config, coverage_config

    root = Path.cwd()
    settings = config.load(root)
    coverage_config.check(settings)
    data_file = root / settings.data_file(theme)
    data_file.parent.mkdir(parents=True, exist_ok=True)
    plan = [t for t in synth.tests(n_tests, settings.themes) if t.theme == theme]
    started = provenance.now()
    cov = coverage_config.open_coverage(settings, data_file, context=theme)
    cov.erase()
    cov.start()
    try:
        core = importlib.import_module(f"{synth.PACKAGES[0]}.core")
        loaded = {
            (package, module): importlib.import_module(f"{package}.{module}")
            for package, module in synth.modules(n_tests)
        }
        for test in plan:
            cov.switch_context(f"{test.nodeid}|setup")
            state = core.fixture()
            cov.switch_context(f"{test.nodeid}|run")
            core.handle(test.index, state)
            module = loaded[(test.package, test.module)]
            for k in test.calls:
                getattr(module, f"step_{k}")(test.index)
    finally:
        cov.stop()
    cov.save()
    revision = Revision.of(root, coverage_config.source_folders(settings, cov))
    record = Provenance.of_run(
        root,
        settings.data_file(theme),
        theme=theme,
        status="passed",
        exit_code=0,
        tests=len(plan),
        outcomes=Outcomes(passed=len(plan)),
        started=started,
        revision=revision,
    )
    provenance.write(root / settings.provenance_file(theme), record)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), sys.argv[2]))
