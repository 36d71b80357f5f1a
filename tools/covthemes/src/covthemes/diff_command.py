"""`covthemes diff`: the verb's steps: read the report, diff, compare, write, judge.

The parts live in `covthemes.diff` (changed lines per theme, through
diff-cover), `covthemes.diff_delta` (against a base report) and
`covthemes.diff_output` (JSON and markdown).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from covthemes import diff, diff_delta
from covthemes.config import Settings
from covthemes.diff_delta import ALL_THEMES
from covthemes.diff_output import DiffReport
from covthemes.errors import CovthemesError
from covthemes.numbers import should_fail_under


def parse_fail_under(settings: Settings, values: Sequence[str]) -> dict[str, float]:
    minimums: dict[str, float] = {}
    for value in values:
        theme, _, percent = value.partition("=")
        if theme not in (*settings.themes, ALL_THEMES):
            raise CovthemesError(
                f"--fail-under {value!r} names no theme: write THEME=PCT with one of "
                f"{', '.join((*settings.themes, ALL_THEMES))}"
            )
        try:
            minimums[theme] = float(percent)
        except ValueError:
            raise CovthemesError(
                f"--fail-under {value!r}: {percent!r} is not a number: write THEME=PCT"
            ) from None
    return minimums


def run_diff(
    settings: Settings,
    base_ref: str | None,
    base_report: str | None,
    output_format: str,
    output: str | None,
    fail_under: Sequence[str],
) -> int:
    minimums = parse_fail_under(settings, fail_under)
    head = diff.read_published(settings)
    delta = diff_delta.compare(diff_delta.read_base_report(base_report), head) if base_report else None
    base = diff.resolve_base(settings.root, base_ref)
    changed = diff.changed_lines(settings, base)
    report = DiffReport(changed, settings.themes, delta, settings.output.as_posix(), head.get("precision", 1))
    text = json.dumps(report.to_json(), indent=2) + "\n" if output_format == "json" else report.markdown()
    if output:
        Path(output).write_text(text)
    else:
        sys.stdout.write(text)
    missed = []
    for theme, minimum in minimums.items():
        numbers = changed.all_themes if theme == ALL_THEMES else changed.theme(theme)
        if should_fail_under(numbers.percent, minimum, report.precision):
            missed.append(
                f"{theme} covers {numbers.covered}/{numbers.changed_statements} changed statements, "
                f"below {minimum:g}%"
            )
    for reason in missed:
        print(f"covthemes: error: {reason}", file=sys.stderr)
    return 1 if missed else 0
