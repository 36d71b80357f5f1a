"""Whether a published report still describes the checkout: each measured file's source, then and now.

A publish records the SHA-256 of every measured file as it read it
(`lines.json`'s `measured_files`, `covthemes.model.lines`). Wherever the
report is combined with the checkout, `covthemes diff` for the files a change
touches and `covthemes history add` for every file, a file whose source has
changed since (or is gone) means the report would answer for other code: it
is refused, naming the files and the commands that measure again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from covthemes.errors import CovthemesError
from covthemes.settings.config import Settings

# The files a message names before it counts the rest.
SHOWN = 5


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of the file's bytes, or None when it cannot be read (deleted, say)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def changed_since(root: Path, measured: Mapping[str, str], paths: Iterable[str] | None = None) -> list[str]:
    """The measured files (of `paths`, or all) whose source here differs from what the publish read."""
    chosen = measured.keys() if paths is None else [p for p in paths if p in measured]
    return sorted(p for p in chosen if file_sha256(root / p) != measured[p])


def remeasure(settings: Settings) -> str:
    """The commands that measure every theme again and publish."""
    runs = ", ".join(f"`{settings.rerun(theme)}`" for theme in settings.themes)
    return f"run {runs}, then `{settings.publish_command}`"


def refuse_stale(settings: Settings, stale: list[str], use: str) -> None:
    """CovthemesError, one line, when `stale` names files: the report would answer `use` for other source."""
    if not stale:
        return
    names = ", ".join(stale[:SHOWN]) + (f" and {len(stale) - SHOWN} more" if len(stale) > SHOWN else "")
    raise CovthemesError(
        f"the published report measured {names} as {'they were' if len(stale) > 1 else 'it was'} "
        f"before this checkout changed {'them' if len(stale) > 1 else 'it'}, so {use} would describe "
        f"other source: measure again: {remeasure(settings)}"
    )
