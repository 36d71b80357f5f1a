"""covthemes adopted by a second repository that shares nothing with this one.

`inventory` is built here from text: a src layout with one package, its
coverage config in `pyproject.toml` (`source` as a package name,
`parallel = true`), four themes of other names (two by marker, two by path
glob alone, one test file in two themes), `output = "build/covthemes"`
instead of the default `coverage`, and its own `tox.ini`. Its tox envs install
covthemes from a snapshot of this working tree's `tools/covthemes`, so
uncommitted work is what gets tested, and nothing else of this monorepo.
The package is installed `package = editable`: coverage then measures the
checkout's own `src/inventory/*.py`, recorded relative to the root, with no
`[tool.coverage.paths]` mapping from site-packages; and the files covthemes
hashes into its provenance are the files that ran.

The report is checked against coverage's own commands on a scratch combine
(never in the output's data folder: PITFALLS 1). The concurrency tests
(`test_concurrency.py`) reuse the same published repository.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
import textwrap
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from devtools import worktree
from tests.pipeline.helpers import REPO, Result, load_json, run, tox

pytestmark = pytest.mark.pipeline

THEMES = ("unit", "contract", "fuzz", "smoke")
MARKER_THEMES = ("unit", "contract")
OUTPUT = "build/covthemes"
# The one test file in two themes: fuzz by its path, contract by its marker.
TWO_THEMES = "tests/fuzz/test_roundtrip.py"

PYPROJECT = """\
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "inventory"
version = "1.0.0"
requires-python = ">=3.11"

[tool.setuptools.packages.find]
where = ["src"]

[tool.pytest.ini_options]
addopts = "--strict-markers --strict-config -ra"
testpaths = ["tests"]

[tool.coverage.run]
source = ["inventory"]
branch = true
relative_files = true
parallel = true
context = "${COVERAGE_CONTEXT-}"

[tool.coverage.report]
show_missing = true
precision = 2

[tool.coverage.html]
show_contexts = true

[tool.coverage.json]
show_contexts = true

[tool.covthemes]
themes = ["unit", "contract", "fuzz", "smoke"]
# Per-test contexts: coverage.py's HTML lists the tests that ran each line.
contexts = "tests"
# fuzz and smoke are chosen by path alone.
markers = ["unit", "contract"]
output = "build/covthemes"
run-command = "tox -e cov-{theme}"
publish-command = "tox -e cov-combine"

[tool.covthemes.paths]
fuzz = ["tests/fuzz/test_*.py"]
smoke = ["tests/smoke/test_*.py"]

[tool.covthemes.thresholds]
# A theme's is judged on its percent by its tests (unit's is 25.53%).
unit = 20
contract = 20
fuzz = 10
smoke = 10
total = 80
"""

TOX_INI = """\
[tox]
env_list =
    cov-{{unit,contract,fuzz,smoke}}
    cov-combine

[testenv]
package = editable
deps = {tool}

[testenv:cov-{{unit,contract,fuzz,smoke}}]
description = measure the {{env:COVERAGE_CONTEXT}} theme
labels = coverage
set_env =
    unit: COVERAGE_CONTEXT = unit
    contract: COVERAGE_CONTEXT = contract
    fuzz: COVERAGE_CONTEXT = fuzz
    smoke: COVERAGE_CONTEXT = smoke
commands =
    covthemes run {{env:COVERAGE_CONTEXT}} {{posargs}}

[testenv:cov-combine]
description = merge the themes and publish build/covthemes
labels = coverage
depends = cov-{{unit,contract,fuzz,smoke}}
package = skip
commands =
    covthemes publish {{posargs}}
