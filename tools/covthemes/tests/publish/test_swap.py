"""`covthemes.publish.swap`: outputs swapped into place, and a swap interrupted midway rolled back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from covthemes.publish import swap
from covthemes.publish.swap import JOURNAL
from covthemes.settings.layout import OUTPUTS, SWAP, Layout


def write_outputs(folder: Path, label: str) -> None:
    """Every output, each file or folder holding `label`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in OUTPUTS:
        if "." in name:
            (folder / name).write_text(label)
        else:
            (folder / name).mkdir()
            (folder / name / "index").write_text(label)


def labels(folder: Path) -> dict[str, str | None]:
    """Each output's label, or None where it is absent."""
    found: dict[str, str | None] = {}
    for name in OUTPUTS:
        path = folder / name
        if path.is_dir():
            path = path / "index"
        found[name] = path.read_text() if path.exists() else None
    return found


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A published folder holding the old outputs."""
    folder = tmp_path / "coverage"
    write_outputs(folder, "old")
    return folder


@pytest.fixture
def staging(published: Path) -> Path:
    """A staging folder holding the new outputs."""
    folder = published / ".staging-1"
    write_outputs(folder, "new")
    return folder


def test_swap_in_replaces_every_output(published: Path, staging: Path) -> None:
    """Every output is replaced; the staging and swap folders are gone."""
    swap.swap_in(Layout(published), Layout(staging))
    assert set(labels(published).values()) == {"new"}
    assert not staging.exists()
    assert not (published / SWAP).exists()


def test_swap_in_into_empty_folder(tmp_path: Path) -> None:
    """A first publish has nothing to move aside."""
    published = tmp_path / "coverage"
    staging = tmp_path / "coverage" / ".staging-1"
    write_outputs(staging, "new")
    swap.swap_in(Layout(published), Layout(staging))
    assert set(labels(published).values()) == {"new"}


def test_failure_halfway_is_rolled_back_by_recover(published: Path, staging: Path) -> None:
    """A swap that fails midway leaves a journal; recover restores every old output."""

    def midway() -> None:
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError, match="killed"):
        swap.swap_in(Layout(published), Layout(staging), midway=midway)
    journal = json.loads((published / SWAP / JOURNAL).read_text())
    assert journal == {"complete": False, "moved_in": list(OUTPUTS[: len(OUTPUTS) // 2 + 1])}
    assert swap.recover(Layout(published)) is True
    assert labels(published) == dict.fromkeys(OUTPUTS, "old")
    assert not (published / SWAP).exists()


def test_recover_without_swap_folder_does_nothing(published: Path) -> None:
    """With no swap folder, there is nothing to roll back."""
    assert swap.recover(Layout(published)) is False
    assert labels(published) == dict.fromkeys(OUTPUTS, "old")


def test_recover_without_journal_restores_saved_outputs(published: Path) -> None:
    """A swap killed before its first journal write: the saved output goes back."""
    (published / SWAP).mkdir()
    (published / "html").rename(published / SWAP / "html")
    assert swap.recover(Layout(published)) is True
    assert labels(published) == dict.fromkeys(OUTPUTS, "old")
    assert not (published / SWAP).exists()


def test_recover_removes_moved_in_outputs_that_had_no_predecessor(published: Path) -> None:
    """An incomplete journal: saved outputs return, and new ones without an old one are removed."""
    (published / SWAP).mkdir()
    # html and baseline.json were saved and replaced; themes (a folder) and
    # themes.json (a file) had no predecessor; the rest were never touched.
    for name in ("html", "baseline.json"):
        (published / name).rename(published / SWAP / name)
    write_outputs(published / "new", "new")
    for name in ("html", "baseline.json"):
        (published / "new" / name).rename(published / name)
    for name in ("themes", "themes.json"):
        swap._remove(published / name)
        (published / "new" / name).rename(published / name)
    (published / SWAP / JOURNAL).write_text(
        json.dumps({"complete": False, "moved_in": ["html", "baseline.json", "themes", "themes.json"]})
    )
    assert swap.recover(Layout(published)) is True
    assert labels(published) == {**dict.fromkeys(OUTPUTS, "old"), "themes": None, "themes.json": None}


def test_recover_after_complete_journal_keeps_new_outputs(published: Path) -> None:
    """A swap that completed but was killed before cleaning up keeps the new outputs."""
    (published / SWAP).mkdir()
    (published / SWAP / "html").mkdir()
    (published / SWAP / "html" / "index").write_text("older")
    (published / SWAP / JOURNAL).write_text(json.dumps({"complete": True, "moved_in": list(OUTPUTS)}))
    assert swap.recover(Layout(published)) is True
    assert labels(published) == dict.fromkeys(OUTPUTS, "old")
    assert not (published / SWAP).exists()


@pytest.mark.parametrize("change", ["extra", "missing"])
def test_swap_in_refuses_a_staging_folder_that_is_not_the_layout(
    published: Path, staging: Path, change: str
) -> None:
    """A staged entry the layout does not list, or a listed one not staged, stops the swap first."""
    if change == "extra":
        (staging / "history.json").write_text("new")
    else:
        swap._remove(staging / "badges")
    with pytest.raises(RuntimeError, match="a writer and the layout disagree"):
        swap.swap_in(Layout(published), Layout(staging))
    assert labels(published) == dict.fromkeys(OUTPUTS, "old")
    assert not (published / SWAP).exists()
