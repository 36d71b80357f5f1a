"""The themed matrix end to end: `tox -p`, then every published artifact checked."""

from __future__ import annotations

import re
import shutil
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict

import pytest
from coverage import CoverageData

from tests.pipeline.helpers import THEMES, git_status, load_json, run, summary_table

pytestmark = pytest.mark.pipeline

ARTIFACTS = [
    "html/index.html",
    "baseline.json",
    "themes.json",
    "lines.json",
    "summary.md",
    "index.html",
    *[f"themes/{t}.{ext}" for t in THEMES for ext in ("json", "lcov", "xml")],
]


def contexts_by_theme(baseline: dict) -> dict[str, dict[str, set[int]]]:
    """Recount from `baseline.json`: for each theme, the lines its contexts carry."""
    lines: dict[str, dict[str, set[int]]] = {t: defaultdict(set) for t in THEMES}
    for path, entry in baseline["files"].items():
        for line, contexts in entry["contexts"].items():
            for context in contexts:
                theme = context.split("|", 1)[0]
                if theme in lines:
                    lines[theme][path].add(int(line))
    return lines


def test_publishes_every_artifact(matrix):
    """`tox -p` over the matrix publishes the HTML, the JSON and every per-theme file."""
    missing = [name for name in ARTIFACTS if not (matrix / "coverage" / name).is_file()]
    assert missing == []


def test_baseline_contexts_name_every_theme(matrix):
    """The merged JSON keeps the theme of every line, for all three themes."""
    baseline = load_json(matrix / "coverage" / "baseline.json")
    assert baseline["meta"]["show_contexts"] is True
    seen = {
        context.split("|", 1)[0]
        for entry in baseline["files"].values()
        for contexts in entry["contexts"].values()
        for context in contexts
    }
    assert set(THEMES) <= seen


def test_baseline_contexts_are_the_theme_datas_written_once_per_file(matrix):
    """Each file's contexts in baseline.json are exactly what the theme data files
    record for it, and its function and class regions do not repeat them."""
    baseline = load_json(matrix / "coverage" / "baseline.json")
    recorded: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for theme in THEMES:
        data = CoverageData(basename=str(matrix / "coverage" / "data" / f".coverage.{theme}"))
        data.read()
        for path in data.measured_files():
            for line, contexts in data.contexts_by_lineno(path).items():
                recorded[path][line].update(contexts)
        data.close()
    for path, entry in baseline["files"].items():
        written = {int(line): set(contexts) for line, contexts in entry["contexts"].items()}
        assert written == recorded[path], path
        regions = [*entry["functions"].values(), *entry["classes"].values()]
        assert regions and all("contexts" not in region for region in regions), path


def test_contexts_are_each_themes_two_phases(matrix):
    """The monorepo measures in the phases mode: baseline.json lists `<theme>` and `<theme>|tests`."""
    baseline = load_json(matrix / "coverage" / "baseline.json")
    contexts = {c for entry in baseline["files"].values() for cs in entry["contexts"].values() for c in cs}
    assert contexts == {*THEMES, *(f"{theme}|tests" for theme in THEMES)}
    assert baseline["meta"]["covthemes_contexts"] == "phases"


@pytest.mark.parametrize("theme", THEMES)
def test_theme_json_holds_exactly_its_own_lines(matrix, theme):
    """`themes/<theme>.json` runs exactly the lines whose merged contexts carry that theme."""
    report = load_json(matrix / "coverage" / "themes" / f"{theme}.json")
    baseline = load_json(matrix / "coverage" / "baseline.json")
    recount = contexts_by_theme(baseline)[theme]
    executed = {path: set(entry["executed_lines"]) for path, entry in report["files"].items()}
    statements = {
        path: set(entry["executed_lines"]) | set(entry["missing_lines"])
        for path, entry in baseline["files"].items()
    }
    assert set(executed) == set(statements)
    for path, lines in executed.items():
        assert lines == recount.get(path, set()) & statements[path], path


