"""Equal answers: each theme's *by its tests* and *import only* statements, as a publish gave them.

Read from the published report, never recomputed: *import only* (with *only
this theme* and the *blind spots*) from `lines.json` (its format:
`covthemes.model.lines`), and *by its tests* as the statements coverage's own
report of the theme (`themes/<theme>.json`) counts as executed, less its
*import only* ones. Both are statements, as coverage analyses them, so a core
that records a multi-line statement on another of its lines answers alike.
The floor compares the two modes' answers (`differences`): they must be
identical.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import tool

Lines = frozenset[tuple[str, int]]  # (file, line)
LISTINGS = ("unique_lines", "import_only_lines")  # per theme in lines.json
BLIND_SPOTS, BY_TESTS = "uncovered_lines", "by_tests"
# Each listing's name in the docs (the JSON keys keep their older spellings).
NAMES = {
    BY_TESTS: "by its tests",
    "import_only_lines": "import only",
    "unique_lines": "only this theme",
    BLIND_SPOTS: "blind spots",
}


@dataclass(frozen=True)
class Answers:
    """Per listing (`NAMES`), per theme, the lines it holds."""

    sets: Mapping[str, Mapping[str, Lines]]

    @classmethod
    def of(cls, lines: Mapping[str, Any], executed: Mapping[str, Mapping[str, list[int]]]) -> Answers:
        """From `lines.json` and, per theme, the statements its own report counts as executed, per file."""
        sets: dict[str, dict[str, Lines]] = {
            name: {theme: _flat(files) for theme, files in lines[name].items()} for name in LISTINGS
        }
        sets[BLIND_SPOTS] = {"all themes": _flat(lines[BLIND_SPOTS])}
        imported = sets["import_only_lines"]
        sets[BY_TESTS] = {theme: _flat(executed[theme]) - imported[theme] for theme in imported}
        return cls(sets)

    @classmethod
    def read(cls, project: Path) -> Answers:
        settings = tool.load(project)
        layout = settings.layout
        executed = {
            theme: {
                path: entry["executed_lines"]
                for path, entry in json.loads(layout.theme_report(theme, "json").read_text())["files"].items()
            }
            for theme in settings.themes
        }
        return cls.of(json.loads(layout.lines_json.read_text()), executed)

    def count(self, listing: str) -> int:
        return sum(len(lines) for lines in self.sets[listing].values())


def _flat(files: Mapping[str, list[int]]) -> Lines:
    return frozenset((path, line) for path, lines in files.items() for line in lines)


def differences(phases: Answers, tests: Answers, shown: int = 3) -> list[str]:
    """What differs between the two modes' answers, one line per listing and theme; empty when equal."""
    found = []
    for listing in sorted(phases.sets.keys() | tests.sets.keys()):
        mine, theirs = phases.sets.get(listing, {}), tests.sets.get(listing, {})
        for theme in sorted(mine.keys() | theirs.keys()):
            a, b = mine.get(theme, frozenset()), theirs.get(theme, frozenset())
            if a != b:
                only_a, only_b = sorted(a - b), sorted(b - a)
                name = NAMES.get(listing, listing)
                found.append(
                    f"{name} of {theme}: {len(only_a)} line(s) only in phases mode {only_a[:shown]}, "
                    f"{len(only_b)} only in tests mode {only_b[:shown]}"
                )
    return found
