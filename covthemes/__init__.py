"""Themed coverage: measure each roadmap theme on its own, merge, and publish.

The theme list below is the single source of truth. `pytest.ini` markers and
the `tox.ini` factors are copies of it, kept in step by
`tests/unit/api/test_repo_contracts.py`.
"""

THEMES = ("architecture", "reliability", "security")
