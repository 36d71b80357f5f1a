"""Writing a file whole: a reader sees the old file or the new one, never part of one.

The new content goes to a temporary file created beside the target with
`tempfile.mkstemp` (`O_CREAT | O_EXCL`, so a symlink planted at a predictable
name is never followed), is flushed to disk, and replaces the target with one
`os.replace`; the folder is then synced, so the rename survives a crash.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


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
    """Replace `path` with `value` as JSON, ending in a newline."""
    write_text(path, json.dumps(value, indent=indent) + "\n")


def sync_folder(folder: Path) -> None:
    """Make the entries of `folder` (a rename into it, say) durable."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
