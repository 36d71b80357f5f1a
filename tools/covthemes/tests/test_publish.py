"""`covthemes.publish`: a real publish of the tiny repository, checked against a recount.

Each theme's data is measured for real with coverage's API, the way
`covthemes run` measures it: the module's import under the bare theme
context, then one test under `<theme>|<test>|run`. pkg/core.py (conftest's
CORE) has 8 statements (lines 1, 2, 3, 4, 7, 8, 11, 12) and 2 branches (line 2):

- alpha imports it and calls alpha_only(True): lines 1, 2, 3, 7, 11; branch 2->3.
- beta imports it and calls beta_only(): lines 1, 7, 8, 11.
- gamma only imports it: lines 1, 7, 11.
"""

from __future__ import annotations

import json
import os
import runpy
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import KEEP, MEASURE_NESTED, make_repo, write_provenance
from coverage import Coverage, CoverageData

from covthemes import config, publish
from covthemes.config import Settings
from covthemes.errors import InjectedFault, PublishRefused
from covthemes.publish import Published

CALLS: dict[str, Callable[[dict[str, Any]], object]] = {
    "alpha": lambda module: module["alpha_only"](True),
    "beta": lambda module: module["beta_only"](),
    "gamma": lambda module: None,
}
STEPS = ["check", "combine", "reports", "summary", "swap", "done"]


@dataclass(frozen=True)
class Run:
    """A published tiny repository: its settings, publish's result and the steps it announced."""

    settings: Settings
    result: Published
    steps: list[str]

    @property
    def output(self) -> Path:
        return self.settings.root / self.settings.output

    def json(self, name: str) -> Any:
        return json.loads((self.output / name).read_text())


def measure(settings: Settings, theme: str) -> None:
    """Record `theme`'s data for real, with the repository's coverage config, and vouch for it."""
    data_file = settings.root / settings.data_file(theme)
    data_file.parent.mkdir(parents=True, exist_ok=True)
    cov = Coverage(
        data_file=str(data_file),
        data_suffix=False,
        config_file=str(settings.root / "pyproject.toml"),
        context=theme,
    )
    cov.start()
    try:
        module = runpy.run_path(str(settings.root / "pkg" / "core.py"))
        # Joined to the static context: `<theme>|tests/test_x.py::test_x|run`.
        cov.switch_context(f"tests/test_{theme}.py::test_{theme}|run")
        CALLS[theme](module)
    finally:
        cov.stop()
    cov.save()
    write_provenance(settings, theme)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """The tiny repository, measured and published once (about a second) for this module's tests."""
    root = make_repo(tmp_path_factory.mktemp("published") / "repo")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path_factory.getbasetemp()))
        patch.delenv("COVERAGE_CONTEXT", raising=False)
        patch.delenv("COVTHEMES_FAULT", raising=False)
        if any(name in os.environ for name in KEEP):
            # The report workers inherit it: see conftest.MEASURE_NESTED.
            patch.setenv(*MEASURE_NESTED)
        settings = config.load(root)
        for theme in settings.themes:
            measure(settings, theme)
        steps: list[str] = []
        result = publish.publish(settings, enforce_thresholds=True, on_step=steps.append)
        yield Run(settings, result, steps)


