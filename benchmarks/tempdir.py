"""The harness's temporary folder, with no pytest config above it (`neutral_folder`).

pytest takes its settings from the first config file above the folder it runs
in: a suite with none of its own, such as networkx, must not pick up this
repository's `pytest.ini` from tox's temporary folder.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from benchmarks.procs import CommandFailed

# Where pytest looks for its configuration, and the section that makes a file one.
PYTEST_CONFIGS = {
    "pytest.ini": "",
    ".pytest.ini": "",
    "pyproject.toml": "[tool.pytest.ini_options]",
    "tox.ini": "[pytest]",
    "setup.cfg": "[tool:pytest]",
}


def pytest_config_above(folder: Path) -> Path | None:
    """The first pytest config file in `folder` or above it, as pytest's rootdir search finds one."""
    for place in (folder, *folder.parents):
        for name, section in PYTEST_CONFIGS.items():
            candidate = place / name
            if candidate.is_file() and section in candidate.read_text(errors="replace"):
                return candidate
    return None


def neutral_folder() -> Path:
    """A new temporary folder with no pytest config above it: the system's, if TMPDIR has one."""
    for base in (Path(tempfile.gettempdir()), Path("/tmp")):
        if base.is_dir() and pytest_config_above(base.resolve()) is None:
            return Path(tempfile.mkdtemp(prefix="themed-bench-", dir=base)).resolve()
    raise CommandFailed(
        f"every temporary folder has a pytest config above it ({pytest_config_above(Path('/tmp'))}): "
        "set TMPDIR to a folder outside any project"
    )


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
