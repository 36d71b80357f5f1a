"""Speed measurements of the themed coverage pipeline: `tox -e bench`.

The harness never measures the working tree itself: it snapshots the tracked
and untracked files into a temporary git repository (`benchmarks.clones`) and
runs every command in fresh clones of it, with a scrubbed environment
(`benchmarks.procs`). Sections, each in its own module:

- `benchmarks.warm`: P1, the warm themed matrix against a plain and a single
  pytest-cov run of the whole suite;
- `benchmarks.cold`: P2, cold setup with tox-uv against virtualenv + pip;
- `benchmarks.scaling`: P3, publish time and size on synthetic projects
  (`benchmarks.synth` writes them, `benchmarks.record` measures them);
- `benchmarks.pages`: P4, the themed HTML pages of P3's projects: their
  share of the publish, their weight, and the index's time to interactive in
  Chromium (`benchmarks.browser`);
- `benchmarks.tracing`: plain, `--cov` and `--cov --cov-context=test` per
  theme and Python version, and which coverage core ran;
- `benchmarks.atscale`: P6, run only with `--only p6`: the ways of getting
  per-test coverage (`benchmarks.arms`: one xdist run, the themed matrix,
  the themed matrix with xdist) side by side on a synthetic suite
  (`benchmarks.synth_suite`) and networkx's own tests
  (`benchmarks.thirdparty`), in an environment of its own
  (`benchmarks.toolenv`), each command timed by `benchmarks.pool`.

`python -m benchmarks --help` lists the options; `docs/performance.md` holds
the latest results and the goals they are judged against. Only the standard
library, coverage and covthemes (for `[tool.covthemes]` and the publish it
times) are used, plus Playwright for P4's browser timings, imported only
there, so the harness runs wherever tox does; nothing is imported from
`tests/`. P6 installs what it measures (pytest-xdist, pytest-split,
networkx's sdist) into its own environment, never into the `bench` env.
"""
