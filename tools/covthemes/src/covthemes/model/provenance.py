"""Provenance: where, when and from which source a theme's data came.

`covthemes run THEME` writes `<output>/data/provenance.<theme>.json` beside
the theme's data file (format 2, described in the README; format 1, the same
without `shard`, is still read). `covthemes publish`
reads them to refuse missing, unfinished or mixed-revision data before it
touches the report.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import coverage

from covthemes import git

# Format 2 added `shard`; format 1 records (no shard) are still read.
FORMAT = 2
READABLE = (1, 2)
FINISHED = ("passed", "failed")


@dataclass(frozen=True)
class Revision:
    """Which source a measurement ran on: the git commit and a hash of the measured files."""

    git: str | None
    source_hash: str

    @classmethod
    def of(cls, root: Path, folders: list[Path]) -> Revision:
        return cls(git=git.head(root), source_hash=source_hash(root, folders))

    def short(self) -> str:
        return f"git {(self.git or 'none')[:12]}, source {self.source_hash[:12]}"


@dataclass(frozen=True)
class Outcomes:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    errors: int = 0

    NAMES: ClassVar[tuple[str, ...]] = ("passed", "failed", "skipped", "errors")

    def to_json(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.NAMES}


@dataclass(frozen=True)
class Provenance:
    """One theme's run, as its sidecar records it."""

    theme: str
    status: str
    pytest_exit_code: int
    tests: int
    outcomes: Outcomes
    git_revision: str | None
    source_hash: str
    python: str
    python_implementation: str
    coverage_version: str
    coverage_core: str
    started: str
    ended: str
    data_file: str
    data_sha256: str | None
    # `K/N` for one shard of the theme (`covthemes.settings.shards`), None for the whole theme.
    shard: str | None = None
    format: int = field(default=FORMAT)

    @classmethod
    def of_run(
        cls,
        root: Path,
        data_file: Path,
        *,
        theme: str,
        status: str,
        exit_code: int,
        tests: int,
        outcomes: Outcomes,
        started: str,
        revision: Revision,
        shard: str | None = None,
    ) -> Provenance:
        """The record of a run that just ended here: this interpreter, this coverage, `data_file` as it is."""
        data = root / data_file
        return cls(
            theme=theme,
            status=status,
            pytest_exit_code=exit_code,
            tests=tests,
            outcomes=outcomes,
            git_revision=revision.git,
            source_hash=revision.source_hash,
            python=platform.python_version(),
            python_implementation=platform.python_implementation(),
            coverage_version=coverage.__version__,
            coverage_core=os.environ.get("COVERAGE_CORE") or "default",
            started=started,
            ended=now(),
            data_file=data_file.as_posix(),
            data_sha256=file_sha256(data) if data.exists() else None,
            shard=shard,
        )

    @property
    def revision(self) -> Revision:
        return Revision(self.git_revision, self.source_hash)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        return {"format": record.pop("format"), **record}

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> Provenance:
        if record.get("format") not in READABLE:
            raise TypeError(f"format {record.get('format')!r}, not one of {READABLE}")
        fields = {**record, "outcomes": Outcomes(**record.get("outcomes", {})), "format": FORMAT}
        return cls(**fields)


def now() -> str:
    """The time, as the records write it: UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def write(path: Path, record: Provenance) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(record.to_json(), indent=2) + "\n")
    tmp.replace(path)


def read(path: Path, theme: str) -> Provenance | None:
    """The sidecar at `path`, or None when there is none; ValueError when it is unreadable."""
    if not path.exists():
        return None
    try:
        record = json.loads(path.read_text())
        provenance = Provenance.from_json(record)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path} is not a readable provenance record ({exc})") from None
    if provenance.theme != theme:
        raise ValueError(f"{path} is a provenance record for {provenance.theme!r}, not {theme!r}")
    return provenance


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


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
