"""The typed report: numbers per theme and package, written as `themes.json` and read back from it.

Every theme is counted over the same statements, the files of the merged
report: a file a theme never imported still counts, with nothing covered.
Packages are the measured folders, named by their path relative to the root.
Each theme's headline is `by_tests`: the statements and branches its tests
ran (its test contexts, `<theme>|...`), counted as coverage counts its
percent; `total` also counts what ran only at import. All themes keep
coverage's own figures. `ThemesReport.to_json()` is `themes.json` (format 4,
whose runs name their contexts mode and core) and `ThemesReport.from_json`
reads it back (format 3 too, whose runs were all in the tests mode), for `covthemes diff` and the
delta against a base report; the summary is built in `covthemes.publish.build`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from covthemes.model.packages import OTHER, Counts, Packages
from covthemes.model.percent import Numbers, Threshold
from covthemes.model.provenance import BEFORE_MODES, Outcomes, Provenance
from covthemes.model.revision import Revision
from covthemes.model.typed import FormatMismatch, read_int, read_map, read_str
from covthemes.settings.layout import LINES_JSON

__all__ = ["FORMAT", "OTHER", "Counts", "Figures", "Packages", "ThemeResult", "ThemeRun", "ThemesReport"]

FORMAT = 4
# Format 3 had no `contexts` and `core` in its runs; it is still read.
READABLE = (3, 4)
# The core of a format 3 run, which did not record it.
UNKNOWN_CORE = "unknown"
# The most decimals a percent is shown with; coverage's `[report] precision` is a small number.
MAX_PRECISION = 10
BY_TESTS = "by_tests"
PASSED = "passed"


@dataclass(frozen=True)
class Figures:
    """Numbers in total, per package and per file (the files are not part of `themes.json`)."""

    total: Numbers
    packages: dict[str, Numbers]
    files: dict[str, Numbers]

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total.to_json(),
            "packages": {name: n.to_json() for name, n in self.packages.items()},
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any], precision: int) -> Figures:
        packages = read_map(value.get("packages"), "packages")
        return cls(
            Numbers.from_json(read_map(value.get("total"), "total"), precision),
            {name: Numbers.from_json(read_map(n, name), precision) for name, n in packages.items()},
            {},
        )


@dataclass(frozen=True)
class ThemeRun:
    """What `themes.json` keeps of a theme's run record (`covthemes.model.provenance`)."""

    status: str
    tests: int
    outcomes: Outcomes
    python: str
    revision: Revision
    started: str
    ended: str
    # The contexts mode (`covthemes.settings.core`) and the coverage core(s) the run measured with.
    contexts: str
    core: str

    @classmethod
    def combined(cls, records: Sequence[Provenance]) -> ThemeRun:
        """One theme's run from its shards' records: failed if any failed, counts summed, time spanned."""
        first = records[0]
        outcomes = [record.outcomes for record in records]
        return cls(
            "failed" if any(r.status != PASSED for r in records) else PASSED,
            sum(record.tests for record in records),
            Outcomes(*(sum(getattr(o, name) for o in outcomes) for name in Outcomes.NAMES)),
            first.python,
            first.revision,
            min(record.started for record in records),
            max(record.ended for record in records),
            first.contexts,
            ", ".join(sorted({record.coverage_core for record in records})),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "tests": self.tests,
            "outcomes": self.outcomes.to_json(),
            "python": self.python,
            "git_revision": self.revision.git,
            "source_hash": self.revision.source_hash,
            "started": self.started,
            "ended": self.ended,
            "contexts": self.contexts,
            "core": self.core,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> ThemeRun:
        outcomes = read_map(value.get("outcomes"), "outcomes")
        return cls(
            read_str(value, "status"),
            read_int(value, "tests"),
            Outcomes(*(read_int(outcomes, name) for name in Outcomes.NAMES)),
            read_str(value, "python"),
            Revision(read_str(value, "git_revision", optional=True), read_str(value, "source_hash")),
            read_str(value, "started"),
            read_str(value, "ended"),
            read_str(value, "contexts") if "contexts" in value else BEFORE_MODES,
            read_str(value, "core") if "core" in value else UNKNOWN_CORE,
        )


@dataclass(frozen=True)
class ThemeResult:
    """One theme's figures; its headline, and what its threshold is judged on, is `by_tests`."""

    run: ThemeRun
    coverage: Figures
    only_this_theme: Counts
    import_only_lines: Counts
    threshold: Threshold | None
    by_tests: Figures

    @property
    def status(self) -> str:
        return self.run.status

    def tested_lines(self, package: str | None = None) -> int:
        """Statements this theme's tests ran: covered, less those it ran only at import."""
        if package is None:
            return self.coverage.total.covered_lines - self.import_only_lines.total
        return self.coverage.packages[package].covered_lines - self.import_only_lines.packages.get(package, 0)

    def to_json(self) -> dict[str, Any]:
        coverage = self.coverage.to_json()
        for name, numbers in coverage["packages"].items():
            numbers[BY_TESTS] = self.by_tests.packages[name].to_json()
        return {
            **self.run.to_json(),
            **coverage,
            BY_TESTS: self.by_tests.total.to_json(),
            "unique_lines": self.only_this_theme.to_json(),
            "import_only_lines": self.import_only_lines.to_json(),
            "threshold": self.threshold.to_json() if self.threshold else None,
        }

    @classmethod
    def from_json(cls, value: object, precision: int) -> ThemeResult:
        theme = read_map(value, "a theme")
        packages = read_map(theme.get("packages"), "packages")
        by_tests = Figures(
            Numbers.from_json(read_map(theme.get(BY_TESTS), BY_TESTS), precision),
            {
                name: Numbers.from_json(
                    read_map(read_map(n, name).get(BY_TESTS), f"{name}'s {BY_TESTS}"), precision
                )
                for name, n in packages.items()
            },
            {},
        )
        return cls(
            ThemeRun.from_json(theme),
            Figures.from_json(theme, precision),
            Counts.from_json(theme.get("unique_lines")),
            Counts.from_json(theme.get("import_only_lines")),
            Threshold.from_json(theme.get("threshold")),
            by_tests,
        )


@dataclass(frozen=True)
class ThemesReport:
    generated: str
    revision: Revision
    precision: int
    themes: dict[str, ThemeResult]
    all_themes: Figures
    threshold: Threshold | None
    blind_spots: Counts

    @property
    def failed_themes(self) -> list[str]:
        return [name for name, theme in self.themes.items() if theme.status != PASSED]

    @property
    def status(self) -> str:
        return "failed" if self.failed_themes else "passed"

    @property
    def contexts(self) -> str:
        """The contexts mode the themes were measured in (the publish refuses a mix)."""
        return next((theme.run.contexts for theme in self.themes.values()), BEFORE_MODES)

    @property
    def tests(self) -> int:
        return sum(theme.run.tests for theme in self.themes.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "generated": self.generated,
            "status": self.status,
            "revision": self.revision.to_json(),
            "precision": self.precision,
            "themes": {name: theme.to_json() for name, theme in self.themes.items()},
            "total": self.all_themes.to_json(),
            "threshold": self.threshold.to_json() if self.threshold else None,
            "uncovered_lines": self.blind_spots.to_json(),
            "lines_file": LINES_JSON,
        }

    @classmethod
    def from_json(cls, value: object) -> ThemesReport:
        """A `themes.json` read back; TypeError or KeyError say what does not fit format 4 (or 3).

        Format 2, which had no `by_tests`, is refused: its themes cannot be compared by their tests.
        """
        report = read_map(value, "the report")
        if report.get("format") not in READABLE:
            raise FormatMismatch(report.get("format"), FORMAT)
        precision = read_int(report, "precision")
        if not 0 <= precision <= MAX_PRECISION:
            raise TypeError(f"'precision' is {precision}, not a number of decimals from 0 to {MAX_PRECISION}")
        themes = read_map(report.get("themes"), "themes")
        return cls(
            generated=read_str(report, "generated"),
            revision=Revision.from_json(report.get("revision")),
            precision=precision,
            themes={name: ThemeResult.from_json(theme, precision) for name, theme in themes.items()},
            all_themes=Figures.from_json(read_map(report.get("total"), "total"), precision),
            threshold=Threshold.from_json(report.get("threshold")),
            blind_spots=Counts.from_json(report.get("uncovered_lines")),
        )
