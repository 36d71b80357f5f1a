"""Which themes ran each statement: the lines only one theme runs, and the lines none runs.

A context is `<theme>` for lines run at import time and
`<theme>|<test node id>|<phase>` for lines run by a test (pytest-cov's
`--cov-context=test` joined to the static context), so the theme of a context
is the text before its first `|`. Everything here is computed in one pass
over each file's contexts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Listing = dict[str, list[int]]


def theme_of(context: str) -> str:
    return context.split("|", 1)[0]


@dataclass(frozen=True)
class LineThemes:
    """For one file, the themes whose contexts ran each statement."""

    missing: tuple[int, ...]
    themes: Mapping[int, frozenset[str]]

    @classmethod
    def of(
        cls, entry: Mapping[str, Any], contexts: Mapping[int, Sequence[str]], known: frozenset[str]
    ) -> LineThemes:
        executed, missing = entry["executed_lines"], entry["missing_lines"]
        themes = {}
        for line in executed:
            ran = frozenset(theme_of(c) for c in contexts.get(line, ())) & known
            if ran:
                themes[line] = ran
        return cls(tuple(sorted(missing)), themes)

    def only(self, theme: str) -> list[int]:
        """Statements that `theme` ran and no other theme did."""
        return sorted(line for line, ran in self.themes.items() if ran == {theme})


@dataclass(frozen=True)
class LineListing:
    """`lines.json`: the file and line listings behind the summary's line counts."""

    unique: dict[str, Listing]
    uncovered: Listing

    @classmethod
    def of(
        cls,
        merged_report: Mapping[str, Any],
        contexts: Mapping[str, Mapping[int, Sequence[str]]],
        themes: Sequence[str],
    ) -> LineListing:
        known = frozenset(themes)
        unique: dict[str, Listing] = {theme: {} for theme in themes}
        uncovered: Listing = {}
        for path, entry in merged_report["files"].items():
            lines = LineThemes.of(entry, contexts.get(path, {}), known)
            for theme in themes:
                only = lines.only(theme)
                if only:
                    unique[theme][path] = only
            if lines.missing:
                uncovered[path] = list(lines.missing)
        return cls(unique, uncovered)

    def to_json(self) -> dict[str, Any]:
        return {"format": 1, "unique_lines": self.unique, "uncovered_lines": self.uncovered}
