"""Which source a measurement ran on: the git commit, and a hash of the measured files.

A run records it (`covthemes.model.provenance`), the published report
carries it (`themes.json`), and the publish compares the runs' with the
checkout's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from covthemes import git
from covthemes.model.typed import read_map, read_str


@dataclass(frozen=True)
class Revision:
    """The git commit (None without git) and the source hash of the measured folders."""

    git: str | None
    source_hash: str

    @classmethod
    def of(cls, root: Path, folders: list[Path]) -> Revision:
        return cls(git=git.head(root), source_hash=source_hash(root, folders))

    def short(self) -> str:
        return f"git {(self.git or 'none')[:12]}, source {self.source_hash[:12]}"

    def to_json(self) -> dict[str, Any]:
        """As `themes.json` writes it: `{"git": ..., "source_hash": ...}`."""
        return {"git": self.git, "source_hash": self.source_hash}

    @classmethod
    def from_json(cls, value: object) -> Revision:
        revision = read_map(value, "revision")
        return cls(read_str(revision, "git", optional=True), read_str(revision, "source_hash"))


def source_hash(root: Path, folders: list[Path]) -> str:
    """A SHA-256 over the path and bytes of every Python file in the measured folders.

    It tells two trees apart where the git revision cannot: uncommitted edits,
    or a tree with no git at all.
    """
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()
