"""Swap staged outputs into place, journaled so that an interrupted swap is rolled back.

The swap moves each published output aside into `<output>/.swap/`, records
in `.swap/journal.json` that its replacement is moving in, and moves the
staged one into place. A publish killed midway leaves the journal behind;
the next publish calls `recover` first, which puts every saved output back
and removes what had moved in. Only called with the publish lock held.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

OUTPUTS = (
    "html",
    "baseline.json",
    "themes",
    "themes.json",
    "lines.json",
    "summary.md",
    "files",
    "index.html",
    "badges",
)
SWAP = ".swap"
JOURNAL = "journal.json"


def recover(published: Path) -> bool:
    """Roll back a swap left halfway in `published`; True when one was found."""
    swap = published / SWAP
    if not swap.exists():
        return False
    journal_path = swap / JOURNAL
    journal = json.loads(journal_path.read_text()) if journal_path.exists() else {}
    if not journal.get("complete"):
        for name in OUTPUTS:
            target = published / name
            if name in journal.get("moved_in", []):
                _remove(target)
            saved = swap / name
            if saved.exists():
                _remove(target)
                saved.rename(target)
    shutil.rmtree(swap)
    return True


def swap_in(published: Path, staging: Path, halfway: Callable[[], None] = lambda: None) -> None:
    """Move every output from `staging` into `published`; `halfway` runs mid-swap (fault tests)."""
    swap = published / SWAP
    swap.mkdir()
    journal: dict[str, object] = {"complete": False, "moved_in": []}
    moved_in: list[str] = []
    for index, name in enumerate(OUTPUTS):
        if (published / name).exists():
            (published / name).rename(swap / name)
        moved_in.append(name)
        journal["moved_in"] = moved_in
        _write_json(swap / JOURNAL, journal)
        (staging / name).rename(published / name)
        if index == len(OUTPUTS) // 2:
            halfway()
    journal["complete"] = True
    _write_json(swap / JOURNAL, journal)
    shutil.rmtree(swap)
    shutil.rmtree(staging)


def _write_json(path: Path, value: dict[str, object]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(value))
    tmp.replace(path)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