"""

SOURCES = {
    # .venv: the file in which tox records the env last used (PEP 832).
    ".gitignore": "build/\n.tox/\n.venv\n*.egg-info/\n__pycache__/\n",
    "src/inventory/__init__.py": '''\
        """Stock keeping: levels, prices and the line format."""

        from inventory.stock import Stock

        # Module-level code: runs at import, under each theme's bare context.
        VERSION = "1.0.0"
        __all__ = ["VERSION", "Stock"]
        ''',
    "src/inventory/stock.py": '''\
        """Stock levels per SKU."""

        REORDER_LEVEL = 5


        class Stock:
            def __init__(self):
                self._levels = {}

            def add(self, sku, quantity):
                if quantity <= 0:
                    raise ValueError("quantity must be positive")
                self._levels[sku] = self._levels.get(sku, 0) + quantity

            def remove(self, sku, quantity):
                have = self._levels.get(sku, 0)
                if quantity > have:
                    raise ValueError(f"only {have} of {sku} in stock")
                self._levels[sku] = have - quantity

            def level(self, sku):
                return self._levels.get(sku, 0)

            def needs_reorder(self, sku):
                return self.level(sku) < REORDER_LEVEL
        ''',
    "src/inventory/pricing.py": '''\
        """Prices: only the contract tests call these."""

        BULK = 100


        def price(quantity, unit_cents, currency="EUR"):
            if currency != "EUR":
                # A branch no test takes.
                raise ValueError(f"unsupported currency {currency}")
            total = quantity * unit_cents
            if quantity >= BULK:
                total = total * 9 // 10
            return total


        def audit(prices):
            # Called by no test at all.
            return [p for p in prices if p < 0]
        ''',
    "src/inventory/codec.py": '''\
        """The `SKU,quantity` line format."""


        def parse_line(line):
            sku, _, quantity = line.strip().partition(",")
            if not sku or not quantity.isdigit():
                raise ValueError(f"not a stock line: {line!r}")
            return sku, int(quantity)


        def format_line(sku, quantity):
            return f"{sku},{quantity}"
        ''',
    "tests/unit/test_stock.py": """\
        import pytest

        from inventory.stock import Stock

        pytestmark = pytest.mark.unit


        def test_add_raises_the_level():
            stock = Stock()
            stock.add("A", 3)
            assert stock.level("A") == 3


        def test_remove_lowers_the_level():
            stock = Stock()
            stock.add("A", 3)
            stock.remove("A", 2)
            assert stock.level("A") == 1


        def test_cannot_remove_more_than_held():
            with pytest.raises(ValueError):
                Stock().remove("A", 1)


        def test_low_stock_needs_reorder():
            assert Stock().needs_reorder("A")
        """,
    "tests/contract/test_pricing.py": """\
        import pytest

        from inventory.pricing import price

        pytestmark = pytest.mark.contract


        def test_price_is_quantity_times_unit():
            assert price(3, 250) == 750


        def test_bulk_orders_get_ten_percent_off():
            assert price(100, 10) == 900
        """,
    "tests/fuzz/test_codec_fuzz.py": """\
        import random

        import pytest

        from inventory.codec import parse_line


        def test_random_quantities_parse():
            rng = random.Random(1)
            for _ in range(50):
                quantity = rng.randrange(10_000)
                assert parse_line(f"SKU-{quantity},{quantity}") == (f"SKU-{quantity}", quantity)


        def test_garbage_is_rejected():
            rng = random.Random(2)
            for _ in range(50):
                garbage = "".join(rng.choice("ab,;-") for _ in range(5)) + ",x"
                with pytest.raises(ValueError):
                    parse_line(garbage)
        """,
    TWO_THEMES: """\
        import pytest

        from inventory.codec import format_line, parse_line

        # fuzz by its path, and contract by this marker.
        pytestmark = pytest.mark.contract


        def test_format_then_parse_round_trips():
            assert parse_line(format_line("SKU-9", 9)) == ("SKU-9", 9)
        """,
    "tests/smoke/test_smoke.py": """\
        import inventory


        def test_package_imports_with_its_version():
            assert inventory.VERSION == "1.0.0"


        def test_stock_takes_an_item():
            stock = inventory.Stock()
            stock.add("A", 1)
            assert stock.level("A") == 1
        """,
}


@dataclass(frozen=True)
class Adopted:
    """The second repository after `tox -p -m coverage`, and that run's result."""

    root: Path
    matrix: Result

    @property
    def output(self) -> Path:
        return self.root / OUTPUT

    def tool(self, env: str) -> Path:
        """The `covthemes` script installed in one of the repository's tox envs."""
        return self.root / ".tox" / env / "bin" / "covthemes"


def tool_snapshot(dest: Path) -> Path:
    """`tools/covthemes` as it is in this working tree, tracked and untracked files."""
    return worktree.snapshot(REPO / "tools" / "covthemes", dest, "covthemes under test")


