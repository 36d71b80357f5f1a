#!/usr/bin/env python3
"""The job matrix of .github/workflows/tests.yml, made from tox's env list.

`tox -l | python3 scripts/ci_matrix.py --python 3.12` prints one line of JSON,
`{"include": [{"env": "py311", "python": "3.11"}, ...]}`, with an entry for
every env that .github/workflows/coverage.yml does not run: all but the `cov-`
envs, which coverage.yml runs one theme per job, then `cov-combine`. An env
with a `py3<minor>` factor runs on Python 3.<minor>; the others run on the
version given with `--python`. tests/pipeline/test_workflows.py runs the
workflow's step that calls this script, and fails when an env of the list is
run by neither workflow. Stdlib only: the workflow runs it with nothing but tox
installed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass

# The envs coverage.yml runs: cov-<theme> and cov-combine.
COVERAGE_PREFIX = "cov-"
_PYTHON_FACTOR = re.compile(r"^py3(\d+)$")


@dataclass(frozen=True)
class Job:
    """One job of the matrix: the tox env it runs, on the Python it needs."""

    env: str
    python: str


def python_of(env: str, default: str) -> str:
    """The Python version `env` names with a `py3<minor>` factor, else `default`."""
    for factor in env.split("-"):
        match = _PYTHON_FACTOR.match(factor)
        if match:
            return f"3.{match.group(1)}"
    return default


def jobs(envs: Iterable[str], default_python: str) -> list[Job]:
    """A job for each env coverage.yml does not run, in the order tox lists them."""
    return [Job(env, python_of(env, default_python)) for env in envs if not env.startswith(COVERAGE_PREFIX)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--python", required=True, help="the Python version of the envs with no py3<minor> factor"
    )
    args = parser.parse_args(argv)
    envs = [line.strip() for line in sys.stdin if line.strip()]
    if not envs:
        usage = "tox -l | python3 scripts/ci_matrix.py --python <version>"
        print(f"ci_matrix.py: no env names on stdin: run it as `{usage}`", file=sys.stderr)
        return 2
    print(json.dumps({"include": [asdict(job) for job in jobs(envs, args.python)]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
