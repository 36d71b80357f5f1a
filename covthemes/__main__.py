"""Command line: `python -m covthemes {run,publish,themes}`.

    python -m covthemes run THEME [PYTEST_ARG ...]   one theme under coverage
    python -m covthemes publish [--allow-mixed-revisions] [--enforce-thresholds]
    python -m covthemes themes                       the theme list, one a line

Exit codes of `publish`: 0 published and every theme passed; 1 published, but
a theme failed or an enforced threshold was missed; 2 refused, with the
previous report left as it was.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from covthemes import THEMES, UsageError


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m covthemes", description=__doc__.splitlines()[0])
    verbs = parser.add_subparsers(dest="verb", required=True)
    run = verbs.add_parser("run", help="run one theme's tests under coverage")
    run.add_argument("theme", choices=THEMES)
    run.add_argument("pytest_args", nargs=argparse.REMAINDER, help="passed on to pytest")
    publish = verbs.add_parser("publish", help="merge the themes and publish coverage/")
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
        help="exit 1 when a [covthemes:thresholds] minimum is missed (env COVTHEMES_ENFORCE_THRESHOLDS=1)",
    )
    verbs.add_parser("themes", help="print the theme list")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = Path.cwd()
    try:
        if args.verb == "themes":
            print("\n".join(THEMES))
            return 0
        if not (root / ".coveragerc").exists():
            raise UsageError("no .coveragerc here: run covthemes from the repository root")
        if args.verb == "run":
            from covthemes.runner import run_theme

            extra = args.pytest_args[1:] if args.pytest_args[:1] == ["--"] else args.pytest_args
            return run_theme(args.theme, extra, root)
        from covthemes.publish import PublishRefused, publish

        try:
            summary, reasons = publish(
                root,
                allow_mixed_revisions=args.allow_mixed_revisions,
                enforce_thresholds=args.enforce_thresholds,
            )
        except PublishRefused as refused:
            print("covthemes: nothing published; the previous report is unchanged:", file=sys.stderr)
            for problem in refused.problems:
                print(f"  - {problem}", file=sys.stderr)
            return 2
        except Exception as exc:  # noqa: BLE001 - any failure must keep the old report
            print(
                f"covthemes: error: publishing failed ({type(exc).__name__}: {exc}); "
                "the previous report is unchanged. Fix the cause and run `tox -e cov-combine` again.",
                file=sys.stderr,
            )
            return 2
        print((root / "coverage" / "summary.md").read_text())
        print("covthemes: published coverage/html/index.html, coverage/summary.md, coverage/themes.json")
        for reason in reasons:
            print(f"covthemes: error: {reason}", file=sys.stderr)
        return 1 if reasons else 0
    except UsageError as exc:
        print(f"covthemes: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
