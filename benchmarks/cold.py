"""P2: cold setup, from a fresh clone with no `.tox` to a published report.

Each round makes two fresh clones and runs the whole matrix in each, the two
runners side by side in alternating order:

- uv: `tox -p -e <matrix>`, tox.ini as it is: the theme envs `uv sync` from
  uv.lock (`uv-venv-lock-runner`), `cov-combine` uses `uv-venv-runner`;
- pip: `tox --runner virtualenv -p -e <matrix>` plus an override of each theme
  env's `runner`, the same tox.ini forced onto tox's built-in virtualenv
  runner; the package environment follows the runner (`virtualenv-pep-517`).

Package caches stay warm (uv's cache, pip's indexes); only `.tox` is new.
The first uv clone is kept: P1 and the tracing table reuse its environments.
After every run `benchmarks.toxrun.installers` reads `.tox` to prove which
tool created and filled each environment, and the table says so. The goal
(issue 5) is uv at least 3x faster than virtualenv + pip.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks import clones, procs, tables
from benchmarks.stats import Series, paired_ratio
from benchmarks.toxrun import MATRIX, THEME_ENVS, env_times, installers

# `--runner` only sets the default: the theme envs name their runner in
# tox.ini, so the pip arm overrides theirs too.
PIP_OVERRIDES = tuple(arg for env in THEME_ENVS for arg in ("-x", f"testenv:{env}.runner=virtualenv"))
RUNNERS = {
    "uv": ("-p", "-e", MATRIX),
    "pip": ("--runner", "virtualenv", *PIP_OVERRIDES, "-p", "-e", MATRIX),
}
EXPECTED = {"uv": ("uv", ("uv pip", "uv sync")), "pip": ("virtualenv", ("pip",))}
GOAL_SPEEDUP = 3.0


def _verified(clone: Path, runner: str) -> tuple[bool, dict]:
    found = installers(clone)
    creator, tools = EXPECTED[runner]
    ok = (
        bool(found)
        and all(e["creator"] == creator and e["installer"] in (*tools, "none") for e in found.values())
        and any(e["installer"] in tools for e in found.values())
    )
    return ok, found


def measure(snapshot: Path, work: Path, runs: int, log, keep_as: Path | None = None) -> dict:
    """Time `runs` rounds; the first uv clone is kept at `keep_as` (P1's warm clone)."""
    total = {r: Series() for r in RUNNERS}
    setup = {r: Series() for r in RUNNERS}
    cpu = {r: Series() for r in RUNNERS}
    verified = {r: 0 for r in RUNNERS}
    evidence = {}
    for round_no in range(runs):
        order = list(RUNNERS) if round_no % 2 == 0 else list(reversed(RUNNERS))
        for runner in order:
            keep = keep_as is not None and runner == "uv" and not keep_as.exists()
            clone = clones.fresh_clone(snapshot, keep_as if keep else work / f"p2-{runner}-{round_no}")
            try:
                result = procs.run(procs.tox_command(*RUNNERS[runner]), clone)
                total[runner].add(result.seconds)
                cpu[runner].add(result.cpu)
                # The theme envs are set up in parallel, then cov-combine:
                # setup time on the critical path.
                times = env_times(result.output)
                themes = [t["setup"] for e, t in times.items() if e != "cov-combine"]
                setup[runner].add(max(themes, default=0.0) + times.get("cov-combine", {}).get("setup", 0.0))
                ok, evidence[runner] = _verified(clone, runner)
                verified[runner] += ok
                if not (clone / "coverage" / "summary.md").exists():
                    raise procs.CommandFailed(f"P2 {runner} run published no coverage/summary.md")
            finally:
                if not keep:
                    clones.remove(clone)
        log(
            f"P2 round {round_no + 1}/{runs}: "
            + ", ".join(f"{r} {total[r].samples[-1]:.1f}s" for r in RUNNERS)
        )
    speedup = paired_ratio(total["pip"], total["uv"])
    setup_speedup = paired_ratio(setup["pip"], setup["uv"])
    return {
        "total": total,
        "setup": setup,
        "cpu": cpu,
        "speedup": speedup,
        "setup_speedup": setup_speedup,
        "verified": verified,
        "runs": runs,
        "evidence": evidence,
        "goals": {"uv >= 3x faster than virtualenv + pip": speedup.median >= GOAL_SPEEDUP},
    }


def render(result: dict) -> str:
    t, s, c, v, n = result["total"], result["setup"], result["cpu"], result["verified"], result["runs"]
    rows = [
        [
            f"tox-uv: `tox -p -e <matrix>` (uv venv + uv sync / uv pip in {v['uv']}/{n} runs)",
            tables.seconds(t["uv"]),
            tables.seconds(s["uv"]),
            tables.seconds(c["uv"]),
            "",
        ],
        [
            "virtualenv + pip: `tox --runner virtualenv -x <theme env>.runner=virtualenv -p -e <matrix>` "
            f"(virtualenv + pip in {v['pip']}/{n} runs)",
            tables.seconds(t["pip"]),
            tables.seconds(s["pip"]),
            tables.seconds(c["pip"]),
            "",
        ],
        [
            "**pip / uv** (goal >= 3x)",
            tables.ratio(result["speedup"]),
            tables.ratio(result["setup_speedup"]),
            "",
            tables.verdict(result["goals"]["uv >= 3x faster than virtualenv + pip"]),
        ],
    ]
    header = [
        "P2: cold setup to a published report",
        "clone to report (wall)",
        "env setup only (tox's setup[])",
        "CPU (user+sys)",
        "goal",
    ]
    return tables.table(header, rows)
