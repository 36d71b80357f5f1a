"""The theme summary: numbers per theme and package, thresholds, and the verdict.

Every theme is counted over the same statements, the files of the merged
report: a file a theme never imported still counts, with nothing covered.
Packages are the measured folders, named by their path relative to the root.
The numbers come from the reports `covthemes.reports` built; `themes.json`
is `Summary.to_json()` and `summary.md` is `covthemes.markdown`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from covthemes.config import TOTAL, Settings
from covthemes.lines import LineListing
from covthemes.numbers import Numbers, Threshold
from covthemes.provenance import Provenance, Revision, now

FORMAT = 2
OTHER = "other"


@dataclass(frozen=True)
class Packages:
    """The measured folders, longest first, so a nested folder wins over its parent."""

    names: tuple[str, ...]

    @classmethod
    def of(cls, folders: Sequence[Path]) -> Packages:
        return cls(tuple(folder.as_posix() for folder in folders))

    def of_file(self, path: str) -> str:
        for name in sorted(self.names, key=len, reverse=True):
            if name in (".", "") or path == name or path.startswith(name + "/"):
                return name
        return OTHER


@dataclass(frozen=True)
class Counts:
    """A count of lines, in total and per package."""

    total: int
    packages: dict[str, int]

    @classmethod
    def of(cls, listing: Mapping[str, list[int]], packages: Packages) -> Counts:
        counts = dict.fromkeys(packages.names, 0)
        for path, lines in listing.items():
            name = packages.of_file(path)
            counts[name] = counts.get(name, 0) + len(lines)
        return cls(sum(counts.values()), counts)

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "packages": self.packages}


@dataclass(frozen=True)
class Coverage:
    """Numbers in total and per package."""

    total: Numbers
    packages: dict[str, Numbers]

    @classmethod
    def of(cls, report: Mapping[str, Any], scope: Mapping[str, Numbers], packages: Packages) -> Coverage:
        """`report`'s covered counts over the statements and branches of `scope`."""
        per_package = dict.fromkeys(packages.names, Numbers())
        for path, sizes in scope.items():
            summary = report["files"].get(path, {}).get("summary", {})
            row = Numbers(
                sizes.num_statements,
                summary.get("covered_lines", 0),
                sizes.num_branches,
                summary.get("covered_branches", 0),
            )
            name = packages.of_file(path)
            per_package[name] = per_package.get(name, Numbers()) + row
        return cls(sum(per_package.values(), Numbers()), per_package)

    def to_json(self, precision: int) -> dict[str, Any]:
        return {
            "total": self.total.to_json(precision),
            "packages": {name: n.to_json(precision) for name, n in self.packages.items()},
        }


@dataclass(frozen=True)
class ThemeResult:
    provenance: Provenance
    coverage: Coverage
    unique_lines: Counts
    import_only_lines: Counts
    threshold: Threshold | None

    @property
    def status(self) -> str:
        return self.provenance.status

    def tested_lines(self, package: str | None = None) -> int:
        """Statements this theme's tests ran: covered, less those it ran only at import."""
        if package is None:
            return self.coverage.total.covered_lines - self.import_only_lines.total
        return self.coverage.packages[package].covered_lines - self.import_only_lines.packages.get(package, 0)

    def to_json(self, precision: int) -> dict[str, Any]:
        record = self.provenance
        return {
            "status": record.status,
            "tests": record.tests,
            "outcomes": record.to_json()["outcomes"],
            "python": record.python,
            "git_revision": record.git_revision,
            "source_hash": record.source_hash,
            "started": record.started,
            "ended": record.ended,
            **self.coverage.to_json(precision),
            "unique_lines": self.unique_lines.to_json(),
            "import_only_lines": self.import_only_lines.to_json(),
            "threshold": self.threshold.to_json() if self.threshold else None,
        }


@dataclass(frozen=True)
class Summary:
    generated: str
    revision: Revision
    precision: int
    themes: dict[str, ThemeResult]
    total: Coverage
    threshold: Threshold | None
    uncovered_lines: Counts
    # Every file in scope, with its statements and branches: the rows of the
    # themed index. Not part of themes.json.
    scope: dict[str, Numbers]

    @property
    def failed_themes(self) -> list[str]:
        return [name for name, theme in self.themes.items() if theme.status != "passed"]

    @property
    def status(self) -> str:
        return "failed" if self.failed_themes else "passed"

    @property
    def tests(self) -> int:
        return sum(theme.provenance.tests for theme in self.themes.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "generated": self.generated,
            "status": self.status,
            "revision": {"git": self.revision.git, "source_hash": self.revision.source_hash},
            "precision": self.precision,
            "themes": {name: theme.to_json(self.precision) for name, theme in self.themes.items()},
            "total": self.total.to_json(self.precision),
            "threshold": self.threshold.to_json() if self.threshold else None,
            "uncovered_lines": self.uncovered_lines.to_json(),
            "lines_file": "lines.json",
        }


def scope_of(merged_report: Mapping[str, Any]) -> dict[str, Numbers]:
    """Every file in scope, with its statements and branches and nothing covered."""
    return {
        path: Numbers(entry["summary"]["num_statements"], 0, entry["summary"].get("num_branches", 0), 0)
        for path, entry in merged_report["files"].items()
    }


def build(
    settings: Settings,
    revision: Revision,
    records: Mapping[str, Provenance],
    packages: Packages,
    merged_report: Mapping[str, Any],
    theme_reports: Mapping[str, Mapping[str, Any]],
    listing: LineListing,
    precision: int,
) -> Summary:
    scope = scope_of(merged_report)
    themes = {}
    for theme in settings.themes:
        coverage = Coverage.of(theme_reports[theme], scope, packages)
        themes[theme] = ThemeResult(
            provenance=records[theme],
            coverage=coverage,
            unique_lines=Counts.of(listing.unique[theme], packages),
            import_only_lines=Counts.of(listing.import_only[theme], packages),
            threshold=Threshold.judge(settings.thresholds.get(theme), coverage.total, precision),
        )
    total = Coverage.of(merged_report, scope, packages)
    return Summary(
        generated=now(),
        revision=revision,
        precision=precision,
        themes=themes,
        total=total,
        threshold=Threshold.judge(settings.thresholds.get(TOTAL), total.total, precision),
        uncovered_lines=Counts.of(listing.uncovered, packages),
        scope=scope,
    )


def verdict(summary: Summary, settings: Settings, *, enforce_thresholds: bool) -> list[str]:
    """Reasons to exit non-zero once the report is published."""
    reasons = [
        f"theme {name!r} has failing tests (its report is published, marked failed): "
        f"fix them and run `{settings.rerun(name)}` then `{settings.publish_command}`"
        for name in summary.failed_themes
    ]
    if enforce_thresholds:
        checks = [(f"theme {name!r}", t.threshold, t.coverage.total) for name, t in summary.themes.items()]
        checks.append(("all themes", summary.threshold, summary.total.total))
        for name, threshold, numbers in checks:
            if threshold and not threshold.met:
                reasons.append(
                    f"{name} covers {numbers.display_covered(summary.precision)}%, below its threshold "
                    f"of {threshold.min_percent:g}% in [tool.covthemes.thresholds]"
                )
    return reasons
