"""Merge the themes' data and publish the report into `coverage/`, all or nothing.

Steps, each of which can fail without touching the published report:

1. check: every theme has data and a provenance sidecar, its run finished, its
   data file is readable coverage data, and all themes come from the revision
   checked out here (unless mixing is allowed);
2. stage: combine the theme files (keeping them) and build every output in
   `coverage/.staging-<pid>/`, the independent reports in parallel: HTML and
   JSON of the merged data, JSON, LCOV and Cobertura XML of each theme from
   its own data, and the theme summary;
3. swap: move the staged outputs into `coverage/`, journaled in
   `coverage/.swap/` so that a publish killed midway is rolled back by the
   next one;
4. judge: exit non-zero when a theme's tests failed or, when asked, a threshold
   was missed. This comes after the swap, so the report always exists.

Reports are made through the API (`Coverage.load`/`combine` and the
`*_report` methods): the command-line report commands combine and delete every
`.coverage.*` file next to their data file, which would eat the theme data.
The themed runs that produce the inputs live in `covthemes.runner`.
"""

from __future__ import annotations

import configparser
import ctypes
import ctypes.util
import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

from coverage import Coverage, CoverageData
from coverage.exceptions import CoverageException

from covthemes import (
    CONFIG_FILE,
    COVERAGE_DIR,
    THEMES,
    UsageError,
    data_file,
    provenance,
    provenance_file,
    rerun_command,
)
from covthemes import summary as summarize

OUTPUTS = ("html", "baseline.json", "themes", "themes.json", "lines.json", "summary.md")
STAGING = COVERAGE_DIR / ".staging"
SWAP = COVERAGE_DIR / ".swap"
JOURNAL = "journal.json"

# Test hook: COVTHEMES_FAULT=<step> makes that publish step fail, so tests can
# prove a failure at any step leaves the published report as it was. `swap`
# kills the process halfway through the swap instead.
PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>

FAULT_STEPS = ("check", "combine", "html", "json", "themes", "summary", "swap")


class PublishRefused(UsageError):
    """The inputs are not fit to publish; each problem names its fix."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _fault(step: str) -> None:
    if os.environ.get("COVTHEMES_FAULT") == step:
        if step == "swap":
            os.kill(os.getpid(), signal.SIGKILL)
        raise RuntimeError(f"injected failure at publish step {step!r} (COVTHEMES_FAULT)")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


# -- 1. check ---------------------------------------------------------------


def check_inputs(root: Path, *, allow_mixed_revisions: bool) -> dict[str, dict]:
    """Return each theme's provenance, or refuse with every problem found."""
    problems: list[str] = []
    records: dict[str, dict] = {}
    for theme in THEMES:
        data = root / data_file(theme)
        fix = f"run `{rerun_command(theme)}`"
        try:
            record = provenance.read(root, theme)
        except ValueError as exc:
            problems.append(f"theme {theme!r}: {exc}: {fix}")
            continue
        if not data.exists():
            problems.append(f"missing coverage data for theme {theme!r} ({data_file(theme)}): {fix} first")
            continue
        if record is None:
            problems.append(
                f"theme {theme!r}: {data_file(theme)} has no provenance record "
                f"({provenance_file(theme)}), so its origin is unknown: {fix}"
            )
            continue
        if record.get("status") == "no-tests":
            problems.append(
                f"theme {theme!r} selected no tests in its last run; "
                f"{fix} without a selection that excludes every test"
            )
            continue
        if record.get("status") not in ("passed", "failed"):
            problems.append(
                f"theme {theme!r} did not finish its last run "
                f"(pytest exit {record.get('pytest_exit_code')}): {fix}"
            )
            continue
        problem = _unreadable(data)
        if problem:
            problems.append(f"{data_file(theme)} is not usable coverage data ({problem}): {fix}")
            continue
        if record.get("data_sha256") not in (None, provenance.file_sha256(data)):
            problems.append(
                f"{data_file(theme)} was changed after its run recorded it in "
                f"{provenance_file(theme)}: {fix}"
            )
            continue
        records[theme] = record

    if not problems and not allow_mixed_revisions:
        problems += _revision_problems(root, records)
    if problems:
        raise PublishRefused(problems)
    _fault("check")
    return records


