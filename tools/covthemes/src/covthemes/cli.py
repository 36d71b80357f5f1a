"""The command line: `covthemes {run,publish,themes,matrix,diff,history}` (also `python -m covthemes`).

    covthemes run THEME [--shard K/N] [--store-durations] [--] [PYTEST_ARG ...]
                                                one theme's tests (or one shard) under coverage
    covthemes publish [--allow-mixed-revisions] [--enforce-thresholds] [--history PATH]
    covthemes themes                            the configured themes, one a line
    covthemes matrix [--format github|lines]    the CI jobs, one per theme and shard
    covthemes history add --history PATH [--keep N]
    covthemes diff [--base REF] [--base-report PATH] [--format markdown|json]
                   [-o FILE] [--fail-under THEME=PCT ...]

Exit codes: `run` exits with pytest's code; `diff` exits 1 when a
`--fail-under` is missed. `publish` exits 0 when it
published and every theme passed; 1 when it published but a theme failed or
an enforced threshold was missed; 2 when it refused, with the previous report
left as it was. Any expected error (bad configuration, unusable data) prints
one line per problem and exits 2; anything else is a bug, shows its
traceback, and exits 2 too.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from covthemes import __version__
from covthemes.errors import CovthemesError, PublishRefused
from covthemes.model import history
from covthemes.settings import config

USAGE_ERROR = 2


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _history_option(parser: argparse.ArgumentParser, purpose: str) -> None:
    """`--history PATH`, from COVTHEMES_HISTORY when unset; resolved before covthemes moves to the root."""
    default = os.environ.get("COVTHEMES_HISTORY") or None
    parser.add_argument(
        "--history",
        metavar="PATH",
        type=lambda value: Path(value).resolve(),
        default=default,
        help=f"{purpose} (env COVTHEMES_HISTORY)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="covthemes",
        description="Themed coverage: run each theme under coverage, then publish the merged report.",
    )
    parser.add_argument("--version", action="version", version=f"covthemes {__version__}")
    verbs = parser.add_subparsers(
        dest="verb", required=True, metavar="{run,publish,themes,matrix,diff,history}"
    )
    run = verbs.add_parser(
        "run",
        help="run one theme's tests under coverage",
        description="--shard K/N runs group K of N (pytest-split, needs covthemes[shards]); "
        "--store-durations records the theme's test durations for the split; "
        "every other argument goes to pytest (-n auto needs covthemes[xdist])",
    )
    run.add_argument("theme")
    run.add_argument(
        "pytest_args",
        nargs=argparse.REMAINDER,
        help="[--shard K/N] [--store-durations], then pytest's arguments (after `--`, or not)",
    )
    publish = verbs.add_parser("publish", help="merge the themes and publish the report")
    publish.add_argument(
        "--allow-mixed-revisions",
        action="store_true",
        default=_flag("COVTHEMES_ALLOW_MIXED_REVISIONS"),
        help="publish themes measured on different revisions (env COVTHEMES_ALLOW_MIXED_REVISIONS=1)",
    )
    publish.add_argument(
        "--enforce-thresholds",
        action="store_true",
        default=_flag("COVTHEMES_ENFORCE_THRESHOLDS"),
        help="exit 1 when a [tool.covthemes.thresholds] minimum is missed "
        "(env COVTHEMES_ENFORCE_THRESHOLDS=1)",
    )
    _history_option(publish, "a history.json: the index draws its trend, this report the newest point")
    verbs.add_parser("themes", help="print the configured themes, one a line")
    matrix = verbs.add_parser("matrix", help="print the CI jobs, one per theme and shard")
    matrix.add_argument("--format", choices=("github", "lines"), default="lines")
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
    recorded = verbs.add_parser("history", help="the history of published reports, for the index's trend")
    actions = recorded.add_subparsers(dest="action", required=True, metavar="{add}")
    add = actions.add_parser(
        "add", help="add the published report to a history.json (made when missing), newest last"
    )
    _history_option(add, "the history.json to add to")
    add.add_argument(
        "--keep",
        metavar="N",
        type=int,
        default=history.DEFAULT_KEEP,
        help="keep the newest N entries (default %(default)s)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except PublishRefused as refused:
        print("covthemes: nothing published; the previous report is unchanged:", file=sys.stderr)
        for problem in refused.problems:
            print(f"  - {problem}", file=sys.stderr)
        return USAGE_ERROR
    except CovthemesError as exc:
        for problem in exc.problems:
            print(f"covthemes: error: {problem}", file=sys.stderr)
        return USAGE_ERROR
    except Exception:
        # A bug: show where it is. Nothing was swapped in, so the previous
        # report is unchanged, and the exit code is a refusal's, not a verdict's.
        traceback.print_exc()
        print(
            "covthemes: error: this is a bug in covthemes (traceback above); "
            "the previous report is unchanged",
            file=sys.stderr,
        )
        return USAGE_ERROR


def _dispatch(args: argparse.Namespace) -> int:
    root = config.find_root(Path.cwd())
    if root is None:
        raise CovthemesError(
            "no pyproject.toml with [tool.covthemes] here or above: add the table "
            '(`themes = ["<theme>", ...]`), or run covthemes from the repository root'
        )
    # Coverage reads relative paths from the working folder: work from the root.
    os.chdir(root)
    settings = config.load(root)
    if args.verb == "themes":
        print("\n".join(settings.themes))
        return 0
    if args.verb == "diff":
        from covthemes.diff.command import DiffOptions, run_diff

        options = DiffOptions(args.base, args.base_report, args.format, args.output, tuple(args.fail_under))
        return run_diff(settings, options)
    if args.verb == "history":
        if args.history is None:
            raise CovthemesError("covthemes history add needs --history PATH (or COVTHEMES_HISTORY)")
        return history.add(settings, args.history, args.keep)
    if args.verb == "matrix":
        from covthemes.run import matrix

        print(matrix.render(settings, args.format))
        return 0
    if args.verb == "run":
        from covthemes.run import options as run_options
        from covthemes.run.runner import run_theme

        chosen, extra = run_options.split(args.pytest_args)
        return run_theme(settings, args.theme, extra, chosen)
    from covthemes.publish.pipeline import publish

    result = publish(
        settings,
        allow_mixed_revisions=args.allow_mixed_revisions,
        enforce_thresholds=args.enforce_thresholds,
        history=args.history,
    )
    layout = settings.layout
    print(layout.summary_md.read_text())
    print(
        f"covthemes: published {layout.shown(layout.index_html)} (the themed report), "
        f"{layout.shown(layout.summary_md)}, {layout.shown(layout.themes_json)}"
    )
    for reason in result.reasons:
        print(f"covthemes: error: {reason}", file=sys.stderr)
    return 1 if result.reasons else 0
