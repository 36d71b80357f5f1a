"""`covthemes.publish.pipeline`: a real publish of the tiny repository, checked against a recount.

Each theme's data is measured for real with coverage's API, the way
`covthemes run` measures it: the module's import under the bare theme
context, then one test under `<theme>|<test>|run`. pkg/core.py (conftest's
CORE) has 8 statements (lines 1, 2, 3, 4, 7, 8, 11, 12) and 2 branches (line 2):

- alpha imports it and calls alpha_only(True): lines 1, 2, 3, 7, 11; branch 2->3.
- beta imports it and calls beta_only(): lines 1, 7, 8, 11.
- gamma only imports it: lines 1, 7, 11.

The import runs lines 1, 7 and 11 (the `def`s) for every theme, so those are
import-only for each: alpha's test runs 2 and 3, beta's runs 8, gamma has none.

By its tests, as coverage counts its percent ((lines + branches) / (8 + 2)):
alpha 2 lines and branch 2->3, 3/10 = 30%; beta 1 line, 1/10 = 10%; gamma
0/10 = 0%. With import: alpha 6/10, beta 4/10, gamma 3/10; all themes
(coverage's own percent) 6 lines and 1 branch, 7/10 = 70%.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from coverage import CoverageData
from helpers import CALLS, Elements, isolate_publish, make_repo, measure, write_pyproject

from covthemes.errors import CovthemesError, InjectedFault, PublishRefused
from covthemes.model import history, loader
from covthemes.model.history import History, HistoryEntry
from covthemes.publish import command, swap
from covthemes.publish import pipeline as publish
from covthemes.publish.pipeline import PublishResult
from covthemes.publish.steps import STEPS
from covthemes.settings import config, layout
from covthemes.settings.config import Settings
from covthemes.settings.layout import page_name


@dataclass(frozen=True)
class Run:
    """A published tiny repository: its settings, publish's result and the steps it announced."""

    settings: Settings
    result: PublishResult
    steps: list[str]
    # What the staging folder held as the swap began.
    staged: set[str]

    @property
    def output(self) -> Path:
        return self.settings.root / self.settings.output

    def json(self, name: str) -> Any:
        return json.loads((self.output / name).read_text())


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """The tiny repository, measured and published once (about a second) for this module's tests."""
    root = make_repo(tmp_path_factory.mktemp("published") / "repo")
    with pytest.MonkeyPatch.context() as patch:
        isolate_publish(patch, root, tmp_path_factory)
        settings = config.load(root)
        for theme in settings.themes:
            measure(settings, theme)
        steps: list[str] = []
        staged: set[str] = set()
        output = settings.layout

        def on_step(name: str) -> None:
            steps.append(name)
            if name == "swap":
                (built,) = (g for g in output.generations.iterdir() if g != swap.current(output))
                staged.update(path.name for path in built.iterdir())

        result = publish.publish(settings, enforce_thresholds=True, on_step=on_step)
        yield Run(settings, result, steps, staged)


