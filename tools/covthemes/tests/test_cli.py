"""`covthemes.cli`: the verbs, and expected errors as one line each with exit 2 and no traceback."""

from __future__ import annotations

import errno
import importlib.metadata
from pathlib import Path

import pytest
from helpers import COVTHEMES_TABLE, write_pyproject

import covthemes
from covthemes import atomic, cli
from covthemes.model.lines import LineListing
from covthemes.model.themes import ThemesReport


def test_themes_prints_one_theme_a_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`covthemes themes` lists the configured themes in order."""
    assert cli.main(["themes"]) == 0
    assert capsys.readouterr().out == "alpha\nbeta\ngamma\n"


def test_themes_from_a_subfolder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """covthemes finds the root above the working folder and works from there."""
    monkeypatch.chdir(repo / "tests" / "gamma")
    assert cli.main(["themes"]) == 0
    assert Path.cwd() == repo


def test_config_error_is_one_line_and_exit_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A threshold naming no theme prints one line, no traceback, and exits 2."""
    write_pyproject(repo, covthemes=COVTHEMES_TABLE + "delta = 10\n")
    assert cli.main(["themes"]) == cli.USAGE_ERROR
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "covthemes: error: [tool.covthemes.thresholds] names 'delta', which is not a theme: "
        "use one of alpha, beta, gamma, total\n"
    )


def test_refused_publish_lists_problems(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A refused publish says nothing was published, then one line per problem, and exits 2."""
    assert cli.main(["publish"]) == cli.USAGE_ERROR
    # The steps it started come first (`covthemes: publish: step ...`), then the refusal.
    lines = capsys.readouterr().err.splitlines()
    err = [line for line in lines if not line.startswith("covthemes: publish:")]
    assert err[0] == "covthemes: nothing published; there is no previous report:"
    assert err[1:] == [
        f"  - missing coverage data for theme {theme!r} (coverage/data/.coverage.{theme}): "
        f"run `covthemes run {theme}` first"
        for theme in ("alpha", "beta", "gamma")
    ]


def test_unknown_run_theme_is_an_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`covthemes run` with an unknown theme names the themes."""
    assert cli.main(["run", "delta", "--", "-x"]) == cli.USAGE_ERROR
    assert (
        capsys.readouterr().err
        == "covthemes: error: unknown theme 'delta': choose one of alpha, beta, gamma\n"
    )


@pytest.mark.skipif(Path("/pyproject.toml").exists(), reason="the filesystem root has a pyproject.toml")
def test_outside_a_repository_is_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without [tool.covthemes] here or above, the table to add is named."""
    monkeypatch.chdir("/")
    assert cli.main(["themes"]) == cli.USAGE_ERROR
    assert capsys.readouterr().err.startswith(
        "covthemes: error: no pyproject.toml with [tool.covthemes] here or above"
    )


def test_help_lists_the_verbs(capsys: pytest.CaptureFixture[str]) -> None:
    """--help lists run, publish, themes, matrix, diff and history."""
    with pytest.raises(SystemExit) as raised:
        cli.main(["--help"])
    assert raised.value.code == 0
    out = capsys.readouterr().out
    assert "{run,publish,themes,matrix,diff,history}" in out
    for verb in ("run", "publish", "themes", "matrix", "diff", "history"):
        assert f"    {verb} " in out


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints `covthemes <version>`, the version the installed distribution's metadata carries."""
    with pytest.raises(SystemExit) as raised:
        cli.main(["--version"])
    assert raised.value.code == 0
    assert capsys.readouterr().out == f"covthemes {covthemes.__version__}\n"
    assert importlib.metadata.version("covthemes") == covthemes.__version__


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("Yes", True), ("0", False), ("", False)])
def test_flags_default_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    """COVTHEMES_ENFORCE_THRESHOLDS and COVTHEMES_ALLOW_MIXED_REVISIONS set publish's flags."""
    monkeypatch.setenv("COVTHEMES_ENFORCE_THRESHOLDS", value)
    monkeypatch.setenv("COVTHEMES_ALLOW_MIXED_REVISIONS", value)
    args = cli._parser().parse_args(["publish"])
    assert args.enforce_thresholds is expected
    assert args.allow_mixed_revisions is expected


