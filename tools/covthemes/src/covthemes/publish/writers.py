"""The publish's writers: each one stages some of the published files from the typed report.

A writer has the shape of coverage.py's `report_core.Reporter`: a name (its
publish step) and one `write` into the staging folder.
`covthemes.publish.pipeline` loops over `WRITERS`; coverage's own reports are
staged before them (`covthemes.publish.reports`). A new output is one writer
here and one entry in the layout's OUTPUTS; the swap refuses a staging folder
that holds anything else or lacks an entry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol

from covthemes.model.history import History
from covthemes.model.lines import LineListing
from covthemes.model.themes import ThemesReport
from covthemes.render import badges, index, pages, summary_md
from covthemes.settings.config import Settings
from covthemes.settings.layout import Layout


@dataclass(frozen=True)
class WriterInput:
    """What the writers write from: the themes report, the line listing, the report's title, and the history.

    `history` is the one given to the publish (None without one): the index
    draws it, with this report as its newest point.
    """

    settings: Settings
    report: ThemesReport
    listing: LineListing
    title: str
    history: History | None = None


class Writer(Protocol):
    """One writer: `name` is its publish step; `write` stages its outputs from the input."""

    @property
    def name(self) -> str: ...

    def write(self, staging: Layout, given: WriterInput) -> None: ...


class ThemedPages:
    name = "pages"

    def write(self, staging: Layout, given: WriterInput) -> None:
        settings = given.settings
        pages.write_pages(
            settings.root, staging.pages, given.listing.files, settings.themes, given.title, settings.contexts
        )


class ThemesJson:
    name = "themes.json"

    def write(self, staging: Layout, given: WriterInput) -> None:
        staging.themes_json.write_text(json.dumps(given.report.to_json(), indent=2) + "\n")


class LinesJson:
    name = "lines.json"

    def write(self, staging: Layout, given: WriterInput) -> None:
        staging.lines_json.write_text(json.dumps(given.listing.to_json(), indent=1) + "\n")


class SummaryMd:
    name = "summary.md"

    def write(self, staging: Layout, given: WriterInput) -> None:
        staging.summary_md.write_text(summary_md.render(given.report))


class Index:
    name = "index"

    def write(self, staging: Layout, given: WriterInput) -> None:
        page = index.render(given.report, given.title, given.history, given.listing)
        staging.index_html.write_text(page, encoding="utf-8")


class Badges:
    name = "badges"

    def write(self, staging: Layout, given: WriterInput) -> None:
        badges.write(given.report, staging)


WRITERS: tuple[Writer, ...] = (
    ThemedPages(),
    ThemesJson(),
    LinesJson(),
    SummaryMd(),
    Index(),
    Badges(),
)
