"""`covthemes.model.history`: one entry per commit, replaced on a rerun, pruned, read back typed."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import history_entry, history_keys

from covthemes.errors import CovthemesError
from covthemes.model import history
from covthemes.model.history import AllThemesPoint, History, HistoryEntry, ThemePoint
from covthemes.model.revision import Revision
from covthemes.model.themes import ThemesReport


def test_an_entry_holds_the_summarys_numbers(themed_summary: ThemesReport) -> None:
    """Per theme: percent, covered, unique and import-only lines, by its tests; all themes: their own."""
    made = HistoryEntry.of(themed_summary)
    assert made.revision.git == "abc123"
    assert made.time == themed_summary.generated
    assert made.themes == {
        "alpha": ThemePoint(
            percent=60.0, covered_lines=5, only_this_theme=2, import_only_lines=2, by_tests=40.0
        ),
        "beta": ThemePoint(
            percent=40.0, covered_lines=4, only_this_theme=1, import_only_lines=3, by_tests=10.0
        ),
    }
    assert made.all_themes == AllThemesPoint(percent=70.0, covered_lines=6, blind_spots=2)


def test_without_git_an_entry_is_keyed_by_its_source_hash(themed_summary: ThemesReport) -> None:
    """A report with no git revision records null, and its source hash names its commit."""
    made = HistoryEntry.of(replace(themed_summary, revision=Revision(None, "e" * 64)))
    assert made.revision.git is None
    assert made.key == "e" * 64
    assert made.to_json()["revision"] is None


def test_adding_appends_newest_last() -> None:
    """A new commit's entry goes after the older ones."""
    recorded = History().with_entry(history_entry("a", "2026-01-01T00:00:00Z"))
    recorded = recorded.with_entry(history_entry("b", "2026-01-02T00:00:00Z"))
    assert history_keys(recorded) == ["a", "b"]


def test_a_rerun_replaces_its_commits_entry_and_moves_it_by_time() -> None:
    """Adding a commit's entry again replaces the old one; entries stay ordered by time."""
    recorded = History(
        (history_entry("a", "2026-01-01T00:00:00Z"), history_entry("b", "2026-01-02T00:00:00Z"))
    )
    rerun = recorded.with_entry(history_entry("b", "2026-01-03T00:00:00Z", percent=55.0))
    assert history_keys(rerun) == ["a", "b"]
    assert rerun.entries[-1].themes["alpha"].percent == 55.0
    older = recorded.with_entry(history_entry("a", "2026-01-04T00:00:00Z"))
    assert history_keys(older) == ["b", "a"]


def test_pruning_keeps_the_newest() -> None:
    """With keep=N, only the newest N entries remain."""
    recorded = History(tuple(history_entry(str(n), f"2026-01-0{n}T00:00:00Z") for n in range(1, 6)))
    assert history_keys(recorded.with_entry(history_entry("6", "2026-01-06T00:00:00Z"), keep=2)) == [
        "5",
        "6",
    ]


def test_it_reads_back_what_it_wrote(tmp_path: Path) -> None:
    """history.json (format 1) reads back to the same entries."""
    recorded = History(
        (history_entry("a", "2026-01-01T00:00:00Z"), history_entry(None, "2026-01-02T00:00:00Z"))
    )
    path = tmp_path / "data" / "history.json"
    history.write(path, recorded)
    assert history.read(path) == recorded
    document = json.loads(path.read_text())
    assert document["format"] == 1
    assert document["entries"][0] == {
        "revision": "a",
        "source_hash": "f" * 64,
        "time": "2026-01-01T00:00:00Z",
        "themes": {
            "alpha": {
                "percent": 50.0,
                "covered_lines": 4,
                "unique_lines": 1,
                "import_only_lines": 2,
                "by_tests_percent": 50.0,
            }
        },
        "total": {"percent": 60.0, "covered_lines": 5, "blind_spots": 3},
    }
    assert [p.name for p in path.parent.iterdir()] == ["history.json"]


def test_an_entry_from_before_by_tests_reads_without_it(tmp_path: Path) -> None:
    """An entry recorded before `by_tests_percent` was kept reads back with none: the chart leaves a gap."""
    path = tmp_path / "history.json"
    history.write(path, History((history_entry("a", "2026-01-01T00:00:00Z"),)))
    document = json.loads(path.read_text())
    del document["entries"][0]["themes"]["alpha"]["by_tests_percent"]
    path.write_text(json.dumps(document))
    assert history.read(path).entries[0].themes["alpha"].by_tests is None


def test_a_missing_history_is_empty(tmp_path: Path) -> None:
    """No file yet is a history with no entries: the first run starts it."""
    assert history.read(tmp_path / "history.json") == History()


def problem(path: Path) -> str:
    with pytest.raises(CovthemesError) as raised:
        history.read(path)
    (message,) = raised.value.problems
    assert "\n" not in message
    assert message.startswith(f"--history {path} ")
    assert message.endswith(history.FIX)
    return message


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda text: text[:30], "is not valid JSON, perhaps cut short ("),
        (lambda text: text.replace('"format": 1', '"format": 2'), "is history format 2, not 1: "),
        (lambda text: "[]", "is not a covthemes history (the history is list, not an object)"),
        (lambda text: '{"format": 1}', "is not a covthemes history ('entries' is NoneType, not a list)"),
        (
            lambda text: text.replace('"percent": 50.0', '"percent": "50"'),
            "is not a covthemes history ('percent' is '50', not a number)",
        ),
        (
            lambda text: text.replace('"blind_spots": 3', '"blind_spots": null'),
            "is not a covthemes history ('blind_spots' is None, not a whole number)",
        ),
    ],
)
def test_a_broken_history_is_one_line_naming_it(
    tmp_path: Path, damage: Callable[[str], str], says: str
) -> None:
    """Cut short, another format or shape, a wrong type inside: one line naming the file and the fix."""
    path = tmp_path / "history.json"
    history.write(path, History((history_entry("a", "2026-01-01T00:00:00Z"),)))
    path.write_text(damage(path.read_text()))
    assert says in problem(path)


def test_an_unreadable_history_is_one_line(tmp_path: Path) -> None:
    """A history that is a folder, or not text, cannot be read: one line."""
    (tmp_path / "folder.json").mkdir()
    assert "cannot be read" in problem(tmp_path / "folder.json")
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe")
    assert "cannot be read" in problem(tmp_path / "binary.json")
