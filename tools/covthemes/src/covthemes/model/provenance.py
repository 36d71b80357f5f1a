"""Provenance: where, when and from which source a theme's data came.

`covthemes run THEME` writes `<output>/data/provenance.<theme>.json` beside
the theme's data file (format 4, described in the README; formats 1 to 3
are still read: without `coverage_config_sha256` (1 and 2) that hash is
unknown, and without `contexts` the run was in the tests mode, the only one
they had).
`covthemes publish` reads them to refuse missing, unfinished, mixed-revision
or differently configured data before it touches the report.
"""

from __future__ import annotations

import hashlib
import os
import platform
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from covthemes import atomic
from covthemes.model import typed
from covthemes.model.revision import Revision
from covthemes.model.typed import read_int, read_map, read_str
from covthemes.settings.core import MODES

# Format 2 added `shard`, format 3 `coverage_config_sha256`, format 4
# `contexts`; older records are still read (see the module's docstring).
FORMAT = 4
READABLE = (1, 2, 3, 4)
# The contexts mode of a record that predates `contexts`.
BEFORE_MODES = "tests"
FINISHED = ("passed", "failed")


@dataclass(frozen=True)
class Outcomes:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    errors: int = 0

    NAMES: ClassVar[tuple[str, ...]] = ("passed", "failed", "skipped", "errors")

    def to_json(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.NAMES}

    @classmethod
    def from_json(cls, value: object) -> Outcomes:
        counts = read_map(value, "'outcomes'")
        return cls(*(read_int(counts, name) if name in counts else 0 for name in cls.NAMES))


@dataclass(frozen=True)
class Provenance:
    """One theme's run, as its sidecar records it."""

    theme: str
    status: str
    pytest_exit_code: int
    tests: int
    outcomes: Outcomes
    revision: Revision
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
    # The hash of the coverage options that decide what was measured
    # (`covthemes.settings.coverage_config.config_sha256`); None in records
    # of formats 1 and 2, which did not keep it.
    coverage_config_sha256: str | None = None
    # How the run recorded contexts: "phases" or "tests" (`covthemes.settings.core`).
    contexts: str = BEFORE_MODES
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
        config_sha256: str | None,
        contexts: str,
        shard: str | None = None,
    ) -> Provenance:
        """The record of a run that just ended here: this interpreter, this coverage, `data_file` as it is."""
        # Imported here: `covthemes matrix` runs on the standard library alone (`python -S`).
        import coverage

        data = root / data_file
        return cls(
            theme=theme,
            status=status,
            pytest_exit_code=exit_code,
            tests=tests,
            outcomes=outcomes,
            revision=revision,
            python=platform.python_version(),
            python_implementation=platform.python_implementation(),
            coverage_version=coverage.__version__,
            coverage_core=os.environ.get("COVERAGE_CORE") or "default",
            started=started,
            ended=now(),
            data_file=data_file.as_posix(),
            data_sha256=file_sha256(data) if data.exists() else None,
            shard=shard,
            coverage_config_sha256=config_sha256,
            contexts=contexts,
        )

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def to_json(self) -> dict[str, Any]:
        """The record as written: the revision flattened into `git_revision` and `source_hash`."""
        record: dict[str, Any] = {"format": self.format}
        for name, value in asdict(self).items():
            if name == "revision":
                record["git_revision"] = self.revision.git
                record["source_hash"] = self.revision.source_hash
            elif name != "format":
                record[name] = value
        return record

    @classmethod
    def from_json(cls, value: object) -> Provenance:
        """A record read back; TypeError says which field does not fit its format."""
        record = read_map(value, "the record")
        found = record.get("format")
        if isinstance(found, bool) or found not in READABLE:
            raise TypeError(f"format {found!r}, not one of {READABLE}")
        text = {name: read_str(record, name) for name in _TEXT}
        optional = {name: read_str(record, name, optional=True) for name in _OPTIONAL_TEXT}
        revision = Revision(optional.pop("git_revision"), text.pop("source_hash"))
        contexts = read_str(record, "contexts") if "contexts" in record else BEFORE_MODES
        if contexts not in MODES:
            raise TypeError(f"'contexts' is {contexts!r}, not one of {', '.join(MODES)}")
        return cls(
            contexts=contexts,
            **text,
            **optional,
            pytest_exit_code=read_int(record, "pytest_exit_code"),
            tests=read_int(record, "tests"),
            outcomes=Outcomes.from_json(record.get("outcomes", {})),
            revision=revision,
        )


# The fields read as strings, and as strings or null.
_TEXT = (
    "theme",
    "status",
    "source_hash",
    "python",
    "python_implementation",
    "coverage_version",
    "coverage_core",
    "started",
    "ended",
    "data_file",
)
_OPTIONAL_TEXT = ("git_revision", "data_sha256", "shard", "coverage_config_sha256")


def now() -> str:
    """The time, as the records write it: UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def write(path: Path, record: Provenance) -> None:
    atomic.write_json(path, record.to_json(), indent=2)


def read(path: Path, theme: str) -> Provenance | None:
    """The sidecar at `path`, or None when there is none; ValueError when it is unreadable."""
    if not path.exists():
        return None
    try:
        provenance = Provenance.from_json(typed.parse(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise ValueError(f"{path} is not a readable provenance record ({exc})") from None
    if provenance.theme != theme:
        raise ValueError(f"{path} is a provenance record for {provenance.theme!r}, not {theme!r}")
    return provenance


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
