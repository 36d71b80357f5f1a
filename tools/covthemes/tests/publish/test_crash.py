"""The crash test: a publish stopped at every filesystem operation of its swap and cleanup.

A child `covthemes publish` of the tiny repository is failed with EIO, and
separately killed with SIGKILL, at each operation in turn
(`COVTHEMES_FAULT=fsop:N:error|kill`); the operations are enumerated from a
publish that runs through (`COVTHEMES_FSOPS_LOG`). After each stop, a reader
of the output folder must find exactly one whole report, the previous one or
the new one, with no message claiming it unchanged when it changed; and the
next publish must succeed and leave one generation. Both a first publish (no
previous report) and a later one are stopped.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import isolate_publish

from covthemes.publish import pipeline as publish
from covthemes.settings import config
from covthemes.settings.layout import GENERATIONS, OUTPUTS, THEMES_JSON

View = dict[str, bytes]


@pytest.fixture(scope="module")
def published(measured: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same, with a report published."""
    root = shutil.copytree(measured, tmp_path_factory.mktemp("crash-published") / "repo", symlinks=True)
    with pytest.MonkeyPatch.context() as patch:
        isolate_publish(patch, root, tmp_path_factory)
        publish.publish(config.load(root))
    return root


def view(root: Path) -> View:
    """Every file a reader reaches through the output folder's published names."""
    found: View = {}
    for name in OUTPUTS:
        path = root / "coverage" / name
        if path.is_file():
            found[name] = path.read_bytes()
        elif path.is_dir():
            found.update(
                {f"{name}/{p.relative_to(path)}": p.read_bytes() for p in path.rglob("*") if p.is_file()}
            )
    return found


def whole(seen: View) -> bool:
    """Every output is there, and the index and themes.json come from one publish."""
    if not all(name in seen or any(key.startswith(f"{name}/") for key in seen) for name in OUTPUTS):
        return False
    generated = json.loads(seen[THEMES_JSON])["generated"]
    return generated.encode() in seen["index.html"]


def child(root: Path, env: dict[str, str], **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "covthemes", "publish"],
        cwd=root,
        env={**env, **extra},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def operations(base: Path, tmp_path: Path, env: dict[str, str]) -> list[str]:
    repo = shutil.copytree(base, tmp_path / "enumerate", symlinks=True)
    log = tmp_path / "ops.log"
    assert child(repo, env, COVTHEMES_FSOPS_LOG=str(log)).returncode == 0
    return log.read_text().splitlines()


@pytest.mark.parametrize("mode", ["error", "kill"])
@pytest.mark.parametrize("before", ["measured", "published"])
def test_a_publish_stopped_at_any_operation_leaves_one_whole_report(
    before: str, mode: str, request: pytest.FixtureRequest, tmp_path: Path, child_env: dict[str, str]
) -> None:
    """At every operation, an error or a kill leaves the previous report or the new one, whole."""
    base: Path = request.getfixturevalue(before)
    ops = operations(base, tmp_path, child_env)
    assert any(op.split(" ", 1)[1].startswith("rename .report.") for op in ops)
    for number, op in enumerate(ops, start=1):
        repo = shutil.copytree(base, tmp_path / str(number), symlinks=True)
        previous = view(repo)
        stopped = child(repo, child_env, COVTHEMES_FAULT=f"fsop:{number}:{mode}")
        seen = view(repo)
        assert seen == previous or (whole(seen) and seen != previous), op
        assert not previous or whole(previous)
        if mode == "kill":
            assert stopped.returncode == -9, (op, stopped.stderr)
        elif seen == previous:
            # Refused before the rename: it says so, and whether there was a report to keep.
            assert stopped.returncode == 2, (op, stopped.stderr)
            assert ("the previous report is unchanged" in stopped.stderr) == bool(previous), op
        else:
            # Published, then failed to flush or to delete what the last one left: never "unchanged".
            assert "unchanged" not in stopped.stderr, op
        again = child(repo, child_env)
        assert again.returncode == 0, (op, again.stderr)
        assert whole(view(repo)), op
        assert len(list((repo / "coverage" / GENERATIONS).iterdir())) == 1, op
