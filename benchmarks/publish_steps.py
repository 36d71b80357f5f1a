"""Time the real `covthemes.publish.pipeline.publish()` and its steps, in a child process.

    python -m benchmarks.publish_steps OUT.json [--baseline-contexts tests|themes]
        (cwd: a project with theme data)

It runs the publish code unchanged, with the settings of the project's
`[tool.covthemes]` (`covthemes.settings.config.load`; `--baseline-contexts` overrides
that one key, as the project's `baseline-contexts` would), and reads the clock through
the publish's public step callback: `on_step(name)` is called as each of
`covthemes.publish.steps.STEPS` begins, then with "done" once the report is in
place. Each step runs from its mark to the next one, so the steps sum to the
total; before "check" the publish takes its lock (and rolls back an
interrupted swap), after "done" it judges the result. "html" and "themes"
start coverage's HTML and the per-theme reports in worker processes, "json"
writes the merged JSON and baseline.json meanwhile, "workers" waits for
them; then each writer (the themed pages, themes.json, lines.json,
summary.md, index.html, the badges) is a step of its own. Sizes of what was
published come last; P4 (`benchmarks.pages`) weighs the themed pages itself. The record also holds
the peak resident memory of the publish process and of its largest report
worker, and, when the publish refuses the data, its problems instead of a
traceback (the command then exits 2, as `covthemes publish` does).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import resource
import sys
import time
from pathlib import Path

FIRST = "lock"  # the interval before the first step: the publish lock, and any rollback
LAST = "verdict"  # the interval after "done": judging the published result
# Every published artifact, each weighed on its own (P6's table).
ARTIFACTS = ("themes.json", "lines.json", "baseline.json", "html", "files", "themes", "index.html")


def tree_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def theme_data_size(root: Path, settings) -> int:
    """Every theme's data: its one file, or its shards' files."""
    from covthemes.settings import shards

    total = 0
    for theme in settings.themes:
        found = shards.found(root / settings.layout.data, theme) or [None]
        total += sum(tree_size(root / settings.data_file(theme, shard)) for shard in found)
    return total


def main(out: str, baseline_contexts: str | None = None) -> int:
    from covthemes.errors import PublishRefused
    from covthemes.publish.pipeline import publish
    from covthemes.settings import config

    root = Path.cwd()
    settings = config.load(root)
    if baseline_contexts:
        settings = dataclasses.replace(settings, baseline_contexts=baseline_contexts)
    marks: list[tuple[str, float]] = []

    def on_step(name: str) -> None:
        marks.append((LAST if name == "done" else name, time.perf_counter()))

    started = time.perf_counter()
    try:
        publish(settings, allow_mixed_revisions=False, enforce_thresholds=False, on_step=on_step)
    except PublishRefused as refused:
        Path(out).write_text(json.dumps({"refused": list(refused.problems), "steps": {}, "sizes": {}}))
        return 2
    ended = time.perf_counter()

    points = [(FIRST, started), *marks, ("end", ended)]
    steps: dict[str, float] = {}
    for (name, begin), (_, finish) in itertools.pairwise(points):
        steps[name] = steps.get(name, 0.0) + finish - begin
    output = root / settings.output
    sizes = {
        "theme data": theme_data_size(root, settings),
        "html": tree_size(output / "html"),
        "baseline.json": tree_size(output / "baseline.json"),
        "themes/": tree_size(output / "themes"),
        "summary (themes.json, lines.json, summary.md)": sum(
            tree_size(output / n) for n in ("themes.json", "lines.json", "summary.md")
        ),
    }
    sizes.update({name: tree_size(output / name) for name in ARTIFACTS})
    peak_kib = {
        "publish process": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "largest report worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }
    record = {
        "total": ended - started,
        "steps": steps,
        "sizes": sizes,
        "peak_kib": peak_kib,
        "baseline_contexts": settings.baseline_contexts,
    }
    Path(out).write_text(json.dumps(record))
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.publish_steps")
    parser.add_argument("out")
    parser.add_argument("--baseline-contexts", choices=("tests", "themes"))
    args = parser.parse_args()
    sys.exit(main(args.out, args.baseline_contexts))
