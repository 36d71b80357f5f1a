"""The publish verbs: `covthemes publish` and `covthemes history add`, their options and output.

    covthemes publish [--allow-mixed-revisions] [--enforce-thresholds] [--history PATH]
    covthemes history add --history PATH [--keep N]

`publish` exits 0 when it published and every theme passed; 1 when it
published but a theme failed or an enforced threshold was missed; 2 when it
refused, with the previous report left as it was.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from covthemes.errors import CovthemesError
from covthemes.model import freshness, history, loader
from covthemes.model.history import HistoryEntry
from covthemes.settings.config import Settings

# The environment variables that stand for the publish's options: a CI job
# or a tox env passes them through (`covthemes.toxenvs`).
ALLOW_MIXED_REVISIONS = "COVTHEMES_ALLOW_MIXED_REVISIONS"
ENFORCE_THRESHOLDS = "COVTHEMES_ENFORCE_THRESHOLDS"
HISTORY = "COVTHEMES_HISTORY"
VARIABLES = (ALLOW_MIXED_REVISIONS, ENFORCE_THRESHOLDS, HISTORY)


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _history_option(parser: argparse.ArgumentParser, purpose: str) -> None:
    """`--history PATH`, from COVTHEMES_HISTORY when unset; resolved before covthemes moves to the root."""
    default = os.environ.get(HISTORY) or None
    parser.add_argument(
        "--history",
        metavar="PATH",
        type=lambda value: Path(value).resolve(),
        default=default,
        help=f"{purpose} (env {HISTORY})",
    )


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    publish = verbs.add_parser("publish", help="merge the themes and publish the report")
    publish.add_argument(
        "--allow-mixed-revisions",
        action="store_true",
        default=_flag(ALLOW_MIXED_REVISIONS),
        help=f"publish themes measured on different revisions (env {ALLOW_MIXED_REVISIONS}=1)",
    )
    publish.add_argument(
        "--enforce-thresholds",
        action="store_true",
        default=_flag(ENFORCE_THRESHOLDS),
        help=f"exit 1 when a [tool.covthemes.thresholds] minimum is missed (env {ENFORCE_THRESHOLDS}=1)",
    )
    _history_option(publish, "a history.json: the index draws its trend, this report the newest point")
    publish.set_defaults(handler=run_publish)
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
    add.set_defaults(handler=add_to_history)


def run_publish(settings: Settings, args: argparse.Namespace) -> int:
    # Imported here: coverage's reporting loads only for the verb that uses it.
    from covthemes.publish.pipeline import publish
    from covthemes.publish.progress import Progress

    progress = Progress(sys.stderr)
    try:
        result = publish(
            settings,
            allow_mixed_revisions=args.allow_mixed_revisions,
            enforce_thresholds=args.enforce_thresholds,
            on_step=progress,
            history=args.history,
        )
    finally:
        progress.close()
    layout = settings.layout
    print(layout.summary_md.read_text())
    print(
        f"covthemes: published {layout.shown(layout.index_html)} (the themed report), "
        f"{layout.shown(layout.summary_md)}, {layout.shown(layout.themes_json)}"
    )
    for reason in result.reasons:
        print(f"covthemes: error: {reason}", file=sys.stderr)
    return 1 if result.reasons else 0


def add_to_history(settings: Settings, args: argparse.Namespace) -> int:
    if args.history is None:
        raise CovthemesError("covthemes history add needs --history PATH (or COVTHEMES_HISTORY)")
    return add(settings, args.history, args.keep)


def add(settings: Settings, path: Path, keep: int = history.DEFAULT_KEEP) -> int:
    """The published report appended to the history at `path`, pruned to the newest `keep`."""
    # Imported here: filelock is needed only to add, and `covthemes matrix` runs without it.
    from covthemes import lock

    if keep < 1:
        raise CovthemesError(f"--keep {keep} would keep no entry: keep at least 1")
    report = loader.read_report(settings)
    stale = freshness.changed_since(settings.root, loader.read_listing(settings).measured)
    freshness.refuse_stale(settings, stale, "its history entry")
    entry = HistoryEntry.of(report)
    # Read, add and write under the history's lock: concurrent adds each keep their entry.
    with lock.held(history.lock_file(path), f"the history {path}"):
        before = history.read(path)
        updated = before.with_entry(entry, keep)
        history.write(path, updated)
    replaced = any(e.key == entry.key for e in before.entries)
    pruned = len(before.entries) + (0 if replaced else 1) - len(updated.entries)
    count = len(updated.entries)
    print(
        f"covthemes: {'replaced' if replaced else 'added'} the entry of {entry.key[:12]} in {path}: "
        f"{count} {'entry' if count == 1 else 'entries'}" + (f", {pruned} older pruned" if pruned else "")
    )
    return 0