@pytest.mark.parametrize("theme", THEMES)
def test_covered_lines_agree_with_coverage_report_contexts(matrix, theme, tmp_path):
    """A theme's `covered_lines` equals `coverage report --contexts` with its anchored pattern."""
    for t in THEMES:
        shutil.copy2(matrix / "coverage" / "data" / f".coverage.{t}", tmp_path / f"in.{t}")
    coverage = [sys.executable, "-m", "coverage"]
    merged = tmp_path / "merged"
    combined = run(
        [
            *coverage,
            "combine",
            "--keep",
            f"--data-file={merged}",
            *(str(tmp_path / f"in.{t}") for t in THEMES),
        ],
        matrix,
    )
    assert combined.returncode == 0, combined.output
    reported = run(
        [*coverage, "report", f"--data-file={merged}", f"--contexts=^{theme}(\\||$)", "--format=total"],
        matrix,
    )
    as_json = run(
        [
            *coverage,
            "json",
            f"--data-file={merged}",
            f"--contexts=^{theme}(\\||$)",
            "-o",
            str(tmp_path / "t.json"),
        ],
        matrix,
    )
    assert as_json.returncode == 0, as_json.output
    expected = load_json(tmp_path / "t.json")["totals"]
    summary = load_json(matrix / "coverage" / "themes.json")["themes"][theme]["total"]
    assert summary["covered_lines"] == expected["covered_lines"]
    assert summary["covered_branches"] == expected["covered_branches"]
    assert summary["num_statements"] == expected["num_statements"]
    assert reported.stdout.strip() == expected["percent_covered_display"]
    # By its tests: the same report over the theme's test contexts alone.
    tests_only = run(
        [
            *coverage,
            "json",
            f"--data-file={merged}",
            f"--contexts=^{theme}\\|",
            "-o",
            str(tmp_path / "by_tests.json"),
        ],
        matrix,
    )
    assert tests_only.returncode == 0, tests_only.output
    by_tests = load_json(tmp_path / "by_tests.json")["totals"]
    published = load_json(matrix / "coverage" / "themes.json")["themes"][theme]["by_tests"]
    for key in (
        "covered_lines",
        "covered_branches",
        "num_statements",
        "num_branches",
        "percent_covered_display",
    ):
        assert published[key] == by_tests[key], key


@pytest.mark.parametrize("theme", THEMES)
def test_covered_lines_agree_with_baseline_recount(matrix, theme):
    """Each theme's `covered_lines` equals the lines whose contexts carry that theme."""
    baseline = load_json(matrix / "coverage" / "baseline.json")
    recount = contexts_by_theme(baseline)[theme]
    statements = {
        path: set(entry["executed_lines"]) | set(entry["missing_lines"])
        for path, entry in baseline["files"].items()
    }
    expected = sum(len(lines & statements[path]) for path, lines in recount.items())
    summary = load_json(matrix / "coverage" / "themes.json")["themes"][theme]
    assert summary["total"]["covered_lines"] == expected
    assert summary["status"] == "passed"
    assert summary["tests"] > 0


def test_unique_and_uncovered_lines_agree_with_baseline_recount(matrix):
    """`unique_lines` and `uncovered_lines` match a recount from `baseline.json` contexts."""
    baseline = load_json(matrix / "coverage" / "baseline.json")
    themes = load_json(matrix / "coverage" / "themes.json")
    listing = load_json(matrix / "coverage" / "lines.json")
    per_line: dict[tuple[str, int], set[str]] = defaultdict(set)
    for theme, files in contexts_by_theme(baseline).items():
        for path, lines in files.items():
            for line in lines:
                per_line[(path, line)].add(theme)
    for theme in THEMES:
        expected = {
            (path, line)
            for path, entry in baseline["files"].items()
            for line in entry["executed_lines"]
            if per_line[(path, line)] == {theme}
        }
        listed = {(p, line) for p, lines in listing["unique_lines"][theme].items() for line in lines}
        assert listed == expected
        assert themes["themes"][theme]["unique_lines"]["total"] == len(expected)
    uncovered = {(p, line) for p, e in baseline["files"].items() for line in e["missing_lines"]}
    listed = {(p, line) for p, lines in listing["uncovered_lines"].items() for line in lines}
    assert listed == uncovered
    assert themes["uncovered_lines"]["total"] == len(uncovered)


