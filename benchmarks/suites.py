"""A test suite the arms run on, as `benchmarks.synthetic` and `benchmarks.thirdparty` prepare it.

Never run in place: each arm of each round runs in a fresh copy (`copy_to`).
With `--quick` a suite is cut to a sample of each theme's test files, which
every arm names on its command line (naming files after `--` replaces a
theme's globs, as the adoption guide says).
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Suite:
    key: str  # "synthetic", "networkx": names the suite in tables and folders
    title: str
    root: Path  # the prepared project; arms run in copies of it
    themes: tuple[str, ...]
    one_shot_paths: tuple[str, ...]  # what the one-shot run collects: the whole suite
    rounds: int
    adoption: str  # how the suite came to be themed, for the report
    sample: Mapping[str, tuple[str, ...]] | None = None  # per theme, the only files to run

    def theme_paths(self, theme: str) -> tuple[str, ...]:
        """The files to name on a themed run's command line: none unless sampled."""
        return self.sample[theme] if self.sample else ()

    def all_paths(self) -> tuple[str, ...]:
        """What the one-shot run collects: the sample's files, or the whole suite."""
        if self.sample:
            return tuple(path for theme in self.themes for path in self.sample[theme])
        return self.one_shot_paths

    def copy_to(self, dest: Path) -> Path:
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(self.root, dest, symlinks=True)
        return dest
