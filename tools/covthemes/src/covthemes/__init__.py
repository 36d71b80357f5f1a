"""covthemes: themed coverage for pytest and coverage.py.

Every test belongs to one or more themes: kinds of testing, such as
"integration" or "fuzzing". Each theme runs on its own under coverage with
its name as coverage's static context; the publish step merges the themes and
reports, for every line, which themes ran it.

The sub-packages are layered, each importing only those below it (the
contract is `[tool.importlinter]` in the monorepo's pyproject.toml): `cli`;
the verb families `run`, `publish` and `diff`; `render`, the report's pages
and tables; `model`, the typed report, provenance and history; `settings`,
the configuration and the output folder's layout; and the shared leaves
`lock`, above `atomic` and `git`, above `errors`.

PYTEST_DONT_REWRITE: `covthemes run` imports this package before pytest
starts, so pytest could not rewrite its asserts (it has none to rewrite) and
would warn, an error under `filterwarnings = error`, when it marks the
plugin's package for rewriting.
"""

__version__ = "0.3.0"
