"""Measure one theme of a synthetic project, the way pytest-cov would, in a child process.

    python -m benchmarks.record N_TESTS THEME      (cwd: the synthetic project)

Real execution under coverage's API, not hand-written data: a `Coverage`
with the theme as static context (what `COVERAGE_CONTEXT` does in the real
runs) imports every module, as collection does, then switches to each test's
`<node id>|setup` and `<node id>|run` context, as `--cov-context=test` does,
and calls the code. The provenance sidecar is written with covthemes' own
code, so the real publish step accepts the data as fresh.
"""

from __future__ import annotations

import importlib
import platform
import sys
from pathlib import Path

import coverage
from benchmarks import synth


def main(n_tests: int, theme: str) -> int:
    from covthemes import DATA_DIR, THEMES, data_file, provenance

    root = Path.cwd()
    (root / DATA_DIR).mkdir(parents=True, exist_ok=True)
    plan = [t for t in synth.tests(n_tests, THEMES) if t.theme == theme]
    cov = coverage.Coverage(data_file=str(data_file(theme)), config_file=".coveragerc", context=theme)
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
    provenance.write(
        root,
        theme,
        {
            "theme": theme,
            "status": "passed",
            "pytest_exit_code": 0,
            "tests": len(plan),
            "outcomes": {"passed": len(plan), "failed": 0, "skipped": 0, "errors": 0},
            "git_revision": None,
            "source_hash": provenance.source_hash(root),
            "python": platform.python_version(),
            "coverage_version": coverage.__version__,
            "data_file": data_file(theme).as_posix(),
            "data_sha256": provenance.file_sha256(root / data_file(theme)),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), sys.argv[2]))
