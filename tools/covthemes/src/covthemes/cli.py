"""The command line, `covthemes VERB` (also `python -m covthemes`): it registers each verb family's commands.

Each family declares its own verbs, options and output in its `command`
module: `covthemes.run.command` (run, themes, matrix), `covthemes.publish.command`
(publish, history) and `covthemes.diff.command` (diff). Here: finding the
repository, loading its settings, and turning expected errors into one line
each and exit 2. A folder covthemes may not write to, a read-only file system
or a full disk is the machine's state, not a bug: one line naming the path and
the fix, exit 2 (`ENVIRONMENT`). Anything else is a bug: it shows its
traceback, and exits 2 too.
"""

from __future__ import annotations

import argparse
import dataclasses
import errno
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from covthemes import __version__
from covthemes.diff import command as diff_command
from covthemes.errors import CovthemesError, PublishRefused
from covthemes.publish import command as publish_command
from covthemes.run import command as run_command
from covthemes.settings import config

USAGE_ERROR = 2
FAMILIES = (run_command, publish_command, diff_command)
_WRITABLE = "make it writable for this user, or choose another `output` in [tool.covthemes]"
# The OSErrors that say what state the machine is in, each with its fix.
ENVIRONMENT = {
    errno.ENOSPC: "free space on its disk, then run the command again",
    errno.EDQUOT: "free space within the disk quota, then run the command again",
    errno.EROFS: "it is on a read-only file system: " + _WRITABLE,
    errno.EACCES: _WRITABLE,
    errno.EPERM: _WRITABLE,
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="covthemes",
        description="Themed coverage: run each theme under coverage, then publish the merged report.",
    )
    parser.add_argument("--version", action="version", version=f"covthemes {__version__}")
    verbs = parser.add_subparsers(
        dest="verb", required=True, metavar="{run,publish,themes,matrix,diff,history}"
    )
    for family in FAMILIES:
        family.register(verbs)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except PublishRefused as refused:
        unchanged = (
            "the previous report is unchanged" if refused.had_report else "there is no previous report"
        )
        print(f"covthemes: nothing published; {unchanged}:", file=sys.stderr)
        for problem in refused.problems:
            print(f"  - {problem}", file=sys.stderr)
        return USAGE_ERROR
    except CovthemesError as exc:
        for problem in exc.problems:
            print(f"covthemes: error: {problem}", file=sys.stderr)
        return USAGE_ERROR
    except OSError as exc:
        if exc.errno not in ENVIRONMENT:
            return _bug()
        where = exc.filename if exc.filename is not None else "a file it works on"
        print(
            f"covthemes: error: covthemes cannot write {where} ({exc.strerror}): {ENVIRONMENT[exc.errno]}",
            file=sys.stderr,
        )
        return USAGE_ERROR
    except Exception:
        return _bug()


def _bug() -> int:
    """Report the exception being handled as a bug."""
    # Show where it is. A publish says itself whether its report changed; the
    # exit code is a refusal's, not a verdict's.
    traceback.print_exc()
    print("covthemes: error: this is a bug in covthemes (traceback above)", file=sys.stderr)
    return USAGE_ERROR


def _dispatch(args: argparse.Namespace) -> int:
    root = config.find_root(Path.cwd())
    if root is None:
        raise CovthemesError(
            "no pyproject.toml with [tool.covthemes] here or above: add the table "
            '(`themes = ["<theme>", ...]`), or run covthemes from the repository root'
        )
    # Messages show paths relative to where the user stands (`Layout.shown`),
    # but coverage reads relative paths from the working folder: work from the root.
    here = Path.cwd()
    os.chdir(root)
    settings = dataclasses.replace(config.load(root), cwd=here)
    handler = args.handler
    result: int = handler(settings, args)
    return result
