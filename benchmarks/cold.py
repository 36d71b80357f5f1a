"""P2: cold setup, from a fresh clone with no `.tox` to a published report.

Each round makes two fresh clones and runs the whole matrix in each, the two
runners side by side in alternating order:

- uv: `tox -p -e <matrix>`, tox.ini as it is: every env, `cov-combine`
  included, `uv sync`s its PEP 735 dependency group from uv.lock
  (`uv-venv-lock-runner`), the tool `covthemes` included through
  `[tool.uv.sources]` (editable, from `tools/covthemes`);
- pip: the same tox.ini, each env of the matrix forced onto tox's built-in
  virtualenv runner (`-x testenv:<env>.runner=virtualenv`; `--runner` alone
  changes nothing, since `[testenv]` names its runner). That runner installs
  the same dependency groups with pip (tox's own PEP 735 support), but pip
  reads neither uv.lock nor `[tool.uv.sources]`: it resolves the groups
  afresh from the index, and would look for `covthemes` there too. So the arm
  installs the tool from its folder first (`deps = -e tools/covthemes`, which
  tox installs before the groups, so pip finds the requirement satisfied),
  and the theme envs install the project editable (`package = editable`, as
  `uv sync` does), through a `virtualenv-pep-517` packaging env. What it
  compares, then: uv installing a locked resolution against pip resolving
  and installing the same requirements, both into fresh environments.

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
from benchmarks.toxrun import PUBLISH_ENV, env_times, installers, matrix, theme_envs

RUNNERS = ("uv", "pip")
# The tool's folder, as `[tool.uv.sources]` names it; pip installs it from there.
TOOL_REQUIREMENT = "-e tools/covthemes"


def pip_overrides(themes: tuple[str, ...]) -> tuple[str, ...]:
    """tox `-x` overrides that move every env of the matrix onto virtualenv + pip.

    Per env, not `testenv.<key>`: an override of the base section loses to a
    key the env's own section sets (cov-combine's `package = skip`, say).
    """
    overrides: list[str] = []
    for env in (*theme_envs(themes), PUBLISH_ENV):
        overrides += [f"testenv:{env}.runner=virtualenv", f"testenv:{env}.deps={TOOL_REQUIREMENT}"]
        if env != PUBLISH_ENV:
            overrides.append(f"testenv:{env}.package=editable")
    return tuple(arg for override in overrides for arg in ("-x", override))


def commands(themes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {
        "uv": ("-p", "-e", matrix(themes)),
        "pip": (*pip_overrides(themes), "-p", "-e", matrix(themes)),
    }


EXPECTED = {"uv": ("uv", ("uv sync",)), "pip": ("virtualenv", ("pip",))}
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


def measure(
    snapshot: Path, work: Path, runs: int, themes: tuple[str, ...], log, keep_as: Path | None = None
) -> dict:
    """Time `runs` rounds; the first uv clone is kept at `keep_as` (P1's warm clone)."""
    tox_args = commands(themes)
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
                result = procs.run(procs.tox_command(*tox_args[runner]), clone)
                total[runner].add(result.seconds)
                cpu[runner].add(result.cpu)
                # The theme envs are set up in parallel, then cov-combine:
                # setup time on the critical path.
                times = env_times(result.output)
                theme_setups = [t["setup"] for e, t in times.items() if e != PUBLISH_ENV]
                setup[runner].add(
                    max(theme_setups, default=0.0) + times.get(PUBLISH_ENV, {}).get("setup", 0.0)
                )
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
            f"tox-uv: `tox -p -e <matrix>` (uv venv + uv sync in {v['uv']}/{n} runs)",
            tables.seconds(t["uv"]),
            tables.seconds(s["uv"]),
            tables.seconds(c["uv"]),
            "",
        ],
        [
            "virtualenv + pip: `tox -x testenv:<env>.runner=virtualenv -x testenv:<env>.deps="
            f"{TOOL_REQUIREMENT} ... -p -e <matrix>` (virtualenv + pip in {v['pip']}/{n} runs)",
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
