"""P4: what the themed HTML report costs: publish time, page weight, time to interactive.

P4 reads P3's runs rather than publishing again (`benchmarks.scaling`): the
publish P3 times already writes the themed pages, and `benchmarks.publish_steps`
already records the "pages" step (the themed file pages) and the "index"
step (index.html, then the badges) among the others. Their time as a share
of the publish, taken run by run like every ratio here, is the P4 figure. The
last publish of each size is left in place in its synthetic project, so the
weight of `coverage/files/` and `coverage/index.html` is read from there, and
`benchmarks.browser` opens the index and one file page in Chromium.

The file page is `syn_alpha/core.py`'s: the same source at every size, run by
every test, so coverage.py's own page for it (per-test contexts) grows with
the tests, and the themed one, which carries themes and not test ids, must
not. Next to it, the median page, and a count of pages that name a test id.

Goals: at 10k tests, pages + index <= 20% of the publish and the index
interactive in under 2 s; at every measured size, the same page weighs the
same (within 2%) and no page names a test. Like P3, a size that was not
measured is not judged (`--quick` stops at 2500 tests).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from pathlib import Path

from benchmarks import browser, synth, tables
from benchmarks.stats import Series
from covthemes.settings import config
from covthemes.settings.layout import COVERAGE_HTML, PAGES, page_name

GOAL_SIZE = 10_000
GOAL_SHARE = 0.20
GOAL_INTERACTIVE_SECONDS = 2.0
# Flat means the same bytes: a page holds the file's source and each line's
# themes. The median page may move a little between sizes, because the mix
# of generated modules (which lines each theme runs) changes with their
# number, never because there are more tests.
FLAT_TOLERANCE = 1.02
LOADS = 5
SHARE_STEPS = ("pages", "index")
PROBE = f"{synth.PACKAGES[0]}/core.py"
ASSETS = ("report.css", "report.js")
TEST_ID = "::test_"  # every pytest node id names its function after `::`


@dataclass(frozen=True)
class PageWeight:
    """Bytes of the themed report of one published project."""

    pages: int
    pages_bytes: int  # the file pages in files/, shared assets excluded
    assets_bytes: int  # report.css and report.js, once
    index_bytes: int
    median_page: float
    largest_page: int
    probe_page: int  # the themed page of PROBE
    probe_coverage_page: int  # coverage.py's page of PROBE, with per-test contexts
    naming_tests: int  # pages, index included, that contain a test id

    @property
    def total(self) -> int:
        """`coverage/files/` plus `coverage/index.html`."""
        return self.pages_bytes + self.assets_bytes + self.index_bytes

    @classmethod
    def of(cls, output: Path) -> PageWeight:
        folder = output / PAGES
        pages = sorted(p for p in folder.glob("*.html"))
        sizes = [p.stat().st_size for p in pages]
        index = output / "index.html"
        naming = sum(1 for p in [*pages, index] if TEST_ID in p.read_text(encoding="utf-8"))
        return cls(
            pages=len(pages),
            pages_bytes=sum(sizes),
            assets_bytes=sum((folder / a).stat().st_size for a in ASSETS),
            index_bytes=index.stat().st_size,
            median_page=statistics.median(sizes) if sizes else math.nan,
            largest_page=max(sizes, default=0),
            probe_page=(folder / page_name(PROBE)).stat().st_size,
            probe_coverage_page=(output / COVERAGE_HTML / page_name(PROBE)).stat().st_size,
            naming_tests=naming,
        )


@dataclass
class Row:
    """P4 at one project size."""

    n_tests: int
    files: int
    total: Series  # the publish, in process (its steps sum to it)
    pages: Series
    index: Series
    share: Series  # (pages + index) / total, run by run
    weight: PageWeight
    index_ready: browser.Interactive | None
    page_ready: browser.Interactive | None


def _share(steps: dict[str, Series]) -> Series:
    total = steps["total"].samples
    parts = [steps.get(s, Series()).samples for s in SHARE_STEPS]
    if any(len(p) != len(total) for p in parts):  # a publish without these steps: nothing to pair
        return Series()
    return Series([sum(p[i] for p in parts) / t for i, t in enumerate(total) if t > 0])


def measure(p3: dict, loads: int, log) -> dict:
    rows: list[Row] = []
    unavailable = ""
    for n_tests, p3_row in sorted(p3["rows"].items()):
        root = Path(p3_row["root"])
        output = root / config.load(root).output
        weight = PageWeight.of(output)
        ready: list[browser.Interactive | None] = [None, None]
        if not unavailable:
            try:
                opened = [output / "index.html", output / PAGES / page_name(PROBE)]
                ready = list(browser.time_pages(opened, loads))
            except browser.BrowserUnavailable as exc:
                unavailable = str(exc)
                log(f"P4: {unavailable}")
        steps = p3_row["series"]
        rows.append(
            Row(
                n_tests=n_tests,
                files=p3_row["files"],
                total=steps["total"],
                pages=steps.get("pages", Series()),
                index=steps.get("index", Series()),
                share=_share(steps),
                weight=weight,
                index_ready=ready[0],
                page_ready=ready[1],
            )
        )
        log(
            f"P4 {n_tests} tests: pages + index {rows[-1].share.median:.1%} of the publish, "
            f"{tables.size(weight.total)}, index ready in "
            f"{ready[0].display() if ready[0] else 'not measured'}"
        )
    chromium = "" if unavailable else browser.version()
    return judge(rows, unavailable or chromium, loads)


def _ratio(rows: list[Row], value) -> float:
    first, last = value(rows[0].weight), value(rows[-1].weight)
    return last / first if len(rows) > 1 and first else math.nan


def judge(rows: list[Row], browser_note: str, loads: int) -> dict:
    at_goal = next((r for r in rows if r.n_tests == GOAL_SIZE), None)
    ratios = {
        f"themed {PROBE} page": _ratio(rows, lambda w: w.probe_page),
        "median themed page": _ratio(rows, lambda w: w.median_page),
        f"coverage.py's {PROBE} page (for contrast)": _ratio(rows, lambda w: w.probe_coverage_page),
    }
    judged = list(ratios.values())[:2]
    flat = None
    if len(rows) > 1:
        flat = all(r <= FLAT_TOLERANCE for r in judged) and all(r.weight.naming_tests == 0 for r in rows)
    share = interactive = None
    if at_goal is not None:
        share = at_goal.share.median <= GOAL_SHARE if at_goal.share.samples else None
        if at_goal.index_ready is not None:
            interactive = at_goal.index_ready.seconds < GOAL_INTERACTIVE_SECONDS
    return {
        "rows": rows,
        "ratios": ratios,
        "browser": browser_note,
        "loads": loads,
        "goals": {
            "pages + index <= 20% of the publish at 10k tests": share,
            "index interactive in Chromium < 2 s at 10k tests": interactive,
            "page weight flat across sizes, no test ids in pages": flat,
        },
    }


def _ready(ready: browser.Interactive | None) -> str:
    return ready.display() if ready is not None else "not measured"


def render(result: dict) -> str:
    rows = result["rows"]
    body = []
    for r in rows:
        w = r.weight
        body.append(
            [
                f"{r.n_tests} tests, {r.files} files",
                str(len(r.total.samples)),
                tables.seconds(r.total),
                f"{r.pages.median:.2f}",
                f"{r.index.median:.2f}",
                _percent(r.share),
                f"{tables.size(w.total)} ({w.pages} pages; index {tables.size(w.index_bytes)})",
                f"{tables.size(w.median_page)} ({tables.size(w.largest_page)})",
                tables.size(w.probe_page),
                tables.size(w.probe_coverage_page),
                str(w.naming_tests),
                _ready(r.index_ready),
                _ready(r.page_ready),
            ]
        )
    header = [
        "P4: synthetic project",
        "runs",
        "publish (in process)",
        "pages s",
        "index s",
        "pages + index share",
        "files/ + index.html",
        "per page, median (largest)",
        f"themed {PROBE} page",
        f"coverage.py's {PROBE} page",
        "pages naming a test",
        "index interactive",
        f"{PROBE} page interactive",
    ]
    goals = result["goals"]
    at_goal = next((r for r in rows if r.n_tests == GOAL_SIZE), None)
    share = _percent(at_goal.share) if at_goal else "not judged (10k tests not measured)"
    ready = _ready(at_goal.index_ready) if at_goal else "not judged (10k tests not measured)"
    span = f"{rows[-1].n_tests} vs {rows[0].n_tests} tests" if len(rows) > 1 else "one size only"
    ratios = ", ".join(f"{name} {value:.2f}x" for name, value in result["ratios"].items())
    verdicts = list(goals.values())
    return (
        tables.table(header, body)
        + "\n\nInteractive: `data-ready-at` (ms from navigation start), median (min-max)"
        + f" of {result['loads']} loads from file://; {result['browser']}."
        + f"\nPages + index at 10k tests: {share}, goal <= 20%: {tables.verdict(verdicts[0])}."
        + f" Index interactive at 10k tests: {ready}, goal < 2 s: {tables.verdict(verdicts[1])}."
        + f"\nPage weight, largest / smallest size ({span}): {ratios}; goal <= {FLAT_TOLERANCE:.2f}x"
        + f" for the first two, and no page naming a test: {tables.verdict(verdicts[2])}."
    )


def _percent(series: Series) -> str:
    if not series.samples:
        return "n/a"
    return f"{series.median:.1%} ({series.low:.1%}-{series.high:.1%})"
