"""Fixtures for the pipeline tests: temporary git clones and scrubbed child processes.

Every test here drives the real tox, pytest and coverage commands in a
temporary clone of this working tree (tracked and untracked files, so
uncommitted work is what gets tested) and asserts on the files they write.
The tool under test is `tools/covthemes`, which the tox envs install from
uv.lock.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from devtools.worktree import commit
from tests.pipeline.browser import Watched, chromium_path
from tests.pipeline.helpers import (
    CRITICAL_TEST,
    CRITICAL_TEST_TEXT,
    MATRIX,
    THEMES,
    UNCALLED,
    UNCALLED_TEXT,
    Recorded,
    copy_theme_data,
    head,
    load_json,
    scrubbed_env,
    snapshot_working_tree,
    tox,
)


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory) -> Path:
    """The working tree as it was when the session started; every clone comes from it."""
    return snapshot_working_tree(tmp_path_factory.mktemp("snapshot") / "repo")


@pytest.fixture(scope="session")
def make_clone(snapshot):
    """`make_clone(dest)`: a fresh git clone of the snapshot at `dest`."""

    def clone_to(dest: Path) -> Path:
        dest.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "clone", "-q", str(snapshot), str(dest)], env=scrubbed_env(), check=True)
        return dest

    return clone_to


@pytest.fixture(scope="session")
def matrix(tmp_path_factory, make_clone) -> Path:
    """A clone in which the whole themed matrix ran with `tox -p` and published."""
    clone = make_clone(tmp_path_factory.mktemp("matrix") / "repo")
    result = tox(clone, "-p", "-e", MATRIX)
    assert result.returncode == 0, result.output
    return clone


@pytest.fixture
def clone(tmp_path, make_clone) -> Path:
    return make_clone(tmp_path / "repo")


@pytest.fixture
def published(matrix, clone) -> Path:
    """A fresh clone holding the matrix clone's theme data and published report."""
    shutil.copytree(matrix / "coverage", clone / "coverage", symlinks=True, dirs_exist_ok=True)
    return clone


@pytest.fixture(scope="session")
def recorded(tmp_path_factory, make_clone, matrix) -> Recorded:
    """Three commits, each published with `--history` and then added to the history (about 3 minutes)."""
    clone = make_clone(tmp_path_factory.mktemp("history") / "repo")
    # The matrix measured the snapshot, this clone's first commit.
    copy_theme_data(matrix, clone, THEMES)
    history = clone.parent / "history" / "history.json"

    def publish_and_add() -> dict:
        for env in ("cov-combine", "cov-history"):
            result = tox(clone, "-e", env, "--", "--history", str(history))
            assert result.returncode == 0, result.output
        return load_json(clone / "coverage" / "themes.json")

    reports = [publish_and_add()]
    revisions = [head(clone)]
    (clone / CRITICAL_TEST).write_text(CRITICAL_TEST_TEXT)
    commit(clone, "log critical events in a security test")
    result = tox(clone, "-e", "cov-security")
    assert result.returncode == 0, result.output
    reports.append(publish_and_add())
    revisions.append(head(clone))
    with (clone / UNCALLED).open("a") as source:
        source.write(UNCALLED_TEXT)
    commit(clone, "a helper no test calls")
    result = tox(clone, "-p", "-e", ",".join(f"cov-{theme}" for theme in THEMES))
    assert result.returncode == 0, result.output
    reports.append(publish_and_add())
    revisions.append(head(clone))
    before_rerun = load_json(history)
    rerun = publish_and_add()
    return Recorded(clone, history, tuple(reports), rerun, tuple(revisions), before_rerun)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def watched(browser) -> Iterator[Watched]:
    page = Watched(browser)
    yield page
    page.page.close()
