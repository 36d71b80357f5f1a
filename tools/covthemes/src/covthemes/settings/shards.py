"""Shards: one theme's tests cut into N groups by pytest-split, each measured on its own runner.

`covthemes run THEME --shard K/N` runs group K of N and writes
`<output>/data/.coverage.THEME.K-of-N` with its provenance record
(`covthemes.settings.layout`); `covthemes publish` merges a theme's N shards into that
theme (`covthemes.publish.check` finds and checks them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from covthemes.errors import ConfigError

_LABEL = re.compile(r"^(\d+)/(\d+)$")


@dataclass(frozen=True, order=True)
class Shard:
    """Group `index` (from 1) of `count`."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str, given_as: str = "--shard") -> Shard:
        """`K/N` with 1 <= K <= N; ConfigError, naming where it was `given_as`, otherwise."""
        match = _LABEL.match(text.strip())
        if match is None or not 1 <= int(match.group(1)) <= int(match.group(2)):
            shown = f"{given_as} {text!r}" if given_as.startswith("-") else f"{given_as}={text!r}"
            raise ConfigError(f"{shown} is not K/N with 1 <= K <= N: write, for example, 2/3")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def label(self) -> str:
        """As on the command line: `K/N`."""
        return f"{self.index}/{self.count}"

    @property
    def name(self) -> str:
        """As in file names: `K-of-N`."""
        return f"{self.index}-of-{self.count}"


def of_theme(count: int) -> tuple[Shard, ...]:
    """Every shard of a theme cut into `count` groups."""
    return tuple(Shard(index, count) for index in range(1, count + 1))


def found(data: Path, theme: str) -> list[Shard]:
    """The shards of `theme` whose data file or provenance record is in the folder `data`."""
    pattern = re.compile(
        rf"^(?:\.coverage\.{re.escape(theme)}|provenance\.{re.escape(theme)})\.(\d+)-of-(\d+)(?:\.json)?$"
    )
    shards = set()
    if data.is_dir():
        for path in data.iterdir():
            match = pattern.match(path.name)
            if match:
                shards.add(Shard(int(match.group(1)), int(match.group(2))))
    return sorted(shards)
