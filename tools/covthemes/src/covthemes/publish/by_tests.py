"""Each theme's *by its tests* counts per file: the statements and branches its tests ran.

A theme's tests record their lines and arcs under `<theme>|tests` (the
phases mode) or `<theme>|<test>|<phase>` (the tests mode) contexts; what ran
at import is under the bare `<theme>` context (`covthemes.model.lines`).
Querying the merged data for the anchored `^<theme>\\|` contexts and
letting coverage analyse each file counts them exactly as coverage counts its
percent: statements and branches, a branch counted when one of those contexts
took it. The figures are assembled per
package in `covthemes.publish.build`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from coverage import Coverage

from covthemes.model.percent import Numbers

ByTests = dict[str, dict[str, Numbers]]


def test_contexts(theme: str) -> str:
    """The regex of `theme`'s test contexts, anchored (`re.search` would match any theme containing it)."""
    return f"^{re.escape(theme)}\\|"


def count(merged: Coverage, files: Iterable[str], themes: Sequence[str]) -> ByTests:
    """For each theme, each of `files` (as the merged data names them) counted over its test contexts.

    Uses coverage's private `_analyze`, the analysis behind its own reports;
    the query contexts are reset to all before this returns.
    """
    data = merged.get_data()
    paths = list(files)
    counts: ByTests = {}
    try:
        for theme in themes:
            data.set_query_contexts([test_contexts(theme)])
            per_file = counts[theme] = {}
            for path in paths:
                numbers = merged._analyze(path).numbers
                per_file[path] = Numbers(
                    numbers.n_statements, numbers.n_executed, numbers.n_branches, numbers.n_executed_branches
                )
    finally:
        data.set_query_contexts(None)
    return counts