@pytest.fixture
def copied(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A copy of the published repository, as the working folder, to publish again."""
    root = shutil.copytree(run.settings.root, tmp_path / "repo")
    monkeypatch.chdir(root)
    return config.load(root)


def recount(run: Run, theme: str) -> tuple[set[int], set[tuple[int, int]]]:
    """The lines and arcs of pkg/core.py in a theme's own data file."""
    data = CoverageData(basename=str(run.settings.root / run.settings.data_file(theme)))
    data.read()
    return set(data.lines("pkg/core.py") or ()), set(data.arcs("pkg/core.py") or ())


def test_steps_are_announced_in_order(run: Run) -> None:
    """on_step is called as each step begins, and with "done" once the report is in place."""
    assert run.steps == STEPS


def test_theme_data_is_what_the_recount_expects(run: Run) -> None:
    """The measured data itself matches the hand count in this module's docstring."""
    assert recount(run, "alpha")[0] == {1, 2, 3, 7, 11}
    assert recount(run, "beta")[0] == {1, 7, 8, 11}
    assert recount(run, "gamma")[0] == {1, 7, 11}
    assert (2, 3) in recount(run, "alpha")[1]
    assert (2, 4) not in recount(run, "alpha")[1]


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
    assert record["themes"]["alpha"]["threshold"] == {"min_percent": 60.0, "met": True}
    assert record["themes"]["beta"]["threshold"] == {"min_percent": 50.0, "met": False}
    assert record["themes"]["gamma"]["threshold"] is None
    assert record["uncovered_lines"] == {"total": 2, "packages": {"pkg": 2}}


def test_lines_json_lists_unique_and_uncovered_lines(run: Run) -> None:
    """Only alpha runs lines 2-3, only beta line 8; the import lines are everyone's; 4 and 12 no one's."""
    assert run.json("lines.json") == {
        "format": 1,
        "unique_lines": {"alpha": {"pkg/core.py": [2, 3]}, "beta": {"pkg/core.py": [8]}, "gamma": {}},
        "uncovered_lines": {"pkg/core.py": [4, 12]},
    }


def test_summary_md_rows(run: Run) -> None:
    """summary.md shows each theme's counts and threshold, and the total."""
    text = (run.output / "summary.md").read_text()
    assert "| alpha | passed | 1 | 5/8 | 1/2 | 60.0% | 2 | 60% met |" in text
    assert "| beta | passed | 1 | 4/8 | 0/2 | 40.0% | 1 | 50% **missed** |" in text
    assert "| gamma | passed | 1 | 3/8 | 0/2 | 30.0% | 0 | none |" in text
    assert "| **all themes** | passed | 3 | 6/8 | 1/2 | 70.0% | | 70% met |" in text


def test_verdict_names_the_missed_threshold(run: Run) -> None:
    """With thresholds enforced, beta's miss is the one reason to fail."""
    assert run.result.reasons == [
        "theme 'beta' covers 40.0%, below its threshold of 50% in [tool.covthemes.thresholds]"
    ]


def test_every_output_is_in_place(run: Run) -> None:
    """HTML, baseline.json and each theme's JSON, LCOV and XML are published; staging is gone."""
    assert (run.output / "html" / "index.html").is_file()
    for theme in run.settings.themes:
        for suffix in ("json", "lcov", "xml"):
            assert (run.output / "themes" / f"{theme}.{suffix}").is_file()
    baseline = run.json("baseline.json")
    assert baseline["meta"]["show_contexts"] is True
    assert baseline["files"]["pkg/core.py"]["contexts"]["8"] == ["beta|tests/test_beta.py::test_beta|run"]
    leftovers = {p.name for p in run.output.iterdir()} - {"data", "html", "themes"}
    assert leftovers == {"baseline.json", "themes.json", "lines.json", "summary.md", ".publish.lock"}
    assert all((run.settings.root / run.settings.data_file(t)).exists() for t in run.settings.themes)


def test_refused_publish_leaves_the_report(copied: Settings) -> None:
    """Missing data refuses the publish and the previous report stays as it was."""
    summary = copied.root / copied.output / "summary.md"
    before = summary.read_text()
    (copied.root / copied.data_file("beta")).unlink()
    with pytest.raises(PublishRefused, match="missing coverage data for theme 'beta'"):
        publish.publish(copied)
    assert summary.read_text() == before


def test_failed_step_clears_staging_and_leaves_the_report(
    copied: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A failure while staging removes the staging folder; an interrupted swap found first is rolled back."""
    output = copied.root / copied.output
    before = (output / "themes.json").read_text()
    (output / ".swap").mkdir()
    (output / ".swap" / "journal.json").write_text('{"complete": true}')
    monkeypatch.setenv("COVTHEMES_FAULT", "combine")
    steps: list[str] = []
    with pytest.raises(InjectedFault):
        publish.publish(copied, on_step=steps.append)
    assert steps == ["check", "combine"]
    assert (
        capsys.readouterr().out == "covthemes: rolled back a publish that was interrupted during its swap\n"
    )
    assert not list(output.glob(".staging*"))
    assert not (output / ".swap").exists()
    assert (output / "themes.json").read_text() == before
