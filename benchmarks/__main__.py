"""`python -m benchmarks`: run the sections asked for, and print each one's tables (`tox -e bench`).

    tox -e bench                           every section, about 40 minutes on 2 cores
    tox -e bench -- --quick                small suites, one round: checks the harness in a few minutes
    tox -e bench -- --only publish         a section, and the sections it needs
    tox -e bench -- --suites networkx      one of the suites
    tox -e bench -- --list                 the sections and what each measures

Everything runs in a temporary folder, on a snapshot of this working tree
(`benchmarks.clones`); nothing here writes to the working tree. Progress
goes to stderr, tables to stdout; `--json FILE` also saves every sample.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import atscale, clones, procs, publish, tool
from benchmarks.machine import Machine, load
from benchmarks.sections import SECTIONS, Context, Options, Result, Section, UnknownSection

# The modules whose import registers a section, in the order they run.
REGISTERED = (atscale, publish)


class Usage(ValueError):
    """A command line the harness cannot run: the message says why."""


@dataclass(frozen=True)
class Plan:
    sections: list[Section]
    options: Options
    json_file: Path | None = None
    list_only: bool = False  # --list: print the sections, run nothing


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


def parse(argv: Sequence[str] | None = None) -> Plan:
    """The sections to run, with the sections they need, and their options; Usage if it cannot run."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small suites, one round: checks the harness")
    parser.add_argument("--rounds", type=int, help="rounds of each section (default: each section's own)")
    parser.add_argument("--only", help=f"sections to run, from {', '.join(SECTIONS.names)} (default: all)")
    parser.add_argument(
        "--suites", default="", help=f"suites, from {', '.join(atscale.SUITES)} (default: all)"
    )
    parser.add_argument("--json", type=Path, help="write every sample to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and say where it is")
    parser.add_argument("--list", action="store_true", help="list the sections and what each measures")
    args = parser.parse_args(argv)
    if args.rounds is not None and args.rounds < 1:
        raise Usage(f"--rounds {args.rounds}: give at least 1")
    suites = _names(args.suites)
    if unknown := [s for s in suites if s not in atscale.SUITES]:
        raise Usage(f"unknown suite(s) {', '.join(unknown)}: choose from {', '.join(atscale.SUITES)}")
    try:
        sections = SECTIONS.resolve(_names(args.only) if args.only else SECTIONS.names)
    except UnknownSection as exc:
        raise Usage(str(exc)) from None
    return Plan(sections, Options(args.quick, args.rounds, suites, args.keep), args.json, args.list)


def _samples(result: object) -> object:
    """A section's result as JSON: its dataclass's fields, every sample included."""
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return dataclasses.asdict(result)
    return repr(result)


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(plan: Plan, repo: Path) -> int:
    work = clones.neutral_folder()
    started = time.perf_counter()
    results: dict[str, Result] = {}
    failed: list[str] = []
    try:
        snapshot = clones.snapshot(repo, work / "snapshot")
        machine = Machine.describe(clones.describe(repo))
        print("## Machine\n\n" + machine.render() + "\n", flush=True)
        for section in plan.sections:
            if missing := [n for n in section.needs if n not in results]:
                failed.append(section.name)
                print(
                    f"bench: {section.name}: not run, because {', '.join(missing)} failed\n", file=sys.stderr
                )
                continue
            _log(f"{section.name}: {section.measures}")
            begun = time.perf_counter()
            inputs = {name: results[name] for name in section.needs}
            context = Context(snapshot, work / section.name, plan.options, _log, inputs)
            try:
                results[section.name] = section.run(context)
            except procs.CommandFailed as exc:
                failed.append(section.name)
                print(f"bench: {section.name}: a command failed, so no table:\n{exc}\n", file=sys.stderr)
                continue
            took = (time.perf_counter() - begun) / 60
            print(results[section.name].render() + "\n", flush=True)
            print(f"({section.name}: {took:.1f} min; load average then {load()})\n", flush=True)
    finally:
        if plan.options.keep:
            _log(f"kept {work}")
        else:
            clones.remove(work)
    print(f"Finished in {(time.perf_counter() - started) / 60:.1f} min; load average at end {load()}.")
    for result in results.values():
        for goal in result.goals():
            print(f"- {goal.name}: {({True: 'met', False: 'NOT MET', None: 'not judged'})[goal.met]}")
    if plan.json_file:
        samples = {name: _samples(result) for name, result in results.items()}
        plan.json_file.write_text(json.dumps(samples, indent=1, default=str) + "\n")
        _log(f"samples written to {plan.json_file}")
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        plan = parse(argv)
    except Usage as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    if plan.list_only:
        print("\n".join(f"{s.name}: {s.measures}" for s in plan.sections))
        return 0
    repo = Path.cwd()
    if not (repo / "tox.ini").exists() or not (repo / "tools" / "covthemes").is_dir():
        print("bench: run from the repository root: `tox -e bench`", file=sys.stderr)
        return 2
    try:
        tool.load(repo)  # a broken [tool.covthemes] fails here, before any copy
    except tool.CovthemesError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    return run(plan, repo)


if __name__ == "__main__":
    sys.exit(main())
