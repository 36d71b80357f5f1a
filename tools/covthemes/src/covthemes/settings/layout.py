"""The output folder's layout: every path covthemes publishes, reads back or works in.

This module is the one owner of those names. The published folder and the
staging folder a publish builds share one layout, so `Layout(staging)` names
the staged files exactly as `Layout(output)` names the published ones, and
the swap moves `OUTPUTS`, the published entries, from one to the other.
What each output holds is documented in the report's README.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coverage.files import flat_rootname

from covthemes.settings.shards import Shard

THEMES_JSON = "themes.json"
LINES_JSON = "lines.json"
SUMMARY_MD = "summary.md"
INDEX_HTML = "index.html"
# The themed page of each measured file (`page_name`), with the shared stylesheet and script.
PAGES = "files"
STYLESHEET = "report.css"
SCRIPT = "report.js"
ASSETS = (STYLESHEET, SCRIPT)
# coverage.py's own HTML report, with the per-test contexts.
COVERAGE_HTML = "html"
# Each theme's own JSON, LCOV and Cobertura reports.
THEME_REPORTS = "themes"
BADGES = "badges"
BASELINE_JSON = "baseline.json"

# Every published entry, in the order the swap moves them in.
OUTPUTS = (
    COVERAGE_HTML,
    BASELINE_JSON,
    THEME_REPORTS,
    THEMES_JSON,
    LINES_JSON,
    SUMMARY_MD,
    PAGES,
    INDEX_HTML,
    BADGES,
)

# The working names, never published.
DATA = "data"
STAGING_PREFIX = ".staging"
SWAP = ".swap"
PUBLISH_LOCK = ".publish.lock"
# The merged data file a publish builds in its staging `data/` folder, beside
# one data file per theme named after the theme (`publish.reports`).
MERGED = "merged"
# The staging data names no theme may take (`settings.keys` refuses them).
STAGING_DATA_NAMES = (MERGED,)


@dataclass(frozen=True)
class Layout:
    """The paths inside one output folder, published or staged.

    The settings build the published one once, absolute (`Settings.layout`),
    with the repository `root` that messages show paths relative to.
    """

    folder: Path
    root: Path | None = None

    def relative(self, path: Path) -> Path:
        """`path` relative to the repository root, as messages and records show it."""
        if self.root is not None and path.is_relative_to(self.root):
            return path.relative_to(self.root)
        return path

    def shown(self, path: Path) -> str:
        return self.relative(path).as_posix()

    def output(self, name: str) -> Path:
        """A published entry, one of `OUTPUTS`."""
        if name not in OUTPUTS:
            raise ValueError(f"{name!r} is not a published output of covthemes.settings.layout")
        return self.folder / name

    @property
    def themes_json(self) -> Path:
        return self.folder / THEMES_JSON

    @property
    def lines_json(self) -> Path:
        return self.folder / LINES_JSON

    @property
    def summary_md(self) -> Path:
        return self.folder / SUMMARY_MD

    @property
    def index_html(self) -> Path:
        return self.folder / INDEX_HTML

    @property
    def pages(self) -> Path:
        return self.folder / PAGES

    @property
    def coverage_html(self) -> Path:
        return self.folder / COVERAGE_HTML

    @property
    def baseline_json(self) -> Path:
        return self.folder / BASELINE_JSON

    @property
    def badges(self) -> Path:
        return self.folder / BADGES

    def badge(self, name: str) -> Path:
        """A theme's badge, or all themes' under `total`."""
        return self.badges / f"{name}.json"

    @property
    def theme_reports(self) -> Path:
        return self.folder / THEME_REPORTS

    def theme_report(self, theme: str, fmt: str) -> Path:
        """`themes/<theme>.<fmt>`: `json`, `lcov` or `xml`."""
        return self.theme_reports / f"{theme}.{fmt}"

    @property
    def data(self) -> Path:
        return self.folder / DATA

    def data_file(self, theme: str, shard: Shard | None = None) -> Path:
        """The coverage data of one theme (or one shard of it), as `covthemes run` writes it."""
        return self.data / f".coverage.{_unit(theme, shard)}"

    def provenance_file(self, theme: str, shard: Shard | None = None) -> Path:
        # Not named `.coverage.<theme>.*`: pytest-cov erases every sibling of
        # its data file with that prefix when a run starts.
        return self.data / f"provenance.{_unit(theme, shard)}.json"

    def run_lock(self, theme: str, shard: Shard | None = None) -> Path:
        return self.data / f".run-{_unit(theme, shard)}.lock"

    def run_data_file(self, theme: str, shard: Shard | None = None) -> Path:
        """Where a run's coverage data goes until the run has finished, then becomes `data_file`.

        Not named `.coverage.<theme>.*`, which pytest-cov would erase as a
        sibling of that theme's data file; pytest-cov erases `<this>.*` instead.
        """
        return self.data / f".run-{_unit(theme, shard)}.coverage"

    @property
    def publish_lock(self) -> Path:
        return self.folder / PUBLISH_LOCK

    @property
    def swap(self) -> Path:
        return self.folder / SWAP

    def staging(self, pid: int) -> Path:
        return self.folder / f"{STAGING_PREFIX}-{pid}"

    def stale_staging(self) -> list[Path]:
        """Every staging folder here, left by this or an earlier publish."""
        return sorted(self.folder.glob(f"{STAGING_PREFIX}*"))

    def in_folder(self, path: Path) -> bool:
        """True when `path` (absolute, or relative like `folder`) is this folder or inside it."""
        folder = self.folder.resolve()
        target = path.resolve()
        return target == folder or target.is_relative_to(folder)


def page_name(path: str) -> str:
    """The file name of a measured file's page; coverage.py's own HTML names its page the same way."""
    return flat_rootname(path) + ".html"


def _unit(theme: str, shard: Shard | None) -> str:
    return theme if shard is None else f"{theme}.{shard.name}"