def _unreadable(path: Path) -> str | None:
    data = CoverageData(basename=str(path), no_disk=False)
    try:
        data.read()
        data.measured_files()
        if not data.has_arcs():
            return "it has no branch data; `.coveragerc` measures branches"
    except (CoverageException, sqlite3.Error) as exc:
        return str(exc).splitlines()[0]
    finally:
        data.close()
    return None


def _revision_problems(root: Path, records: dict[str, dict]) -> list[str]:
    current = provenance.source_hash(root)
    stale = [theme for theme, record in records.items() if record.get("source_hash") != current]
    if not stale:
        return []
    lines = []
    for theme in stale:
        record = records[theme]
        lines.append(
            f"theme {theme!r} was measured on another revision "
            f"(git {(record.get('git_revision') or 'none')[:12]}, source "
            f"{str(record.get('source_hash'))[:12]}; this checkout has source "
            f"{current[:12]}): run `{rerun_command(theme)}`"
        )
    lines.append(
        "to publish data from different revisions anyway, pass "
        "--allow-mixed-revisions (or set COVTHEMES_ALLOW_MIXED_REVISIONS=1)"
    )
    return lines


# -- 2. stage ---------------------------------------------------------------


def _coverage(root: Path, data: Path) -> Coverage:
    return Coverage(data_file=str(data), config_file=str(root / CONFIG_FILE))


