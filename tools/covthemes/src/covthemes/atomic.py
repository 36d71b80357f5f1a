"""Writing files safely: whole (a reader sees the old file or the new one), and never through a planted link.

The new content goes to a temporary file created beside the target with
`tempfile.mkstemp` (`O_CREAT | O_EXCL`, so a symlink planted at a predictable
name is never followed), is flushed to disk, and replaces the target with one
`os.replace`, which replaces a link at the target rather than writing through
it; the folder is then synced, so the rename survives a crash. A working file
that only one process writes (a lock's owner record) is created with
`create_new` (`O_NOFOLLOW | O_CREAT | O_EXCL`), and a symlink where one
belongs is refused by name (`refuse_link`), with its target left untouched.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from covthemes.errors import CovthemesError

# Open flags that never follow a link at the last component nor reuse an existing file.
NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def refuse_link(path: Path) -> None:
    """CovthemesError when `path` is a symbolic link, where covthemes keeps a working file of its own."""
    if path.is_symlink():
        raise CovthemesError(
            f"{path} is a symbolic link where covthemes keeps a working file of its own, and covthemes "
            f"never writes through one: delete the link (`rm {path}`), then run the command again"
        )


def create_new(path: Path, text: str) -> None:
    """Create `path` holding `text`; FileExistsError when anything, a link included, is already there."""
    descriptor = os.open(path, NEW_FILE, 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(text)


def read_own(path: Path) -> str:
    """The text of a working file, never read through a link (OSError then)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(descriptor, encoding="utf-8", errors="replace") as stream:
        return stream.read()


def write_text(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8) in one rename."""
    descriptor, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
        raise
    sync_folder(path.parent)


def write_json(path: Path, value: Any, indent: int | None = None) -> None:
    """Replace `path` with `value` as JSON, ending in a newline; ValueError on NaN or infinity.

    JSON has no NaN: Python's `NaN` token would make the file unreadable to
    every other JSON reader, and covthemes' own readers refuse it.
    """
    write_text(path, json.dumps(value, indent=indent, allow_nan=False) + "\n")


def sync_folder(folder: Path) -> None:
    """Make the entries of `folder` (a rename into it, say) durable."""
    sync(folder)


def sync(path: Path) -> None:
    """Flush a file or folder to disk, never through a symbolic link."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
