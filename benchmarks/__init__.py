"""Speed measurements of the themed coverage pipeline at scale: `tox -e bench`.

Each section registers itself in `benchmarks.sections.SECTIONS` with what it
measures and the sections whose results it needs; `python -m benchmarks
--list` lists them:

- `at-scale` (`benchmarks.atscale`): the ways of getting per-test coverage
  of a whole suite (`benchmarks.arms`: one xdist run, and the themed matrix
  in parallel, with xdist and with shards) side by side on a synthetic
  suite (`benchmarks.synthetic`) and networkx's own tests
  (`benchmarks.thirdparty`);
- `publish` (`benchmarks.publish`): `covthemes publish` alone, repeated on
  the theme data `at-scale` leaves.

The harness measures a snapshot of the working tree (`benchmarks.clones`),
with tools from an environment of their own (`benchmarks.toolenv`), each
command timed by `benchmarks.pool`. It drives covthemes through its command
line; `benchmarks.tool` is the one module that imports covthemes' API.
`docs/performance.md` holds the latest figures and the goals they are
judged against.
"""
