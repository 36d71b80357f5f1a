"""Synthetic projects for P3: N tests with per-test contexts over N/20 modules.

A project mirrors the real monorepo's shape at any size:

- three measured packages (`syn_alpha`, `syn_beta`, `syn_gamma`), one module
  per 20 tests (the real suite has about 17 tests per measured file), each
  module 8 functions of 9 statements with branches and a loop;
- a `core` module every test runs, like the app factory and middleware every
  API test goes through: its lines carry all N contexts;
- tests spread round-robin over the three themes; each has a `setup` phase
  (a shared fixture) and a `run` phase (the core plus 3 functions of its own
  module), so contexts read `<theme>|tests/unit/<pkg>/test_<mod>.py::test_<k>|run`;
- a `.coveragerc` that is the real one with only `source`, `omit`, `include`
  and `[paths]` rewritten, so every reporting option under test (contexts in
  HTML and JSON, precision) and every setting covthemes requires (`branch`,
  `relative_files`, `context = ${COVERAGE_CONTEXT-}`, `show_contexts` for
  HTML and JSON, a `source`) is the project's own; its own outputs (data
  file, HTML, JSON, LCOV, XML) go to coverage's defaults at the root, out of
  the `coverage/` folder covthemes publishes into;
- a `pyproject.toml` whose `[tool.covthemes]` names the real themes and
  thresholds, with the outputs under `coverage/` and that `.coveragerc`.

`benchmarks.record` executes the tests under coverage to produce the data.
"""

from __future__ import annotations

import configparser
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from covthemes.settings.config import Settings

PACKAGES = ("syn_alpha", "syn_beta", "syn_gamma")
TESTS_PER_MODULE = 20
FUNCTIONS_PER_MODULE = 8
CALLS_PER_TEST = 3

FUNCTION = """

def step_{k}(value):
    total = value + {k}
    if total % 3 == 0:
        total = total // 3
    elif total % 3 == 1:
        total = total * 2
    else:
        total = total - 1
    for _ in range(2):
        total += 1
    return total
"""

CORE = '''"""Generated: code every synthetic test runs (see benchmarks/synth.py)."""


def fixture():
    state = {"ready": True}
    if state["ready"]:
        state["count"] = 0
    return state


def handle(request, state):
    state["count"] += 1
    if request % 2:
        kind = "odd"
    else:
        kind = "even"
    headers = {"kind": kind}
    for name in ("a", "b"):
        headers[name] = request
    return headers
'''


@dataclass(frozen=True)
class Test:
    index: int
    theme: str
    package: str
    module: str
    nodeid: str
    calls: tuple[int, ...]


def modules(n_tests: int) -> list[tuple[str, str]]:
    """(package, module name) of every generated module, core excluded."""
    count = max(1, math.ceil(n_tests / TESTS_PER_MODULE))
    return [(PACKAGES[i % len(PACKAGES)], f"mod_{i:05d}") for i in range(count)]


def tests(n_tests: int, themes: tuple[str, ...]) -> list[Test]:
    mods = modules(n_tests)
    plan = []
    for index in range(n_tests):
        package, module = mods[index // TESTS_PER_MODULE]
        case = index % TESTS_PER_MODULE
        plan.append(
            Test(
                index=index,
                theme=themes[index % len(themes)],
                package=package,
                module=module,
                nodeid=f"tests/unit/{package}/test_{module}.py::test_case_{case}",
                calls=tuple((index + 3 * j) % FUNCTIONS_PER_MODULE for j in range(CALLS_PER_TEST)),
            )
        )
    return plan


def write_sources(root: Path, n_tests: int) -> int:
    """Write the packages; return the number of source files."""
    for package in PACKAGES:
        (root / package).mkdir(parents=True, exist_ok=True)
        (root / package / "__init__.py").write_text(f'"""Generated package {package}."""\n')
    (root / PACKAGES[0] / "core.py").write_text(CORE)
    body = "".join(FUNCTION.format(k=k) for k in range(FUNCTIONS_PER_MODULE))
    mods = modules(n_tests)
    for package, module in mods:
        doc = f'"""Generated module {package}.{module} (see benchmarks/synth.py)."""\n'
        (root / package / f"{module}.py").write_text(doc + body)
    return len(mods) + len(PACKAGES) + 1


# Where the config's own report outputs go: coverage's defaults, at the
# project root, outside covthemes' `output` folder, which covthemes alone
# writes (a coverage command writing there would mix its files into the
# published report, and its data file would sit beside the theme data).
OWN_OUTPUTS = {
    ("run", "data_file"): ".coverage",
    ("html", "directory"): "htmlcov",
    ("json", "output"): "coverage.json",
    ("lcov", "output"): "coverage.lcov",
    ("xml", "output"): "coverage.xml",
}


def write_config(real_config: Path, dest: Path) -> None:
    """The real `.coveragerc`, pointed at the synthetic packages, its own outputs outside `coverage/`."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(real_config)
    parser["run"]["source"] = "\n" + "\n".join(PACKAGES)
    parser.remove_option("run", "omit")
    if parser.has_section("report"):
        parser["report"]["include"] = "\n" + "\n".join(f"{p}/*" for p in PACKAGES)
    parser.remove_section("paths")
    for (section, option), value in OWN_OUTPUTS.items():
        if parser.has_option(section, option):
            parser[section][option] = value
    with dest.open("w") as handle:
        handle.write("# Generated by benchmarks/synth.py from the project's .coveragerc.\n")
        parser.write(handle)


def write_settings(dest: Path, themes: tuple[str, ...], thresholds: Mapping[str, float]) -> None:
    """A pyproject.toml with the `[tool.covthemes]` table covthemes loads."""
    lines = [
        "# Generated by benchmarks/synth.py: the settings covthemes reads.",
        "[tool.covthemes]",
        f"themes = {json.dumps(list(themes))}",
        'output = "coverage"',
        'coverage-config = ".coveragerc"',
        "",
        "[tool.covthemes.thresholds]",
        *(f"{name} = {minimum}" for name, minimum in thresholds.items()),
    ]
    dest.write_text("\n".join(lines) + "\n")


def generate(real: Settings, root: Path, n_tests: int) -> int:
    """Write a project of `n_tests` tests shaped by the real project's settings `real`."""
    root.mkdir(parents=True, exist_ok=True)
    write_config(real.root / (real.coverage_config or ".coveragerc"), root / ".coveragerc")
    write_settings(root / "pyproject.toml", real.themes, real.thresholds)
    return write_sources(root, n_tests)
