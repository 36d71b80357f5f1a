"""Equal answers: each theme's *by its tests* and *import only* lines, as a publish gave them.

Read from the published report, never recomputed: *import only* (with *only
this theme* and the *blind spots*) from `lines.json` (its format:
`covthemes.model.lines`), and *by its tests* from `baseline.json`, whose
contexts map each line to the contexts that ran it: the statements a context
`<theme>|...` ran, exactly as the publish's `LineThemes.of` reads them. In
phases mode those are `<theme>|tests`, in tests mode `<theme>|<test>|<phase>`;
the bare `<theme>` is the import. The floor compares the two modes' answers
(`differences`): they must be identical.
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
    def of(cls, lines: Mapping[str, Any], baseline: Mapping[str, Any]) -> Answers:
        sets: dict[str, dict[str, Lines]] = {
            name: {theme: _flat(files) for theme, files in lines[name].items()} for name in LISTINGS
        }
        sets[BLIND_SPOTS] = {"all themes": _flat(lines[BLIND_SPOTS])}
        sets[BY_TESTS] = by_tests(baseline, tuple(lines["import_only_lines"]))
        return cls(sets)

    @classmethod
    def read(cls, project: Path) -> Answers:
        layout = tool.load(project).layout
        return cls.of(json.loads(layout.lines_json.read_text()), json.loads(layout.baseline_json.read_text()))

    def count(self, listing: str) -> int:
        return sum(len(lines) for lines in self.sets[listing].values())


def _flat(files: Mapping[str, list[int]]) -> Lines:
    return frozenset((path, line) for path, lines in files.items() for line in lines)


def by_tests(baseline: Mapping[str, Any], themes: tuple[str, ...]) -> dict[str, Lines]:
    """Per theme, the executed statements one of its test contexts (`<theme>|...`) ran."""
    found: dict[str, set[tuple[str, int]]] = {theme: set() for theme in themes}
    for path, entry in baseline["files"].items():
        if "contexts" not in entry:
            raise ValueError(f"baseline.json has no contexts for {path}: set [json] show_contexts = True")
        contexts = entry["contexts"]
        for line in entry["executed_lines"]:
            for context in contexts.get(str(line), ()):
                if "|" in context and (theme := tool.theme_of(context)) in found:
                    found[theme].add((path, line))
    return {theme: frozenset(lines) for theme, lines in found.items()}


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
