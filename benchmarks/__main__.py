"""`python -m benchmarks`: run every section and print its table (`tox -e bench`).

    tox -e bench                      the full run, about 16 minutes on 2 cores
    tox -e bench -- --quick           fewer runs and smaller P3 sizes, a few minutes
    tox -e bench -- --only p1,p3      some sections only
    tox -e bench -- --only p4         P3's publishes, then the themed pages' cost (P4)
    tox -e bench -- --only p6         themed coverage at scale (P6), about 34 minutes; not in the full run

Everything runs in a temporary directory: a snapshot of this working tree
(`benchmarks.clones`) and clones of it. Nothing here touches the working tree.
Progress goes to stderr, tables to stdout; `--json` also saves every sample.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import atscale, atscale_render, clones, cold, machine, pages, procs, scaling, tracing, warm
from covthemes.settings import config

SECTIONS = ("p2", "p1", "tracing", "p3", "p4", "p6")
# P6 runs two suites of 5,000-6,000 tests four ways each, about 34 minutes
# on 2 cores: it runs when asked for (`--only p6`), not in the full run.
DEFAULT_SECTIONS = ("p2", "p1", "tracing", "p3", "p4")
FULL = {
    "runs": 5,
    "sizes": [1000, 5000, 10000, 20000],
    "p3_budget": 90.0,
    "p6": atscale.Preset(
        synthetic_tests=5000, synthetic_rounds=3, thirdparty_rounds=1, thirdparty_quick=False
    ),
}
QUICK = {
    "runs": 3,
    "sizes": [250, 1000, 2500],
    "p3_budget": 60.0,
    # The synthetic suite at 1,000 tests, networkx cut to a few test files per theme.
    "p6": atscale.Preset(
        synthetic_tests=1000, synthetic_rounds=1, thirdparty_rounds=1, thirdparty_quick=True
    ),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 runs, P3 sizes 250/1000/2500")
    parser.add_argument("--runs", type=int, help="rounds per section (default 5, 3 with --quick)")
    parser.add_argument("--sizes", help="P3 test counts, comma-separated (default 1000,5000,10000,20000)")
    parser.add_argument(
        "--p3-budget",
        type=float,
        help="seconds after which a P3 size stops repeating (default 90, 60 with --quick)",
    )
    parser.add_argument(
        "--only",
        default=",".join(DEFAULT_SECTIONS),
        help=f"sections to run, from {','.join(SECTIONS)} (default: all but p6)",
    )
    parser.add_argument(
        "--p6-suites",
        default=",".join(atscale.SUITES),
        help=f"P6's suites, from {','.join(atscale.SUITES)} (default: both)",
    )
    parser.add_argument("--json", help="write every sample to this file")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary clones and print where they are"
    )
    return parser


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _jsonable(value):
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    preset = QUICK if args.quick else FULL
    runs = args.runs or preset["runs"]
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else preset["sizes"]
    budget = args.p3_budget or preset["p3_budget"]
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        print(
            f"unknown section(s) {', '.join(sorted(unknown))}: choose from {', '.join(SECTIONS)}",
            file=sys.stderr,
        )
        return 2
    unknown_suites = {x.strip() for x in args.p6_suites.split(",") if x.strip()} - set(atscale.SUITES)
    if unknown_suites:
        print(
            f"unknown P6 suite(s) {', '.join(sorted(unknown_suites))}: "
            f"choose from {', '.join(atscale.SUITES)}",
            file=sys.stderr,
        )
        return 2
    repo = Path.cwd()
    if not (repo / "tox.ini").exists() or not (repo / "tools" / "covthemes").is_dir():
        print("run from the repository root: `tox -e bench`", file=sys.stderr)
        return 2
    # The one list of themes; a broken [tool.covthemes] fails here, before any clone.
    themes = config.load(repo).themes

    work = Path(tempfile.mkdtemp(prefix="themed-bench-"))
    started = time.perf_counter()
    results: dict = {"sections": only, "runs": runs}
    failed: list[str] = []

    def section(name: str, measure, render) -> None:
        """Run one section; a failed command costs that section its table, not the rest."""
        begun = time.perf_counter()
        try:
            results[name] = measure()
        except procs.CommandFailed as exc:
            failed.append(name)
            print(
                f"bench: {name}: a measured command failed, so no table:\n{exc}\n",
                file=sys.stderr,
                flush=True,
            )
            return
        took = time.perf_counter() - begun
        print(render(results[name]) + "\n", flush=True)
        print(f"({name}: {took / 60:.1f} min; load average then {machine.load()})\n", flush=True)

    try:
        snapshot = clones.snapshot(repo, work / "snapshot")
        results["machine"] = machine.describe()
        results["machine"]["measured tree"] = clones.describe(repo)
        print("## Machine\n\n" + machine.render(results["machine"]) + "\n", flush=True)
        warm_clone = work / "warm"
        if "p2" in only:
            _log(f"P2: cold setup, {runs} rounds of uv and virtualenv + pip")
            section(
                "p2",
                lambda: cold.measure(snapshot, work, runs, themes, _log, keep_as=warm_clone),
                cold.render,
            )
        if {"p1", "tracing"} & set(only) and not (warm_clone / ".tox" / "cov-combine").exists():
            _log("building the warm clone's environments (untimed)")
            clones.remove(warm_clone)
            clones.fresh_clone(snapshot, warm_clone)
            try:
                warm.prepare(warm_clone, themes)
            except procs.CommandFailed as exc:
                print(f"bench: the warm clone's matrix failed:\n{exc}", file=sys.stderr)
                return 1
        if warm_clone.exists():
            results["machine"]["themed envs"] = machine.themed_envs(warm_clone, f"cov-{themes[0]}")
            print(f"Themed envs: {results['machine']['themed envs']}\n", flush=True)
        if "p1" in only:
            _log(f"P1: warm matrix, {runs} rounds")
            section("p1", lambda: warm.measure(warm_clone, work / "p1", runs, themes, _log), warm.render)
        if "tracing" in only:
            _log(f"tracing: {runs} rounds per Python version")
            section(
                "tracing",
                lambda: tracing.measure(warm_clone, work / "tracing", runs, themes, _log),
                tracing.render,
            )
        # P4 reads P3's publishes and the reports they leave in place, so
        # `--only p4` runs P3 too: a second set of publishes would only
        # repeat the same measurement.
        if {"p3", "p4"} & set(only):
            _log(f"P3: publish scaling over {sizes} tests")
            section(
                "p3",
                lambda: scaling.measure(snapshot, work / "p3", sizes, runs, budget, _log),
                scaling.render,
            )
        if "p4" in only and "p3" in results:
            _log(f"P4: the themed pages of P3's projects, {pages.LOADS} loads per page in Chromium")
            section("p4", lambda: pages.measure(results["p3"], pages.LOADS, _log), pages.render)
        elif "p4" in only:
            failed.append("p4")
            print("bench: p4: no table, because it reads P3's publishes, which failed\n", file=sys.stderr)
        if "p6" in only:
            p6 = dataclasses.replace(
                preset["p6"], suites=tuple(x.strip() for x in args.p6_suites.split(",") if x.strip())
            )
            _log(f"P6: themed coverage at scale, suites {', '.join(p6.suites)}")
            section(
                "p6",
                lambda: atscale.measure(snapshot, work / "p6", p6, _log, keep=args.keep),
                atscale_render.render,
            )
    finally:
        elapsed = time.perf_counter() - started
        results["elapsed_seconds"] = elapsed
        results["load average at end"] = machine.load()
        if args.keep:
            _log(f"kept {work}")
        else:
            clones.remove(work)
    print(
        f"Finished in {elapsed / 60:.1f} min; "
        f"load average (1/5/15 min) at end {results['load average at end']}."
    )
    for name in ("p1", "p2", "p3", "p4", "p6"):
        for goal, met in results.get(name, {}).get("goals", {}).items():
            print(f"- {name.upper()} {goal}: {({True: 'met', False: 'NOT MET', None: 'not judged'})[met]}")
    if args.json:
        if "tracing" in results:
            results["tracing"] = tracing.to_json(results["tracing"])
        Path(args.json).write_text(json.dumps(_jsonable(results), indent=1, default=str) + "\n")
        _log(f"samples written to {args.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
