"""`at-scale`'s tables: per suite, the arms side by side as a list of columns, and what each wrote.

A failed arm shows `failed` in its row and its command's output below the
tables: the measurement reports what the tool did, it does not work around it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from benchmarks import tables
from benchmarks.arms import HTML, PUBLISH, SHARDED, Arm
from benchmarks.stats import Series

if TYPE_CHECKING:  # `benchmarks.atscale` renders its results here
    from benchmarks.atscale import ArmRun, AtScale, SuiteResult

FAILED = ("failed", "errors", "error")
Cell = Callable[["SuiteResult", Arm, list["ArmRun"]], str]


def _over(value: Callable[[ArmRun], float]) -> Callable[[list[ArmRun]], Series]:
    return lambda runs: Series.of(value(r) for r in runs)


def _finisher(arm: Arm) -> str:
    """The process after the tests: the publish, or the one-shot's `coverage html`."""
    return PUBLISH if arm.themed else HTML


def _ran(result: SuiteResult, arm: Arm, ok: list[ArmRun]) -> str:
    """What pytest said the last good round ran, and what covthemes recorded."""
    last = ok[-1]

    def total(*words: str) -> int:
        return sum(counts.get(word, 0) for counts in last.ran.values() for word in words)

    cell = f"{total('passed')} passed, {total('skipped')} skipped"
    if failed := total(*FAILED):
        cell += f", {failed} failed or errors"
    return cell + (f"; recorded {sum(last.recorded.values())}" if last.recorded else "")


def _critical(result: SuiteResult, arm: Arm, ok: list[ArmRun]) -> str:
    longest = ok[-1].longest
    seconds = _over(lambda r: r.longest.seconds if r.longest else 0.0)(ok)
    return f"{longest.label}: {tables.seconds(seconds)}" if longest else ""


def _peak(result: SuiteResult, arm: Arm, ok: list[ArmRun]) -> str:
    peaks = [p.max_rss_kib for r in ok if (p := r.process(_finisher(arm)))]
    return tables.size(max(peaks) * 1024) if peaks else ""


def columns(cores: int, reference: str) -> list[tuple[str, Cell]]:
    return [
        ("wall", lambda s, a, ok: tables.seconds(_over(lambda r: r.wall)(ok))),
        ("CPU (user+sys)", lambda s, a, ok: tables.seconds(_over(lambda r: r.cpu)(ok))),
        (
            f"core use ({cores} cores)",
            lambda s, a, ok: f"{_over(lambda r: r.cpu / (r.wall * cores))(ok).median:.0%}",
        ),
        ("critical path (longest test process)", _critical),
        ("publish / HTML", lambda s, a, ok: tables.seconds(_over(lambda r: r.seconds(_finisher(a)))(ok))),
        ("its CPU", lambda s, a, ok: tables.seconds(_over(lambda r: r.seconds(_finisher(a), "cpu"))(ok))),
        ("its peak RSS", _peak),
        ("tests: pytest's summary; recorded by covthemes", _ran),
        (f"wall / {reference}", lambda s, a, ok: tables.ratio(s.ratio(a.key))),
        (f"wall / {reference} test run", lambda s, a, ok: tables.ratio(s.ratio(a.key, tests_only=True))),
        (f"CPU / {reference}", lambda s, a, ok: tables.ratio(s.ratio(a.key, cpu=True))),
    ]


def arms_table(result: SuiteResult, cores: int, cols: Sequence[tuple[str, Cell]] = ()) -> str:
    """A row per arm, a column per figure (`cols`, or else `columns`), against the first arm."""
    rows, cols = [], cols or columns(cores, result.arms[0].key)
    for arm in result.arms:
        runs = result.of(arm.key)
        ok = [r for r in runs if not r.failure]
        rounds = f"{len(ok)}" + (f" (+{len(runs) - len(ok)} failed)" if len(runs) > len(ok) else "")
        rows.append([arm.title, rounds, *(cell(result, arm, ok) if ok else "failed" for _, cell in cols)])
    return tables.table([result.suite.title, "rounds", *(name for name, _ in cols)], rows)


def sizes_table(result: SuiteResult) -> str:
    """The last good round's sizes: every published output (columns from the runs), or coverage's own."""
    last = {
        arm.key: ok[-1] for arm in result.arms if (ok := [r for r in result.of(arm.key) if not r.failure])
    }
    names = list(dict.fromkeys(name for run in last.values() for name in run.sizes))
    rows = [
        [key, *(tables.size(run.sizes.get(n)) if n in run.sizes else "" for n in names)]
        for key, run in last.items()
    ]
    return tables.table([f"sizes ({result.suite.key})", *names], rows) if rows else ""


def _shards(result: SuiteResult) -> str:
    """The sharded arm's plan, and how long each of its jobs ran in its last good round."""
    if result.shards is None:
        return ""
    text = f"The sharded arm's plan: {result.shards.describe()}."
    if ok := [r for r in result.of(SHARDED) if not r.failure]:
        jobs = ", ".join(f"{p.label} {p.seconds:.1f} s" for p in ok[-1].processes if p.label != PUBLISH)
        text += f" Its jobs in round {ok[-1].round + 1}, in the order started: {jobs}."
    return text


def failures(runs: Sequence[ArmRun]) -> str:
    """Each failed round's command and output, below the tables ("" when none failed)."""
    found = [f"{r.arm}, round {r.round + 1}:\n\n```text\n{r.failure}\n```" for r in runs if r.failure]
    return "Failures:\n\n" + "\n\n".join(found) if found else ""


def render(result: AtScale) -> str:
    parts = [f"### at-scale\n\nTools: {result.versions}; {result.cores} cores."]
    if not result.judged:
        parts[0] += " `--quick` checks the harness: its figures are not judged against the goal."
    for suite in result.suites:
        loads = sorted(float(r.load.split(" / ")[0]) for r in suite.runs)
        parts.append(
            f"{suite.suite.adoption}; load average (1 min) at the arms' starts {loads[0]:.1f}-{loads[-1]:.1f}"
        )
        parts += [arms_table(suite, result.cores), _shards(suite), sizes_table(suite)]
        parts.append("\n".join(f"- {g.name}: {tables.verdict(g.met)}" for g in suite.goals(result.judged)))
        parts.append(failures(suite.runs))
    return "\n\n".join(p for p in parts if p)
