"""`floor`'s tables: per Python and suite, the arms (`atscale_report.arms_table`), the publish's steps,
the sizes and the answers of both modes, then the goals.

The arms' table is at-scale's, against plain pytest, with the cores each run
recorded and the ratio to the one-shot added as columns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from benchmarks import atscale_report, tables
from benchmarks.answers import NAMES
from benchmarks.arms import MATRIX, ONE_SHOT, PER_TEST_CORE, PHASES, PLAIN, TESTS, Arm
from benchmarks.stats import Series

if TYPE_CHECKING:  # `benchmarks.floor` renders its results here
    from benchmarks.atscale import ArmRun
    from benchmarks.floor import Floor, FloorSuite


def _cores(suite: FloorSuite, arm: Arm, ok: list[ArmRun]) -> str:
    """The cores the last good round's runs recorded (themed), or the one the one-shot is given."""
    if not arm.themed:
        return PER_TEST_CORE if arm.key == ONE_SHOT else "none"
    seen = suite.inspected.get((arm.key, ok[-1].round))
    return ", ".join(sorted(set(seen.cores.values()))) if seen and seen.cores else "not recorded"


# at-scale's columns the floor shows; core use and the publish's CPU and memory stay in at-scale.
KEPT = (
    "wall",
    "CPU (user+sys)",
    "critical path (longest test process)",
    "publish / HTML",
    "tests: pytest's summary; recorded by covthemes",
)


def _columns(suite: FloorSuite, cores: int) -> list[tuple[str, atscale_report.Cell]]:
    def over(reference: str, cpu: bool = False) -> atscale_report.Cell:
        return lambda s, a, ok: tables.ratio(s.ratio(a.key, cpu=cpu, reference=reference))

    kept = [c for c in atscale_report.columns(cores, PLAIN.key) if c[0] in KEPT]
    return [
        *kept,
        ("core recorded", lambda s, a, ok: _cores(suite, a, ok)),
        ("wall / plain", over(PLAIN.key)),
        ("CPU / plain", over(PLAIN.key, cpu=True)),
        ("wall / one-shot", over(ONE_SHOT)),
    ]


def _steps(suite: FloorSuite) -> str:
    """The publish's steps in the last good round of each themed arm, in seconds."""
    rows: dict[str, dict[str, float]] = {}
    for arm in (a for a in suite.result.arms if a.themed):
        if ok := suite.good(arm.key):
            seen = suite.inspected.get((arm.key, ok[-1].round))
            rows[arm.key] = seen.steps if seen else {}
    names = list(dict.fromkeys(name for steps in rows.values() for name in steps))
    if not names:
        return ""
    body = [
        [key, *(f"{steps[n]:.2f} s" if n in steps else "" for n in names), f"{sum(steps.values()):.2f} s"]
        for key, steps in rows.items()
    ]
    return tables.table([f"publish steps ({suite.key})", *names, "total"], body)


def _sizes(suite: FloorSuite) -> str:
    shrink = suite.smaller()
    phases, tests = suite.data_and_baseline(MATRIX[PHASES]), suite.data_and_baseline(MATRIX[TESTS])
    return (
        f"{atscale_report.sizes_table(suite.result)}\n\n"
        f"Theme data plus baseline.json: {tables.size(phases.median)} in phases mode, "
        f"{tables.size(tests.median)} in tests mode, {_times(shrink)} smaller."
    )


def _times(series: Series) -> str:
    return f"{series.median:.1f}x" if series.samples else "n/a"


def _answers(suite: FloorSuite) -> str:
    found = suite.differences()
    if found is None:
        notes = {f"{key}: {seen.note}" for (key, _), seen in suite.inspected.items() if seen.note}
        return f"Answers: not compared ({'; '.join(sorted(notes)) or 'no round of both modes'})."
    ok = suite.good(MATRIX[PHASES])
    seen = suite.inspected.get((MATRIX[PHASES], ok[-1].round)) if ok else None
    counts = ""
    if seen and seen.answers:
        listed = ", ".join(f"{NAMES[name]} {seen.answers.count(name)}" for name in NAMES)
        counts = f" (lines in phases mode: {listed})"
    if not found:
        return f"Answers: identical in both modes, theme by theme{counts}."
    return f"Answers: **different**{counts}:\n\n" + "\n".join(f"- {line}" for line in found)


def render(result: Floor) -> str:
    parts = [f"### floor\n\n{result.cores} cores."]
    if not result.judged:
        parts[0] += " `--quick` checks the harness: its timings are not judged against the goals."
    for suite in result.suites:
        loads = sorted(float(r.load.split(" / ")[0]) for r in suite.result.runs)
        about = suite.result.suite
        parts.append(
            f"#### {suite.key} on Python {suite.python}\n\n{about.title}. Tools: {suite.versions}. "
            f"{about.adoption}; load average (1 min) at the arms' starts {loads[0]:.1f}-{loads[-1]:.1f}"
        )
        parts.append(atscale_report.arms_table(suite.result, result.cores, _columns(suite, result.cores)))
        parts += [_steps(suite), _sizes(suite), _answers(suite)]
        if suite.result.shards:
            parts.append(f"Shards: {suite.result.shards.describe()}.")
        parts.append("\n".join(f"- {g.name}: {tables.verdict(g.met)}" for g in suite.goals(result.judged)))
        parts.append(atscale_report.failures(suite.result.runs))
    return "\n\n".join(p for p in parts if p)
