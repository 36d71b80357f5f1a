"""`covthemes.publish.baseline`: baseline.json carries each file's contexts once, per test or per theme."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from covthemes.errors import ConfigError
from covthemes.publish import baseline
from covthemes.settings import config
from covthemes.settings.coverage_config import CoverageSettings

COV = CoverageSettings(Path("cov"), (Path("pkg"),), 1, "T", json_contexts=True, json_pretty_print=False)
REPORT = {
    "meta": {"format": 3, "show_contexts": False},
    "files": {"pkg/a.py": {"executed_lines": [1, 2], "excluded_lines": [], "summary": {"num_statements": 2}}},
    "totals": {},
}
CONTEXTS = {
    "pkg/a.py": {1: ["alpha", "beta"], 2: ["beta|t.py::a|run", "beta|t.py::b|run", "alpha|t.py::c|run"]}
}


def test_each_files_contexts_are_written_once_after_its_excluded_lines(tmp_path: Path) -> None:
    """By default every context is kept, test ids included, in the file entry after `excluded_lines`."""
    baseline.write(COV, config.PER_TEST, "tests", REPORT, CONTEXTS, tmp_path / "b.json")
    written = json.loads((tmp_path / "b.json").read_text())
    assert written["meta"]["show_contexts"] is True
    assert written["meta"]["covthemes_contexts"] == "tests"
    entry = written["files"]["pkg/a.py"]
    assert list(entry) == ["executed_lines", "excluded_lines", "contexts", "summary"]
    assert entry["contexts"] == {"1": ["alpha", "beta"], "2": CONTEXTS["pkg/a.py"][2]}


def test_themes_keep_only_each_contexts_theme(tmp_path: Path) -> None:
    """`baseline-contexts = "themes"` lists each theme once per line, sorted, whatever tests ran it."""
    baseline.write(COV, config.PER_THEME, "tests", REPORT, CONTEXTS, tmp_path / "b.json")
    contexts = json.loads((tmp_path / "b.json").read_text())["files"]["pkg/a.py"]["contexts"]
    assert contexts == {"1": ["alpha", "beta"], "2": ["alpha", "beta"]}


def test_without_json_contexts_the_report_is_written_as_it_is(tmp_path: Path) -> None:
    """`[json] show_contexts` off writes the report without contexts, pretty-printed when asked."""
    cov = CoverageSettings(Path("cov"), (), 1, "T", json_contexts=False, json_pretty_print=True)
    baseline.write(cov, config.PER_TEST, "tests", REPORT, CONTEXTS, tmp_path / "b.json")
    text = (tmp_path / "b.json").read_text()
    assert json.loads(text) == REPORT
    assert text.startswith('{\n    "meta"')


def test_the_setting_is_tests_or_themes(tmp_path: Path) -> None:
    """baseline-contexts defaults to tests; anything but tests or themes is one line."""
    assert config.parse(tmp_path, {"themes": ["a"]}).baseline_contexts == "tests"
    assert (
        config.parse(tmp_path, {"themes": ["a"], "baseline-contexts": "themes"}).baseline_contexts == "themes"
    )
    with pytest.raises(ConfigError) as raised:
        config.parse(tmp_path, {"themes": ["a"], "baseline-contexts": "lines"})
    assert raised.value.problems == (
        "baseline-contexts = 'lines' in [tool.covthemes] must be one of 'tests', 'themes': fix it",
    )
