"""Provenance sidecars: where, when and from which source a theme's data came.

Each themed run (`covthemes.runner`) writes `coverage/data/provenance.<theme>.json`
beside its data file. The publish step (`covthemes.publish`) reads them to refuse
missing, unfinished or mixed-revision data before it touches the report.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

from coverage import Coverage

from covthemes import CONFIG_FILE, provenance_file

FORMAT = 1


def source_dirs(root: Path) -> list[Path]:
    """The measured folders, as `.coveragerc` names them under `[run] source`."""
    cov = Coverage(config_file=str(root / CONFIG_FILE), data_file=None)
    return [root / src for src in cov.get_option("run:source") or []]


def source_hash(root: Path) -> str:
    """A SHA-256 over the path and bytes of every measured Python file.

    It tells two trees apart where the git revision cannot: uncommitted edits,
    or a tree with no git at all.
    """
    digest = hashlib.sha256()
    for folder in source_dirs(root):
        for path in sorted(folder.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def git_revision(root: Path) -> str | None:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    if result.returncode != 0:
        return None
    return result.stdout.strip() or None


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(root: Path, theme: str, record: dict) -> Path:
    path = root / provenance_file(theme)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"format": FORMAT, **record}, indent=2) + "\n")
    tmp.replace(path)
    return path


def read(root: Path, theme: str) -> dict | None:
    """The sidecar of `theme`, or None when there is none; ValueError when unreadable."""
    path = root / provenance_file(theme)
    if not path.exists():
        return None
    try:
        record = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path.relative_to(root)} is not valid JSON ({exc})") from exc
    if not isinstance(record, dict) or record.get("theme") != theme:
        raise ValueError(f"{path.relative_to(root)} is not a provenance record for {theme!r}")
    return record
