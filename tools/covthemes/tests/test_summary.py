"""`covthemes.summary` and `covthemes.markdown`: per-theme numbers, thresholds, the verdict, summary.md."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from covthemes import markdown, summary
from covthemes.config import Settings
from covthemes.lines import LineListing
from covthemes.numbers import Numbers, Threshold
from covthemes.provenance import Provenance, Revision
from covthemes.summary import OTHER, Counts, Packages, Summary

PACKAGES = Packages.of([Path("pkg"), Path("pkg/sub"), Path("lib")])


def file_entry(statements: int, covered: int, branches: int = 0, covered_branches: int = 0) -> dict[str, Any]:
    """A file of a coverage JSON report, with its summary counts."""
    return {
        "summary": {
            "num_statements": statements,
            "covered_lines": covered,
            "num_branches": branches,
            "covered_branches": covered_branches,
        }
    }


@pytest.fixture
def theme_settings(tmp_path: Path) -> Settings:
    """Two themes with a threshold each and one for the total."""
    return Settings(
        root=tmp_path,
        themes=("alpha", "beta"),
        marker_themes=("alpha", "beta"),
        thresholds={"alpha": 50, "beta": 75, "total": 80},
        run_command="tox -e cov-{theme}",
        publish_command="tox -e cov-combine",
    )


@pytest.fixture
def result(theme_settings: Settings, provenance_record: Callable[..., Provenance]) -> Summary:
    """A summary of alpha (passed, 60%) and beta (failed, 40%), 70% together, at precision 1."""
    merged = {"files": {"pkg/core.py": file_entry(8, 6, 2, 1), "lib/util.py": file_entry(0, 0)}}
    theme_reports = {
        "alpha": {"files": {"pkg/core.py": file_entry(8, 5, 2, 1)}},
        # beta never imported lib/util.py: it is still counted, with nothing covered.
        "beta": {"files": {"pkg/core.py": file_entry(8, 4, 2, 0)}},
    }
    listing = LineListing(
        unique={"alpha": {"pkg/core.py": [2, 3]}, "beta": {"pkg/core.py": [8]}},
        uncovered={"pkg/core.py": [4, 12]},
    )
    records = {
        "alpha": provenance_record("alpha", tests=3),
        "beta": provenance_record("beta", status="failed", pytest_exit_code=1, tests=2),
    }
    return summary.build(
        theme_settings,
        Revision("abc123", "f" * 64),
        records,
        PACKAGES,
        merged,
        theme_reports,
        listing,
        precision=1,
    )


def test_packages_pick_the_longest_folder() -> None:
    """A file belongs to its deepest measured folder; anything else is `other`."""
    assert PACKAGES.of_file("pkg/sub/x.py") == "pkg/sub"
    assert PACKAGES.of_file("pkg/x.py") == "pkg"
    assert PACKAGES.of_file("pkgx/x.py") == OTHER
    assert Packages.of([Path(".")]).of_file("anything.py") == "."


def test_counts_sum_lines_per_package() -> None:
    """Line counts are summed per package, with every package listed."""
    counts = Counts.of({"pkg/a.py": [1, 2], "elsewhere.py": [3]}, PACKAGES)
    assert counts.to_json() == {"total": 3, "packages": {"pkg": 2, "pkg/sub": 0, "lib": 0, OTHER: 1}}


def test_build_counts_each_theme_over_the_merged_statements(result: Summary) -> None:
    """Each theme's numbers use the merged report's statements and branches, and its own covered counts."""
    assert result.themes["alpha"].coverage.total == Numbers(8, 5, 2, 1)
    assert result.themes["beta"].coverage.total == Numbers(8, 4, 2, 0)
    assert result.total.total == Numbers(8, 6, 2, 1)
    assert result.themes["beta"].coverage.packages["lib"] == Numbers(0, 0, 0, 0)
    assert result.themes["alpha"].unique_lines.total == 2
    assert result.uncovered_lines.total == 2
    assert result.tests == 5


def test_build_judges_thresholds(result: Summary) -> None:
    """Thresholds are judged per theme and for the total."""
    assert result.themes["alpha"].threshold == Threshold(50, met=True)
    assert result.themes["beta"].threshold == Threshold(75, met=False)
    assert result.threshold == Threshold(80, met=False)


def test_failed_theme_fails_the_summary(result: Summary) -> None:
    """A theme whose run failed is listed, and the summary's status is failed."""
    assert result.failed_themes == ["beta"]
    assert result.status == "failed"


