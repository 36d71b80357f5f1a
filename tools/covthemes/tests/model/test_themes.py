"""`covthemes.model.themes`, `.summarize` and `.markdown`: numbers, thresholds, the verdict, summary.md."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import file_entry

from covthemes.model import themes as summary
from covthemes.model.lines import LineListing
from covthemes.model.percent import Numbers, Threshold
from covthemes.model.provenance import Provenance
from covthemes.model.revision import Revision
from covthemes.model.themes import OTHER, Counts, Packages, ThemeRun, ThemesReport
from covthemes.publish import build
from covthemes.publish.build import Measured
from covthemes.render import summary_md as markdown
from covthemes.settings.config import Settings

PACKAGES = Packages.of([Path("pkg"), Path("pkg/sub"), Path("lib")])


@pytest.fixture
def result(themed_summary: ThemesReport) -> ThemesReport:
    """conftest's summary of alpha (passed, 60%) and beta (failed, 40%), 70% together, at precision 1."""
    return themed_summary


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


def test_build_counts_each_theme_over_the_merged_statements(result: ThemesReport) -> None:
    """Each theme's numbers use the merged report's statements and branches, and its own covered counts."""
    assert result.themes["alpha"].coverage.total == Numbers(8, 5, 2, 1, precision=1)
    assert result.themes["beta"].coverage.total == Numbers(8, 4, 2, 0, precision=1)
    assert result.all_themes.total == Numbers(8, 6, 2, 1, precision=1)
    assert result.themes["beta"].coverage.packages["lib"] == Numbers(0, 0, 0, 0, precision=1)
    assert result.themes["alpha"].only_this_theme.total == 2
    assert result.themes["alpha"].import_only_lines == Counts(2, {"pkg": 2, "pkg/sub": 0, "lib": 0})
    assert result.themes["beta"].import_only_lines == Counts(3, {"pkg": 3, "pkg/sub": 0, "lib": 0})
    assert result.blind_spots.total == 2
    assert result.tests == 5


def test_build_judges_thresholds(result: ThemesReport) -> None:
    """Thresholds are judged per theme, by its tests (alpha 40% meets 35), and for the total."""
    assert result.themes["alpha"].threshold == Threshold(35, met=True)
    assert result.themes["beta"].threshold == Threshold(75, met=False)
    assert result.threshold == Threshold(80, met=False)


def test_failed_theme_fails_the_summary(result: ThemesReport) -> None:
    """A theme whose run failed is listed, and the summary's status is failed."""
    assert result.failed_themes == ["beta"]
    assert result.status == "failed"


def test_verdict_names_failed_themes_and_their_commands(
    result: ThemesReport, theme_settings: Settings
) -> None:
    """Without enforcement, only failing tests are reasons, each with the commands to rerun."""
    assert build.verdict(result, theme_settings, enforce_thresholds=False) == [
        "theme 'beta' has failing tests (its report is published, marked failed): "
        "fix them and run `tox -e cov-beta` then `tox -e cov-combine`"
    ]


def test_verdict_enforces_missed_thresholds(result: ThemesReport, theme_settings: Settings) -> None:
    """With enforcement, each missed threshold is a reason, with the percent at display precision."""
    reasons = build.verdict(result, theme_settings, enforce_thresholds=True)
    assert reasons[1:] == [
        "theme 'beta' covers 10.0% by its tests, below its threshold of 75% in [tool.covthemes.thresholds]",
        "all themes covers 70.0%, below its threshold of 80% in [tool.covthemes.thresholds]",
    ]


def test_verdict_is_empty_when_all_passed_and_met(
    theme_settings: Settings, provenance_record: Callable[..., Provenance]
) -> None:
    """Passing themes that meet their thresholds give no reason, even enforced."""
    report = {"files": {"pkg/a.py": file_entry(4, 4)}}
    measured = Measured(
        revision=Revision(None, "0" * 64),
        runs={
            "alpha": ThemeRun.combined([provenance_record("alpha")]),
            "beta": ThemeRun.combined([provenance_record("beta")]),
        },
        packages=PACKAGES,
        merged_report=report,
        theme_reports={"alpha": report, "beta": report},
        listing=LineListing({}, {"alpha": {}, "beta": {}}, {"alpha": {}, "beta": {}}, {}),
        precision=0,
        by_tests={theme: {"pkg/a.py": Numbers(4, 4)} for theme in ("alpha", "beta")},
    )
    result = build.themes_report(theme_settings, measured)
    assert result.status == "passed"
    assert build.verdict(result, theme_settings, enforce_thresholds=True) == []


