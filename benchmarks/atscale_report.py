"""`at-scale`'s tables: per suite, the arms side by side, their publish, and what each wrote.

A ratio is the median of per-round ratios (`benchmarks.stats`). A failed arm
shows `failed` in its row and its command's output below the tables: the
measurement reports what the tool did, it does not work around it.
"""

from __future__ import annotations

from collections.abc import Callable

from benchmarks import tables
from benchmarks.arms import ARMS, HTML, PUBLISH, REFERENCE, SHARDED, Arm
from benchmarks.atscale import GOAL_RATIO, ArmRun, AtScale, SuiteResult
from benchmarks.stats import Series

FAILED = ("failed", "errors", "error")


def _series(runs: list[ArmRun], value: Callable[[ArmRun], float]) -> Series:
    return Series.of(value(r) for r in runs if not r.failure)


def _ran(last: ArmRun) -> str:
    """What pytest said it ran, and what covthemes recorded."""

    def total(*words: str) -> int:
        return sum(counts.get(word, 0) for counts in last.ran.values() for word in words)

    cell = f"{total('passed')} passed, {total('skipped')} skipped"
    if failed := total(*FAILED):
        cell += f", {failed} failed or errors"
    if last.recorded:
        cell += f"; recorded {sum(last.recorded.values())}"
    return cell


def _seconds_of(label: str) -> Callable[[ArmRun], float]:
    def seconds(run: ArmRun) -> float:
        process = run.process(label)
        return process.seconds if process else 0.0

    return seconds


def _arm_row(result: SuiteResult, arm: Arm, cores: int) -> list[str]:
    runs = result.of(arm.key)
    ok = [r for r in runs if not r.failure]
    rounds = f"{len(ok)}" + (f" (+{len(runs) - len(ok)} failed)" if len(runs) > len(ok) else "")
    if not ok:
        return [arm.title, rounds, "failed", *[""] * 8]
    longest = ok[-1].longest
    critical = _series(ok, lambda r: r.longest.seconds if r.longest else 0.0)
    return [
        arm.title,
        rounds,
        tables.seconds(_series(ok, lambda r: r.wall)),
        tables.seconds(_series(ok, lambda r: r.cpu)),
        f"{_series(ok, lambda r: r.utilisation(cores)).median:.0%}",
        f"{longest.label}: {tables.seconds(critical)}" if longest else "",
        tables.seconds(_series(ok, _seconds_of(HTML if arm.key == REFERENCE else PUBLISH))),
        _ran(ok[-1]),
        tables.ratio(result.ratio(arm.key)),
        tables.ratio(result.ratio(arm.key, tests_only=True)),
        tables.ratio(result.ratio(arm.key, cpu=True)),
    ]


def _publish_rows(result: SuiteResult) -> list[list[str]]:
    rows = []
    for arm in ARMS[1:]:
        ok = [r for r in result.of(arm.key) if not r.failure]
        published = [p for r in ok if (p := r.process(PUBLISH))]
        if published:
            cpu = Series.of(p.cpu for p in published)
            peak = max(p.max_rss_kib for p in published) * 1024
            rows.append(
                [arm.key, tables.seconds(Series.of(p.seconds for p in published)), tables.seconds(cpu)]
            )
            rows[-1].append(tables.size(peak))
    return rows


def _artifacts(result: SuiteResult) -> str:
    """The last good round's sizes: every published output (columns from the runs), or coverage's own."""
    last = {arm.key: ok[-1] for arm in ARMS if (ok := [r for r in result.of(arm.key) if not r.failure])}
    names = list(dict.fromkeys(name for run in last.values() for name in run.sizes))
    rows = [
        [key, *(tables.size(run.sizes[n]) if n in run.sizes else "" for n in names)]
        for key, run in last.items()
    ]
    return tables.table([f"sizes ({result.suite.key})", *names], rows) if rows else ""


def _verdicts(result: SuiteResult, judged: bool) -> list[str]:
    lines = []
    for arm in ARMS[1:]:
        whole = result.ratio(arm.key)
        if not whole.samples:
            lines.append(f"- {arm.key} / {REFERENCE}: not measured (the arm failed, see below)")
            continue
        tests_only, cpu = result.ratio(arm.key, tests_only=True), result.ratio(arm.key, cpu=True)
        line = (
            f"- {arm.key} / {REFERENCE}: {whole.median:.2f}x in wall time, publish and HTML included "
            f"({tests_only.median:.2f}x against the one-shot's test run alone; {cpu.median:.2f}x in CPU)"
        )
        if arm.judged:
            line += (
                f"; goal <= {GOAL_RATIO}x: {tables.verdict(whole.at_most(GOAL_RATIO) if judged else None)}"
            )
        lines.append(line)
    return lines


def _shard_lines(result: SuiteResult) -> list[str]:
    """The sharded arm's plan, and how long each of its jobs ran in its last good round."""
    if result.shards is None:
        return []
    lines = [f"The sharded arm's plan: {result.shards.describe()}."]
    if ok := [r for r in result.of(SHARDED) if not r.failure]:
        jobs = [p for p in ok[-1].processes if p.label != PUBLISH]
        listing = ", ".join(f"{p.label} {p.seconds:.1f} s ({p.cpu:.1f} s CPU)" for p in jobs)
        lines.append(f"Its jobs in round {ok[-1].round + 1}, in the order started: {listing}.")
    return lines


def render_suite(result: SuiteResult, cores: int, judged: bool) -> str:
    header = [
        f"{result.suite.title}",
        "rounds",
        "wall",
        "CPU (user+sys)",
        f"core use ({cores} cores)",
        "critical path (longest test process)",
        "publish / HTML",
        "tests: pytest's summary; recorded by covthemes",
        f"wall / {REFERENCE}",
        f"wall / {REFERENCE} test run",
        f"CPU / {REFERENCE}",
    ]
    loads = sorted(float(r.load.split(" / ")[0]) for r in result.runs if r.load[:1].isdigit())
    load = f"; load average (1 min) at the arms' starts {loads[0]:.1f}-{loads[-1]:.1f}" if loads else ""
    parts = [f"Adoption: {result.suite.adoption}{load}."]
    parts += [tables.table(header, [_arm_row(result, arm, cores) for arm in ARMS]), *_shard_lines(result)]
    if publish := _publish_rows(result):
        parts.append(tables.table([f"publish ({result.suite.key})", "wall", "CPU", "peak RSS"], publish))
    parts += [_artifacts(result), "\n".join(_verdicts(result, judged))]
    failures = [
        f"{r.arm}, round {r.round + 1}:\n\n```text\n{r.failure}\n```" for r in result.runs if r.failure
    ]
    if failures:
        parts.append("Failures:\n\n" + "\n\n".join(failures))
    return "\n\n".join(p for p in parts if p)


def render(result: AtScale) -> str:
    head = f"### at-scale\n\nTools: {result.versions}; {result.cores} cores."
    if not result.judged:
        head += " `--quick`: a check of the harness, not judged against the goal."
    return "\n\n".join([head, *(render_suite(r, result.cores, result.judged) for r in result.suites)])
