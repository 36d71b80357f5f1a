"""The theme summary: per-theme numbers, lines only one theme covers, lines none covers.

Everything here comes from coverage.py's Python API: the per-theme reports
built from each theme's own data (`Coverage.json_report`), statement analysis
of the merged data (`Coverage.analysis2`) and its line contexts
(`CoverageData.contexts_by_lineno`). `covthemes.publish` writes the results as
`themes.json`, `lines.json` and `summary.md`.

A context is `<theme>` for lines run at import time and
`<theme>|<test node id>|<phase>` for lines run by a test, so the theme of a
context is the text before its first `|`.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from coverage import Coverage

NUMBER_FIELDS = ("num_statements", "covered_lines", "num_branches", "covered_branches")


def theme_of(context: str) -> str:
    return context.split("|", 1)[0]


def anchored_pattern(theme: str) -> str:
    """The `--contexts` regex selecting exactly one theme's contexts.

    Coverage matches these with `re.search`, so an unanchored `security`
    would also select a theme named `insecurity`.
    """
    return rf"^{theme}(\||$)"


def package_of(path: str, packages: dict[str, str]) -> str:
    for name, prefix in packages.items():
        if path == prefix or path.startswith(prefix + "/"):
            return name
    return "other"


def packages_from_sources(sources: list[str]) -> dict[str, str]:
    """`apps/api` -> `api`: each measured folder is reported under its last name."""
    return {Path(src).name: Path(src).as_posix().strip("/") for src in sources}


def percent(numbers: dict) -> float:
    # The same formula as coverage's JSON `percent_covered` with branch coverage.
    total = numbers["num_statements"] + numbers["num_branches"]
    covered = numbers["covered_lines"] + numbers["covered_branches"]
    return 100.0 * covered / total if total else 100.0


def finish(numbers: dict) -> dict:
    return {**numbers, "percent_covered": round(percent(numbers), 2)}


def empty_numbers() -> dict:
    return dict.fromkeys(NUMBER_FIELDS, 0)


def scope_files(merged_report: dict) -> dict[str, dict]:
    """Every file in the merged report with its statement and branch counts.

    The merged report is the denominator for every theme: a file a theme never
    imported still counts, with nothing covered.
    """
    return {
        path: {
            "num_statements": entry["summary"]["num_statements"],
            "num_branches": entry["summary"].get("num_branches", 0),
        }
        for path, entry in merged_report["files"].items()
    }


def theme_numbers(theme_report: dict, scope: dict[str, dict], packages: dict[str, str]) -> dict:
    """Totals and per-package numbers of one theme, over the shared scope."""
    per_package = {name: empty_numbers() for name in packages}
    total = empty_numbers()
    for path, sizes in scope.items():
        summary = theme_report["files"].get(path, {}).get("summary", {})
        row = {
            "num_statements": sizes["num_statements"],
            "num_branches": sizes["num_branches"],
            "covered_lines": summary.get("covered_lines", 0),
            "covered_branches": summary.get("covered_branches", 0),
        }
        bucket = per_package.setdefault(package_of(path, packages), empty_numbers())
        for field in NUMBER_FIELDS:
            bucket[field] += row[field]
            total[field] += row[field]
    return {
        "total": finish(total),
        "packages": {name: finish(numbers) for name, numbers in per_package.items()},
    }


def line_themes(merged: Coverage, themes: tuple[str, ...]) -> dict[str, dict[int, set[str]]]:
    """For each measured file, the themes whose contexts executed each line."""
    data = merged.get_data()
    data.set_query_contexts(None)
    result: dict[str, dict[int, set[str]]] = {}
    for filename in data.measured_files():
        by_line = data.contexts_by_lineno(filename)
        result[filename] = {
            line: {theme_of(c) for c in contexts} & set(themes)
            for line, contexts in by_line.items()
        }
    return result


def unique_and_uncovered(
    merged: Coverage, merged_report: dict, themes: tuple[str, ...]
) -> tuple[dict[str, dict[str, list[int]]], dict[str, list[int]]]:
    """Statements only one theme executed (by theme), and statements none executed."""
    by_relative = {}
    for filename, lines in line_themes(merged, themes).items():
        by_relative[_relative(filename)] = lines
    unique: dict[str, dict[str, list[int]]] = {theme: {} for theme in themes}
    uncovered: dict[str, list[int]] = {}
    for path in merged_report["files"]:
        _, statements, _, missing, _ = merged.analysis2(path)
        statements = set(statements)
        lines = by_relative.get(path, {})
        for theme in themes:
            only = sorted(
                line for line in statements if lines.get(line) == {theme}
            )
            if only:
                unique[theme][path] = only
        if missing:
            uncovered[path] = sorted(missing)
    return unique, uncovered


def _relative(filename: str) -> str:
    path = Path(filename)
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def count_by_package(listing: dict[str, list[int]], packages: dict[str, str]) -> dict:
    counts = dict.fromkeys(packages, 0)
    for path, lines in listing.items():
        name = package_of(path, packages)
        counts[name] = counts.get(name, 0) + len(lines)
    return {"total": sum(counts.values()), "packages": counts}


def markdown(summary: dict) -> str:
    """`summary.md`: the theme table a person reads at a glance."""
    themes = summary["themes"]
    packages = list(summary["total"]["packages"])
    lines = [
        "# Themed coverage",
        "",
        f"Revision `{summary['revision']['git'] or 'no git'}`, "
        f"source hash `{summary['revision']['source_hash'][:12]}`, "
        f"published {summary['generated']}.",
        "",
        "| Theme | Status | Tests | Lines | Branches | Cover | Only this theme | Threshold |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, theme in themes.items():
        total = theme["total"]
        lines.append(
            f"| {name} | {theme['status']} | {theme['tests']} "
            f"| {total['covered_lines']}/{total['num_statements']} "
            f"| {total['covered_branches']}/{total['num_branches']} "
            f"| {total['percent_covered']:.1f}% | {theme['unique_lines']['total']} "
            f"| {_threshold_cell(theme['threshold'])} |"
        )
    merged = summary["total"]["total"]
    lines.append(
        f"| **all themes** | {summary['status']} | {sum(t['tests'] for t in themes.values())} "
        f"| {merged['covered_lines']}/{merged['num_statements']} "
        f"| {merged['covered_branches']}/{merged['num_branches']} "
        f"| {merged['percent_covered']:.1f}% | | {_threshold_cell(summary['threshold'])} |"
    )
    lines += [
        "",
        "## By package (cover %)",
        "",
        "| Theme | " + " | ".join(packages) + " |",
        "|---|" + "---:|" * len(packages),
    ]
    for name, theme in themes.items():
        cells = [f"{theme['packages'][p]['percent_covered']:.1f}%" for p in packages]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    cells = [f"{summary['total']['packages'][p]['percent_covered']:.1f}%" for p in packages]
    lines.append("| **all themes** | " + " | ".join(cells) + " |")
    uncovered = summary["uncovered_lines"]
    lines += [
        "",
        f"**No theme covers {uncovered['total']} statement(s)**: "
        + ", ".join(f"{p} {n}" for p, n in uncovered["packages"].items())
        + ".",
        "",
        "*Only this theme* counts statements whose contexts carry that theme and no other:",
        "the code that would lose all coverage if that suite were dropped.",
        "File and line listings of both are in `coverage/lines.json`.",
        "Thresholds come from `[covthemes:thresholds]` in `.coveragerc`; they are enforced",
        "only with `--enforce-thresholds` or `COVTHEMES_ENFORCE_THRESHOLDS=1`.",
        "",
    ]
    return "\n".join(lines)


def _threshold_cell(threshold: dict | None) -> str:
    if not threshold:
        return "none"
    mark = "met" if threshold["met"] else "**missed**"
    return f"{threshold['min_percent']:g}% {mark}"


def totals_from_report(report: dict, packages: dict[str, str]) -> dict:
    scope = scope_files(report)
    return theme_numbers(report, scope, packages)


def merge_counts(listings: dict[str, dict[str, list[int]]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for theme, files in listings.items():
        counts[theme] = sum(len(v) for v in files.values())
    return dict(counts)
