"""`python -m benchmarks`: run the sections asked for, and print each one's tables (`tox -e bench`).

    tox -e bench                           every section, about 40 minutes on 2 cores, and `floor`
    tox -e bench -- --only floor           the themed matrix in each contexts mode, on 3.11 and 3.14
    tox -e bench -- --quick                small suites, one round: checks the harness in a few minutes
    tox -e bench -- --only publish         a section, and the sections it needs
    tox -e bench -- --suites networkx      one of the suites
    tox -e bench -- --list                 the sections and what each measures

Progress goes to stderr, tables to stdout, in Markdown.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import atscale, floor, procs, publish, tempdir, tool
from benchmarks.procs import load
from benchmarks.sections import SECTIONS, Context, Options, Result, Section, UnknownSection
from devtools import worktree

REGISTERED = (atscale, publish, floor)  # importing them registers their sections, in this order


class Usage(ValueError):
    """A command line the harness cannot run: the message says why."""


@dataclass(frozen=True)
class Plan:
    sections: list[Section]
    options: Options
    list_only: bool = False  # --list: print the sections, run nothing


def _names(text: str | None) -> tuple[str, ...]:
    return tuple(name.strip() for name in (text or "").split(",") if name.strip())


def parse(argv: Sequence[str] | None = None) -> Plan:
    """The sections to run, with the sections they need, and their options; Usage if it cannot run."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=(__doc__ or "").splitlines()[0])
    add = parser.add_argument
    add("--quick", action="store_true", help="small suites, one round: checks the harness")
    add("--rounds", type=int, help="rounds of each section (default: each section's own)")
    add("--only", help=f"sections to run, from {', '.join(SECTIONS.names)} (default: all)")
    add("--suites", help=f"suites to run on, from {', '.join(atscale.SUITES)} (default: all)")
    add("--keep", action="store_true", help="keep the temporary folder and say where it is")
    add("--list", action="store_true", help="list the sections and what each measures")
    args = parser.parse_args(argv)
    if args.rounds is not None and args.rounds < 1:
        raise Usage(f"--rounds {args.rounds}: give at least 1")
    if unknown := [s for s in _names(args.suites) if s not in atscale.SUITES]:
        raise Usage(f"unknown suite(s) {', '.join(unknown)}: choose from {', '.join(atscale.SUITES)}")
    try:
        sections = SECTIONS.resolve(_names(args.only) or SECTIONS.names)
    except UnknownSection as exc:
        raise Usage(str(exc)) from None
    options = Options(args.quick, args.rounds, _names(args.suites), args.keep)
    return Plan(sections, options, args.list)


def caption(repo: Path) -> str:
    """The machine, the tree measured and the load: timings mean little without them."""
    proc = "\n".join(Path(f"/proc/{name}").read_text() for name in ("cpuinfo", "meminfo")).splitlines()
    info = {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in proc)}
    memory = int(info["MemTotal"].split()[0]) / 1024**2
    head = procs.run(["git", "rev-parse", "--short", "HEAD"], repo).strip()
    changed = len(procs.run(["git", "status", "--porcelain"], repo).splitlines())
    return (
        f"- CPU: {info['model name']}, {os.cpu_count()} cores, {memory:.1f} GiB; {platform.platform()}\n"
        f"- harness: Python {platform.python_version()}; tree {head} + {changed} uncommitted path(s)\n"
        f"- load average (1/5/15 min) at start: {load()}"
    )


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(plan: Plan, repo: Path) -> int:
    """Each section in turn, given the results it needs; a failed command costs its section, not the rest."""
    work = tempdir.neutral_folder()
    _log(f"working in {work}" + (", kept after the run" if plan.options.keep else ""))
    started = time.perf_counter()
    results: dict[str, Result] = {}
    try:
        # The pipeline tests' one-commit copy of tracked and untracked files: uncommitted work is measured.
        snapshot = worktree.snapshot(repo, work / "snapshot", "benchmark snapshot of the working tree")
        print(f"## Machine\n\n{caption(repo)}\n", flush=True)
        for section in plan.sections:
            if missing := [n for n in section.needs if n not in results]:
                _log(f"{section.name}: not run, because {', '.join(missing)} failed")
                continue
            _log(f"{section.name}: {section.measures}")
            begun = time.perf_counter()
            inputs = {name: results[name] for name in section.needs}
            try:
                results[section.name] = section.run(
                    Context(snapshot, work / section.name, plan.options, _log, inputs)
                )
            except procs.CommandFailed as exc:
                _log(f"{section.name}: a command failed, so no table:\n{exc}")
                continue
            print(results[section.name].render() + "\n", flush=True)
            took = (time.perf_counter() - begun) / 60
            print(f"({section.name}: {took:.1f} min; load average then {load()})\n", flush=True)
    finally:
        if not plan.options.keep:
            tempdir.remove(work)
    print(f"Finished in {(time.perf_counter() - started) / 60:.1f} min; load average at end {load()}.")
    for goal in (goal for result in results.values() for goal in result.goals()):
        print(f"- {goal.name}: {({True: 'met', False: 'NOT MET', None: 'not judged'})[goal.met]}")
    return 0 if len(results) == len(plan.sections) else 1


def main(argv: Sequence[str] | None = None) -> int:
    repo = Path.cwd()
    try:
        plan = parse(argv)
        if not (repo / "tox.ini").exists() or not (repo / "tools" / "covthemes").is_dir():
            raise Usage("run from the repository root: `tox -e bench`")
        tool.load(repo)  # a broken [tool.covthemes] fails here, before any copy
    except (Usage, tool.CovthemesError) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    if plan.list_only:
        print("\n".join(f"{s.name}: {s.measures}" for s in plan.sections))
        return 0
    return run(plan, repo)


if __name__ == "__main__":
    sys.exit(main())
