"""The one module of `benchmarks` that imports covthemes; everything else runs its command line.

It takes a project's settings (`covthemes.settings.config`), the published
outputs' names (`covthemes.settings.layout`), where shards keep their data
(`covthemes.settings.shards`), the theme of a context (`covthemes.model.lines`),
and the error a broken configuration raises.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from covthemes.errors import CovthemesError
from covthemes.model.lines import theme_of
from covthemes.settings import shards
from covthemes.settings.config import load
from covthemes.settings.layout import BASELINE_JSON, OUTPUTS

__all__ = [
    "BASELINE_JSON",
    "DATA",
    "OUTPUT",
    "CovthemesError",
    "load",
    "published_sizes",
    "recorded_cores",
    "recorded_tests",
    "theme_of",
    "tree_size",
]

DATA = "theme data"  # the key of the theme data's size in `published_sizes`
OUTPUT = "whole output folder"  # the key of the output folder's size, every generation and lock in it


def tree_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def published_sizes(project: Path) -> dict[str, int]:
    """Bytes of every published output of `project`, and of its theme data (a sharded theme's every shard)."""
    settings = load(project)
    layout = settings.layout
    sizes = {name: tree_size(layout.output(name)) for name in OUTPUTS}
    data = 0
    for theme in settings.themes:
        found: list[shards.Shard | None] = [*shards.found(layout.data, theme)] or [None]
        data += sum(tree_size(layout.data_file(theme, shard)) for shard in found)
    return {DATA: data, **sizes, OUTPUT: _folder_size(layout.folder)}


def _folder_size(folder: Path) -> int:
    """Bytes of the files in `folder`, each counted once: its links to generations are not followed."""
    return sum((Path(top) / name).lstat().st_size for top, _, names in os.walk(folder) for name in names)


def recorded_cores(project: Path) -> dict[str, str]:
    """Per theme data file, the coverage core its run recorded in its provenance (`coverage_core`)."""
    data = load(project).layout.data
    found = {}
    for path in sorted(data.glob("provenance.*.json")):
        record = json.loads(path.read_text())
        found[path.name.removeprefix("provenance.").removesuffix(".json")] = str(record.get("coverage_core"))
    return found


def recorded_tests(project: Path) -> dict[str, int]:
    """Per theme, the tests covthemes recorded in the published `themes.json` (empty: nothing published)."""
    settings = load(project)
    path = settings.layout.themes_json
    if not path.exists():
        return {}
    themes = json.loads(path.read_text()).get("themes", {})
    return {name: int(theme.get("tests", 0)) for name, theme in themes.items()}
