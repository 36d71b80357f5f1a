"""The synthetic suite: a real pytest project of N tests over N/20 modules, themes chosen by path.

Three measured packages, one module per 20 tests of 8 branchy functions,
and a `core` every test runs through a fixture, as every API test runs the
app factory. One test file per module, `tests/<theme>/<package>/`: the first
theme of the real `[tool.covthemes]` takes the first 60% of the modules and
the others share the rest, as unbalanced as a suite whose unit tests
dominate. The `.coveragerc` is the real one with only `source`, `omit`,
`include` and `[paths]` rewritten, and coverage's own outputs at the root.
"""

from __future__ import annotations

import configparser
import json
import math
from pathlib import Path

from benchmarks import tool
from benchmarks.suites import Suite

KEY = "synthetic"
PACKAGES = ("syn_alpha", "syn_beta", "syn_gamma")
TESTS_PER_MODULE, FUNCTIONS_PER_MODULE, CALLS_PER_TEST = 20, 8, 3
LARGEST_SHARE = 0.6

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
CORE = '''"""Generated: code every synthetic test runs."""


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
CONFTEST = (
    f"import pytest\n\nfrom {PACKAGES[0]} import core\n\n\n"
    "@pytest.fixture\ndef state():\n    return core.fixture()\n"
)
TEST = (
    "\n\ndef test_case_{case}(state):\n    core.handle({i}, state)\n"
    "    assert mod.step_{a}({i}) + mod.step_{b}({i}) + mod.step_{c}({i}) > 0\n"
)
PYTEST_INI = "[pytest]\naddopts = --strict-markers --strict-config -ra\ntestpaths = tests\npythonpath = .\n"
# coverage's own outputs go to its defaults, outside the `coverage/` folder covthemes alone writes.
OWN_OUTPUTS = {"run": "data_file", "html": "directory", "json": "output", "lcov": "output", "xml": "output"}


def modules(n_tests: int) -> list[tuple[str, str]]:
    """(package, module name) of every generated module, core excluded."""
    return [
        (PACKAGES[i % len(PACKAGES)], f"mod_{i:05d}")
        for i in range(max(1, math.ceil(n_tests / TESTS_PER_MODULE)))
    ]


def theme_modules(n_modules: int, themes: tuple[str, ...]) -> list[str]:
    """The theme of each module, in module order: the first theme LARGEST_SHARE, the rest even."""
    first = min(n_modules, math.ceil(n_modules * LARGEST_SHARE)) if len(themes) > 1 else n_modules
    rest, left = themes[1:], n_modules - first
    return [themes[0]] * first + [rest[i * len(rest) // left] for i in range(left)]


def write_config(real_config: Path, dest: Path) -> None:
    """The real `.coveragerc`, pointed at the synthetic packages."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(real_config)
    parser["run"]["source"] = "\n" + "\n".join(PACKAGES)
    parser.remove_option("run", "omit")
    if parser.has_section("report"):
        parser["report"]["include"] = "\n" + "\n".join(f"{p}/*" for p in PACKAGES)
    parser.remove_section("paths")
    for section in OWN_OUTPUTS.keys() & set(parser.sections()):
        parser.remove_option(section, OWN_OUTPUTS[section])
    with dest.open("w") as handle:
        parser.write(handle)


def settings(themes: tuple[str, ...], thresholds: dict[str, float]) -> str:
    """`[tool.covthemes]` with the real themes and thresholds, each theme a folder of tests."""
    lines = [
        "[tool.covthemes]",
        f"themes = {json.dumps(list(themes))}",
        'markers = []\noutput = "coverage"\ncoverage-config = ".coveragerc"\n\n[tool.covthemes.paths]',
        *(f'{theme} = ["tests/{theme}/**/test_*.py"]' for theme in themes),
        "\n[tool.covthemes.thresholds]",
        *(f"{name} = {minimum}" for name, minimum in thresholds.items()),
    ]
    return "\n".join(lines) + "\n"


def test_file(package: str, module: str, first: int, count: int) -> str:
    body = f"from {PACKAGES[0]} import core\nfrom {package} import {module} as mod\n"
    for case, i in enumerate(range(first, first + count)):
        a, b, c = ((i + 3 * j) % FUNCTIONS_PER_MODULE for j in range(CALLS_PER_TEST))
        body += TEST.format(case=case, i=i, a=a, b=b, c=c)
    return body


def generate(real_root: Path, root: Path, n_tests: int) -> dict[str, int]:
    """Write the project at `root`, shaped by the real project's settings; return each theme's tests."""
    real = tool.load(real_root)
    files = {f"{package}/__init__.py": "" for package in PACKAGES}
    files |= {f"{PACKAGES[0]}/core.py": CORE, "tests/conftest.py": CONFTEST, "pytest.ini": PYTEST_INI}
    files["pyproject.toml"] = settings(real.themes, dict(real.thresholds))
    functions = "".join(FUNCTION.format(k=k) for k in range(FUNCTIONS_PER_MODULE))
    mods = modules(n_tests)
    counts = dict.fromkeys(real.themes, 0)
    for number, ((package, module), theme) in enumerate(
        zip(mods, theme_modules(len(mods), real.themes), strict=True)
    ):
        first = number * TESTS_PER_MODULE
        count = min(TESTS_PER_MODULE, n_tests - first)
        files[f"{package}/{module}.py"] = functions
        files[f"tests/{theme}/{package}/test_{module}.py"] = test_file(package, module, first, count)
        counts[theme] += count
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    write_config(real.root / (real.coverage_config or ".coveragerc"), root / ".coveragerc")
    return counts


def prepare(real_root: Path, work: Path, n_tests: int, rounds: int) -> Suite:
    counts = generate(real_root, work / "project", n_tests)
    title = f"synthetic, {n_tests} tests over {len(modules(n_tests))} modules ({counts})"
    adoption = "generated by benchmarks/synthetic.py, themes by path (tests/<theme>/)"
    return Suite(KEY, title, work / "project", tuple(counts), ("tests",), rounds, adoption)
