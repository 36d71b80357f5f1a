"""P6's tables: per suite, the arms side by side, the publish's steps and memory, and what it wrote.

Cells over several rounds read `median (min-max)` (`benchmarks.tables`); a
ratio is the median of per-round ratios. A failed arm shows `failed` in its
row and its command's output below the tables: the measurement reports what
the tool did, it does not work around it.
"""

from __future__ import annotations

from benchmarks import tables
from benchmarks.arm_runs import ArmRun, PublishRecord, SuiteResult
from benchmarks.arms import ARMS, PUBLISH, PUBLISH_THEMES_BASELINE, REFERENCE, SHARDED
from benchmarks.atscale import GOAL_RATIO, ratio
from benchmarks.scaling import STEP_LABELS, STEPS
from benchmarks.stats import Series

ARTIFACT_COLUMNS = (
    ("themes.json", "themes.json"),
    ("lines.json", "lines.json"),
    ("baseline.json", "baseline.json"),
    ("html", "html/"),
    ("files", "files/"),
    ("themes", "themes/"),
    ("index.html", "index.html"),
)
FAILED = ("failed", "errors", "error")
# The rows of the untimed extra publishes (an arm's `after` stages).
UNTIMED = {PUBLISH_THEMES_BASELINE: 'baseline-contexts = "themes", untimed'}


def _series(runs: list[ArmRun], value) -> Series:
    return Series([value(r) for r in runs if not r.failure])


def _mib(kib: float) -> str:
    return tables.size(kib * 1024)


def _ran(runs: list[ArmRun]) -> str:
    """What pytest said it ran, and what covthemes recorded, in the last round."""
    last = runs[-1]

    def total(*words: str) -> int:
        return sum(counts.get(word, 0) for counts in last.ran.values() for word in words)

    cell = f"{total('passed')} passed, {total('skipped')} skipped"
    if failed := total(*FAILED):
        cell += f", {failed} failed or errors"
    if last.recorded:
        cell += f"; recorded {sum(last.recorded.values())}"
    return cell


def _arm_row(result: SuiteResult, arm, cores: int) -> list[str]:
    runs = result.of(arm.key)
    if not runs:
        return [arm.title, "0", *["n/a"] * 9]
    ok = [r for r in runs if not r.failure]
    longest = ok[-1].longest if ok else None
    failed = len(runs) - len(ok)
    rounds = f"{len(ok)}" + (f" (+{failed} failed)" if failed else "")
    if not ok:
        return [arm.title, rounds, "failed", *[""] * 4, _ran(runs), "", "", ""]
    publish = _series(ok, lambda r: r.seconds_of(PUBLISH) or r.seconds_of("html") or 0.0)
    return [
        arm.title,
        rounds,
        tables.seconds(_series(ok, lambda r: r.wall)),
        tables.seconds(_series(ok, lambda r: r.cpu)),
        f"{_series(ok, lambda r: r.utilisation(cores)).median:.0%}",
        f"{longest.label}: {tables.seconds(_series(ok, lambda r: r.longest.seconds))}" if longest else "",
        tables.seconds(publish),
        _ran(runs),
        tables.ratio(ratio(result, arm.key)),
        tables.ratio(ratio(result, arm.key, tests_only=True)),
        tables.ratio(ratio(result, arm.key, cpu=True)),
    ]


def _publish_row(name: str, records: list[PublishRecord]) -> list[str]:
    steps = [Series([rec.steps.get(s, 0.0) for rec in records]).median for s in STEPS]
    peak = records[-1].peak_kib
    return [
        name,
        tables.seconds(Series([rec.total for rec in records])),
        *[f"{s:.2f}" for s in steps],
        f"{_mib(peak.get('publish process', 0))} / {_mib(peak.get('largest report worker', 0))}",
    ]


def _untimed(runs: list[ArmRun]) -> dict[str, list[PublishRecord]]:
    found: dict[str, list[PublishRecord]] = {}
    for run in runs:
        for label, record in run.untimed.items():
            if not record.refused:
                found.setdefault(label, []).append(record)
    return found


def _publish_rows(result: SuiteResult) -> list[list[str]]:
    rows = []
    for arm in ARMS:
        runs = result.of(arm.key)
        records = [r.publish for r in runs if r.publish and not r.publish.refused]
        if records:
            rows.append(_publish_row(arm.key, records))
        for label, extra in _untimed(runs).items():
            rows.append(_publish_row(f"{arm.key}, {UNTIMED.get(label, label)}", extra))
    return rows


