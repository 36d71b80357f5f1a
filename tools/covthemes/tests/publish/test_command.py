"""`covthemes.publish.command`: `history add` appends the published report, replaced per commit, pruned."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import history_entry, history_keys

from covthemes.errors import CovthemesError
from covthemes.model import history
from covthemes.model.history import History, HistoryEntry
from covthemes.model.lines import LineListing
from covthemes.model.themes import ThemesReport
from covthemes.publish import command
from covthemes.settings.config import Settings


@pytest.fixture
def report(settings: Settings, themed_summary: ThemesReport) -> ThemesReport:
    """conftest's summary, published as the tiny repository's themes.json."""
    folder = settings.layout.folder
    folder.mkdir()
    (folder / "themes.json").write_text(json.dumps(themed_summary.to_json()))
    (folder / "lines.json").write_text(json.dumps(LineListing({}, {}, {}, {}).to_json()))
    return themed_summary


def test_add_makes_the_history_then_replaces_the_commits_history_entry(
    report: ThemesReport, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first add makes history.json with one entry; adding the same commit again replaces it."""
    path = tmp_path / "history.json"
    assert command.add(settings, path) == 0
    assert history.read(path).entries == (HistoryEntry.of(report),)
    assert capsys.readouterr().out == f"covthemes: added the entry of abc123 in {path}: 1 entry\n"
    assert command.add(settings, path) == 0
    assert len(history.read(path).entries) == 1
    assert capsys.readouterr().out == f"covthemes: replaced the entry of abc123 in {path}: 1 entry\n"


def test_add_prunes_to_keep(
    report: ThemesReport, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --keep 2, the report and the newest older entry remain, and the count pruned is said."""
    path = tmp_path / "history.json"
    history.write(path, History(tuple(history_entry(str(n), f"2000-01-0{n}T00:00:00Z") for n in range(1, 4))))
    command.add(settings, path, keep=2)
    assert history_keys(history.read(path)) == ["3", "abc123"]
    assert capsys.readouterr().out.endswith(": 2 entries, 2 older pruned\n")


def test_add_refuses_to_keep_nothing(report: ThemesReport, settings: Settings, tmp_path: Path) -> None:
    """--keep 0 is an error, before the history is touched."""
    with pytest.raises(CovthemesError, match=r"^--keep 0 would keep no entry: keep at least 1$"):
        command.add(settings, tmp_path / "history.json", keep=0)
    assert not (tmp_path / "history.json").exists()


def test_add_without_a_published_report_names_the_publish(settings: Settings, tmp_path: Path) -> None:
    """No themes.json: the error names it and the publish command, and no history is written."""
    with pytest.raises(
        CovthemesError, match=r"^no published report \(coverage/themes.json is missing\): run "
    ):
        command.add(settings, tmp_path / "history.json")
    assert not (tmp_path / "history.json").exists()


ADD_AS = """\
import sys
from dataclasses import replace
from pathlib import Path

from covthemes.model import loader
from covthemes.model.revision import Revision
from covthemes.publish import command
from covthemes.settings import config

settings = config.load(Path(sys.argv[1]))
report = loader.read_report(settings)
# As if each process published another commit.
loader.read_report = lambda _: replace(report, revision=Revision(sys.argv[2] * 40, "f" * 64))
sys.exit(command.add(settings, Path(sys.argv[3])))
"""


def test_concurrent_adds_each_keep_their_entry(
    report: ThemesReport, settings: Settings, tmp_path: Path, child_env: dict[str, str]
) -> None:
    """Ten `history add`s at once, of ten commits, leave ten entries: each adds under the history's lock."""
    path = tmp_path / "history.json"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", ADD_AS, str(settings.root), str(n), str(path)],
            env=child_env,
            stdout=subprocess.DEVNULL,
        )
        for n in range(10)
    ]
    assert [child.wait(timeout=120) for child in children] == [0] * 10
    assert sorted(history_keys(history.read(path))) == [str(n) * 40 for n in range(10)]


def test_add_refuses_a_history_holding_nan_or_nested_too_deep(
    report: ThemesReport, settings: Settings, tmp_path: Path
) -> None:
    """A history with NaN, or nested past the recursion limit, is one line naming it; it is left as it was."""
    path = tmp_path / "history.json"
    for text, reason in [
        ('{"format": 1, "entries": [{"percent": NaN}]}', "holds NaN, which JSON has no value for"),
        ("[" * 100_000 + "]" * 100_000, "nests values deeper than any covthemes document"),
    ]:
        path.write_text(text)
        with pytest.raises(CovthemesError) as raised:
            command.add(settings, path)
        assert raised.value.problems == (
            f"--history {path} {reason}: restore its last good version (on a data branch, from "
            "`git log -- history.json`), or delete it to start a new history",
        )
        assert path.read_text() == text


def test_add_refuses_a_report_of_source_changed_since(
    report: ThemesReport, settings: Settings, tmp_path: Path
) -> None:
    """A report whose measured file has changed since its publish is not added: it names the file."""
    measured = {"pkg/core.py": "0" * 64}
    listing = LineListing({}, {}, {}, {}, measured)
    settings.layout.lines_json.write_text(json.dumps(listing.to_json()))
    with pytest.raises(CovthemesError) as raised:
        command.add(settings, tmp_path / "history.json")
    [problem] = raised.value.problems
    assert problem.startswith("the published report measured pkg/core.py as it was before this checkout")
    assert problem.endswith(
        "measure again: run `covthemes run alpha`, `covthemes run beta`, `covthemes run gamma`, "
        "then `covthemes publish`"
    )
    assert not (tmp_path / "history.json").exists()
