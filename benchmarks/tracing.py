"""What tracing costs per theme, and which coverage core runs on each Python version.

On the Python the themed matrix uses (tox's own, 3.11 here), each round runs
every theme's tests three ways, in a rotating order:

- plain: `pytest -q --covthemes-theme <theme> tests/unit` (the covthemes
  pytest plugin keeps the theme's tests, as in a themed run);
- cov: `... --cov --cov-report=`;
- contexts: `... --cov --cov-context=test --cov-report=`, the flags
  `covthemes run <theme>` passes to pytest (`covthemes.runner.pytest_args`),
  with `COVERAGE_CONTEXT=<theme>`.

Every other `py3XY` env of tox.ini that can be built runs the same three ways
for one theme (the first), which is enough to compare versions and keeps the
full benchmark inside its time budget.

The core is read, not assumed: the first contexts run of each env also sets
`COVERAGE_DEBUG=sys`, and the table shows the `core:` line coverage logs once
it has started (a few hundred bytes written once; it does not move the
timing). On 3.12+ an untimed probe asks for `COVERAGE_CORE=sysmon`: coverage
before Python 3.14 cannot measure branches with it, refuses with a
`no-sysmon` warning, and pytest.ini's `filterwarnings = error` turns that
warning into a failed run; the probe reports what happened.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from benchmarks import procs, tables
from benchmarks.stats import Series, paired_ratio

MODES = {
    "plain": [],
    "cov": ["--cov", "--cov-report="],
    "contexts": ["--cov", "--cov-context=test", "--cov-report="],
}
ENVS = ("py311", "py312", "py313")
MAIN_ENV = f"py{sys.version_info.major}{sys.version_info.minor}"
_CORE = re.compile(r"^\s*core:\s*(\S.*)$", re.MULTILINE)
_WARNING = re.compile(r"CoverageWarning: (.+?)(?: \(([\w-]+)\))?(?:; see https?://\S+)?$", re.MULTILINE)


def prepare(clone: Path) -> list[str]:
    """Build the py3XY envs whose interpreter exists (untimed); return their names."""
    procs.run(
        procs.tox_command("-e", ",".join(ENVS), "--notest", "--skip-missing-interpreters", "true"),
        clone,
        check=False,
    )
    return [env for env in ENVS if (clone / ".tox" / env / "bin" / "pytest").exists()]


def _env(mode: str, theme: str, scratch: Path, **extra: str) -> dict[str, str]:
    if mode == "plain":
        return procs.scrubbed_env(**extra)
    return procs.scrubbed_env(
        COVERAGE_CONTEXT=theme, COVERAGE_FILE=str(scratch / f".coverage.{theme}.{mode}"), **extra
    )


def _debug_env(debug_file: Path, **extra: str) -> dict[str, str]:
    debug_file.unlink(missing_ok=True)
    return {"COVERAGE_DEBUG": "sys", "COVERAGE_DEBUG_FILE": str(debug_file), **extra}


def core_from(debug_file: Path) -> str:
    """The core coverage logged after starting (`-none-` is logged before)."""
    text = debug_file.read_text() if debug_file.exists() else ""
    started = [c.strip() for c in _CORE.findall(text) if c.strip() != "-none-"]
    return started[-1] if started else "none started"


def probe_sysmon(clone: Path, env_name: str, theme: str, scratch: Path) -> str:
    """What happens to a themed run that asks for COVERAGE_CORE=sysmon (untimed)."""
    debug_file = scratch / f"debug.{env_name}.sysmon.txt"
    pytest = str(clone / ".tox" / env_name / "bin" / "pytest")
    extra = _debug_env(debug_file, COVERAGE_CORE="sysmon")
    result = procs.run(
        [pytest, "-q", "--covthemes-theme", theme, "tests/unit", *MODES["contexts"]],
        clone,
        env=_env("contexts", theme, scratch, **extra),
        check=False,
    )
    warnings = sorted({m[0].strip() for m in _WARNING.findall(result.output)})
    core = core_from(debug_file)
    if result.returncode == 0 and not warnings:
        return f"{core} ran"
    outcome = f"{core} ran" if core != "none started" else "no core started"
    said = "; ".join(f'coverage warns "{w}"' for w in warnings)
    fails = (
        f", and pytest exits {result.returncode} because pytest.ini sets filterwarnings = error"
        if result.returncode
        else ""
    )
    return f"{said}{fails} ({outcome})"


def python_version(clone: Path, env_name: str) -> str:
    python = str(clone / ".tox" / env_name / "bin" / "python")
    return procs.run(
        [python, "-c", "import platform; print(platform.python_version())"], clone
    ).output.strip()


def measure(clone: Path, scratch: Path, runs: int, themes: tuple[str, ...], log) -> dict:
    scratch.mkdir(parents=True, exist_ok=True)
    envs = prepare(clone)
    plan = {env: (themes if env == MAIN_ENV else themes[:1]) for env in envs}
    series = {(e, t, m): Series() for e in envs for t in plan[e] for m in MODES}
    versions = {env: python_version(clone, env) for env in envs}
    cores: dict[str, str] = {}
    sysmon: dict[str, str] = {}
    for env in envs:
        if tuple(int(x) for x in versions[env].split(".")[:2]) >= (3, 12):  # sys.monitoring exists
            sysmon[env] = probe_sysmon(clone, env, themes[0], scratch)
    failures: set[tuple[str, str, int]] = set()
    modes = list(MODES)
    for round_no in range(runs):
        for env in envs:
            pytest = str(clone / ".tox" / env / "bin" / "pytest")
            for theme in plan[env]:
                shift = (round_no + themes.index(theme)) % len(modes)
                for mode in modes[shift:] + modes[:shift]:
                    debug_file = scratch / f"debug.{env}.txt"
                    extra = (
                        _debug_env(debug_file)
                        if (round_no == 0 and mode == "contexts" and theme == themes[0])
                        else {}
                    )
                    args = [pytest, "-q", "--covthemes-theme", theme, "tests/unit", *MODES[mode]]
                    result = procs.run(args, clone, env=_env(mode, theme, scratch, **extra), check=False)
                    series[(env, theme, mode)].add(result.seconds)
                    if result.returncode != 0:
                        failures.add((env, theme, result.returncode))
                    if extra:
                        cores[env] = core_from(debug_file)
        log(f"tracing round {round_no + 1}/{runs} done")
    return {
        "envs": envs,
        "plan": plan,
        "versions": versions,
        "cores": cores,
        "sysmon": sysmon,
        "series": series,
        "failures": failures,
    }


def render(result: dict) -> str:
    rows = []
    for env in result["envs"]:
        for theme in result["plan"][env]:
            s = {m: result["series"][(env, theme, m)] for m in MODES}
            failed = any(f[:2] == (env, theme) for f in result["failures"])
            rows.append(
                [
                    f"{env} ({result['versions'][env]})",
                    theme + (" (!)" if failed else ""),
                    tables.seconds(s["plain"]),
                    tables.seconds(s["cov"]),
                    tables.seconds(s["contexts"]),
                    tables.ratio(paired_ratio(s["cov"], s["plain"])),
                    tables.ratio(paired_ratio(s["contexts"], s["plain"])),
                    result["cores"].get(env, "?"),
                ]
            )
    header = [
        "Python",
        "theme",
        "plain",
        "--cov",
        "--cov --cov-context=test",
        "cov / plain",
        "contexts / plain",
        "core",
    ]
    text = tables.table(header, rows)
    for env, outcome in result["sysmon"].items():
        text += f"\n\n{env} with COVERAGE_CORE=sysmon: {outcome}."
    for env, theme, code in sorted(result["failures"]):
        text += (
            f"\n\n(!) {env} {theme}: pytest exited {code} in some runs (failing tests); "
            "the times still count."
        )
    return text


def to_json(result: dict) -> dict:
    return {
        "versions": result["versions"],
        "cores": result["cores"],
        "sysmon": result["sysmon"],
        "series": {f"{e}:{t}:{m}": s for (e, t, m), s in result["series"].items()},
        "failures": sorted(result["failures"]),
    }
