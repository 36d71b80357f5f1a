"""Packages, the measured folders named by their path from the root, and line counts per package."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from covthemes.model.typed import read_int, read_map

OTHER = "other"


@dataclass(frozen=True)
class Packages:
    """The measured folders, longest first, so a nested folder wins over its parent."""

    names: tuple[str, ...]

    @classmethod
    def of(cls, folders: Sequence[Path]) -> Packages:
        return cls(tuple(folder.as_posix() for folder in folders))

    def of_file(self, path: str) -> str:
        for name in sorted(self.names, key=len, reverse=True):
            if name in (".", "") or path == name or path.startswith(name + "/"):
                return name
        return OTHER


@dataclass(frozen=True)
class Counts:
    """A count of lines, in total and per package."""

    total: int
    packages: dict[str, int]

    @classmethod
    def of(cls, listing: Mapping[str, list[int]], packages: Packages) -> Counts:
        counts = dict.fromkeys(packages.names, 0)
        for path, lines in listing.items():
            name = packages.of_file(path)
            counts[name] = counts.get(name, 0) + len(lines)
        return cls(sum(counts.values()), counts)

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "packages": self.packages}

    @classmethod
    def from_json(cls, value: object) -> Counts:
        counts = read_map(value, "a line count")
        packages = read_map(counts.get("packages"), "its packages")
        return cls(read_int(counts, "total"), {name: read_int(packages, name) for name in packages})