def _die_with_parent() -> None:
    """Worker initializer: on Linux, end this worker when the publish process dies.

    Without it, a publish killed mid-way leaves workers writing into a staging
    folder for a few more seconds, after the next publish cleared it.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass  # only tidiness is lost: stale staging folders are cleared later


def _report(root: str, staging: str, kind: str, theme: str | None) -> None:
    """One independent report, run in a worker process (see `stage`)."""
    root_path, staged = Path(root), Path(staging)
    _fault(kind)
    if kind == "html":
        merged = _coverage(root_path, staged / "data" / "merged")
        merged.load()
        merged.html_report(directory=str(staged / "html"))
    else:
        own = _coverage(root_path, staged / "data" / theme)
        own.load()
        # Without contexts: they are all this theme's, and baseline.json has them.
        own.json_report(outfile=str(staged / "themes" / f"{theme}.json"), show_contexts=False)
        own.lcov_report(outfile=str(staged / "themes" / f"{theme}.lcov"))
        # Cobertura names files relative to their `source` folder, so
        # apps/api/__init__.py and apps/auth_service/__init__.py would collide
        # and one would be dropped; relative to the root, every name is unique.
        rooted = Coverage(
            data_file=str(staged / "data" / theme),
            config_file=str(root_path / CONFIG_FILE),
            source=["."],
        )
        rooted.load()
        rooted.xml_report(outfile=str(staged / "themes" / f"{theme}.xml"))


def _write_baseline(merged: Coverage, report: dict, path: Path) -> None:
    """Write baseline.json: `report`, made without contexts, plus each file's contexts.

    coverage 7.17's own JSON report with contexts repeats a file's whole
    line-to-contexts map in every function and class region of that file:
    94% of this project's 113 MB report, and most of the publish time at
    scale (coverage.py PR #2135 proposes dropping them). Here each file's map
    is written once, where `json_report` puts it; the regions carry what a
    report without contexts gives them. `[json] show_contexts` in
    `.coveragerc` still decides whether contexts are written at all.
    """
    baseline = report
    if merged.get_option("json:show_contexts"):
        data = merged.get_data()
        measured = set(data.measured_files())
        files = {}
        for name, entry in report["files"].items():
            if name not in measured:
                raise RuntimeError(
                    f"JSON report names {name!r}, which is not a measured file: "
                    "baseline.json needs `relative_files = True` in .coveragerc"
                )
            files[name] = {}
            for key, value in entry.items():
                files[name][key] = value
                if key == "excluded_lines":
                    files[name]["contexts"] = data.contexts_by_lineno(name)
        baseline = {**report, "meta": {**report["meta"], "show_contexts": True}, "files": files}
    with path.open("w") as out:
        json.dump(baseline, out, indent=4 if merged.get_option("json:pretty_print") else None)


def stage(root: Path, records: dict[str, dict]) -> dict:
    # A fresh folder per run: workers orphaned by a killed publish may still be
    # writing into theirs, so old folders are only ever deleted, never reused.
    for stale in (root / COVERAGE_DIR).glob(f"{STAGING.name}*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = root / COVERAGE_DIR / f"{STAGING.name}-{os.getpid()}"
    (staging / "data").mkdir(parents=True)
    (staging / "themes").mkdir()

    _fault("combine")
    # keep=True everywhere: the theme files are inputs, never consumed.
    merged = _coverage(root, staging / "data" / "merged")
    merged.combine([str(root / data_file(t)) for t in THEMES], strict=True, keep=True)
    merged.load()
    for theme in THEMES:
        own = _coverage(root, staging / "data" / theme)
        own.combine([str(root / data_file(theme))], strict=True, keep=True)

    # The reports are independent and CPU-bound: worker processes spread them
    # over the cores (docs/performance.md has the measured gain).
    jobs = [("html", None), *(("themes", theme) for theme in THEMES)]
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_die_with_parent) as pool:
        pending = [pool.submit(_report, str(root), str(staging), kind, theme) for kind, theme in jobs]
        # Meanwhile, here: the merged JSON report, which both the summary and
        # baseline.json start from.
        merged.json_report(outfile=str(staging / "data" / "merged.json"), show_contexts=False)
        merged_report = json.loads((staging / "data" / "merged.json").read_text())
        _fault("json")
        _write_baseline(merged, merged_report, staging / "baseline.json")
        for future in pending:
            future.result()

    _fault("summary")
    theme_reports = {
        theme: json.loads((staging / "themes" / f"{theme}.json").read_text()) for theme in THEMES
    }
    result = build_summary(root, merged, merged_report, theme_reports, records)
    (staging / "themes.json").write_text(json.dumps(result["summary"], indent=2) + "\n")
    (staging / "lines.json").write_text(json.dumps(result["lines"], indent=1) + "\n")
    (staging / "summary.md").write_text(summarize.markdown(result["summary"]))
    shutil.rmtree(staging / "data")
    return {"summary": result["summary"], "staging": staging}


def thresholds(root: Path) -> dict[str, float]:
    parser = configparser.ConfigParser()
    parser.read(root / CONFIG_FILE)
    section = "covthemes:thresholds"
    if not parser.has_section(section):
        return {}
    values = {}
    for key, value in parser.items(section):
        if key not in (*THEMES, "total"):
            raise UsageError(
                f"[{section}] in {CONFIG_FILE} names {key!r}, which is not a theme: "
                f"use one of {', '.join((*THEMES, 'total'))}"
            )
        try:
            values[key] = float(value)
        except ValueError:
            raise UsageError(f"[{section}] {key} = {value!r} in {CONFIG_FILE} is not a number") from None
    return values


def _threshold(minimum: float | None, numbers: dict) -> dict | None:
    if minimum is None:
        return None
    return {"min_percent": minimum, "met": numbers["percent_covered"] >= minimum}


def build_summary(root, merged, merged_report, theme_reports, records) -> dict:
    packages = summarize.packages_from_sources(merged.get_option("run:source") or [])
    scope = summarize.scope_files(merged_report)
    unique, uncovered = summarize.unique_and_uncovered(merged, merged_report, THEMES)
    minimums = thresholds(root)
    themes = {}
    for theme in THEMES:
        record = records[theme]
        numbers = summarize.theme_numbers(theme_reports[theme], scope, packages)
        themes[theme] = {
            "status": record["status"],
            "tests": record.get("tests", 0),
            "outcomes": record.get("outcomes", {}),
            "python": record.get("python"),
            "git_revision": record.get("git_revision"),
            "source_hash": record.get("source_hash"),
            "started": record.get("started"),
            "ended": record.get("ended"),
            **numbers,
            "unique_lines": summarize.count_by_package(unique[theme], packages),
            "threshold": _threshold(minimums.get(theme), numbers["total"]),
        }
    total = summarize.theme_numbers(merged_report, scope, packages)
    failed = [t for t, v in themes.items() if v["status"] != "passed"]
    summary = {
        "format": 1,
        "generated": _now(),
        "status": "failed" if failed else "passed",
        "revision": {
            "git": provenance.git_revision(root),
            "source_hash": provenance.source_hash(root),
        },
        "themes": themes,
        "total": total,
        "threshold": _threshold(minimums.get("total"), total["total"]),
        "uncovered_lines": summarize.count_by_package(uncovered, packages),
        "lines_file": "lines.json",
    }
    lines = {"format": 1, "unique_lines": unique, "uncovered_lines": uncovered}
    return {"summary": summary, "lines": lines}


# -- 3. swap ----------------------------------------------------------------


def recover(root: Path) -> bool:
    """Roll back a swap that a killed publish left halfway; True when one was found."""
    swap = root / SWAP
    if not swap.exists():
        return False
    journal_path = swap / JOURNAL
    journal = json.loads(journal_path.read_text()) if journal_path.exists() else {}
    if not journal.get("complete"):
        for name in OUTPUTS:
            target = root / COVERAGE_DIR / name
            if name in journal.get("moved_in", []):
                _remove(target)
            saved = swap / name
            if saved.exists():
                _remove(target)
                saved.rename(target)
    shutil.rmtree(swap)
    return True


def swap_in(root: Path, staging: Path) -> None:
    swap, published = root / SWAP, root / COVERAGE_DIR
    swap.mkdir()
    journal = {"complete": False, "moved_in": []}
    for index, name in enumerate(OUTPUTS):
        if (published / name).exists():
            (published / name).rename(swap / name)
        journal["moved_in"].append(name)
        _write_json(swap / JOURNAL, journal)
        (staging / name).rename(published / name)
        if index == len(OUTPUTS) // 2:
            _fault("swap")
    journal["complete"] = True
    _write_json(swap / JOURNAL, journal)
    shutil.rmtree(swap)
    shutil.rmtree(staging)


def _write_json(path: Path, value: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(value))
    tmp.replace(path)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


# -- 4. judge ---------------------------------------------------------------


def verdict(summary: dict, *, enforce_thresholds: bool) -> list[str]:
    """Reasons to exit non-zero once the report is published."""
    reasons = [
        f"theme {theme!r} has failing tests (its report is published, marked failed): "
        f"fix them and run `{rerun_command(theme)}` then `tox -e cov-combine`"
        for theme, values in summary["themes"].items()
        if values["status"] != "passed"
    ]
    if enforce_thresholds:
        checks = [(t, v["threshold"], v["total"]) for t, v in summary["themes"].items()]
        checks.append(("all themes", summary["threshold"], summary["total"]["total"]))
        for name, threshold, numbers in checks:
            if threshold and not threshold["met"]:
                reasons.append(
                    f"{name} covers {numbers['percent_covered']:.1f}%, below its "
                    f"threshold of {threshold['min_percent']:g}% in [covthemes:thresholds]"
                )
    return reasons


def publish(root: Path, *, allow_mixed_revisions: bool, enforce_thresholds: bool) -> tuple[dict, list[str]]:
    if recover(root):
        print("covthemes: rolled back a publish that was interrupted during its swap")
    records = check_inputs(root, allow_mixed_revisions=allow_mixed_revisions)
    try:
        staged = stage(root, records)
    except BaseException:
        for folder in (root / COVERAGE_DIR).glob(f"{STAGING.name}*"):
            shutil.rmtree(folder, ignore_errors=True)
        raise
    swap_in(root, staged["staging"])
    summary = staged["summary"]
    return summary, verdict(summary, enforce_thresholds=enforce_thresholds)
