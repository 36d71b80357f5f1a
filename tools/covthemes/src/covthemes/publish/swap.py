"""Swap staged outputs into place, journaled so that an interrupted swap is rolled back.

The swap moves each published output (`covthemes.settings.layout.OUTPUTS`) aside into
`<output>/.swap/`, records in `.swap/journal.json` that its replacement is
moving in, and moves the staged one into place. A publish killed midway
leaves the journal behind; the next publish calls `recover` first, which puts
every saved output back and removes what had moved in. Only called with the
publish lock held.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from covthemes import atomic
from covthemes.settings.layout import OUTPUTS, Layout

JOURNAL = "journal.json"


def recover(published: Layout) -> bool:
    """Roll back a swap left midway in `published`; True when one was found."""
    swap = published.swap
    if not swap.exists():
        return False
    journal_path = swap / JOURNAL
    journal = json.loads(journal_path.read_text()) if journal_path.exists() else {}
    if not journal.get("complete"):
        for name in OUTPUTS:
            target = published.output(name)
            if name in journal.get("moved_in", []):
                _remove(target)
            saved = swap / name
            if saved.exists():
                _remove(target)
                saved.rename(target)
    shutil.rmtree(swap)
    return True


def staged_entries(staging: Layout) -> set[str]:
    """The names in a staging folder."""
    return {path.name for path in staging.folder.iterdir()}


def swap_in(published: Layout, staging: Layout, midway: Callable[[], None] = lambda: None) -> None:
    """Move every output from `staging` into `published`; `midway` runs mid-swap (fault tests).

    The staging folder must hold exactly the outputs: anything else would be
    lost with it, and a missing one would leave a hole in the report.
    """
    found = staged_entries(staging)
    if found != set(OUTPUTS):
        raise RuntimeError(
            f"the staging folder holds {sorted(found - set(OUTPUTS))} beyond the layout's OUTPUTS "
            f"and lacks {sorted(set(OUTPUTS) - found)}: a writer and the layout disagree"
        )
    swap = published.swap
    swap.mkdir()
    journal: dict[str, object] = {"complete": False, "moved_in": []}
    moved_in: list[str] = []
    for index, name in enumerate(OUTPUTS):
        target = published.output(name)
        if target.exists():
            target.rename(swap / name)
        moved_in.append(name)
        journal["moved_in"] = moved_in
        atomic.write_json(swap / JOURNAL, journal)
        staging.output(name).rename(target)
        if index == len(OUTPUTS) // 2:
            midway()
    journal["complete"] = True
    atomic.write_json(swap / JOURNAL, journal)
    shutil.rmtree(swap)
    shutil.rmtree(staging.folder)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
