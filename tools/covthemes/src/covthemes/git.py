"""The one way covthemes asks git something: a command's output, or None when git cannot say."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git(root: Path, *args: str) -> str | None:
    """`git ARGS` run in `root`: its stripped output, or None when it fails or git is missing."""
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def head(root: Path) -> str | None:
    """The commit checked out in `root`, or None outside a repository."""
    return git(root, "rev-parse", "HEAD") or None
