"""`covthemes.diff` and `covthemes diff`: changed statements per theme, by diff-cover, in real git repos.

The end-to-end repository (`changed`) is the tiny repository, committed and
published, then changed and published again. The change (CHANGED_CORE
against conftest's CORE) rewrites beta_only over lines 8-9, committed, and
adds `added()` at lines 16-17, left in the working tree; so against HEAD~1
the changed statements are 8, 9, 16 and 17:

- 8 and 9 run in beta's test;
- 16 (a `def`) runs for every theme at import, and only then;
- 17 runs for no theme.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from diff_cover.git_path import GitPathTool
from helpers import CORE, isolate_publish, make_repo, measure

from covthemes import cli
from covthemes.diff import changed as diff
from covthemes.diff.changed import Base
from covthemes.errors import CovthemesError
from covthemes.model import loader
from covthemes.model.lines import LineListing
from covthemes.publish import pipeline as publish
from covthemes.settings import config
from covthemes.settings.config import ALL_THEMES, Settings
from covthemes.settings.layout import page_name

COMMITTED_CORE = CORE.replace("    return 2\n", "    y = 2\n    return y\n")
CHANGED_CORE = COMMITTED_CORE + "\n\ndef added():\n    return 4\n"
CORE_PY = "pkg/core.py"
EMPTY_LISTING = LineListing({}, {}, {}, {})


def git(root: Path, *args: str) -> str:
    """Run git in `root` as a throwaway identity; return its output."""
    command = [
        "git",
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@example.com",
        "-c",
        "commit.gpgsign=false",
    ]
    result = subprocess.run([*command, *args], cwd=root, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def commit_all(root: Path, message: str) -> str:
    """Commit everything in `root`; return the new commit's hash."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


def new_repo(root: Path) -> Path:
    """A git repository on `main` with the tiny repository committed; its coverage output ignored."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    (root / ".gitignore").write_text("coverage/\n__pycache__/\n")
    return root


def measure_and_publish(settings: Settings) -> None:
    """Measure every theme afresh (its old data file removed by name) and publish."""
    for theme in settings.themes:
        settings.layout.data_file(theme).unlink(missing_ok=True)
        measure(settings, theme)
    publish.publish(settings)


@dataclass(frozen=True)
class Changed:
    """The changed repository, published at its working tree; the base commit and its themes.json."""

    settings: Settings
    base_commit: str
    base_report: Path


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Changed]:
    """Commit, publish, change pkg/core.py (in a commit and the working tree), publish again.

    About two seconds, once for the module.
    """
    folder = tmp_path_factory.mktemp("diff")
    root = make_repo(new_repo(folder / "repo"))
    with pytest.MonkeyPatch.context() as patch:
        isolate_publish(patch, root, tmp_path_factory)
        settings = config.load(root)
        base_commit = commit_all(root, "base")
        measure_and_publish(settings)
        base_report = Path(shutil.copy(root / settings.output / "themes.json", folder / "base-themes.json"))
        (root / CORE_PY).write_text(COMMITTED_CORE)
        commit_all(root, "change")
        (root / CORE_PY).write_text(CHANGED_CORE)
        measure_and_publish(settings)
        yield Changed(settings, base_commit, base_report)


@pytest.fixture(autouse=True)
def git_path_tool(monkeypatch: pytest.MonkeyPatch) -> None:
    """diff-cover's GitPathTool keeps the folder changed_lines gives it in class attributes: restore them."""
    monkeypatch.setattr(GitPathTool, "_cwd", GitPathTool._cwd)
    monkeypatch.setattr(GitPathTool, "_root", GitPathTool._root)


@pytest.fixture
def two_commits(tmp_path: Path) -> tuple[Path, str, str]:
    """A repository with two commits; returns it and the two commits' hashes."""
    root = new_repo(tmp_path / "two")
    (root / "a.py").write_text("x = 1\n")
    first = commit_all(root, "first")
    (root / "a.py").write_text("x = 2\n")
    return root, first, commit_all(root, "second")


def lines(*numbers: int) -> frozenset[tuple[str, int]]:
    """Lines of pkg/core.py, as changed_lines names them."""
    return frozenset((CORE_PY, n) for n in numbers)


