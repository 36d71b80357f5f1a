"""Both contexts modes give every theme the same answers, on Python 3.11 and on 3.14.

The monorepo's themed matrix runs four times, each in a fresh clone with
`tox -p`: in the phases mode (one switch per process) and in the tests mode
(per-test contexts), on 3.11 (ctrace) and on 3.14 (sysmon in the phases
mode). The suite runs with `filterwarnings = error` (pytest.ini), so a
`no-sysmon-context` warning would fail it. Each theme's lines run by its tests
and lines run only at import are recounted from its data file with coverage's
API, and must be identical in all four; so must the published `lines.json`
and each theme's by-tests figures in `themes.json`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from coverage import CoverageData

from tests.pipeline.helpers import MATRIX, THEMES, find_python, load_json, tox

PYTHONS = ("3.11", "3.14")
MODES = ("phases", "tests")
RUNS = [(python, mode) for python in PYTHONS for mode in MODES]
PHASES_LINE = 'contexts = "phases"'

Lines = frozenset[tuple[str, int]]


def data_file(clone: Path, theme: str) -> Path:
    return clone / "coverage" / "data" / f".coverage.{theme}"


def recount(path: Path) -> tuple[Lines, Lines]:
    """The lines the theme's tests ran (a context with `|`), and those it ran only at import."""
    data = CoverageData(basename=str(path))
    data.read()
    tested: set[tuple[str, int]] = set()
    ran: set[tuple[str, int]] = set()
    try:
        for path in data.measured_files():
            for line, contexts in data.contexts_by_lineno(path).items():
                ran.add((path, line))
                if any("|" in context for context in contexts):
                    tested.add((path, line))
    finally:
        data.close()
    return frozenset(tested), frozenset(ran - tested)


@pytest.fixture(scope="module")
def measured(tmp_path_factory, make_clone) -> dict[tuple[str, str], Path]:
    """Each (Python, mode): a clone in which the whole themed matrix ran and published."""
    missing = [python for python in PYTHONS if find_python(python) is None]
    if missing:
        pytest.skip(f"python{' and python'.join(missing)} not installed (.ci/run installs 3.14)")
    clones = {}
    for python, mode in RUNS:
        clone = make_clone(tmp_path_factory.mktemp(f"py{python}-{mode}") / "repo")
        pyproject = clone / "pyproject.toml"
        text = pyproject.read_text()
        assert PHASES_LINE in text
        pyproject.write_text(text.replace(PHASES_LINE, f'contexts = "{mode}"'))
        result = tox(clone, "-p", "-e", MATRIX, "-x", f"testenv.base_python=python{python}")
        assert result.returncode == 0, result.output
        clones[python, mode] = clone
    return clones


@pytest.mark.parametrize(("python", "mode"), RUNS)
def test_each_run_records_its_python_mode_and_core(measured, python, mode):
    """Provenance names the mode and the core: sysmon for the phases mode on 3.14, ctrace otherwise."""
    expected = "sysmon" if (python, mode) == ("3.14", "phases") else "ctrace"
    for theme in THEMES:
        record = load_json(measured[python, mode] / "coverage" / "data" / f"provenance.{theme}.json")
        assert record["python"].startswith(f"{python}.")
        assert (record["contexts"], record["coverage_core"]) == (mode, expected)
        run = load_json(measured[python, mode] / "coverage" / "themes.json")["themes"][theme]
        assert (run["contexts"], run["core"]) == (mode, expected)


@pytest.mark.parametrize("theme", THEMES)
def test_every_run_gives_the_theme_the_same_tested_and_import_only_lines(measured, theme):
    """Recounted from each run's data: the same lines by tests and the same import-only lines, in all four."""
    counts = {
        run: recount(clone / "coverage" / "data" / f".coverage.{theme}") for run, clone in measured.items()
    }
    reference = counts["3.11", "tests"]
    assert reference[0] and reference[1]
    for run, found in counts.items():
        assert found[0] == reference[0], (run, sorted(found[0] ^ reference[0])[:10])
        assert found[1] == reference[1], (run, sorted(found[1] ^ reference[1])[:10])


def test_every_run_publishes_the_same_answers(measured):
    """lines.json's listings and each theme's by-tests figures in themes.json are the same in all four."""
    published = {}
    for run, clone in measured.items():
        lines = load_json(clone / "coverage" / "lines.json")
        themes = load_json(clone / "coverage" / "themes.json")["themes"]
        published[run] = (
            lines["import_only_lines"],
            lines["unique_lines"],
            lines["uncovered_lines"],
            {theme: themes[theme]["by_tests"] for theme in THEMES},
        )
    reference = published["3.11", "tests"]
    for run, found in published.items():
        assert found == reference, run


def test_the_phases_mode_records_two_contexts_per_theme(measured):
    """In the phases mode a theme's data holds exactly its import phase and its tests phase."""
    for python in PYTHONS:
        for theme in THEMES:
            data = CoverageData(
                basename=str(measured[python, "phases"] / "coverage" / "data" / f".coverage.{theme}")
            )
            data.read()
            assert data.measured_contexts() == {theme, f"{theme}|tests"}, python
            data.close()
