"""`baseline.json`: coverage's JSON report of the merged data, with each file's contexts written once.

coverage 7.17's JSON report with contexts repeats a file's whole
line-to-contexts map in every function and class region of that file: 94% of
a 113 MB report in the monorepo this tool grew up in. Here each file's map is
written once, where `json_report` puts it (after `excluded_lines`); the
regions carry what a report without contexts gives them. `[json]
show_contexts` decides whether contexts are written at all.

With per-test contexts the map grows with tests times lines: a line every
test runs lists every test. `baseline-contexts = "themes"` in
`[tool.covthemes]` keeps only the theme of each context, so each line lists
at most one name per theme; the per-test contexts stay in the data and in
coverage's HTML.

In the phases mode (`[tool.covthemes] contexts = "phases"`) there are no
per-test contexts to list: a line lists `<theme>` (run at import) and
`<theme>|tests` (run by the theme's tests). `meta.covthemes_contexts` names
the mode, so a reader knows which it holds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from covthemes.model.lines import theme_of
from covthemes.settings.config import PER_THEME
from covthemes.settings.coverage_config import CoverageSettings


def write(
    cov: CoverageSettings,
    keep: str,
    mode: str,
    report: Mapping[str, Any],
    contexts: Mapping[str, Mapping[int, Sequence[str]]],
    path: Path,
) -> None:
    """Write baseline.json from `report` (made without contexts) and each file's `contexts`."""
    document: Mapping[str, Any] = report
    if cov.json_contexts:
        files: dict[str, dict[str, Any]] = {}
        for name, entry in report["files"].items():
            files[name] = {}
            for key, value in entry.items():
                files[name][key] = value
                if key == "excluded_lines":
                    files[name]["contexts"] = {
                        str(line): _kept(names, keep) for line, names in contexts[name].items()
                    }
        meta = {**report["meta"], "show_contexts": True, "covthemes_contexts": mode}
        document = {**report, "meta": meta, "files": files}
    with path.open("w") as out:
        json.dump(document, out, indent=4 if cov.json_pretty_print else None)


def _kept(names: Sequence[str], keep: str) -> list[str]:
    if keep == PER_THEME:
        return sorted({theme_of(name) for name in names})
    return list(names)