def test_resolve_base_names_the_ref_and_its_commit(two_commits: tuple[Path, str, str]) -> None:
    """A ref resolves to its commit, keeping the ref's own name."""
    root, first, second = two_commits
    assert diff.resolve_base(root, "HEAD~1") == Base("HEAD~1", first)
    assert diff.resolve_base(root, "main") == Base("main", second)
    assert diff.resolve_base(root, first[:10]) == Base(first[:10], first)


def test_resolve_base_refuses_an_unknown_ref(two_commits: tuple[Path, str, str]) -> None:
    """An unknown ref is one line naming it and what to pass instead."""
    with pytest.raises(CovthemesError) as raised:
        diff.resolve_base(two_commits[0], "no-such-branch")
    assert raised.value.problems == (
        "unknown git ref 'no-such-branch': pass --base a branch, tag or commit that exists here "
        "(git fetch it first)",
    )


def test_resolve_base_without_origin_head_asks_for_base(two_commits: tuple[Path, str, str]) -> None:
    """With no ref and no origin/HEAD, the error says to pass --base."""
    with pytest.raises(CovthemesError) as raised:
        diff.resolve_base(two_commits[0], None)
    assert raised.value.problems == (
        "no upstream default branch (origin/HEAD) to compare with: pass --base REF, "
        "for example --base origin/main",
    )


def test_resolve_base_defaults_to_the_merge_base_with_origin_head(
    two_commits: tuple[Path, str, str], tmp_path: Path
) -> None:
    """In a clone, no ref means the merge base of HEAD with the origin's default branch."""
    origin, _, second = two_commits
    subprocess.run(["git", "clone", "-q", str(origin), str(tmp_path / "clone")], check=True)
    clone = tmp_path / "clone"
    (clone / "b.py").write_text("y = 1\n")
    commit_all(clone, "on the branch")
    assert diff.resolve_base(clone, None) == Base("merge base with origin/main", second)


def test_read_published_refuses_a_missing_report(settings: Settings) -> None:
    """Before any publish, the error names the file and the publish command."""
    with pytest.raises(CovthemesError) as raised:
        loader.read_report(settings)
    assert raised.value.problems == (
        "no published report (coverage/themes.json is missing): run `covthemes publish` first",
    )


def test_read_published_refuses_another_format(settings: Settings) -> None:
    """A themes.json of another format is refused in one line, asking for a new publish."""
    path = settings.root / "coverage" / "themes.json"
    path.parent.mkdir()
    path.write_text('{"format": 1}')
    with pytest.raises(CovthemesError) as raised:
        loader.read_report(settings)
    assert raised.value.problems == (
        "coverage/themes.json is themes.json format 1, not 4: "
        "run `covthemes publish` to publish it again with this covthemes",
    )


def test_changed_lines_without_a_theme_report_is_an_error(settings: Settings) -> None:
    """A theme's Cobertura report missing from the published report is one line naming it."""
    git(settings.root, "init", "-q")
    with pytest.raises(CovthemesError) as raised:
        diff.changed_lines(settings, Base("HEAD", "HEAD"), EMPTY_LISTING)
    assert raised.value.problems == ("coverage/themes/alpha.xml is missing: run `covthemes publish` first",)