def test_verdict_names_failed_themes_and_their_commands(result: Summary, theme_settings: Settings) -> None:
    """Without enforcement, only failing tests are reasons, each with the commands to rerun."""
    assert summary.verdict(result, theme_settings, enforce_thresholds=False) == [
        "theme 'beta' has failing tests (its report is published, marked failed): "
        "fix them and run `tox -e cov-beta` then `tox -e cov-combine`"
    ]


def test_verdict_enforces_missed_thresholds(result: Summary, theme_settings: Settings) -> None:
    """With enforcement, each missed threshold is a reason, with the percent at display precision."""
    reasons = summary.verdict(result, theme_settings, enforce_thresholds=True)
    assert reasons[1:] == [
        "theme 'beta' covers 40.0%, below its threshold of 75% in [tool.covthemes.thresholds]",
        "all themes covers 70.0%, below its threshold of 80% in [tool.covthemes.thresholds]",
    ]


def test_verdict_is_empty_when_all_passed_and_met(
    theme_settings: Settings, provenance_record: Callable[..., Provenance]
) -> None:
    """Passing themes that meet their thresholds give no reason, even enforced."""
    report = {"files": {"pkg/a.py": file_entry(4, 4)}}
    result = summary.build(
        theme_settings,
        Revision(None, "0" * 64),
        {"alpha": provenance_record("alpha"), "beta": provenance_record("beta")},
        PACKAGES,
        report,
        {"alpha": report, "beta": report},
        LineListing({"alpha": {}, "beta": {}}, {}),
        precision=0,
    )
    assert result.status == "passed"
    assert summary.verdict(result, theme_settings, enforce_thresholds=True) == []


def test_to_json_has_every_theme_and_the_total(result: Summary) -> None:
    """themes.json carries the status, revision, per-theme numbers, thresholds and line counts."""
    record = result.to_json()
    assert record["format"] == summary.FORMAT
    assert record["status"] == "failed"
    assert record["revision"] == {"git": "abc123", "source_hash": "f" * 64}
    assert record["generated"].endswith("Z")
    beta = record["themes"]["beta"]
    assert beta["status"] == "failed"
    assert beta["tests"] == 2
    assert beta["outcomes"] == {"passed": 1, "failed": 0, "skipped": 0, "errors": 0}
    assert beta["total"]["percent_covered_display"] == "40.0"
    assert beta["threshold"] == {"min_percent": 75.0, "met": False}
    assert beta["unique_lines"] == {"total": 1, "packages": {"pkg": 1, "pkg/sub": 0, "lib": 0}}
    assert record["total"]["total"]["percent_covered_display"] == "70.0"
    assert record["total"]["packages"]["lib"]["num_statements"] == 0
    assert record["threshold"] == {"min_percent": 80.0, "met": False}
    assert record["lines_file"] == "lines.json"


def test_markdown_shows_each_theme_row(result: Summary) -> None:
    """summary.md has a row per theme and for all themes, with counts, percents and thresholds."""
    text = markdown.render(result)
    assert "Revision `abc123`, source hash `ffffffffffff`" in text
    assert "| alpha | passed | 3 | 5/8 | 1/2 | 60.0% | 2 | 50% met |" in text
    assert "| beta | failed | 2 | 4/8 | 0/2 | 40.0% | 1 | 75% **missed** |" in text
    assert "| **all themes** | failed | 5 | 6/8 | 1/2 | 70.0% | | 80% **missed** |" in text
    assert "| Theme | `pkg` | `pkg/sub` | `lib` |" in text
    assert "| alpha | 60.0% | 100.0% | 100.0% |" in text
    assert "**No theme covers 2 statement(s)**: `pkg` 2, `pkg/sub` 0, `lib` 0." in text


def test_markdown_without_thresholds_says_none(
    tmp_path: Path, provenance_record: Callable[..., Provenance]
) -> None:
    """A theme without a threshold shows `none`."""
    settings = Settings(root=tmp_path, themes=("alpha",))
    report = {"files": {"pkg/a.py": file_entry(2, 1)}}
    result = summary.build(
        settings,
        Revision(None, "0" * 64),
        {"alpha": provenance_record("alpha")},
        Packages.of([Path("pkg")]),
        report,
        {"alpha": report},
        LineListing({"alpha": {}}, {}),
        precision=0,
    )
    text = markdown.render(result)
    assert "Revision `no git`" in text
    assert "| alpha | passed | 1 | 1/2 | 0/0 | 50% | 0 | none |" in text
