"""Time-to-interactive of a themed report page in Debian's Chromium, for P4.

The page's own script (`covthemes/assets/report.js`) sets
`data-ready-at` on `<html>` to `performance.now()`, milliseconds since
navigation start, and `data-ready="true"` once its handlers are wired up.
Each load opens the page from file:// in a fresh browser context, waits for
`html[data-ready=true]`, and reads that figure, so Playwright's own
round-trips stay out of it. The browser is Debian's `/usr/bin/chromium`,
driven by Playwright's Python API with `executable_path`: Playwright's own
browser download (`playwright install`) is never used. The page tables of
P4 are in `benchmarks.pages`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from benchmarks.procs import CommandFailed
from benchmarks.stats import Series

CHROMIUM = Path("/usr/bin/chromium")
MISSING = "not measured: chromium missing (apt-get install -y chromium)"
READY = "html[data-ready=true]"
TIMEOUT_MS = 60_000  # far above the 2 s goal: a slow load is measured, not cut off


class BrowserUnavailable(RuntimeError):
    """Chromium or Playwright cannot run here; the message says what to install."""


@dataclass
class Interactive:
    """Milliseconds from navigation start to `data-ready`, over the loads of one page."""

    ms: Series

    @property
    def seconds(self) -> float:
        return self.ms.median / 1000

    def display(self) -> str:
        if not self.ms.samples:
            return "n/a"
        return f"{self.ms.median:.0f} ms ({self.ms.low:.0f}-{self.ms.high:.0f})"

    def as_dict(self) -> dict:
        return self.ms.as_dict()


def version() -> str:
    """Chromium's version as Playwright sees it, or why it cannot be launched."""
    with _browser() as browser:
        return f"Chromium {browser.version} (Debian's {CHROMIUM}), through Playwright"


def time_pages(pages: list[Path], loads: int) -> list[Interactive]:
    """Load each page `loads` times; one `Interactive` per page, in order."""
    with _browser() as browser:
        return [_time_page(browser, page, loads) for page in pages]


def _time_page(browser, page_file: Path, loads: int) -> Interactive:
    from playwright.sync_api import TimeoutError as PageTimeout

    samples = Series()
    for _ in range(loads):
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(page_file.resolve().as_uri(), timeout=TIMEOUT_MS)
            page.wait_for_selector(READY, state="attached", timeout=TIMEOUT_MS)
            samples.add(float(page.evaluate("document.documentElement.dataset.readyAt")))
        except PageTimeout as exc:
            # A page that never gets ready is a result, like a failed command:
            # P4 loses its table, the other sections keep theirs.
            raise CommandFailed(
                f"{page_file} did not set data-ready within {TIMEOUT_MS / 1000:.0f} s in Chromium"
            ) from exc
        finally:
            context.close()
    return Interactive(samples)


class _browser:
    """Headless Chromium for the length of a `with` block."""

    def __enter__(self):
        if not CHROMIUM.exists():
            raise BrowserUnavailable(MISSING)
        try:
            from playwright.sync_api import Error, sync_playwright
        except ImportError as exc:  # the bench group installs it; a bare env may not
            raise BrowserUnavailable(
                "not measured: playwright missing (the `bench` dependency group installs it: tox -e bench)"
            ) from exc
        self._playwright = sync_playwright().start()
        try:
            # --no-sandbox: the bench may run as root in a container, where
            # Chromium's sandbox refuses to start.
            self._browser = self._playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=["--no-sandbox"]
            )
        except Error as exc:
            self._playwright.stop()
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BrowserUnavailable(f"not measured: chromium failed to start ({first})") from exc
        return self._browser

    def __exit__(self, *exc_info) -> None:
        try:
            self._browser.close()
        finally:
            self._playwright.stop()
