"""The browser the browser tests drive: Debian's Chromium through Playwright, and a watched page.

The browser is `$COVTHEMES_CHROMIUM` when set (CI points it at the runner's
Chrome), else Debian's `chromium`; never `playwright install`. The fixtures
that launch it are in conftest.py.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def chromium_path() -> str:
    """$COVTHEMES_CHROMIUM, or Debian's chromium on PATH."""
    found = (
        os.environ.get("COVTHEMES_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    assert found, "Debian's chromium is needed: apt-get install -y chromium (.ci/run does this)"
    return found


class Watched:
    """A page that records console errors, page errors, dialogs (dismissed) and every request not file://."""

    def __init__(self, browser) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.errors: list[str] = []
        self.remote: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: None if r.url.startswith("file://") else self.remote.append(r.url))
        self.page.on("dialog", self._dismiss)

    def _dismiss(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path, *, ready: bool = True) -> object:
        """Open `path` over file://; with `ready`, wait until report.js has run."""
        self.page.goto(path.as_uri())
        if ready:
            self.page.wait_for_selector("html[data-ready=true]")
        return self.page