@pytest.fixture
def copied(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A copy of the published repository, as the working folder, to publish again."""
    root = shutil.copytree(run.settings.root, tmp_path / "repo", symlinks=True)
    monkeypatch.chdir(root)
    return config.load(root)


def recount(run: Run, theme: str) -> tuple[set[int], set[tuple[int, int]]]:
    """The lines and arcs of pkg/core.py in a theme's own data file."""
    data = CoverageData(basename=str(run.settings.layout.data_file(theme)))
    data.read()
    return set(data.lines("pkg/core.py") or ()), set(data.arcs("pkg/core.py") or ())


def run_by_tests(run: Run, theme: str) -> set[int]:
    """The lines of pkg/core.py a theme's test context ran, in its own data file."""
    data = CoverageData(basename=str(run.settings.layout.data_file(theme)))
    data.read()
    contexts = data.contexts_by_lineno("pkg/core.py")
    return {line for line, names in contexts.items() if any("|" in name for name in names)}


def test_steps_are_announced_in_order(run: Run) -> None:
    """on_step is called as each step begins, and with "done" once the report is in place."""
    assert run.steps == list(STEPS)


def test_the_publish_stages_exactly_what_the_swap_moves(run: Run) -> None:
    """The staging folder holds every output of the layout and nothing else as the swap begins."""
    assert run.staged == set(layout.OUTPUTS)


def test_theme_data_is_what_the_recount_expects(run: Run) -> None:
    """The measured data itself matches the hand count in this module's docstring."""
    assert recount(run, "alpha")[0] == {1, 2, 3, 7, 11}
    assert recount(run, "beta")[0] == {1, 7, 8, 11}
    assert recount(run, "gamma")[0] == {1, 7, 11}
    assert (2, 3) in recount(run, "alpha")[1]
    assert (2, 4) not in recount(run, "alpha")[1]
    assert run_by_tests(run, "alpha") == {2, 3}
    assert run_by_tests(run, "beta") == {8}
    assert run_by_tests(run, "gamma") == set()


@pytest.mark.parametrize(
    ("theme", "lines", "branches", "shown"),
    [("alpha", 5, 1, "60.0"), ("beta", 4, 0, "40.0"), ("gamma", 3, 0, "30.0")],
)
def test_themes_json_counts_each_theme(run: Run, theme: str, lines: int, branches: int, shown: str) -> None:
    """themes.json counts each theme over the 8 statements and 2 branches of the merged report."""
    record = run.json("themes.json")["themes"][theme]
    assert len(recount(run, theme)[0]) == lines
    assert record["total"] == {
        "num_statements": 8,
        "covered_lines": lines,
        "num_branches": 2,
        "covered_branches": branches,
        "percent_covered": float(shown),
        "percent_covered_display": shown,
    }
    assert record["packages"]["pkg"]["covered_lines"] == lines
    assert record["status"] == "passed"


def test_themes_json_totals_and_thresholds(run: Run) -> None:
    """All themes together cover lines 1-3, 7, 8, 11 and branch 2->3: 70%, meeting total = 70."""
    record = run.json("themes.json")
    assert record["status"] == "passed"
    assert record["precision"] == 1
    assert record["revision"]["git"] is None
    assert record["total"]["total"]["percent_covered_display"] == "70.0"
    assert record["threshold"] == {"min_percent": 70.0, "met": True}
    # Judged on the percent by its tests: alpha 30% meets 30, beta 10% misses 20.
    assert record["themes"]["alpha"]["threshold"] == {"min_percent": 30.0, "met": True}
    assert record["themes"]["beta"]["threshold"] == {"min_percent": 20.0, "met": False}
    assert record["themes"]["gamma"]["threshold"] is None
    assert record["uncovered_lines"] == {"total": 2, "packages": {"pkg": 2}}


def test_by_its_tests_is_the_recount_of_each_themes_test_contexts(run: Run) -> None:
    """Each theme's figure by its tests is the hand count, and the recount of its own data's test contexts."""
    hand = {"alpha": (2, 1, "30.0"), "beta": (1, 0, "10.0"), "gamma": (0, 0, "0.0")}
    for theme, (lines, branches, shown) in hand.items():
        data = CoverageData(basename=str(run.settings.layout.data_file(theme)))
        data.read()
        data.set_query_contexts([f"^{theme}\\|"])
        # Line 2's two exits are pkg/core.py's only branches.
        taken = {arc for arc in data.arcs("pkg/core.py") or () if arc in {(2, 3), (2, 4)}}
        assert (len(set(data.lines("pkg/core.py") or ())), len(taken)) == (lines, branches)
        record = run.json("themes.json")["themes"][theme]
        expected = {
            "num_statements": 8,
            "covered_lines": lines,
            "num_branches": 2,
            "covered_branches": branches,
            "percent_covered": float(shown),
            "percent_covered_display": shown,
        }
        assert record["by_tests"] == expected
        assert record["packages"]["pkg"]["by_tests"] == expected
        # Import only is its own figure: never in the one by its tests.
        assert record["total"]["covered_lines"] - record["import_only_lines"]["total"] == lines
    assert run.json("badges/alpha.json")["message"] == "30.0%"


def test_lines_json_lists_unique_import_only_and_uncovered_lines(run: Run) -> None:
    """Only alpha runs lines 2-3, only beta line 8; the import lines are everyone's; 4 and 12 no one's."""
    at_import = {"pkg/core.py": [1, 7, 11]}
    source = (run.settings.root / "pkg" / "core.py").read_bytes()
    assert run.json("lines.json") == {
        "format": 2,
        "unique_lines": {"alpha": {"pkg/core.py": [2, 3]}, "beta": {"pkg/core.py": [8]}, "gamma": {}},
        "import_only_lines": {"alpha": at_import, "beta": at_import, "gamma": at_import},
        "uncovered_lines": {"pkg/core.py": [4, 12]},
        # Each measured file's source, as the publish read it.
        "measured_files": {
            "pkg/__init__.py": hashlib.sha256(b"").hexdigest(),
            "pkg/core.py": hashlib.sha256(source).hexdigest(),
        },
    }
    for theme in run.settings.themes:
        assert set(at_import["pkg/core.py"]) == recount(run, theme)[0] - run_by_tests(run, theme)


def test_themes_json_counts_import_only_lines(run: Run) -> None:
    """Each theme ran the 3 `def` lines only at import."""
    for theme in run.settings.themes:
        record = run.json("themes.json")["themes"][theme]
        assert record["import_only_lines"] == {"total": 3, "packages": {"pkg": 3}}


def test_summary_md_rows(run: Run) -> None:
    """summary.md shows each theme's counts and threshold, and the total."""
    text = (run.output / "summary.md").read_text()
    # By its tests first, then import only; lines by its tests are 2, 1 and 0 of 8.
    assert "| alpha | passed | 1 | 30.0% | 3 | 1/2 | 5/8 | 1/2 | 60.0% | 2/8 | 2 |  | 30% met |" in text
    assert "| beta | passed | 1 | 10.0% | 3 | 0/2 | 4/8 | 0/2 | 40.0% | 1/8 | 1 |  | 20% **missed** |" in text
    assert "| gamma | passed | 1 | 0.0% | 3 | 0/2 | 3/8 | 0/2 | 30.0% | 0/8 | 0 |  | none |" in text
    assert "| **all themes** | passed | 3 | 70.0%† |  |  | 6/8 | 1/2 | 70.0% |  |  | 2 | 70% met |" in text
    assert "† all themes: coverage's own percent" in text
    assert "| alpha | 30.0% (with import 60.0%) |" in text
    assert "| beta | 10.0% (with import 40.0%) |" in text
    assert "| gamma | 0.0% (with import 30.0%) |" in text


def test_verdict_names_the_missed_threshold(run: Run) -> None:
    """With thresholds enforced, beta's miss is the one reason to fail."""
    assert run.result.reasons == [
        "theme 'beta' covers 10.0% by its tests, below its threshold of 20% in [tool.covthemes.thresholds]"
    ]


def test_every_output_is_in_place(run: Run) -> None:
    """HTML, themed pages, badges, baseline.json and each theme's JSON, LCOV and XML are published."""
    assert (run.output / "html" / "index.html").is_file()
    pages = {page_name(path) for path in ("pkg/__init__.py", "pkg/core.py")}
    assert {p.name for p in (run.output / "files").iterdir()} == {*pages, "report.css", "report.js"}
    # Each page's line numbers link to coverage.py's page of the same name.
    assert all((run.output / "html" / name).is_file() for name in pages)
    assert {p.name for p in (run.output / "badges").iterdir()} == {
        "alpha.json",
        "beta.json",
        "gamma.json",
        "total.json",
    }
    assert run.json("badges/total.json")["message"] == "70.0%"
    for theme in run.settings.themes:
        for suffix in ("json", "lcov", "xml"):
            assert (run.output / "themes" / f"{theme}.{suffix}").is_file()
    baseline = run.json("baseline.json")
    assert baseline["meta"]["show_contexts"] is True
    assert baseline["meta"]["covthemes_contexts"] == "phases"
    assert baseline["files"]["pkg/core.py"]["contexts"]["8"] == ["beta|tests"]
    assert {p.name for p in run.output.iterdir()} == {
        *layout.OUTPUTS,
        layout.DATA,
        layout.PUBLISH_LOCK,
        layout.REPORT,
        layout.GENERATIONS,
    }
    assert all((run.output / name).is_symlink() for name in layout.OUTPUTS)
    assert len(list((run.output / layout.GENERATIONS).iterdir())) == 1
    assert all(run.settings.layout.data_file(t).exists() for t in run.settings.themes)


def test_refused_publish_leaves_the_report(copied: Settings) -> None:
    """Missing data refuses the publish and the previous report stays as it was."""
    summary = copied.root / copied.output / "summary.md"
    before = summary.read_text()
    copied.layout.data_file("beta").unlink()
    with pytest.raises(PublishRefused, match="missing coverage data for theme 'beta'"):
        publish.publish(copied)
    assert summary.read_text() == before


def test_failed_step_clears_its_work_and_leaves_the_report(
    copied: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A failure while building deletes its generation and work folder, and says the report is unchanged."""
    output = copied.layout
    before = output.themes_json.read_text()
    published = swap.current(output)
    monkeypatch.setenv("COVTHEMES_FAULT", "combine")
    steps: list[str] = []
    with pytest.raises(InjectedFault):
        publish.publish(copied, on_step=steps.append)
    assert steps == ["check", "combine"]
    assert capsys.readouterr().err == "covthemes: nothing was published; the previous report is unchanged\n"
    assert not list(output.folder.glob(".staging*"))
    assert list(output.generations.iterdir()) == [published]
    assert output.themes_json.read_text() == before


def test_themed_page_marks_each_line_as_recounted(run: Run) -> None:
    """The published page of pkg/core.py carries the recount's themes on each statement line."""
    page = Elements((run.output / "files" / page_name("pkg/core.py")).read_text())
    hooks = {
        int(str(attrs["data-line"])): (
            attrs["data-themes"],
            attrs["data-import-only"],
            attrs.get("data-unique"),
        )
        for attrs, _ in page.find("tr")
        if "data-line" in attrs
    }
    everyone = "alpha beta gamma"
    assert hooks == {
        1: ("", everyone, None),
        2: ("alpha", "", "alpha"),
        3: ("alpha", "", "alpha"),
        4: ("", "", None),
        7: ("", everyone, None),
        8: ("beta", "", "beta"),
        11: ("", everyone, None),
        12: ("", "", None),
    }
    assert [attrs["id"] for attrs, _ in page.find("tr") if "data-blind" in attrs] == ["L4", "L12"]


def trend_revisions(settings: Settings) -> list[str | None]:
    """The revisions of alpha's points on the published index's trend chart."""
    page = Elements((settings.root / settings.output / "index.html").read_text())
    return [attrs["data-revision"] for attrs, _ in page.find("circle", data_theme="alpha")]


def test_a_history_puts_the_trend_on_the_index_with_this_report_newest(
    copied: Settings, tmp_path: Path
) -> None:
    """A missing history draws this report alone; a recorded older commit comes before it."""
    assert '<figure class="trend"' not in (copied.root / copied.output / "index.html").read_text()
    path = tmp_path / "history.json"
    publish.publish(copied, history=path)
    summary = json.loads((copied.root / copied.output / "themes.json").read_text())
    this = summary["revision"]["source_hash"]
    assert trend_revisions(copied) == [this]
    assert not path.exists()
    older = HistoryEntry.of(replace(loader.read_report(copied), generated="2000-01-01T00:00:00Z"))
    history.write(path, History((replace(older, revision=replace(older.revision, git="0" * 40)),)))
    publish.publish(copied, history=path)
    assert trend_revisions(copied) == ["0" * 40, this]


def test_a_broken_history_refuses_the_publish_before_any_step(copied: Settings, tmp_path: Path) -> None:
    """A cut-short history is a CovthemesError naming it; the published report is untouched."""
    index = copied.root / copied.output / "index.html"
    before = index.read_bytes()
    path = tmp_path / "history.json"
    path.write_text('{"format": 1, "entr')
    steps: list[str] = []
    with pytest.raises(CovthemesError, match=rf"^--history {path} is not valid JSON"):
        publish.publish(copied, history=path, on_step=steps.append)
    assert steps == []
    assert index.read_bytes() == before


def test_themes_named_like_working_names_publish_correct_totals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Themes named `all` and `merged`, the publish's own names for combined data once, count right."""
    root = make_repo(tmp_path / "repo")
    write_pyproject(root, covthemes='[tool.covthemes]\nthemes = ["all", "merged"]\n')
    isolate_publish(monkeypatch, root, tmp_path_factory)
    monkeypatch.setitem(CALLS, "all", CALLS["alpha"])
    monkeypatch.setitem(CALLS, "merged", CALLS["beta"])
    settings = config.load(root)
    for theme in settings.themes:
        measure(settings, theme)
    report = publish.publish(settings).summary
    # As alpha and beta in this module's docstring: lines 1, 2, 3, 7, 11 and 1, 7, 8, 11.
    assert report.themes["all"].coverage.total.covered_lines == 5
    assert report.themes["merged"].coverage.total.covered_lines == 4
    assert report.all_themes.total.covered_lines == 6


def test_the_publish_command_reports_each_step_on_stderr(
    copied: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    """`covthemes publish` names each step on stderr as it starts; off a terminal, as plain lines."""
    args = argparse.Namespace(allow_mixed_revisions=False, enforce_thresholds=False, history=None)
    command.run_publish(copied, args)
    err = capsys.readouterr().err
    steps = [line for line in err.splitlines() if line.startswith("covthemes: publish: step ")]
    assert [line.rsplit(", ", 1)[1] for line in steps] == list(STEPS[:-1])
    assert "\r" not in err