def test_to_json_has_every_theme_and_the_total(result: ThemesReport) -> None:
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
    assert beta["import_only_lines"] == {"total": 3, "packages": {"pkg": 3, "pkg/sub": 0, "lib": 0}}
    assert record["total"]["total"]["percent_covered_display"] == "70.0"
    assert record["total"]["packages"]["lib"]["num_statements"] == 0
    assert record["threshold"] == {"min_percent": 80.0, "met": False}
    assert record["lines_file"] == "lines.json"


def test_markdown_shows_each_theme_row(result: ThemesReport) -> None:
    """summary.md has a row per theme and for all themes, with counts, percents and thresholds."""
    text = markdown.render(result)
    assert "Revision `abc123`, source hash `ffffffffffff`" in text
    assert (
        "| Theme | Status | Tests | By its tests | Import only | Branches by its tests | Lines | Branches "
        "| With import | Lines by its tests | Only this theme | Blind spots | Threshold |"
    ) in text
    # By its tests first: (3 + 1) / (8 + 2) and (1 + 0) / (8 + 2); import only beside it.
    assert "| alpha | passed | 3 | 40.0% | 2 | 1/2 | 5/8 | 1/2 | 60.0% | 3/8 | 2 |  | 35% met |" in text
    assert "| beta | failed | 2 | 10.0% | 3 | 0/2 | 4/8 | 0/2 | 40.0% | 1/8 | 1 |  | 75% **missed** |" in text
    assert (
        "| **all themes** | failed | 5 | 70.0%† |  |  | 6/8 | 1/2 | 70.0% |  |  | 2 | 80% **missed** |"
        in text
    )
    assert "| Theme | `pkg` | `pkg/sub` | `lib` |" in text
    # pkg by its tests, then with import (5 + 1) / (8 + 2).
    assert (
        "| alpha | 40.0% (with import 60.0%) | 100.0% (with import 100.0%) | 100.0% (with import 100.0%) |"
        in text
    )
    assert (
        "| beta | 10.0% (with import 40.0%) | 100.0% (with import 100.0%) | 100.0% (with import 100.0%) |"
        in text
    )
    assert "| **all themes** | 70.0%† | 100.0%† | 100.0%† |" in text
    assert "**No theme covers 2 statement(s)**: `pkg` 2, `pkg/sub` 0, `lib` 0." in text


def test_markdown_without_thresholds_says_none(
    tmp_path: Path, provenance_record: Callable[..., Provenance]
) -> None:
    """A theme without a threshold shows `none`."""
    settings = Settings(root=tmp_path, themes=("alpha",))
    report = {"files": {"pkg/a.py": file_entry(2, 1)}}
    measured = Measured(
        revision=Revision(None, "0" * 64),
        runs={"alpha": ThemeRun.combined([provenance_record("alpha")])},
        packages=Packages.of([Path("pkg")]),
        merged_report=report,
        theme_reports={"alpha": report},
        listing=LineListing({}, {"alpha": {}}, {"alpha": {}}, {}),
        precision=0,
        by_tests={"alpha": {"pkg/a.py": Numbers(2, 1)}},
    )
    result = build.themes_report(settings, measured)
    text = markdown.render(result)
    assert "Revision `no git`" in text
    assert "| alpha | passed | 1 | 50% | 0 | 0/0 | 1/2 | 0/0 | 50% | 1/2 | 0 |  | none |" in text
    assert "| alpha | 50% (with import 50%) |" in text


def test_tested_lines_are_covered_less_import_only(result: ThemesReport) -> None:
    """A theme's tests ran its covered statements less those it ran only at import, in all and per package."""
    alpha, beta = result.themes["alpha"], result.themes["beta"]
    assert alpha.tested_lines() == 5 - 2
    assert alpha.tested_lines("pkg") == 5 - 2
    assert alpha.tested_lines("lib") == 0
    assert beta.tested_lines() == 4 - 3
    assert beta.tested_lines("pkg/sub") == 0


