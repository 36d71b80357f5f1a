"""The changed statements of a working tree against a git ref, and which themes cover them.

diff-cover computes the changed lines between the ref and the working tree,
and the changed-line coverage of each theme's own Cobertura report
(`themes/<theme>.xml`); here the themes are put together: each theme's
figures, all themes together, the changed statements no theme runs, and
those only import time runs (from `lines.json`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from covthemes.errors import CovthemesError
from covthemes.git import git
from covthemes.model.lines import LineListing
from covthemes.model.percent import percent
from covthemes.settings.config import ALL_THEMES, Settings

Line = tuple[str, int]


@dataclass(frozen=True)
class ChangedNumbers:
    """How many changed statements there are, and how many a theme (or all themes) covers."""

    changed_statements: int
    covered: int

    @property
    def percent(self) -> float:
        return percent(self.covered, self.changed_statements)


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
    # Every file the change touches, relative to the root.
    touched: frozenset[str] = frozenset()

    def numbers(self, name: str) -> ChangedNumbers:
        """A theme's figures, or all themes' under `total`."""
        if name == ALL_THEMES:
            return ChangedNumbers(len(self.statements), len(self.statements - self.blind_spots))
        return ChangedNumbers(len(self.statements), len(self.covered_by[name]))

    @property
    def blind_spots(self) -> frozenset[Line]:
        covered = frozenset().union(*self.covered_by.values())
        return self.statements - covered


def resolve_base(root: Path, ref: str | None) -> Base:
    """The commit to compare with: `ref`, or the merge base with the upstream default branch."""
    if ref is None:
        upstream = git(root, "rev-parse", "--abbrev-ref", "origin/HEAD")
        merge_base = git(root, "merge-base", "HEAD", upstream) if upstream else None
        if not merge_base:
            raise CovthemesError(
                "no upstream default branch (origin/HEAD) to compare with: pass --base REF, "
                "for example --base origin/main"
            )
        return Base(f"merge base with {upstream}", merge_base)
    commit = git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if not commit:
        raise CovthemesError(
            f"unknown git ref {ref!r}: pass --base a branch, tag or commit that exists here "
            "(git fetch it first)"
        )
    return Base(ref, commit)


def changed_lines(settings: Settings, base: Base, listing: LineListing) -> ChangedLines:
    """Run diff-cover on each theme's Cobertura report against `base`."""
    try:
        from diff_cover.diff_reporter import GitDiffReporter
        from diff_cover.git_diff import GitDiffTool
        from diff_cover.git_path import GitPathTool
        from diff_cover.report_generator import JsonReportGenerator
        from diff_cover.violationsreporters.violations_reporter import XmlCoverageReporter
    except ImportError:
        raise CovthemesError("covthemes diff needs diff-cover: pip install 'covthemes[diff]'") from None

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
        xml = settings.layout.theme_report(theme, "xml")
        if not xml.is_file():
            raise CovthemesError(
                f"{settings.layout.shown(xml)} is missing: run `{settings.publish_command}` first"
            )
        report = JsonReportGenerator(XmlCoverageReporter([ET.parse(xml)]), diff).report_dict()
        covered: set[Line] = set()
        for path, stats in report["src_stats"].items():
            covered.update((path, line) for line in stats["covered_lines"])
            statements.update((path, line) for line in stats["covered_lines"])
            statements.update((path, line) for line in stats["violation_lines"])
        covered_by[theme] = frozenset(covered)
    at_import = _import_only(settings, listing, statements, covered_by)
    return ChangedLines(base, frozenset(statements), covered_by, at_import, _touched(settings.root, diff))


def _touched(root: Path, diff: Any) -> frozenset[str]:
    """The files the change touches, relative to `root` (diff-cover names them from the git top level)."""
    top = git(root, "rev-parse", "--show-toplevel")
    base = Path(top) if top else root
    found = set()
    for name in diff.src_paths_changed():
        path = (base / name).resolve()
        if path.is_relative_to(root.resolve()):
            found.add(path.relative_to(root.resolve()).as_posix())
    return frozenset(found)


def _import_only(
    settings: Settings, listing: LineListing, statements: set[Line], covered_by: dict[str, frozenset[Line]]
) -> frozenset[Line]:
    """Changed statements some theme covers, each only at import."""
    at_import = {
        theme: {(path, line) for path, lines in listing.import_only.get(theme, {}).items() for line in lines}
        for theme in settings.themes
    }
    result = set()
    for statement in statements:
        themes = [t for t in settings.themes if statement in covered_by[t]]
        if themes and all(statement in at_import[t] for t in themes):
            result.add(statement)
    return frozenset(result)
