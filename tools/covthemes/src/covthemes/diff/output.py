"""The output of `covthemes diff`: a JSON document (format 1) and markdown for a pull request.

The JSON is a contract, documented in the report's README:
`themes.<theme>.{changed_statements,covered,percent}`, the same under
`all_themes`, `uncovered` and `import_only` as lists of `{file, line, page}`,
and with a base report, `delta.<theme>.{percent,covered_lines,...}`. The
markdown fits a GitHub step summary or a PR comment: it is cut, with a note,
before it reaches GitHub's 65,536-character limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from covthemes.diff.changed import ChangedLines, ChangedNumbers, Line
from covthemes.diff.delta import Delta
from covthemes.model.percent import display_percent
from covthemes.render import table
from covthemes.render.safe import code, url
from covthemes.settings.config import ALL_THEMES, ALL_THEMES_ALIAS, ALL_THEMES_LABEL
from covthemes.settings.layout import PAGES, page_name

FORMAT = 1
MARKDOWN_LIMIT = 65_000


@dataclass(frozen=True)
class DiffReport:
    changed: ChangedLines
    themes: Sequence[str]
    delta: Delta | None
    output: str
    precision: int

    def page(self, line: Line) -> str:
        """The themed page's path and the line's anchor, as the JSON gives it (not URL-encoded)."""
        return f"{self.output}/{PAGES}/{page_name(line[0])}#L{line[1]}"

    def link(self, line: Line) -> str:
        """The line's link in Markdown: a code span to the percent-encoded page."""
        target = url(f"{self.output}/{PAGES}/{page_name(line[0])}", f"L{line[1]}")
        return f"[{code(f'{line[0]}:{line[1]}')}]({target})"

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "format": FORMAT,
            "base": {"ref": self.changed.base.ref, "commit": self.changed.base.commit},
            "themes": {t: _numbers(self.changed.numbers(t)) for t in self.themes},
            ALL_THEMES_ALIAS: _numbers(self.changed.numbers(ALL_THEMES)),
            "uncovered": [self._line(line) for line in sorted(self.changed.blind_spots)],
            "import_only": [self._line(line) for line in sorted(self.changed.import_only)],
        }
        if self.delta is not None:
            document["delta"] = self.delta.to_json()
        return document

    def _line(self, line: Line) -> dict[str, Any]:
        return {"file": line[0], "line": line[1], "page": self.page(line)}

    def markdown(self) -> str:
        p = self.precision
        lines = [
            "## Themed coverage of the changed lines",
            "",
            f"Against {code(self.changed.base.ref)} ({code(self.changed.base.commit[:12])}): "
            f"{len(self.changed.statements)} changed statement(s).",
            "",
        ]
        rows = []
        for theme in (*self.themes, ALL_THEMES):
            n = self.changed.numbers(theme)
            label = f"**{ALL_THEMES_LABEL}**" if theme == ALL_THEMES else theme
            rows.append([label, f"{n.covered}/{n.changed_statements}", f"{display_percent(n.percent, p)}%"])
        lines += table.markdown(["Theme", "Covered", "Percent"], [False, True, True], rows)
        lines += self._listing("Changed statements no theme runs", self.changed.blind_spots)
        lines += self._listing("Changed statements only import time runs", self.changed.import_only)
        if self.delta is not None:
            lines += self._delta_lines(self.delta)
        return _fit("\n".join(lines) + "\n")

    def _listing(self, title: str, found: frozenset[Line]) -> list[str]:
        if not found:
            return ["", f"**{title}:** none."]
        items = [f"- {self.link(line)}" for line in sorted(found)]
        return ["", f"**{title}** ({len(found)}):", "", *items]

    def _delta_lines(self, delta: Delta) -> list[str]:
        lines = [
            "",
            "### Against the base branch's report",
            "",
        ]
        rows = []
        for name, theme in delta.themes.items():
            only = "" if theme.only_this_theme is None else f"{theme.only_this_theme:+d}"
            mark = "**regression**" if theme.regression else ""
            label = f"**{ALL_THEMES_LABEL}**" if name == ALL_THEMES else name
            rows.append([label, f"{theme.total.percent:+.2f}", f"{theme.total.covered_lines:+d}", only, mark])
        headings = ["Theme", "Percent", "Covered lines", "Only this theme", ""]
        lines += table.markdown(headings, [False, True, True, True, False], rows)
        lines += [
            "",
            "A theme's percent and covered lines are by its tests; "
            f"{ALL_THEMES_LABEL}' are coverage's own, what ran at import included.",
        ]
        worse = [
            f"{name} {code(package)} {change.percent:+.2f}%"
            for name, theme in delta.themes.items()
            for package, change in theme.packages.items()
            if change.regression
        ]
        lines += ["", f"Blind spots (statements no theme runs): {delta.blind_spots:+d}."]
        if worse:
            lines += ["", "Packages that got worse: " + ", ".join(worse) + "."]
        return lines


def _numbers(numbers: ChangedNumbers) -> dict[str, Any]:
    return {
        "changed_statements": numbers.changed_statements,
        "covered": numbers.covered,
        "percent": round(numbers.percent, 2),
    }


def _fit(text: str) -> str:
    if len(text) <= MARKDOWN_LIMIT:
        return text
    note = "\n\n*Cut to fit a GitHub summary: the JSON output (`--format json`) has every line.*\n"
    cut = text[: MARKDOWN_LIMIT - len(note)]
    return cut[: cut.rfind("\n")] + note