def test_counts_of_import_only_lines_per_package() -> None:
    """Import-only listings are counted like any listing: per package, with a file outside them in `other`."""
    counts = Counts.of({"pkg/sub/a.py": [1, 7], "pkg/b.py": [1], "lib/c.py": [], "tools/x.py": [3]}, PACKAGES)
    assert counts == Counts(4, {"pkg": 1, "pkg/sub": 2, "lib": 0, OTHER: 1})


def test_scope_of_has_every_file_with_nothing_covered() -> None:
    """The scope is every file of the merged report, with its statements and branches and no coverage."""
    merged = {
        "files": {
            "pkg/a.py": file_entry(8, 6, 2, 1),
            "pkg/b.py": {"summary": {"num_statements": 3, "covered_lines": 3}},
        }
    }
    assert build.scope_of(merged) == {"pkg/a.py": Numbers(8, 0, 2, 0), "pkg/b.py": Numbers(3, 0, 0, 0)}


def test_build_keeps_each_files_numbers_for_the_index(result: ThemesReport) -> None:
    """Each theme's and all themes' per-file numbers are built once, over every file in scope."""
    assert result.themes["alpha"].coverage.files == {
        "pkg/core.py": Numbers(8, 5, 2, 1, precision=1),
        "lib/util.py": Numbers(0, 0, 0, 0, precision=1),
    }
    assert result.themes["beta"].coverage.files["lib/util.py"] == Numbers(precision=1)
    assert result.all_themes.files["pkg/core.py"] == Numbers(8, 6, 2, 1, precision=1)


def test_from_json_reads_back_what_to_json_wrote(result: ThemesReport) -> None:
    """themes.json read back is the summary it was written from, less the per-file rows it never held."""
    back = ThemesReport.from_json(result.to_json())
    assert back.to_json() == result.to_json()
    assert back.themes["beta"].run == result.themes["beta"].run
    assert back.themes["alpha"].coverage.total == result.themes["alpha"].coverage.total
    assert back.themes["alpha"].coverage.total.display_covered() == "60.0"
    assert back.themes["alpha"].by_tests.total == result.themes["alpha"].by_tests.total
    assert back.themes["beta"].by_tests.packages == result.themes["beta"].by_tests.packages
    assert back.all_themes.files == {}


def test_format_3_reads_its_runs_as_the_tests_mode(result: ThemesReport) -> None:
    """A themes.json of format 3, before runs named their mode and core, reads them as tests and unknown."""
    record = result.to_json()
    assert record["format"] == 4
    assert {run["contexts"] for run in record["themes"].values()} == {"phases"}
    for theme in record["themes"].values():
        del theme["contexts"], theme["core"]
    back = ThemesReport.from_json({**record, "format": 3})
    assert {(t.run.contexts, t.run.core) for t in back.themes.values()} == {("tests", "unknown")}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.update(format=1), "format 1, not 4"),
        (lambda r: r.update(themes=[]), "themes is list, not an object"),
        (lambda r: r["themes"]["alpha"].update(tests="3"), "'tests' is '3', not a whole number"),
        (lambda r: r["total"].pop("total"), "total is NoneType, not an object"),
        (lambda r: r["themes"]["alpha"].pop("by_tests"), "by_tests is NoneType, not an object"),
        (lambda r: r["themes"]["beta"]["outcomes"].pop("errors"), "'errors' is None"),
        (lambda r: r.update(threshold={"min_percent": 80}), "a threshold is null or"),
        (lambda r: r.update(precision=400), "'precision' is 400, not a number of decimals from 0 to 10"),
    ],
)
def test_from_json_names_what_does_not_fit(
    result: ThemesReport, change: Callable[[dict], object], message: str
) -> None:
    """Another format, or a wrong type anywhere inside, raises naming the part."""
    record = result.to_json()
    change(record)
    with pytest.raises((TypeError, ValueError), match=message.replace("(", r"\(")):
        ThemesReport.from_json(record)