def _artifact_cells(record: PublishRecord) -> list[str]:
    z = record.sizes
    return [tables.size(z.get("theme data", 0)), *[tables.size(z.get(key, 0)) for key, _ in ARTIFACT_COLUMNS]]


def _artifact_rows(result: SuiteResult) -> list[list[str]]:
    rows = []
    for arm in ARMS:
        runs = [r for r in result.of(arm.key) if not r.failure]
        if not runs:
            continue
        last = runs[-1]
        if last.publish:
            rows.append([arm.key, *_artifact_cells(last.publish)])
            for label, extra in _untimed([last]).items():
                rows.append([f"{arm.key}, {UNTIMED.get(label, label)}", *_artifact_cells(extra[-1])])
        elif arm.key == REFERENCE:
            own = last.report_bytes
            html = f"{tables.size(own.get('htmlcov', 0))} (htmlcov/)"
            rows.append([arm.key, tables.size(own.get(".coverage", 0)), "", "", "", html, "", "", ""])
    return rows


def _verdicts(result: SuiteResult) -> list[str]:
    lines = []
    for arm in ARMS[1:]:
        whole, tests_only = ratio(result, arm.key), ratio(result, arm.key, tests_only=True)
        if not whole.samples:
            lines.append(f"- {arm.key} / {REFERENCE}: not measured (the arm failed, see below)")
            continue
        cpu = ratio(result, arm.key, cpu=True)
        line = (
            f"- {arm.key} / {REFERENCE}: {whole.median:.2f}x in wall time, publish and HTML included "
            f"({tests_only.median:.2f}x against the one-shot's test run alone; {cpu.median:.2f}x in CPU)"
        )
        if arm.judged:
            met = whole.median <= GOAL_RATIO
            line += f"; goal <= {GOAL_RATIO}x: {tables.verdict(met)}"
        lines.append(line)
    return lines


def _shard_lines(result: SuiteResult) -> list[str]:
    """Arm 4's plan, and how long each of its jobs ran in its last good round."""
    plan = result.shards
    if plan is None:
        return []
    lines = [f"Arm 4's shards: {plan.describe()}."]
    ok = [r for r in result.of(SHARDED) if not r.failure]
    if ok:
        last = ok[-1]
        jobs = [p for p in last.processes if p.label != PUBLISH]
        listing = ", ".join(f"{p.label} {p.seconds:.1f} s ({p.cpu:.1f} s CPU)" for p in jobs)
        lines.append(f"Arm 4's jobs in round {last.round + 1}, in the order started: {listing}.")
    return lines


def _failures(result: SuiteResult) -> list[str]:
    out = []
    for run in result.runs:
        if run.failure:
            out.append(f"{run.arm}, round {run.round + 1}:\n\n```text\n{run.failure}\n```")
    return out


def render_suite(result: SuiteResult, cores: int) -> str:
    suite = result.suite
    main = tables.table(
        [
            f"P6: {suite.title}",
            "rounds",
            "wall",
            "CPU (user+sys)",
            f"core use ({cores} cores)",
            "critical path (longest process)",
            "publish / HTML",
            "tests: pytest's summary; recorded in provenance",
            f"wall / {REFERENCE}",
            f"wall / {REFERENCE} test run",
            f"CPU / {REFERENCE}",
        ],
        [_arm_row(result, arm, cores) for arm in ARMS],
    )
    loads = sorted(float(r.load.split(" / ")[0]) for r in result.runs if r.load[:1].isdigit())
    load = f"load average (1 min) at the arms' starts {loads[0]:.1f}-{loads[-1]:.1f}" if loads else ""
    parts = [f"Adoption: {suite.adoption}; {load}.", main, *_shard_lines(result)]
    if publish := _publish_rows(result):
        header = [
            f"publish ({suite.key})",
            "total",
            *[f"{STEP_LABELS.get(s, s)} s" for s in STEPS],
            "peak RSS: process / worker",
        ]
        parts.append(tables.table(header, publish))
    if artifacts := _artifact_rows(result):
        header = [f"artifacts ({suite.key})", "data", *[label for _, label in ARTIFACT_COLUMNS]]
        parts.append(tables.table(header, artifacts))
    parts.append("\n".join(_verdicts(result)))
    if failures := _failures(result):
        parts.append("Failures:\n\n" + "\n\n".join(failures))
    return "\n\n".join(parts)


def render(result: dict) -> str:
    head = f"P6 tools: {result['tools']}; {result['cores']} cores."
    return "\n\n".join([head, *(render_suite(r, result["cores"]) for r in result["suites"].values())])
