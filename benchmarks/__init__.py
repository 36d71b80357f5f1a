"""Speed measurements of the themed coverage pipeline at scale: `tox -e bench`.

Each section registers itself in `benchmarks.sections.SECTIONS` with what it
measures and the sections it needs (`python -m benchmarks --list`): `at-scale`
(`benchmarks.atscale`), `publish` (`benchmarks.publish`) and `floor`
(`benchmarks.floor`). The harness
measures a snapshot of the working tree with tools from an environment of
their own, drives covthemes through its command line, and imports its API
in `benchmarks.tool` alone. `docs/performance.md` holds the figures and goals.
"""