def test_changed_lines_without_diff_cover_says_what_to_install(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the `diff` extra, the error names the install command."""
    monkeypatch.setitem(sys.modules, "diff_cover.diff_reporter", None)  # makes its import fail
    with pytest.raises(CovthemesError) as raised:
        diff.changed_lines(settings, Base("HEAD", "HEAD"), EMPTY_LISTING)
    assert raised.value.problems == ("covthemes diff needs diff-cover: pip install 'covthemes[diff]'",)


def test_changed_lines_per_theme(changed: Changed, monkeypatch: pytest.MonkeyPatch) -> None:
    """Against the base commit: statements 8, 9, 16, 17 changed; beta covers 8, 9, 16; the others only 16."""
    monkeypatch.chdir(changed.settings.root)
    base = diff.resolve_base(changed.settings.root, "HEAD~1")
    assert base.commit == changed.base_commit
    result = diff.changed_lines(changed.settings, base, loader.read_listing(changed.settings))
    assert result.statements == lines(8, 9, 16, 17)
    assert result.covered_by == {"alpha": lines(16), "beta": lines(8, 9, 16), "gamma": lines(16)}
    assert result.blind_spots == lines(17)
    assert result.import_only == lines(16)
    assert (result.numbers("beta").covered, result.numbers("beta").changed_statements) == (3, 4)
    assert result.numbers(ALL_THEMES).percent == 75.0


def test_diff_command_writes_json_with_the_delta(
    changed: Changed, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`covthemes diff --format json` reports each theme, the blind and import-only lines, and the delta."""
    monkeypatch.chdir(changed.settings.root)
    out = tmp_path / "diff.json"
    argv = ["diff", "--base", "HEAD~1", "--base-report", str(changed.base_report), "--format", "json"]
    assert cli.main([*argv, "-o", str(out), "--fail-under", "all_themes=75"]) == 0
    document = json.loads(out.read_text())
    assert document["themes"] == {
        "alpha": {"changed_statements": 4, "covered": 1, "percent": 25.0},
        "beta": {"changed_statements": 4, "covered": 3, "percent": 75.0},
        "gamma": {"changed_statements": 4, "covered": 1, "percent": 25.0},
    }
    page = f"coverage/files/{page_name(CORE_PY)}"
    assert document["uncovered"] == [{"file": CORE_PY, "line": 17, "page": f"{page}#L17"}]
    assert document["import_only"] == [{"file": CORE_PY, "line": 16, "page": f"{page}#L16"}]
    # Base: 8 statements and 2 branches; alpha 5 + 1 (60%), beta 4 (40%), gamma 3 (30%), all 6 + 1 (70%).
    # Head: 11 statements (1-4, 7-9, 12, 13, 16, 17) and 2 branches; alpha 6 + 1 (53.85%),
    # beta 6 (46.15%), gamma 4 (30.77%), all 8 + 1 (69.23%); blind spots 4, 12 -> 4, 13, 17.
    # Unique: alpha 2, 3 both times; beta 8 -> 8, 9.
    delta = document["delta"]
    # A theme's delta is by its tests: base alpha 2 + 1 (30%), beta 1 (10%), gamma 0;
    # head alpha 2 + 1 (23.08%), beta 2 (15.38%), gamma 0. All themes keep coverage's own.
    assert (delta["alpha"]["percent"], delta["alpha"]["covered_lines"]) == (-6.92, 0)
    assert (delta["beta"]["percent"], delta["beta"]["covered_lines"]) == (5.38, 1)
    assert (delta["gamma"]["percent"], delta["gamma"]["covered_lines"]) == (0.0, 0)
    assert (delta["all_themes"]["percent"], delta["all_themes"]["covered_lines"]) == (-0.77, 2)
    assert [delta[t]["unique_lines"] for t in ("alpha", "beta", "gamma")] == [0, 1, 0]
    assert delta["blind_spots"] == 1
    assert delta["regression"] is True
    assert capsys.readouterr() == ("", "")


def test_diff_command_fails_under_a_missed_minimum(
    changed: Changed, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missed --fail-under exits 1, naming the theme, after printing the markdown."""
    monkeypatch.chdir(changed.settings.root)
    assert cli.main(["diff", "--base", "HEAD~1", "--fail-under", "alpha=50", "--fail-under", "beta=75"]) == 1
    captured = capsys.readouterr()
    assert "| beta | 3/4 | 75.0% |" in captured.out
    assert captured.err == "covthemes: error: alpha covers 1/4 changed statements, below 50%\n"


def test_diff_refuses_a_report_older_than_the_changed_file(
    changed: Changed, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A change committed to a measured file without measuring again exits 2, naming the file and the fix."""
    root = shutil.copytree(changed.settings.root, tmp_path / "repo", symlinks=True)
    (root / CORE_PY).write_text(CHANGED_CORE + "\n\ndef later():\n    return 5\n")
    commit_all(root, "changed after the publish")
    monkeypatch.chdir(root)
    assert cli.main(["diff", "--base", "HEAD~1"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith(
        "covthemes: error: the published report measured pkg/core.py as it was before this checkout "
        "changed it"
    )
    assert line.endswith(
        "run `covthemes run alpha`, `covthemes run beta`, `covthemes run gamma`, then `covthemes publish`"
    )


def test_diff_answers_when_the_change_touches_no_file_changed_since_the_publish(
    changed: Changed, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A committed change to a file the report did not measure leaves the answer standing."""
    root = shutil.copytree(changed.settings.root, tmp_path / "repo", symlinks=True)
    (root / "notes.py").write_text("x = 1\n")
    commit_all(root, "an unmeasured file")
    monkeypatch.chdir(root)
    assert cli.main(["diff", "--base", "HEAD~1", "-o", str(tmp_path / "out.md")]) == 0
