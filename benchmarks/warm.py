"""P1: the warm themed matrix against the runs a team would do without themes.

In one clone whose tox environments are already built, each round runs, side
by side and in a rotating order so load drift hits all three alike:

- matrix: `tox -p -e cov-<theme>,...,cov-combine` over the themes of
  `[tool.covthemes]`, publish (`covthemes publish`) included;
- plain: `pytest -q tests/unit` without coverage, in the first theme's env
  (`cov-architecture` here, the themed runs' own environment);
- single: `pytest -q tests/unit --cov --cov-context=test` in that env, the one
  pytest-cov run of the whole suite, with its default terminal report.

Goals (issue 5): matrix <= 1.5x plain, and matrix <= single. tox's own
summary lines split each matrix run into environment setup, the themed runs
and publish. The publish step on this real data is broken down by
`benchmarks.publish_steps`.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks import procs, tables
from benchmarks.stats import Series, paired_ratio
from benchmarks.toxrun import PUBLISH_ENV, env_times, matrix, theme_envs

GOAL_VS_PLAIN = 1.5


def prepare(clone: Path, themes: tuple[str, ...]) -> None:
    """Build the matrix's environments (untimed): P1 measures warm runs only."""
    if not (clone / ".tox" / PUBLISH_ENV).exists():
        procs.run(procs.tox_command("-p", "-e", matrix(themes)), clone)


def _commands(
    clone: Path, scratch: Path, themes: tuple[str, ...]
) -> dict[str, tuple[list[str], dict[str, str]]]:
    pytest = str(clone / ".tox" / theme_envs(themes)[0] / "bin" / "pytest")
    # Its own data file: pytest-cov erases every `<data_file>.*` sibling when
    # it starts, and the default data file sits next to the themes' files.
    single_env = procs.scrubbed_env(COVERAGE_FILE=str(scratch / ".coverage"))
    return {
        "matrix": (procs.tox_command("-p", "-e", matrix(themes)), procs.scrubbed_env()),
        "plain": ([pytest, "-q", "tests/unit"], procs.scrubbed_env()),
        "single": ([pytest, "-q", "tests/unit", "--cov", "--cov-context=test"], single_env),
    }


def measure(clone: Path, scratch: Path, runs: int, themes: tuple[str, ...], log) -> dict:
    scratch.mkdir(parents=True, exist_ok=True)
    prepare(clone, themes)
    commands = _commands(clone, scratch, themes)
    names = list(commands)
    series = {name: Series() for name in names}
    cpu = {name: Series() for name in names}
    phases = {
        "setup (max over envs)": Series(),
        "themed runs (max cmd)": Series(),
        "publish (cov-combine cmd)": Series(),
    }
    summary_md = clone / "coverage" / "summary.md"
    for round_no in range(runs):
        order = names[round_no % len(names) :] + names[: round_no % len(names)]
        for name in order:
            before = summary_md.stat().st_mtime_ns if summary_md.exists() else 0
            args, env = commands[name]
            result = procs.run(args, clone, env=env)
            series[name].add(result.seconds)
            cpu[name].add(result.cpu)
            if name == "matrix":
                if not summary_md.exists() or summary_md.stat().st_mtime_ns == before:
                    raise procs.CommandFailed("the matrix run published no new coverage/summary.md")
                times = env_times(result.output)
                phases["setup (max over envs)"].add(max(t["setup"] for t in times.values()))
                phases["themed runs (max cmd)"].add(max(times[e]["cmd"] for e in theme_envs(themes)))
                phases["publish (cov-combine cmd)"].add(times[PUBLISH_ENV]["cmd"])
        log(
            f"P1 round {round_no + 1}/{runs}: "
            + ", ".join(f"{n} {series[n].samples[-1]:.1f}s" for n in names)
        )
    vs_plain = paired_ratio(series["matrix"], series["plain"])
    vs_single = paired_ratio(series["matrix"], series["single"])
    return {
        "matrix": matrix(themes),
        "runs": series,
        "cpu": cpu,
        "phases": phases,
        "ratios": {
            "matrix/plain": vs_plain,
            "matrix/single": vs_single,
            "single/plain": paired_ratio(series["single"], series["plain"]),
        },
        "goals": {
            "matrix <= 1.5x plain": vs_plain.median <= GOAL_VS_PLAIN,
            "matrix <= single": vs_single.median <= 1.0,
        },
    }


def render(result: dict) -> str:
    runs, cpu, ratios, goals = result["runs"], result["cpu"], result["ratios"], result["goals"]
    rows = [
        [
            "warm matrix: `tox -p -e " + result["matrix"] + "`",
            tables.seconds(runs["matrix"]),
            tables.seconds(cpu["matrix"]),
            "",
        ],
        ["plain: `pytest -q tests/unit`", tables.seconds(runs["plain"]), tables.seconds(cpu["plain"]), ""],
        [
            "single: `pytest -q tests/unit --cov --cov-context=test`",
            tables.seconds(runs["single"]),
            tables.seconds(cpu["single"]),
            "",
        ],
        [
            "**matrix / plain** (goal <= 1.5x)",
            tables.ratio(ratios["matrix/plain"]),
            "",
            tables.verdict(goals["matrix <= 1.5x plain"]),
        ],
        [
            "**matrix / single** (goal <= 1.0x)",
            tables.ratio(ratios["matrix/single"]),
            "",
            tables.verdict(goals["matrix <= single"]),
        ],
        ["single / plain", tables.ratio(ratios["single/plain"]), "", ""],
    ]
    rows += [
        [f"inside the matrix: {name}", tables.seconds(series), "", ""]
        for name, series in result["phases"].items()
    ]
    return tables.table(["P1: warm matrix", "wall, median (min-max)", "CPU (user+sys)", "goal"], rows)