def write_inventory(root: Path, tool: Path) -> Path:
    """The second repository's files at `root`, its tox envs installing covthemes from `tool`."""
    files = {
        **{name: textwrap.dedent(text) for name, text in SOURCES.items()},
        "pyproject.toml": PYPROJECT,
        "tox.ini": TOX_INI.format(tool=tool),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


_adopted: dict[Path, Adopted] = {}


def adopted_repository(tmp_path_factory: pytest.TempPathFactory) -> Adopted:
    """The second repository, built, measured and published once per session.

    A plain function, so that both this module's fixture and the concurrency
    tests' share one build.
    """
    base = tmp_path_factory.getbasetemp()
    if base not in _adopted:
        folder = tmp_path_factory.mktemp("adoption")
        tool = tool_snapshot(folder / "covthemes")
        root = write_inventory(folder / "inventory", tool)
        worktree.commit(root, "inventory", init=True)
        _adopted[base] = Adopted(root, tox(root, "-p", "-m", "coverage"))
    return _adopted[base]


@pytest.fixture(scope="session")
def adopted(tmp_path_factory) -> Adopted:
    return adopted_repository(tmp_path_factory)


def copy_of(adopted: Adopted, dest: Path) -> Path:
    """A copy of the published repository at `dest`, without its tox envs.

    Symlinks are copied as links: the published outputs are relative links into
    the current generation, and a publish refuses outputs it did not make.
    """
    shutil.copytree(adopted.root, dest, symlinks=True, ignore=shutil.ignore_patterns(".tox", ".venv"))
    return dest


def count_tests(root: Path, pattern: str) -> int:
    """The number of test functions in the files `pattern` matches (none is parametrized)."""
    return sum(len(re.findall(r"^def test_", p.read_text(), re.M)) for p in root.glob(pattern))


def contexts_of(baseline: dict) -> set[str]:
    return {c for entry in baseline["files"].values() for cs in entry["contexts"].values() for c in cs}


@pytest.fixture(scope="module")
def recount(adopted, tmp_path_factory) -> dict[str, dict]:
    """coverage's own JSON report of a scratch combine: all themes ('all'), and each theme alone."""
    scratch = tmp_path_factory.mktemp("recount")
    merged = scratch / ".coverage"
    coverage = [sys.executable, "-m", "coverage"]
    inputs = [str(adopted.output / "data" / f".coverage.{t}") for t in THEMES]
    combined = run([*coverage, "combine", "--keep", f"--data-file={merged}", *inputs], adopted.root)
    assert combined.returncode == 0, combined.output
    reports = {}
    for name, pattern in [("all", None), *((t, f"^{t}(\\||$)") for t in THEMES)]:
        out = scratch / f"{name}.json"
        flags = [f"--contexts={pattern}"] if pattern else []
        made = run([*coverage, "json", f"--data-file={merged}", *flags, "-o", str(out)], adopted.root)
        assert made.returncode == 0, made.output
        reports[name] = load_json(out)
    return reports


def test_matrix_runs_and_publishes(adopted):
    """`tox -p -m coverage` runs the four themes and the publish, and exits 0."""
    assert adopted.matrix.returncode == 0, adopted.matrix.output
    for theme in THEMES:
        assert re.search(rf"cov-{theme}: OK", adopted.matrix.output), adopted.matrix.output
    assert re.search(r"cov-combine: OK", adopted.matrix.output)


def test_tree_stays_clean(adopted):
    """After the matrix, `git status --porcelain` in the repository is empty."""
    status = run(["git", "status", "--porcelain"], adopted.root)
    assert status.returncode == 0 and status.stdout == "", status.output


def test_every_output_is_published_under_the_configured_folder(adopted):
    """Every report lands in `build/covthemes`, and nothing in the default `coverage/`."""
    out = adopted.output
    for name in ("themes.json", "lines.json", "baseline.json", "summary.md", "html/index.html"):
        assert (out / name).is_file(), name
    for theme in THEMES:
        for suffix in ("json", "lcov", "xml"):
            assert (out / "themes" / f"{theme}.{suffix}").is_file()
        assert (out / "data" / f".coverage.{theme}").is_file()
        assert (out / "data" / f"provenance.{theme}.json").is_file()
    assert not (adopted.root / "coverage").exists()
    assert not list(out.glob(".staging*")) and not (out / ".swap").exists()


def test_themes_json_keys_packages_by_their_path(adopted):
    """themes.json is format 3, passed, with the package named `src/inventory`."""
    themes = load_json(adopted.output / "themes.json")
    assert themes["format"] == 3
    assert themes["status"] == "passed"
    assert list(themes["themes"]) == list(THEMES)
    assert set(themes["total"]["packages"]) == {"src/inventory"}
    for values in themes["themes"].values():
        assert set(values["packages"]) == {"src/inventory"}
        package = dict(values["packages"]["src/inventory"])
        # The one package holds everything: its figures by its tests are the theme's.
        assert package.pop("by_tests") == values["by_tests"]
        assert package == values["total"]
    assert themes["precision"] == 2


@pytest.mark.parametrize("theme", THEMES)
def test_theme_numbers_agree_with_coverage_contexts(adopted, recount, theme):
    """Each theme's counts equal coverage's own JSON report filtered to `^<theme>(\\||$)`."""
    expected = recount[theme]["totals"]
    total = load_json(adopted.output / "themes.json")["themes"][theme]["total"]
    for key in ("num_statements", "covered_lines", "num_branches", "covered_branches"):
        assert total[key] == expected[key], key
    assert total["percent_covered_display"] == expected["percent_covered_display"]


def test_total_agrees_with_coverage_and_misses_the_untaken_code(adopted, recount):
    """All themes together equal coverage's unfiltered report, which misses `audit` and a branch."""
    expected = recount["all"]["totals"]
    total = load_json(adopted.output / "themes.json")["total"]["total"]
    for key in ("num_statements", "covered_lines", "num_branches", "covered_branches"):
        assert total[key] == expected[key], key
    pricing = recount["all"]["files"]["src/inventory/pricing.py"]
    assert pricing["missing_lines"], pricing
    assert pricing["summary"]["missing_branches"] >= 1


def test_lines_json_agrees_with_coverage_contexts(adopted, recount):
    """lines.json's only-this-theme and uncovered listings equal a recount of coverage's contexts."""
    listing = load_json(adopted.output / "lines.json")
    themes_of_line: dict[tuple[str, int], set[str]] = defaultdict(set)
    for path, entry in recount["all"]["files"].items():
        for line, contexts in entry["contexts"].items():
            themes_of_line[(path, int(line))] |= {c.split("|", 1)[0] for c in contexts} & set(THEMES)
    for theme in THEMES:
        expected = {key for key, ran in themes_of_line.items() if ran == {theme}}
        listed = {(p, line) for p, lines in listing["unique_lines"][theme].items() for line in lines}
        assert listed == expected, theme
    # The contract tests are the only ones that price anything.
    assert "src/inventory/pricing.py" in listing["unique_lines"]["contract"]
    uncovered = {(p, line) for p, e in recount["all"]["files"].items() for line in e["missing_lines"]}
    listed = {(p, line) for p, lines in listing["uncovered_lines"].items() for line in lines}
    assert listed == uncovered and uncovered


def test_import_time_code_is_under_the_bare_theme_context(adopted):
    """Module-level code runs at import, recorded under each theme's bare static context."""
    baseline = load_json(adopted.output / "baseline.json")
    init = baseline["files"]["src/inventory/__init__.py"]["contexts"]
    version_line = 6  # VERSION = "1.0.0"
    assert set(init[str(version_line)]) == set(THEMES)


@pytest.mark.parametrize(
    ("theme", "pattern"), [("fuzz", "tests/fuzz/test_*.py"), ("smoke", "tests/smoke/test_*.py")]
)
def test_path_only_theme_runs_only_its_files(adopted, theme, pattern):
    """A theme chosen by path ran exactly the tests in its files, and no other test."""
    record = load_json(adopted.output / "data" / f"provenance.{theme}.json")
    assert record["tests"] == count_tests(adopted.root, pattern) > 0
    assert record["status"] == "passed"
    baseline = load_json(adopted.output / "baseline.json")
    node_ids = {c.split("|")[1] for c in contexts_of(baseline) if c.startswith(f"{theme}|")}
    assert node_ids
    folder = pattern.rsplit("/", 1)[0] + "/"
    assert all(node.startswith(folder) for node in node_ids), node_ids


def test_test_in_two_themes_is_counted_in_both(adopted):
    """The round-trip test runs, and is counted, in fuzz (by path) and contract (by marker)."""
    themes = load_json(adopted.output / "themes.json")["themes"]
    in_file = count_tests(adopted.root, TWO_THEMES)
    assert themes["fuzz"]["tests"] == count_tests(adopted.root, "tests/fuzz/test_*.py")
    assert themes["contract"]["tests"] == count_tests(adopted.root, "tests/contract/test_*.py") + in_file
    assert themes["unit"]["tests"] == count_tests(adopted.root, "tests/unit/test_*.py")
    node = f"{TWO_THEMES}::test_format_then_parse_round_trips"
    contexts = contexts_of(load_json(adopted.output / "baseline.json"))
    assert {f"fuzz|{node}|run", f"contract|{node}|run"} <= contexts


def test_summary_lists_the_four_themes(adopted):
    """summary.md has a passed row per theme, the package column, and the thresholds."""
    text = (adopted.output / "summary.md").read_text()
    for theme in THEMES:
        assert re.search(rf"^\| {theme} \| passed \| \d+ \|.*\| \d+% met \|$", text, re.M), theme
    assert "| **all themes** | passed |" in text
    assert "`src/inventory`" in text


def test_provenance_vouches_for_each_data_file(adopted):
    """Each theme's provenance names its data file and that file's sha256."""
    for theme in THEMES:
        record = load_json(adopted.output / "data" / f"provenance.{theme}.json")
        data = adopted.output / "data" / f".coverage.{theme}"
        assert record["data_file"] == f"{OUTPUT}/data/.coverage.{theme}"
        assert record["data_sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
        assert record["pytest_exit_code"] == 0


def test_missed_threshold_exits_1_after_publishing(adopted, tmp_path):
    """With --enforce-thresholds, a missed threshold exits 1, and the report is still published."""
    root = copy_of(adopted, tmp_path / "inventory")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("smoke = 10\n", "smoke = 99\n"))
    result = run([str(adopted.tool("cov-combine")), "publish", "--enforce-thresholds"], root)
    assert result.returncode == 1, result.output
    assert "theme 'smoke' covers" in result.stderr and "below its threshold of 99%" in result.stderr
    assert "| smoke | passed |" in (root / OUTPUT / "summary.md").read_text()
    assert "99% **missed**" in (root / OUTPUT / "summary.md").read_text()
    plain = run([str(adopted.tool("cov-combine")), "publish"], root)
    assert plain.returncode == 0, plain.output


def test_pip_installs_the_tool_alone(tmp_path):
    """pip installs covthemes from its folder into a fresh venv, with its four dependencies and
    nothing of this monorepo; the console script lists its verbs."""
    tool = tool_snapshot(tmp_path / "covthemes")
    venv = tmp_path / "venv"
    made = run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    assert made.returncode == 0, made.output
    python = str(venv / "bin" / "python")
    installed = run([python, "-m", "pip", "install", "-q", str(tool)], tmp_path, timeout=600)
    assert installed.returncode == 0, installed.output
    listed = run([python, "-m", "pip", "list", "--format=freeze"], tmp_path)
    names = {line.split("==")[0].lower() for line in listed.stdout.splitlines()}
    assert {"covthemes", "coverage", "pytest", "pytest-cov", "filelock"} <= names
    assert "themed-monorepo" not in names
    for package in ("apps", "logging_lib", "devtools"):
        probe = run([python, "-c", f"import {package}"], tmp_path)
        assert probe.returncode == 1 and "ModuleNotFoundError" in probe.stderr, package
    helped = run([str(venv / "bin" / "covthemes"), "--help"], tmp_path)
    assert helped.returncode == 0, helped.output
    verbs = re.search(r"\{([a-z,]+)\}", helped.stdout)
    assert verbs, helped.stdout
    assert {"run", "publish", "themes"} <= set(verbs.group(1).split(","))


def test_threshold_for_unknown_theme_refuses_quickly(tmp_path):
    """A threshold naming no theme makes `covthemes publish` exit 2 at once, in one line."""
    root = write_inventory(tmp_path / "inventory", tmp_path / "unused")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("smoke = 10\ntotal", "smoke = 10\nperf = 50\ntotal"))
    started = time.monotonic()
    result = run([sys.executable, "-m", "covthemes", "publish"], root, timeout=60)
    elapsed = time.monotonic() - started
    assert result.returncode == 2, result.output
    assert elapsed < 10
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert "[tool.covthemes.thresholds]" in lines[0] and "'perf'" in lines[0]
    assert "Traceback" not in result.output
    assert not (root / OUTPUT).exists()