def test_coverage_exceptions_doc_names_exactly_the_uncovered_files(matrix):
    """coverage_exceptions.md lists every file with code no theme covers, and no other file."""
    listing = load_json(matrix / "coverage" / "lines.json")
    doc = (matrix / "tests" / "docs" / "test_framework_upgrades" / "coverage_exceptions.md").read_text()
    table = doc.split("## Code no theme covers", 1)[1].split("\n\n", 2)[1]
    documented = set(re.findall(r"^\| `([^`]+\.py)`", table, re.MULTILINE))
    assert documented == set(listing["uncovered_lines"])


@pytest.mark.parametrize("theme", THEMES)
def test_lcov_and_xml_hits_equal_theme_covered_lines(matrix, theme):
    """Per-theme LCOV and Cobertura count as hit exactly that theme's covered lines."""
    covered = load_json(matrix / "coverage" / "themes.json")["themes"][theme]["total"]["covered_lines"]
    lcov = (matrix / "coverage" / "themes" / f"{theme}.lcov").read_text()
    hits = [int(m) for m in re.findall(r"^LH:(\d+)$", lcov, re.M)]
    assert sum(hits) == covered
    tree = ET.parse(matrix / "coverage" / "themes" / f"{theme}.xml")
    classes = list(tree.getroot().iter("class"))
    assert (
        len({c.get("filename") for c in classes})
        == len(classes)
        == len(load_json(matrix / "coverage" / "themes" / f"{theme}.json")["files"])
    )
    xml_hits = sum(1 for line in tree.getroot().iter("line") if int(line.get("hits", "0")) > 0)
    assert xml_hits == covered


def test_denominator_is_the_same_for_every_theme(matrix):
    """Every theme is measured against every statement in scope."""
    themes = load_json(matrix / "coverage" / "themes.json")
    totals = {t: v["total"]["num_statements"] for t, v in themes["themes"].items()}
    assert len(set(totals.values())) == 1
    assert set(totals.values()) == {themes["total"]["total"]["num_statements"]}
    # Packages are named by their path from the root (themes.json format 2).
    assert themes["format"] == 3
    for values in themes["themes"].values():
        assert set(values["packages"]) == {"apps/api", "apps/auth_service", "logging_lib"}


def test_summary_table_lists_every_theme(matrix):
    """`summary.md` is a Markdown table with a row per theme and a total row."""
    text = (matrix / "coverage" / "summary.md").read_text()
    for theme in THEMES:
        assert re.search(rf"^\| {theme} \| passed \| \d+ \|", text, re.M)
    assert "| **all themes** |" in text


def test_html_shows_contexts(matrix):
    """The merged HTML report shows the contexts of each line."""
    pages = list((matrix / "coverage" / "html").glob("*.html"))
    assert any("security|tests/unit/" in page.read_text() for page in pages)


def test_tree_is_clean_and_coveragerc_survives(matrix):
    """After the matrix, `git status --porcelain` is empty and `.coveragerc` is intact."""
    assert git_status(matrix) == ""
    assert (matrix / ".coveragerc").read_text().startswith("# The single coverage configuration")


def test_coverage_debug_config_shows_branch_and_sources(matrix):
    """`coverage debug config` shows branch measurement and the three source folders."""
    result = run([sys.executable, "-m", "coverage", "debug", "config"], matrix)
    assert result.returncode == 0, result.output
    assert re.search(r"^\s*branch: True$", result.stdout, re.M)
    assert re.search(r"^\s*source: apps/api\n\s+apps/auth_service\n\s+logging_lib$", result.stdout, re.M)


