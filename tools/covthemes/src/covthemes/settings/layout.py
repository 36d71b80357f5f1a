"""The output folder's layout: every path covthemes publishes, reads back or works in.

This module is the one owner of those names. The output folder and each
generation a publish builds share one layout, so `Layout(generation)` names
the built files exactly as `Layout(output)` names the published ones (the
links to them). What each output holds is documented in the covthemes README.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

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

# Every published entry. Each is a link, `<output>/<name>` to `.report/<name>`,
# and `.report` links to the current generation, `.reports/<generation>`.
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
REPORT = ".report"
GENERATIONS = ".reports"
PUBLISH_LOCK = ".publish.lock"
# The data a publish combines in its work folder (`publish.reports`): all themes
# under COMBINED, each theme under COMBINED_THEME + its name. A theme's name is
# an identifier, without a hyphen, so no theme's data can meet another's.
COMBINED = "all"
COMBINED_THEME = "theme-"


@dataclass(frozen=True)
class Layout:
    """The paths inside one output folder, published or staged.

    The settings build the published one once, absolute (`Settings.layout`),
    with the repository `root` that records show paths relative to, and the
    folder the user ran covthemes in (`cwd`), which messages show them relative
    to: covthemes itself works from the root.
    """

    folder: Path
    root: Path | None = None
    cwd: Path | None = None

    def relative(self, path: Path) -> Path:
        """`path` relative to the repository root, as messages and records show it."""
        if self.root is not None and path.is_relative_to(self.root):
            return path.relative_to(self.root)
        return path

    def shown(self, path: Path) -> str:
        """`path` as messages show it: relative to where the user stands (or to the root)."""
        if self.cwd is None or self.root is None:
            return self.relative(path).as_posix()
        absolute = path if path.is_absolute() else self.root / path
        return Path(os.path.relpath(absolute, self.cwd)).as_posix()

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
    def report_link(self) -> Path:
        """The link to the current generation: replacing it publishes one."""
        return self.folder / REPORT

    @property
    def generations(self) -> Path:
        return self.folder / GENERATIONS

    def generation(self, name: str) -> Path:
        return self.generations / name

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


# A page name longer than this, in UTF-8 bytes, keeps a readable prefix and a hash of the path;
# file systems take 255 bytes at most (NAME_MAX), and a margin keeps `.tmp` siblings legal.
PAGE_NAME_BYTES = 200
PAGE_PREFIX_BYTES = 150
# coverage.py writes its page as `flat_rootname + ".html"` unbounded, and its whole HTML report
# fails with `File name too long` above the file system's NAME_MAX (coverage 7.17 and 7.18).
NAME_MAX = 255


def page_name(path: str) -> str:
    """The file name of a measured file's themed page.

    coverage.py's name for its own page (`flat_rootname(path) + ".html"`) up to
    PAGE_NAME_BYTES; a longer one keeps its first PAGE_PREFIX_BYTES (whole
    characters) and adds 16 hex digits of the path's sha256, so every legal
    file name publishes and two long names stay apart.
    """
    # Imported here: `covthemes matrix` runs where only the standard library is (`python -S`).
    from coverage.files import flat_rootname

    name = flat_rootname(path) + ".html"
    if len(name.encode()) <= PAGE_NAME_BYTES:
        return name
    prefix = flat_rootname(path).encode()[:PAGE_PREFIX_BYTES].decode(errors="ignore")
    return f"{prefix}_{hashlib.sha256(path.encode()).hexdigest()[:16]}.html"


def coverage_page(path: str) -> str | None:
    """The file name of coverage.py's own page for `path`, or None when coverage cannot write one."""
    from coverage.files import flat_rootname

    name = flat_rootname(path) + ".html"
    return name if len(name.encode()) <= NAME_MAX else None


def _unit(theme: str, shard: Shard | None) -> str:
    return theme if shard is None else f"{theme}.{shard.name}"
