"""floor's pure parts: the answers of both modes, the publish's steps, the goals, the mode in the config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks import publish, tool
from benchmarks.answers import BY_TESTS, Answers, differences
from benchmarks.arms import FLOOR_ARMS, MATRIX, ONE_SHOT, PHASES, PLAIN, PUBLISH, TESTS
from benchmarks.atscale import ArmRun, SuiteResult, rotated
from benchmarks.floor import Floor, FloorSuite, Inspected, with_contexts
from benchmarks.procs import Finished
from benchmarks.suites import Suite

LINES: dict[str, Any] = {
    "format": 2,
    "unique_lines": {"a": {"m.py": [3]}, "b": {}},
    "import_only_lines": {"a": {"m.py": [1]}, "b": {"m.py": [1, 2]}},
    "uncovered_lines": {"m.py": [9]},
    "measured_files": {},
}


# Per theme, the statements its own report (themes/<theme>.json) counts as executed.
EXECUTED: dict[str, dict[str, list[int]]] = {"a": {"m.py": [1, 2, 3]}, "b": {"m.py": [1, 2, 4]}}


def test_by_tests_are_a_themes_executed_statements_less_its_import_only() -> None:
    """A statement is a theme's by its tests when its report has it executed and it is not import only."""
    answers = Answers.of(LINES, EXECUTED)
    assert answers.sets[BY_TESTS] == {"a": {("m.py", 2), ("m.py", 3)}, "b": {("m.py", 4)}}
    assert answers.sets["import_only_lines"]["b"] == {("m.py", 1), ("m.py", 2)}
    assert answers.count("uncovered_lines") == 1


def test_equal_reports_give_equal_answers() -> None:
    """Two modes whose reports agree answer alike."""
    assert differences(Answers.of(LINES, EXECUTED), Answers.of(LINES, EXECUTED)) == []


def test_a_differing_line_is_named_with_its_listing_and_theme() -> None:
    """A statement only one mode counts is reported under its listing and theme, with the mode that has it."""
    phased = {**EXECUTED, "a": {"m.py": [1, 2]}}
    found = differences(Answers.of(LINES, phased), Answers.of(LINES, EXECUTED))
    assert found == [
        "by its tests of a: 0 line(s) only in phases mode [], 1 only in tests mode [('m.py', 3)]"
    ]


def test_publish_steps_run_from_one_stamp_to_the_next() -> None:
    """Each step lasts until the next begins; the last until the process ended; other lines are ignored."""
    log = (
        "[0.500] covthemes: publish: step 1/3, check\n"
        "[0.750] some warning\n"
        "[1.000] covthemes: publish: step 2/3, combine\n"
        "[4.000] covthemes: publish: step 3/3, swap\n"
        "[4.100] | theme | tests |\n"
    )
    assert publish.steps(log, 4.5) == {"check": 0.5, "combine": 3.0, "swap": 0.5}


def _run(arm: str, wall: float, sizes: dict[str, int] | None = None, publish_s: float = 0.0) -> ArmRun:
    done = [Finished("tests", (), 0, wall, wall, 0, Path("x.log"))]
    done += [Finished(PUBLISH, (), 0, publish_s, publish_s, 0, Path("p.log"))] if publish_s else []
    return ArmRun(arm, 0, wall, tuple(done), "1.00 / 1.00 / 1.00", None, {}, {}, sizes or {})


def _suite(key: str, python: str, phases_wall: float, answers_equal: bool = True) -> FloorSuite:
    big = {tool.DATA: 60, tool.BASELINE_JSON: 40}
    small = {tool.DATA: 12, tool.BASELINE_JSON: 4}
    runs = (
        _run(PLAIN.key, 100.0),
        _run(ONE_SHOT, 200.0),
        _run(MATRIX[PHASES], phases_wall, small, publish_s=8.0),
        _run(MATRIX[TESTS], 210.0, big, publish_s=30.0),
    )
    suite = Suite(key, "", Path(), ("a", "b"), (), 1, "")
    result = SuiteResult(suite, tuple(arm for arm, _ in FLOOR_ARMS), runs, None, None)
    phased = Answers.of(LINES, EXECUTED if answers_equal else {**EXECUTED, "a": {"m.py": [1]}})
    inspected = {
        (MATRIX[PHASES], 0): Inspected({"a": "sysmon"}, {}, phased),
        (MATRIX[TESTS], 0): Inspected({"a": "ctrace"}, {}, Answers.of(LINES, EXECUTED)),
    }
    return FloorSuite(python, "", result, inspected)


def test_goals_on_314_are_against_plain_pytest() -> None:
    """On 3.14 the phases matrix is held to 1.3x plain pytest's wall time, and answers must agree."""
    assert [(g.name.split(": ")[1], g.met) for g in _suite("synthetic", "3.14", 125.0).goals(True)] == [
        ("phases matrix + publish <= 1.3x plain pytest", True),
        ("equal answers in both modes", True),
    ]
    assert _suite("synthetic", "3.14", 131.0).goals(True)[0].met is False


def test_goals_on_311_are_against_the_one_shot_and_networkx_adds_publish_and_size() -> None:
    """On 3.11, 0.85x the one-shot; at networkx's size the publish's 10 s and a 5x smaller data."""
    goals = _suite("networkx", "3.11", 180.0, answers_equal=False).goals(True)
    assert [g.met for g in goals] == [False, True, True, False]  # 0.9x; 8 s; 100 / 16 bytes; unequal


def test_quick_runs_judge_timings_but_not_answers() -> None:
    """--quick leaves timings and sizes unjudged; whether the modes answer alike is judged all the same."""
    assert [g.met for g in _suite("networkx", "3.11", 180.0).goals(False)] == [None, None, None, True]


def test_the_mode_goes_into_the_covthemes_table_of_a_copy(tmp_path: Path) -> None:
    """`contexts` is written into `[tool.covthemes]`, not into a later table; the original is untouched."""
    root = tmp_path / "suite"
    root.mkdir()
    original = '[tool.covthemes]\nthemes = ["a"]\n\n[tool.covthemes.shards]\na = 2\n'
    (root / "pyproject.toml").write_text(original)
    suite = Suite("s", "", root, ("a",), (), 1, "")
    copy = with_contexts(suite, PHASES, tmp_path / "copy")
    assert (copy.root / "pyproject.toml").read_text().count(
        '[tool.covthemes]\ncontexts = "phases"\nthemes'
    ) == 1
    assert (root / "pyproject.toml").read_text() == original


def test_rounds_rotate_the_arms() -> None:
    """Each round starts one arm later, so no arm always runs first on a cold machine."""
    assert [rotated("abcd", n) for n in range(5)] == [
        list("abcd"),
        list("bcda"),
        list("cdab"),
        list("dabc"),
        list("abcd"),
    ]


def test_the_report_names_cores_and_says_the_answers_agree() -> None:
    """The floor's tables show each run's core, and say plainly whether the modes answered alike."""
    text = Floor(2, (_suite("networkx", "3.14", 125.0),), judged=True).render()
    assert '| 3. themed matrix, `contexts = "phases"`' in text
    assert "| sysmon |" in text and "| ctrace |" in text
    assert "Answers: identical in both modes" in text
    assert "equal answers in both modes: met" in text