def test_plain_pytest_writes_no_coverage_data(tmp_path, matrix, make_clone):
    """`pytest -q tests/unit/api` runs without coverage and leaves no data file."""
    clone = make_clone(tmp_path / "plain")
    python = matrix / ".tox" / "cov-architecture" / "bin" / "python"
    result = run([str(python), "-m", "pytest", "-q", "tests/unit/api"], clone)
    assert result.returncode == 0, result.output
    data = [p.name for p in (clone / "coverage" / "data").iterdir() if p.name != ".gitkeep"]
    assert data == []
    assert not (clone / ".coverage").exists()
    assert git_status(clone) == ""


def test_script_publishes_the_same_numbers_without_tox(tmp_path, matrix, make_clone):
    """`scripts/coverage_baseline.sh` publishes the numbers the tox matrix published."""
    clone = make_clone(tmp_path / "script")
    bindir = matrix / ".tox" / "cov-architecture" / "bin"
    result = run(["scripts/coverage_baseline.sh"], clone, PATH=f"{bindir}:/usr/bin:/bin")
    assert result.returncode == 0, result.output
    ours = load_json(clone / "coverage" / "themes.json")
    theirs = load_json(matrix / "coverage" / "themes.json")
    for theme in THEMES:
        assert ours["themes"][theme]["total"] == theirs["themes"][theme]["total"]
        assert ours["themes"][theme]["tests"] == theirs["themes"][theme]["tests"]
    assert ours["uncovered_lines"] == theirs["uncovered_lines"]
    assert git_status(clone) == ""


def test_import_only_lines_agree_with_baseline_recount(matrix):
    """`import_only_lines` counts the statements a theme ran only in its bare `<theme>` context."""
    baseline = load_json(matrix / "coverage" / "baseline.json")
    themes = load_json(matrix / "coverage" / "themes.json")
    listing = load_json(matrix / "coverage" / "lines.json")
    summary = (matrix / "coverage" / "summary.md").read_text()
    for theme in THEMES:
        expected = set()
        for path, entry in baseline["files"].items():
            for line in entry["executed_lines"]:
                mine = [c for c in entry["contexts"].get(str(line), []) if c.split("|", 1)[0] == theme]
                if mine and all(c == theme for c in mine):
                    expected.add((path, line))
        listed = {(p, line) for p, lines in listing["import_only_lines"][theme].items() for line in lines}
        assert listed == expected
        counts = themes["themes"][theme]["import_only_lines"]
        assert counts["total"] == len(expected) > 0
        assert sum(counts["packages"].values()) == len(expected)
        row = summary_table(summary)[theme]
        total = themes["themes"][theme]["total"]
        assert row["Lines"] == f"{total['covered_lines']}/{total['num_statements']}"
        tested = themes["themes"][theme]["by_tests"]
        assert tested["covered_lines"] == total["covered_lines"] - len(expected)
        assert row["Lines by its tests"] == f"{tested['covered_lines']}/{total['num_statements']}"
        assert row["By its tests"] == f"{tested['percent_covered_display']}%"
        assert row["Import only"] == str(len(expected))


def test_all_themes_equal_one_plain_pytest_cov_run(tmp_path, matrix, make_clone):
    """All themes' numbers are exactly those of one `pytest --cov` run of the whole suite."""
    clone = make_clone(tmp_path / "one-run")
    python = matrix / ".tox" / "cov-architecture" / "bin" / "python"
    report = tmp_path / "one-run.json"
    result = run(
        [str(python), "-m", "pytest", "-q", "--cov", f"--cov-report=json:{report}"],
        clone,
        COVERAGE_FILE=str(tmp_path / "one-run.coverage"),
    )
    assert result.returncode == 0, result.output
    once = load_json(report)["totals"]
    merged = load_json(matrix / "coverage" / "themes.json")["total"]["total"]
    for key in ("num_statements", "covered_lines", "num_branches", "covered_branches"):
        assert merged[key] == once[key], key
    assert merged["percent_covered"] == round(once["percent_covered"], 2)
