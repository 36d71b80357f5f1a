"""Report workers end with the publish: killed while its workers start or work, it leaves none.

A child `covthemes publish` is killed with SIGKILL at the steps where its
worker processes are starting (`html`, `themes`), working (`json`) and being
waited for (`workers`), through `COVTHEMES_FAULT=kill:<step>`. Every process
it started carries a marker in its environment; none may outlive it.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

MARKER = "COVTHEMES_TEST_MARKER"


def marked(mark: str) -> list[int]:
    """The processes whose environment carries `mark`."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"{MARKER}={mark}".encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("step", ["html", "themes", "json", "workers"])
def test_a_killed_publish_leaves_no_worker(
    measured: Path, step: str, child_env: dict[str, str], tmp_path: Path
) -> None:
    """Within seconds of the kill, no process the publish started is left."""
    mark = uuid.uuid4().hex
    # A file, not a pipe: a surviving worker would hold a pipe open, and the wait with it.
    with (tmp_path / "stderr").open("w") as stderr:
        result = subprocess.run(
            [sys.executable, "-m", "covthemes", "publish"],
            cwd=measured,
            env={**child_env, MARKER: mark, "COVTHEMES_FAULT": f"kill:{step}"},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            timeout=300,
            check=False,
        )
    assert result.returncode == -9, (tmp_path / "stderr").read_text()
    deadline = time.monotonic() + 20
    while marked(mark) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert marked(mark) == []
