"""The run verbs: `covthemes run THEME`, `covthemes themes` and `covthemes matrix`, options and output.

    covthemes run THEME [--shard K/N] [--store-durations] [--] [PYTEST_ARG ...]
    covthemes themes                            the configured themes, one a line
    covthemes matrix [--format github|lines]    the CI jobs, one per theme and shard

`run` exits with pytest's code.
"""

from __future__ import annotations

import argparse

from covthemes.settings.config import Settings


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    run.set_defaults(handler=run_theme)
    themes = verbs.add_parser("themes", help="print the configured themes, one a line")
    themes.set_defaults(handler=print_themes)
    matrix = verbs.add_parser("matrix", help="print the CI jobs, one per theme and shard")
    matrix.add_argument("--format", choices=("github", "lines"), default="lines")
    matrix.set_defaults(handler=print_matrix)


def run_theme(settings: Settings, args: argparse.Namespace) -> int:
    # Imported here: pytest and coverage load only for the verb that runs them.
    from covthemes.run import options, runner

    chosen, extra = options.split(args.pytest_args)
    return runner.run_theme(settings, args.theme, extra, chosen)


def print_themes(settings: Settings, args: argparse.Namespace) -> int:
    print("\n".join(settings.themes))
    return 0


def print_matrix(settings: Settings, args: argparse.Namespace) -> int:
    from covthemes.run import matrix

    print(matrix.render(settings, args.format))
    return 0
