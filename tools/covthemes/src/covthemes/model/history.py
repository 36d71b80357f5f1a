"""The coverage history: one entry per commit, `history.json` (format 1), for the index's trend chart.

`covthemes history add --history PATH` (`covthemes.publish.command`)
appends the published report to the history at PATH, and prunes it to the
newest entries. `covthemes publish --history PATH`
draws the history, with the report being published as its newest point, on
the index (`covthemes.render.chart`). The history lives wherever the user keeps
it (a data branch, say), not in the output folder, so it is no published
output of `covthemes.settings.layout`. The format is documented in the README.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from covthemes import atomic
from covthemes.model import loader
from covthemes.model.revision import Revision
from covthemes.model.themes import ThemeResult, ThemesReport
from covthemes.model.typed import FormatMismatch, read_int, read_list, read_map, read_number, read_str
from covthemes.settings.config import ALL_THEMES

FORMAT = 1
# Entries kept by default: about two years of a busy default branch, ~250 KB of JSON.
DEFAULT_KEEP = 500
KIND = "history"
FIX = (
    "restore its last good version (on a data branch, from `git log -- history.json`), "
    "or delete it to start a new history"
)


@dataclass(frozen=True)
class ThemePoint:
    """One theme's numbers at one commit: `by_tests` its headline (None in an entry from before it)."""

    percent: float
    covered_lines: int
    only_this_theme: int
    import_only_lines: int
    by_tests: float | None = None

    @classmethod
    def of(cls, theme: ThemeResult) -> ThemePoint:
        total = theme.coverage.total
        return cls(
            total.percent_covered,
            total.covered_lines,
            theme.only_this_theme.total,
            theme.import_only_lines.total,
            theme.by_tests.total.percent_covered,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "percent": self.percent,
            "covered_lines": self.covered_lines,
            "unique_lines": self.only_this_theme,
            "import_only_lines": self.import_only_lines,
            "by_tests_percent": self.by_tests,
        }

    @classmethod
    def from_json(cls, value: object) -> ThemePoint:
        point = read_map(value, "a theme's point")
        return cls(
            read_number(point, "percent"),
            read_int(point, "covered_lines"),
            read_int(point, "unique_lines"),
            read_int(point, "import_only_lines"),
            read_number(point, "by_tests_percent") if point.get("by_tests_percent") is not None else None,
        )


@dataclass(frozen=True)
class AllThemesPoint:
    """All themes' numbers at one commit: the percent, the covered lines and the blind spots."""

    percent: float
    covered_lines: int
    blind_spots: int

    @classmethod
    def of(cls, summary: ThemesReport) -> AllThemesPoint:
        total = summary.all_themes.total
        return cls(total.percent_covered, total.covered_lines, summary.blind_spots.total)

    def to_json(self) -> dict[str, Any]:
        return {"percent": self.percent, "covered_lines": self.covered_lines, "blind_spots": self.blind_spots}

    @classmethod
    def from_json(cls, value: object) -> AllThemesPoint:
        point = read_map(value, f"{ALL_THEMES!r}")
        return cls(
            read_number(point, "percent"), read_int(point, "covered_lines"), read_int(point, "blind_spots")
        )


@dataclass(frozen=True)
class HistoryEntry:
    """One published report: its commit (or, without git, its source hash), its time and its numbers."""

    revision: Revision
    time: str
    themes: Mapping[str, ThemePoint]
    all_themes: AllThemesPoint

    @classmethod
    def of(cls, summary: ThemesReport) -> HistoryEntry:
        return cls(
            summary.revision,
            summary.generated,
            {name: ThemePoint.of(theme) for name, theme in summary.themes.items()},
            AllThemesPoint.of(summary),
        )

    @property
    def key(self) -> str:
        """What one entry per commit means: the commit, or the source hash where there is no git."""
        return self.revision.git or self.revision.source_hash

    def to_json(self) -> dict[str, Any]:
        return {
            "revision": self.revision.git,
            "source_hash": self.revision.source_hash,
            "time": self.time,
            "themes": {name: point.to_json() for name, point in self.themes.items()},
            ALL_THEMES: self.all_themes.to_json(),
        }

    @classmethod
    def from_json(cls, value: object) -> HistoryEntry:
        entry = read_map(value, "an entry")
        themes = read_map(entry.get("themes"), "its themes")
        return cls(
            Revision(read_str(entry, "revision", optional=True), read_str(entry, "source_hash")),
            read_str(entry, "time"),
            {name: ThemePoint.from_json(point) for name, point in themes.items()},
            AllThemesPoint.from_json(entry.get(ALL_THEMES)),
        )


@dataclass(frozen=True)
class History:
    """The entries, oldest first."""

    entries: tuple[HistoryEntry, ...] = ()

    def with_entry(self, entry: HistoryEntry, keep: int = DEFAULT_KEEP) -> History:
        """This history with `entry` in place of its commit's entry, ordered by time, the newest `keep`."""
        others = [e for e in self.entries if e.key != entry.key]
        # sorted() is stable and `entry` comes last: it stays after entries of the same second.
        ordered = sorted([*others, entry], key=lambda e: e.time)
        return History(tuple(ordered[-keep:]))

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "entries": [entry.to_json() for entry in self.entries]}

    @classmethod
    def from_json(cls, value: object) -> History:
        """A `history.json` read back; TypeError or KeyError say what does not fit format 1."""
        document = read_map(value, "the history")
        if document.get("format") != FORMAT:
            raise FormatMismatch(document.get("format"), FORMAT)
        return cls(tuple(HistoryEntry.from_json(e) for e in read_list(document.get("entries"), "'entries'")))


def read(path: Path) -> History:
    """The history at `path`, empty when there is none yet; a broken one is a CovthemesError naming it."""
    if not path.exists():
        return History()
    return loader.load(path, f"--history {path}", KIND, History.from_json, FIX)


def lock_file(path: Path) -> Path:
    """The lock beside the history at `path` that `covthemes history add` holds while it adds."""
    return path.with_name(path.name + ".lock")


def write(path: Path, history: History) -> None:
    """Write `history` to `path` whole: a reader sees the old file or the new one, never part of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_json(path, history.to_json(), indent=1)