def test_unexpected_exception_is_a_bug_with_its_traceback(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Anything but an expected error shows its traceback, says it is a bug, and exits 2."""

    def broken(root: Path) -> None:
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(cli.config, "load", broken)
    assert cli.main(["themes"]) == cli.USAGE_ERROR
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):\n")
    assert "RuntimeError: broken on purpose\n" in err
    assert err.endswith("covthemes: error: this is a bug in covthemes (traceback above)\n")


def test_history_add_without_a_path_is_one_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`covthemes history add` with neither --history nor COVTHEMES_HISTORY names both, and exits 2."""
    assert cli.main(["history", "add"]) == cli.USAGE_ERROR
    assert capsys.readouterr().err == (
        "covthemes: error: covthemes history add needs --history PATH (or COVTHEMES_HISTORY)\n"
    )


def test_history_add_reads_the_published_report(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before a publish there is no themes.json: one line naming it, exit 2, and no history made."""
    assert cli.main(["history", "add", "--history", "h.json"]) == cli.USAGE_ERROR
    assert capsys.readouterr().err.startswith(
        "covthemes: error: no published report (coverage/themes.json is missing): "
    )
    assert not (repo / "h.json").exists()


def test_history_path_is_taken_from_the_working_folder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A relative --history is relative to where covthemes was started, not to the root it moves to."""
    monkeypatch.chdir(repo / "tests")
    args = cli._parser().parse_args(["history", "add", "--history", "h.json", "--keep", "3"])
    assert (args.history, args.keep) == (repo / "tests" / "h.json", 3)


def test_history_defaults_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """COVTHEMES_HISTORY sets --history for publish and history add; an empty one is no history."""
    monkeypatch.setenv("COVTHEMES_HISTORY", str(tmp_path / "h.json"))
    assert cli._parser().parse_args(["publish"]).history == tmp_path / "h.json"
    assert cli._parser().parse_args(["history", "add"]).history == tmp_path / "h.json"
    assert cli._parser().parse_args(["history", "add"]).keep == 500
    monkeypatch.setenv("COVTHEMES_HISTORY", "")
    assert cli._parser().parse_args(["publish"]).history is None


def test_publish_reads_the_history_before_any_work(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A broken history refuses the publish with one line naming it, before the theme data is checked."""
    (repo / "h.json").write_text('{"format": 1, "entries": {}}')
    assert cli.main(["publish", "--history", "h.json"]) == cli.USAGE_ERROR
    assert capsys.readouterr().err == (
        f"covthemes: error: --history {repo / 'h.json'} is not a covthemes history "
        "('entries' is dict, not a list): restore its last good version (on a data branch, from "
        "`git log -- history.json`), or delete it to start a new history\n"
    )


@pytest.mark.parametrize(
    ("code", "strerror", "fix"),
    [
        (errno.EROFS, "Read-only file system", "it is on a read-only file system: " + cli._WRITABLE),
        (errno.EACCES, "Permission denied", cli._WRITABLE),
    ],
)
def test_an_output_folder_covthemes_cannot_write_is_one_line(
    repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int,
    strerror: str,
    fix: str,
) -> None:
    """A read-only or forbidden data folder names the folder and the fix, exit 2, no traceback.

    Tests run as root here, whom chmod does not stop: the mkdir raises as the kernel would.
    """
    real_mkdir = Path.mkdir

    def refused(self: Path, *args: object, **kwargs: object) -> None:
        if self.name == "data":
            raise OSError(code, strerror, str(self))
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", refused)
    assert cli.main(["run", "alpha"]) == cli.USAGE_ERROR
    assert capsys.readouterr().err == (
        f"covthemes: error: covthemes cannot write {repo / 'coverage' / 'data'} ({strerror}): {fix}\n"
    )


def test_a_full_disk_is_one_line(
    repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    themed_summary: ThemesReport,
) -> None:
    """ENOSPC while a file is written names the file and says to free space."""

    def full(source: str, target: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", source)

    monkeypatch.setattr(atomic.os, "replace", full)
    (repo / "h.json").write_text('{"format": 1, "entries": []}')
    monkeypatch.setattr(cli.publish_command.loader, "read_report", lambda _: themed_summary)
    # The report's measured files, which history add checks against the checkout: none here.
    monkeypatch.setattr(cli.publish_command.loader, "read_listing", lambda _: LineListing({}, {}, {}, {}))
    assert cli.main(["history", "add", "--history", "h.json"]) == cli.USAGE_ERROR
    err = capsys.readouterr().err
    assert err.startswith(f"covthemes: error: covthemes cannot write {repo}/.h.json.")
    assert err.endswith(
        ".tmp (No space left on device): free space on its disk, then run the command again\n"
    )
    assert list(repo.glob(".h.json.*")) == []


def test_other_os_errors_are_bugs(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An OSError that says nothing of the machine's state (here ENOENT) keeps its traceback."""

    def missing(root: Path) -> None:
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "x")

    monkeypatch.setattr(cli.config, "load", missing)
    assert cli.main(["themes"]) == cli.USAGE_ERROR
    assert capsys.readouterr().err.startswith("Traceback (most recent call last):\n")
