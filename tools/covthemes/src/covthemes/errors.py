"""Expected errors: what a user fixes, printed as one line each and exit 2.

Anything else that goes wrong is a bug, and the command line lets its
traceback show (`covthemes.cli`).
"""

from __future__ import annotations


class CovthemesError(Exception):
    """An expected error: its message names what is wrong and the fix."""

    def __init__(self, *problems: str) -> None:
        super().__init__(*problems)
        self.problems: tuple[str, ...] = problems

    def __str__(self) -> str:
        return "\n".join(self.problems)


class ConfigError(CovthemesError):
    """`[tool.covthemes]` or the coverage config cannot be used as written."""


class PublishRefused(CovthemesError):
    """Nothing was published: the theme data is not fit to publish, or the publish could not write.

    `had_report` tells whether a previous report exists, which is then unchanged.
    """

    def __init__(self, *problems: str, had_report: bool = True) -> None:
        super().__init__(*problems)
        self.had_report = had_report


class InjectedFault(CovthemesError):
    """A failure injected with COVTHEMES_FAULT, to prove a step fails safely."""
