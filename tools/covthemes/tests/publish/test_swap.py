"""`covthemes.publish.swap`: a generation published in one rename, foreign entries refused, cleared."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from covthemes.errors import PublishRefused
from covthemes.publish import swap
from covthemes.publish.fsops import FileOps
from covthemes.settings.layout import GENERATIONS, OUTPUTS, REPORT, Layout


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
    """Each output's label as a reader of `folder` sees it, or None where it is absent."""
    found: dict[str, str | None] = {}
    for name in OUTPUTS:
        path = folder / name
        if path.is_dir():
            path = path / "index"
        found[name] = path.read_text() if path.exists() else None
    return found


def generation(output: Layout, label: str) -> Layout:
    built = Layout(output.generation(label))
    write_outputs(built.folder, label)
    return built


@pytest.fixture
def output(tmp_path: Path) -> Layout:
    """An output folder where the `old` generation is published."""
    layout = Layout(tmp_path / "coverage", tmp_path)
    swap.swap_in(layout, generation(layout, "old"), FileOps())
    return layout


def test_the_first_publish_makes_a_link_per_output(tmp_path: Path) -> None:
    """Each output is a link to `.report/<name>`, and `.report` links to the generation."""
    layout = Layout(tmp_path / "coverage", tmp_path)
    layout.folder.mkdir()
    swap.swap_in(layout, generation(layout, "first"), FileOps())
    assert labels(layout.folder) == dict.fromkeys(OUTPUTS, "first")
    assert {name: os.readlink(layout.folder / name) for name in OUTPUTS} == {
        name: f"{REPORT}/{name}" for name in OUTPUTS
    }
    assert os.readlink(layout.report_link) == f"{GENERATIONS}/first"
    assert swap.current(layout) == layout.generation("first")


def test_swap_in_publishes_and_clean_keeps_only_the_published(output: Layout) -> None:
    """After the swap every output reads new; the old generation stays until `clean` deletes it."""
    swap.swap_in(output, generation(output, "new"), FileOps())
    assert labels(output.folder) == dict.fromkeys(OUTPUTS, "new")
    assert output.generation("old").exists()
    output.staging(99).mkdir()
    swap.clean(output, FileOps())
    assert sorted(p.name for p in output.generations.iterdir()) == ["new"]
    assert not output.staging(99).exists()


def test_a_generation_lacking_an_output_is_a_bug(output: Layout) -> None:
    """A generation that lacks an output is refused before anything changes."""
    built = generation(output, "new")
    (built.folder / "summary.md").unlink()
    with pytest.raises(RuntimeError, match=r"lacks \['summary.md'\]"):
        swap.swap_in(output, built, FileOps())
    assert labels(output.folder) == dict.fromkeys(OUTPUTS, "old")


def test_a_users_file_at_an_output_name_is_refused_and_kept(output: Layout) -> None:
    """A file covthemes did not make at one of its names is named; it and every other user file stay."""
    (output.folder / "index.html").unlink()
    (output.folder / "index.html").write_text("mine")
    (output.folder / "notes.md").write_text("mine too")
    assert swap.foreign(output) == [output.folder / "index.html"]
    with pytest.raises(PublishRefused, match=r"^coverage/index.html was not made by covthemes"):
        swap.claim(output, FileOps())
    assert (output.folder / "index.html").read_text() == "mine"
    assert (output.folder / "notes.md").read_text() == "mine too"


def test_a_link_elsewhere_is_foreign(output: Layout, tmp_path: Path) -> None:
    """A link that points anywhere but covthemes' own target is not followed, and is named."""
    (tmp_path / "outside").write_text("secret")
    output.report_link.unlink()
    output.report_link.symlink_to(tmp_path / "outside")
    assert swap.current(output) is None
    assert swap.foreign(output) == [output.report_link]


def test_an_earlier_covthemes_report_is_adopted(tmp_path: Path) -> None:
    """Outputs written in place by an earlier covthemes become a generation, behind the links."""
    layout = Layout(tmp_path / "coverage", tmp_path)
    write_outputs(layout.folder, "earlier")
    (layout.folder / "themes.json").write_text(json.dumps({"format": 2, "themes": {}}))
    assert swap.claim(layout, FileOps()) is True
    assert labels(layout.folder)["summary.md"] == "earlier"
    assert swap.foreign(layout) == []


def test_a_fault_before_the_rename_leaves_the_old_report(
    output: Layout, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error at the link's rename leaves every output reading old; `clean` then clears the attempt."""
    monkeypatch.setenv("COVTHEMES_FAULT", "fsop:3:error")
    ops = FileOps()
    with pytest.raises(OSError, match=r"operation 3 \(rename"):
        swap.swap_in(output, generation(output, "new"), ops)
    assert labels(output.folder) == dict.fromkeys(OUTPUTS, "old")
    monkeypatch.delenv("COVTHEMES_FAULT")
    swap.clean(output, FileOps())
    assert sorted(p.name for p in output.generations.iterdir()) == ["old"]
    assert not list(output.folder.glob(f"{REPORT}.*"))


def test_a_report_copied_with_its_links_followed_is_adopted(output: Layout, tmp_path: Path) -> None:
    """A copy made by following the links (real files, `.report` a real folder) publishes again."""
    (output.generation("old") / "themes.json").write_text(json.dumps({"format": 2, "themes": {}}))
    copy = Layout(Path(shutil.copytree(output.folder, tmp_path / "copy")), tmp_path)
    assert not (copy.folder / "summary.md").is_symlink()
    assert swap.claim(copy, FileOps()) is True
    assert swap.foreign(copy) == []
    assert labels(copy.folder)["summary.md"] == "old"
    swap.swap_in(copy, generation(copy, "new"), FileOps())
    swap.clean(copy, FileOps())
    assert labels(copy.folder) == dict.fromkeys(OUTPUTS, "new")
    assert [p.name for p in copy.generations.iterdir()] == ["new"]
