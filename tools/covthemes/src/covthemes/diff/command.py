"""`covthemes diff`: the verb's options, and its steps (read the report, diff, compare, write, judge).

    covthemes diff [--base REF] [--base-report PATH] [--format markdown|json]
                   [-o FILE] [--fail-under THEME=PCT ...]

It exits 1 when a `--fail-under` is missed.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from covthemes.diff.changed import changed_lines, resolve_base
from covthemes.diff.delta import compare
from covthemes.diff.output import DiffReport
from covthemes.errors import CovthemesError
from covthemes.model import freshness, loader
from covthemes.model.percent import should_fail_under
from covthemes.settings.config import ALL_THEMES, ALL_THEMES_LABEL, ALL_THEMES_NAMES, Settings


@dataclass(frozen=True)
class DiffOptions:
    """`covthemes diff`'s command-line options."""

    base_ref: str | None = None
    base_report: str | None = None
    output_format: str = "markdown"
    output: str | None = None
    fail_under: tuple[str, ...] = ()


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    diff = verbs.add_parser(
        "diff", help="which themes cover the lines changed since a git ref (needs covthemes[diff])"
    )
    diff.add_argument(
        "--base", metavar="REF", help="compare with this ref (default: the merge base with origin/HEAD)"
    )
    diff.add_argument(
        "--base-report", metavar="PATH", help="the base branch's themes.json, to report what moved"
    )
    diff.add_argument("--format", choices=("markdown", "json"), default="markdown")
    diff.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    diff.add_argument(
        "--fail-under",
        metavar="THEME=PCT",
        action="append",
        default=[],
        help="exit 1 when THEME (or total, for all themes) covers less than PCT percent "
        "of the changed statements; PCT from 0 to 100",
    )
    diff.set_defaults(handler=handle)


def handle(settings: Settings, args: argparse.Namespace) -> int:
    options = DiffOptions(args.base, args.base_report, args.format, args.output, tuple(args.fail_under))
    return run_diff(settings, options)


def parse_fail_under(settings: Settings, values: Sequence[str]) -> dict[str, float]:
    """THEME=PCT pairs as minimums, all themes under `total` (or its alias `all_themes`)."""
    names = (*settings.themes, *ALL_THEMES_NAMES)
    minimums: dict[str, float] = {}
    for value in values:
        theme, _, percent = value.partition("=")
        if theme not in names:
            raise CovthemesError(
                f"--fail-under {value!r} names no theme: write THEME=PCT with one of {', '.join(names)}"
            )
        try:
            minimum = float(percent)
        except ValueError:
            raise CovthemesError(
                f"--fail-under {value!r}: {percent!r} is not a number: write THEME=PCT"
            ) from None
        if math.isnan(minimum) or not 0 <= minimum <= 100:
            raise CovthemesError(
                f"--fail-under {value!r}: {percent} is not a percent: write a number from 0 to 100"
            )
        minimums[ALL_THEMES if theme in ALL_THEMES_NAMES else theme] = minimum
    return minimums


def run_diff(settings: Settings, options: DiffOptions) -> int:
    minimums = parse_fail_under(settings, options.fail_under)
    head = loader.read_report(settings)
    listing = loader.read_listing(settings)
    delta = compare(loader.read_base_report(options.base_report), head) if options.base_report else None
    changed = changed_lines(settings, resolve_base(settings.root, options.base_ref), listing)
    stale = freshness.changed_since(settings.root, listing.measured, changed.touched)
    freshness.refuse_stale(settings, stale, "the changed lines' coverage")
    report = DiffReport(changed, settings.themes, delta, settings.output.as_posix(), head.precision)
    if options.output_format == "json":
        text = json.dumps(report.to_json(), indent=2) + "\n"
    else:
        text = report.markdown()
    if options.output:
        Path(options.output).write_text(text)
    else:
        sys.stdout.write(text)
    missed = []
    for theme, minimum in minimums.items():
        numbers = changed.numbers(theme)
        if should_fail_under(numbers.percent, minimum, report.precision):
            label = ALL_THEMES_LABEL if theme == ALL_THEMES else theme
            missed.append(
                f"{label} covers {numbers.covered}/{numbers.changed_statements} changed statements, "
                f"below {minimum:g}%"
            )
    for reason in missed:
        print(f"covthemes: error: {reason}", file=sys.stderr)
    return 1 if missed else 0
