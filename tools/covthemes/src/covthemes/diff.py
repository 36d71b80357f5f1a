"""`covthemes diff`: which themes cover the lines a change touched.

It reads a published report. diff-cover computes the changed lines between a
git ref and the working tree, and the changed-line coverage of each theme's
own Cobertura report (`themes/<theme>.xml`); this module puts the themes
together: each theme's figures, all themes together, the changed statements
no theme runs, and those only import time runs (from `lines.json`). The
comparison with a base branch's `themes.json` is `covthemes.diff_delta`; the
markdown and JSON are `covthemes.diff_output`.
"""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from covthemes.config import Settings
from covthemes.errors import CovthemesError
from covthemes.summary import FORMAT as THEMES_FORMAT

Line = tuple[str, int]


@dataclass(frozen=True)
class ChangedNumbers:
    """How many changed statements there are, and how many a theme (or all themes) covers."""

    changed_statements: int
    covered: int

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.changed_statements if self.changed_statements else 100.0


@dataclass(frozen=True)
class Base:
    ref: str
    commit: str


@dataclass(frozen=True)
class ChangedLines:
    """The changed statements of a working tree against a base, and who covers them."""

    base: Base
    statements: frozenset[Line]
    covered_by: dict[str, frozenset[Line]]
    import_only: frozenset[Line]

    def theme(self, name: str) -> ChangedNumbers:
        return ChangedNumbers(len(self.statements), len(self.covered_by[name]))

    @property
    def all_themes(self) -> ChangedNumbers:
        return ChangedNumbers(len(self.statements), len(self.statements - self.uncovered))

    @property
    def uncovered(self) -> frozenset[Line]:
        covered = frozenset().union(*self.covered_by.values())
        return self.statements - covered


def _git(root: Path, *args: str) -> str | None:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def resolve_base(root: Path, ref: str | None) -> Base:
    """The commit to compare with: `ref`, or the merge base with the upstream default branch."""
    if ref is None:
        upstream = _git(root, "rev-parse", "--abbrev-ref", "origin/HEAD")
        merge_base = _git(root, "merge-base", "HEAD", upstream) if upstream else None
        if not merge_base:
            raise CovthemesError(
                "no upstream default branch (origin/HEAD) to compare with: pass --base REF, "
                "for example --base origin/main"
            )
        return Base(f"merge base with {upstream}", merge_base)
    commit = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if not commit:
        raise CovthemesError(
            f"unknown git ref {ref!r}: pass --base a branch, tag or commit that exists here "
            "(git fetch it first)"
        )
    return Base(ref, commit)


def read_published(settings: Settings) -> dict[str, Any]:
    """The published themes.json, refusing a missing report or one of another format."""
    path = settings.root / settings.output / "themes.json"
    if not path.is_file():
        raise CovthemesError(
            f"no published report ({path.relative_to(settings.root)}): run `{settings.publish_command}` first"
        )
    report: dict[str, Any] = json.loads(path.read_text())
    if report.get("format") != THEMES_FORMAT:
        raise CovthemesError(
            f"{path.relative_to(settings.root)} is format {report.get('format')}, not {THEMES_FORMAT}: "
            f"run `{settings.publish_command}` again with this covthemes"
        )
    return report


def changed_lines(settings: Settings, base: Base) -> ChangedLines:
    """Run diff-cover on each theme's Cobertura report against `base`."""
    try:
        from diff_cover.diff_reporter import GitDiffReporter
        from diff_cover.git_diff import GitDiffTool
        from diff_cover.git_path import GitPathTool
        from diff_cover.report_generator import JsonReportGenerator
        from diff_cover.violationsreporters.violations_reporter import XmlCoverageReporter
    except ImportError:
        raise CovthemesError("covthemes diff needs diff-cover: pip install 'covthemes[diff]'") from None

    published = settings.root / settings.output
    # diff-cover resolves the report's file names against the git root it
    # finds from here; its command line does the same before it starts.
    GitPathTool.set_cwd(str(settings.root))
    diff = GitDiffReporter(
        compare_branch=base.commit,
        git_diff=GitDiffTool("...", ignore_whitespace=False),
        include_untracked=True,
        supported_extensions=["py"],
    )
    statements: set[Line] = set()
    covered_by: dict[str, frozenset[Line]] = {}
    for theme in settings.themes:
        xml = published / "themes" / f"{theme}.xml"
        if not xml.is_file():
            raise CovthemesError(
                f"{xml.relative_to(settings.root)} is missing: run `{settings.publish_command}` first"
            )
        report = JsonReportGenerator(XmlCoverageReporter([ET.parse(xml)]), diff).report_dict()
        covered: set[Line] = set()
        for path, stats in report["src_stats"].items():
            covered.update((path, line) for line in stats["covered_lines"])
            statements.update((path, line) for line in stats["covered_lines"])
            statements.update((path, line) for line in stats["violation_lines"])
        covered_by[theme] = frozenset(covered)
    return ChangedLines(
        base, frozenset(statements), covered_by, _import_only(settings, statements, covered_by)
    )


def _import_only(
    settings: Settings, statements: set[Line], covered_by: dict[str, frozenset[Line]]
) -> frozenset[Line]:
    """Changed statements some theme covers, each only at import."""
    listing = json.loads((settings.root / settings.output / "lines.json").read_text())
    at_import = {
        theme: {
            (path, line)
            for path, lines in listing["import_only_lines"].get(theme, {}).items()
            for line in lines
        }
        for theme in settings.themes
    }
    result = set()
    for statement in statements:
        themes = [t for t in settings.themes if statement in covered_by[t]]
        if themes and all(statement in at_import[t] for t in themes):
            result.add(statement)
    return frozenset(result)
