"""Collection guard: every test belongs to a roadmap theme.

A test without a theme marker would run in no `cov-<theme>` environment and
so be measured by nobody. Collection fails and names each such test. Tests of
the coverage pipeline itself carry the `pipeline` marker instead; they run in
their own tox environment, outside the themed runs.
"""

import pytest

from covthemes import THEMES

CATEGORIES = (*THEMES, "pipeline")


def pytest_collection_modifyitems(config, items):
    unthemed = [
        item.nodeid
        for item in items
        if not any(item.get_closest_marker(name) for name in CATEGORIES)
    ]
    if unthemed:
        listing = "\n  ".join(unthemed)
        raise pytest.UsageError(
            f"{len(unthemed)} test(s) have no theme marker; add "
            f"`pytestmark = pytest.mark.<theme>` (one of: {', '.join(THEMES)}) "
            f"to their module:\n  {listing}"
        )
