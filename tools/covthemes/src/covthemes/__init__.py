"""covthemes: themed coverage for pytest and coverage.py.

Every test belongs to one or more themes: kinds of testing, such as
"integration" or "fuzzing". Each theme runs on its own under coverage with
its name as coverage's static context; the publish step merges the themes and
reports, for every line, which themes ran it.

Where things live:

- `config`: the `[tool.covthemes]` settings of the adopting repository;
- `coverage_config`: what the tool needs from the repository's coverage config;
- `plugin`: the pytest plugin (theme markers, selection by path, the unthemed-test guard);
- `runner`: `covthemes run THEME`, one theme under coverage;
- `layout`: every path of the output folder, published or working;
- `publish`: `covthemes publish`, the orchestrator of `check`, `reports`,
  `summarize`, the `writers` and `swap`, marked by the hook in `steps`;
- `summary` and `lines`: the typed report, written as `themes.json` and
  `lines.json` and read back through `published`;
- `diff`: `covthemes diff`, a subpackage;
- `cli`: the command line.

PYTEST_DONT_REWRITE: `covthemes run` imports this package before pytest
starts, so pytest could not rewrite its asserts (it has none to rewrite) and
would warn, an error under `filterwarnings = error`, when it marks the
plugin's package for rewriting.
"""

__version__ = "0.2.0"
