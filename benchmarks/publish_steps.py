"""Time the real `covthemes.publish.publish()` and its steps, in a child process.

    python -m benchmarks.publish_steps OUT.json     (cwd: a project with theme data)

It runs the publish code unchanged and reads the clock where that code
already marks its steps: covthemes calls its fault-injection hook
`_fault(step)` as each step starts, then `swap_in()`. Wrapping those two
functions in this process gives the step boundaries without copying any
publish logic here. Steps run in worker processes (the reports, since
covthemes builds them in parallel) mark only their own process, so their time
falls into the step that started them: the table names each interval after
the mark that opened it. If covthemes renames the hooks, only the total is
reported. Sizes of what was published come last.
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from pathlib import Path


def _tree_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def main(out: str) -> int:
    from covthemes import THEMES, data_file
    from covthemes import publish as pub

    root = Path.cwd()
    marks: list[tuple[str, float]] = []
    if hasattr(pub, "_fault") and hasattr(pub, "swap_in"):
        fault, swap_in = pub._fault, pub.swap_in

        def timed_fault(step: str) -> None:
            # `check` fires as the check ends, and `swap` halfway through the
            # swap: neither opens a step.
            if step not in ("check", "swap"):
                marks.append((step, time.perf_counter()))
            fault(step)

        def timed_swap_in(*args, **kwargs) -> None:
            marks.append(("swap", time.perf_counter()))
            swap_in(*args, **kwargs)

        pub._fault, pub.swap_in = timed_fault, timed_swap_in

    started = time.perf_counter()
    pub.publish(root, allow_mixed_revisions=False, enforce_thresholds=False)
    ended = time.perf_counter()

    # Each step runs from its mark to the next one, so the steps sum to the total.
    points = [("check", started), *marks, ("end", ended)]
    steps: dict[str, float] = {}
    for (name, begin), (_, finish) in itertools.pairwise(points):
        steps[name] = steps.get(name, 0.0) + finish - begin
    coverage_dir = root / "coverage"
    sizes = {
        "theme data": sum(_tree_size(root / data_file(t)) for t in THEMES),
        "html": _tree_size(coverage_dir / "html"),
        "baseline.json": _tree_size(coverage_dir / "baseline.json"),
        "themes/": _tree_size(coverage_dir / "themes"),
        "summary (themes.json, lines.json, summary.md)": sum(
            _tree_size(coverage_dir / n) for n in ("themes.json", "lines.json", "summary.md")
        ),
    }
    Path(out).write_text(json.dumps({"total": ended - started, "steps": steps, "sizes": sizes}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
