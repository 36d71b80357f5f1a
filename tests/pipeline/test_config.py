"""Configuration contracts: the theme list named once, omit patterns real, commands in step."""

from __future__ import annotations

import configparser
import json
import re
import shlex
import subprocess
import sys
import tomllib

import pytest

from tests.pipeline.helpers import REPO, THEMES, scrubbed_env
from tests.pipeline.test_workflows import ACTION, ACTION_USES, WORKFLOWS, action_output, load_workflow

pytestmark = pytest.mark.pipeline


def ini(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(REPO / name)
    return parser


def covthemes_table() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["covthemes"]


def test_pytest_ini_names_no_theme():
    """`pytest.ini` registers only `pipeline`: the covthemes plugin registers the theme markers."""
    markers = ini("pytest.ini")["pytest"]["markers"].strip().splitlines()
    names = [line.split(":", 1)[0].strip() for line in markers if not line.startswith("#")]
    assert names == ["pipeline"]


def test_plugin_registers_exactly_the_themes(matrix):
    """`pytest --markers` in a theme env lists one covthemes marker per configured theme."""
    python = matrix / ".tox" / "cov-architecture" / "bin" / "python"
    result = subprocess.run(
        [str(python), "-m", "pytest", "--markers"],
        cwd=matrix,
        env=scrubbed_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    registered = re.findall(r"^@pytest\.mark\.(\w+): a test of the covthemes theme", result.stdout, re.M)
    assert registered == list(THEMES)


def test_tool_source_names_no_theme_of_this_repository():
    """No module of the tool names this monorepo's themes: it reads them from the config."""
    sources = sorted((REPO / "tools" / "covthemes" / "src").rglob("*.py"))
    assert sources
    for path in sources:
        text = path.read_text()
        for theme in THEMES:
            assert theme not in text, f"{path.relative_to(REPO)} names {theme!r}"


def test_ci_matrix_comes_from_covthemes_matrix():
    """The workflow's theme jobs are `covthemes matrix`'s: the configured themes, in order, and no copy."""
    called = load_workflow("covthemes.yml")
    assert called["jobs"]["theme"]["strategy"]["matrix"] == "${{ fromJSON(needs.matrix.outputs.jobs) }}"
    assert called["jobs"]["matrix"]["outputs"]["jobs"] == "${{ steps.covthemes.outputs.matrix }}"
    [lister] = [s for s in called["jobs"]["matrix"]["steps"] if s.get("id") == "covthemes"]
    assert lister["uses"] == ACTION_USES
    assert lister["with"]["verb"] == "matrix"
    for path in (*WORKFLOWS.glob("*.yml"), ACTION):
        for theme in THEMES:
            assert theme not in path.read_text(), f"{path.relative_to(REPO)} names the theme {theme!r}"
    # As the matrix job runs it: the action's own step, from the tool's source
    # with `python -S`, which leaves site-packages out.
    jobs = json.loads(action_output(lister, "matrix"))["include"]
    assert [job["theme"] for job in jobs] == list(THEMES)
    assert all(job["shard"] == "" and job["name"] == job["theme"] for job in jobs)


def test_tox_factors_name_exactly_the_themes():
    """`tox.ini`'s cov-<theme> factors and set_env lines match the theme list."""
    tox = ini("tox.ini")
    sections = [s for s in tox.sections() if s.startswith("testenv:cov-{")]
    assert sections == ["testenv:cov-{" + ",".join(THEMES) + "}"]
    set_env = tox[sections[0]]["set_env"]
    assert re.findall(r"^(\w+): COVERAGE_CONTEXT = (\w+)$", set_env, re.M) == [(t, t) for t in THEMES]
    assert tox["testenv:cov-combine"]["depends"].strip() == "cov-{" + ",".join(THEMES) + "}"
    assert "cov-{" + ",".join(THEMES) + "}" in tox["tox"]["env_list"]


def test_script_lists_exactly_the_themes():
    """`scripts/coverage_baseline.sh --help` lists the theme list."""
    result = subprocess.run(
        ["scripts/coverage_baseline.sh", "--help"],
        cwd=REPO,
        env=scrubbed_env(PYTHON="python3"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"themes: {' '.join(THEMES)} (default: all)" in result.stdout


@pytest.mark.parametrize("argument", ["--bogus", "performance"])
def test_script_rejects_unknown_input_with_usage(argument):
    """An unknown option or theme prints usage with the valid themes and exits non-zero."""
    result = subprocess.run(
        ["scripts/coverage_baseline.sh", argument],
        cwd=REPO,
        env=scrubbed_env(PYTHON="python3"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert argument in result.stderr
    assert " ".join(THEMES) in result.stderr


def test_thresholds_name_only_themes():
    """`[tool.covthemes.thresholds]` names each theme and the total, and `.coveragerc` none."""
    assert sorted(covthemes_table()["thresholds"]) == sorted([*THEMES, "total"])
    assert not any(section.startswith("covthemes") for section in ini(".coveragerc").sections())


def test_every_omit_pattern_matches_a_real_file():
    """Each `omit` pattern in `.coveragerc` matches at least one file."""
    patterns = ini(".coveragerc")["run"]["omit"].split()
    assert patterns
    for pattern in patterns:
        assert list(REPO.glob(pattern)), f"omit pattern {pattern} matches nothing"


def test_every_omit_and_exclude_pattern_has_a_reason():
    """Every `omit` and `exclude_also` pattern sits under a comment saying why."""
    lines = (REPO / ".coveragerc").read_text().splitlines()
    for key in ("omit =", "exclude_also ="):
        start = lines.index(key) + 1
        block = []
        for line in lines[start:]:
            if not line.startswith("    "):
                break
            block.append(line.strip())
        assert block[0].startswith("#")
        patterns = [line for line in block if not line.startswith("#")]
        assert patterns


def test_pytest_ini_has_one_addopts_without_cov():
    """`pytest.ini` has exactly one `addopts`, with the config flags and no `--cov`."""
    text = (REPO / "pytest.ini").read_text()
    addopts = re.findall(r"^addopts\s*=(.*)$", text, re.M)
    assert len(addopts) == 1
    options = shlex.split(addopts[0])
    assert {"--strict-markers", "--strict-config", "-ra", "--cov-config=.coveragerc"} <= set(options)
    assert not any(o == "--cov" or o.startswith("--cov=") for o in options)


def test_ci_runs_the_readme_test_command():
    """`.ci/run` runs the test command the README gives."""
    readme = (REPO / "README.md").read_text()
    match = re.search(r"<!-- test-command -->\s*```(?:sh|bash)?\n(.+?)\n```", readme, re.S)
    assert match, "README.md marks its test command with <!-- test-command -->"
    command = match.group(1).strip()
    assert command in (REPO / ".ci" / "run").read_text().splitlines()


def test_gitignore_keeps_generated_artifacts_out():
    """Generated coverage files are ignored; coverage/README.md and .coveragerc are not."""
    # The published names are links (git checks no path beyond one), into
    # coverage/.reports/ through coverage/.report.
    paths = [
        "coverage/html",
        "coverage/baseline.json",
        "coverage/themes.json",
        "coverage/themes",
        "coverage/data/.coverage.security",
        "coverage/summary.md",
        "coverage/index.html",
        "coverage/files",
        "coverage/badges",
        "coverage/.report",
        "coverage/.report.1234",
        "coverage/.reports/20261207T101010-abcd/index.html",
        "coverage/screenshots/index.png",
        "coverage/diff.json",
        "htmlcov/index.html",
        ".coverage",
        ".coverage.host.1.2",
        ".tox/py311/bin/python",
        ".tox/bootstrap/bin/tox",
    ]
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", *paths, "coverage/README.md", ".coveragerc"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert sorted(result.stdout.split()) == sorted(paths)


@pytest.mark.parametrize("workflow", sorted(p.name for p in (REPO / ".github" / "workflows").glob("*.yml")))
def test_workflow_validates_against_the_github_schema(workflow):
    """Each file of `.github/workflows/` validates against the bundled GitHub workflow schema."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            f".github/workflows/{workflow}",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_collection_fails_for_a_test_without_a_theme(make_clone, matrix, tmp_path):
    """A new test module with no theme marker makes collection fail and names the test."""
    clone = make_clone(tmp_path / "guard")
    python = matrix / ".tox" / "cov-architecture" / "bin" / "python"
    (clone / "tests" / "unit" / "api" / "test_unthemed.py").write_text(
        "def test_has_no_theme():\n    assert 1 + 1 == 2\n"
    )
    result = subprocess.run(
        [str(python), "-m", "pytest", "--collect-only", "-q", "tests/unit"],
        cwd=clone,
        env=scrubbed_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    output = result.stdout + result.stderr
    assert "1 test(s) belong to no covthemes theme" in output
    assert "tests/unit/api/test_unthemed.py::test_has_no_theme" in output
    assert "pytestmark = pytest.mark.<theme>" in output


def test_workflow_runs_the_diff_on_pull_requests_and_keeps_the_baseline_on_pushes():
    """Pull requests run the action's diff into the step summary; pushes keep themes.json and the badges."""
    combine = load_workflow("covthemes.yml")["jobs"]["combine"]
    [diff] = [s for s in combine["steps"] if s.get("name") == "themes of the changed lines"]
    assert "github.event_name == 'pull_request'" in diff["if"]
    assert diff["uses"] == ACTION_USES
    assert diff["with"]["verb"] == "diff"
    assert diff["with"]["base"] == "origin/${{ github.base_ref }}"
    script = (REPO / "tools" / "covthemes" / "action" / "diff.sh").read_text()
    assert 'covthemes diff "${args[@]}" -o "$output/diff.md"' in script
    assert '--format json -o "$output/diff.json"' in script
    assert 'cat "$output/diff.md" >> "$GITHUB_STEP_SUMMARY"' in script
    uploads = {s["with"]["name"]: s for s in combine["steps"] if "upload-artifact" in s.get("uses", "")}
    assert uploads["coverage-diff"]["with"]["path"] == "${{ steps.publish.outputs.output }}/diff.json"
    baseline = uploads["coverage-baseline"]
    assert "github.event_name == 'push'" in baseline["if"]
    assert baseline["with"]["path"].splitlines() == [
        "${{ steps.publish.outputs.output }}/themes.json",
        "${{ steps.publish.outputs.output }}/badges/",
    ]


def test_action_validates_against_the_github_schema():
    """tools/covthemes/action.yml validates against the bundled GitHub action schema."""
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-actions", str(ACTION)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_script_names_a_missing_environment_first(tmp_path):
    """Run where covthemes is not installed, the script stops before any theme and names the environment."""
    bare = tmp_path / "python"
    # The interpreter without its site-packages: an environment without the project.
    bare.write_text(f'#!/bin/sh\nexec {sys.executable} -S "$@"\n')
    bare.chmod(0o755)
    result = subprocess.run(
        ["scripts/coverage_baseline.sh"],
        cwd=REPO,
        env=scrubbed_env(PYTHON=str(bare)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert "lacks covthemes or pytest-cov" in line
    assert "uv sync --group test" in line and "tox -p -m coverage" in line
    assert "== theme" not in result.stdout
