"""The covthemes action (tools/covthemes/action.yml): its steps, run here in order as GitHub runs them.

A small repository with two themes is built from text. Each `run:` step runs
in bash with `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY` and `GITHUB_ACTION_PATH`
set to files and folders of the test, and with the env the step declares,
its `${{ }}` expressions evaluated from the inputs, the step outputs so far
and the `github` context. The `uses:` steps are done by the test instead:
setup-python by this environment's Python (first on PATH), upload-artifact
by copying the step's paths into an artifacts folder, download-artifact by
copying the matching artifacts where it would put them. The install step
runs against a stand-in `python` that records what pip was asked to install:
this environment already holds covthemes.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from devtools import worktree
from tests.pipeline.helpers import REPO, scrubbed_env
from tests.pipeline.test_workflow_data_branch import evaluate

pytestmark = pytest.mark.pipeline

ACTION_PATH = REPO / "tools" / "covthemes"
ACTION = yaml.safe_load((ACTION_PATH / "action.yml").read_text())
_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
# `a.b-c`, a property with a hyphen, read as `a['b-c']` by the Python evaluator.
_HYPHENATED = re.compile(r"\.([A-Za-z_][\w]*-[\w-]*)")

PYPROJECT = """\
[project]
name = "calc"
version = "1.0.0"
requires-python = ">=3.11"

[tool.pytest.ini_options]
addopts = "--strict-markers -ra"
testpaths = ["tests"]
pythonpath = ["src"]

[tool.coverage.run]
source = ["calc"]
branch = true
relative_files = true
context = "${COVERAGE_CONTEXT-}"

[tool.coverage.html]
show_contexts = true

[tool.coverage.json]
show_contexts = true

[tool.covthemes]
themes = ["unit", "smoke"]
"""

SOURCES = {
    ".gitignore": "coverage/\n__pycache__/\n",
    "src/calc/__init__.py": '''\
        """Arithmetic for the action's tests."""


        def add(a, b):
            return a + b


        def divide(a, b):
            if b == 0:
                raise ZeroDivisionError("b is zero")
            return a / b
        ''',
    "tests/test_unit.py": """\
        import pytest

        from calc import add, divide

        pytestmark = pytest.mark.unit


        def test_add():
            assert add(2, 3) == 5


        def test_divide_by_zero():
            with pytest.raises(ZeroDivisionError):
                divide(1, 0)
        """,
    "tests/test_smoke.py": """\
        import pytest

        from calc import divide

        pytestmark = pytest.mark.smoke


        def test_divide():
            assert divide(6, 3) == 2
        """,
}

# The change a pull request makes, for `diff`: a new function only smoke's tests run.
CHANGE = """

def double(a):
    return add(a, a)
"""
SMOKE_TEST_OF_THE_CHANGE = """

def test_double():
    from calc import double

    assert double(2) == 4
"""


@dataclass
class Run:
    """One run of the action: what its steps wrote, and which ran."""

    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    action_outputs: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    ran: list[str] = field(default_factory=list)
    failed: str | None = None
    stderr: str = ""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True, env=scrubbed_env()
    ).stdout.strip()


def make_repo(dest: Path) -> Path:
    dest.mkdir(parents=True)
    (dest / "pyproject.toml").write_text(PYPROJECT)
    for name, text in SOURCES.items():
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    worktree.commit(dest, "calc", init=True)
    return dest


def expand(text: object, contexts: dict[str, Any]) -> str:
    """A value with its `${{ }}` expressions replaced by their values, as GitHub renders them."""
    if isinstance(text, bool):
        return str(text).lower()

    def value(match: re.Match[str]) -> str:
        result = evaluate(_HYPHENATED.sub(r"['\1']", match.group(1)), contexts)
        if result is True or result is False:
            return str(result).lower()
        return "" if not result and result != 0 else str(result)

    return _EXPRESSION.sub(value, str(text))


def condition(step: dict[str, Any], contexts: dict[str, Any]) -> bool:
    if "if" not in step:
        return True
    text = _EXPRESSION.sub(lambda m: m.group(1), str(step["if"]))
    return bool(evaluate(_HYPHENATED.sub(r"['\1']", text), contexts))


def fake_uses(step: dict[str, Any], contexts: dict[str, Any], repo: Path, artifacts: Path) -> None:
    """Do what a `uses:` step of the action would do on GitHub's runner."""
    action = step["uses"]
    given = {key: expand(value, contexts) for key, value in step.get("with", {}).items()}
    if action.startswith("actions/setup-python@"):
        assert given["python-version"] == contexts["inputs"]["python-version"]
    elif action.startswith("actions/upload-artifact@"):
        assert given["include-hidden-files"] == "true", "upload-artifact skips .coverage.* without it"
        assert given["if-no-files-found"] == "error"
        folder = artifacts / given["name"]
        folder.mkdir(parents=True)
        for line in filter(None, map(str.strip, given["path"].splitlines())):
            assert (repo / line).is_file(), f"upload-artifact would miss {line}"
            shutil.copy2(repo / line, folder / Path(line).name)
    elif action.startswith("actions/download-artifact@"):
        assert given["merge-multiple"] == "true"
        target = repo / given["path"]
        target.mkdir(parents=True, exist_ok=True)
        for folder in sorted(artifacts.iterdir()):
            if fnmatch.fnmatchcase(folder.name, given["pattern"]):
                for path in folder.iterdir():
                    shutil.copy2(path, target / path.name)
    else:
        raise AssertionError(f"the test does not stand in for {action}")


def run_action(repo: Path, tmp: Path, artifacts: Path, **given: str) -> Run:
    """Run the action's steps with `given` inputs (as `with:` gives them: strings)."""
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    assert set(given) <= set(inputs), set(given) - set(inputs)
    inputs |= given
    tmp.mkdir(parents=True, exist_ok=True)
    summary = tmp / "summary.md"
    summary.write_text("")
    # A stand-in for pip: the install step's `python -m pip install ...` records its arguments.
    stub = tmp / "stub-bin"
    stub.mkdir(exist_ok=True)
    (stub / "python").write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{tmp}/pip-args"\n')
    (stub / "python").chmod(0o755)
    result = Run()
    contexts: dict[str, Any] = {
        "inputs": inputs,
        "github": {"action_path": str(ACTION_PATH)},
        "steps": {},
        "runner": {"temp": str(tmp)},
    }
    for index, step in enumerate(ACTION["runs"]["steps"]):
        name = step.get("id") or step.get("name") or step.get("uses")
        if result.failed is not None and "cancelled()" not in str(step.get("if", "")):
            continue
        if not condition(step, contexts):
            continue
        result.ran.append(name)
        if "uses" in step:
            fake_uses(step, contexts, repo, artifacts)
            continue
        assert step["shell"] == "bash"
        assert not _EXPRESSION.search(step["run"]), f"step {name!r} puts an expression in its script"
        output = tmp / f"output-{index}"
        output.write_text("")
        env = {key: expand(value, contexts) for key, value in step.get("env", {}).items()}
        path = scrubbed_env()["PATH"]
        if step.get("name") == "install covthemes":
            path = f"{stub}:{path}"
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=repo,
            env=scrubbed_env(
                **env,
                PATH=path,
                GITHUB_OUTPUT=str(output),
                GITHUB_STEP_SUMMARY=str(summary),
                GITHUB_ACTION_PATH=str(ACTION_PATH),
                RUNNER_TEMP=str(tmp),
            ),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        written = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
        if "id" in step:
            contexts["steps"][step["id"]] = {"outputs": written}
            result.outputs[step["id"]] = written
        if proc.returncode != 0:
            result.failed = name
            result.stderr = proc.stdout + proc.stderr
    result.action_outputs = {
        key: expand(spec["value"], contexts) for key, spec in ACTION.get("outputs", {}).items()
    }
    result.summary = summary.read_text()
    return result


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return make_repo(tmp_path_factory.mktemp("action") / "calc")


@pytest.fixture(scope="module")
def measured(repo, tmp_path_factory) -> tuple[Path, dict[str, Run]]:
    """Each theme run by the action, its data uploaded into one artifacts folder."""
    artifacts = tmp_path_factory.mktemp("artifacts")
    runs = {
        theme: run_action(repo, tmp_path_factory.mktemp(f"run-{theme}"), artifacts, verb="run", theme=theme)
        for theme in ("unit", "smoke")
    }
    return artifacts, runs


@pytest.fixture(scope="module")
def published(repo, measured, tmp_path_factory) -> Run:
    """The publish, from the artifacts alone: the data folder is emptied first."""
    artifacts, _ = measured
    shutil.rmtree(repo / "coverage" / "data")
    return run_action(repo, tmp_path_factory.mktemp("publish"), artifacts, verb="publish")


def test_no_step_script_interpolates_an_expression():
    """Every input reaches a `run:` script through its env, never through the script's text."""
    scripts = [step["run"] for step in ACTION["runs"]["steps"] if "run" in step]
    assert scripts
    for script in scripts:
        assert "${{" not in script, script
    assert all("shell" in step for step in ACTION["runs"]["steps"] if "run" in step)


def test_matrix_writes_the_jobs_to_github_output(repo, tmp_path):
    """`matrix` writes `covthemes matrix`'s jobs to GITHUB_OUTPUT and the action's `matrix` output."""
    result = run_action(repo, tmp_path, tmp_path / "artifacts", verb="matrix")
    assert result.failed is None, result.stderr
    assert "install covthemes" not in result.ran
    jobs = json.loads(result.outputs["locate"]["matrix"])
    assert jobs == {
        "include": [
            {"theme": "unit", "shard": "", "args": "", "name": "unit"},
            {"theme": "smoke", "shard": "", "args": "", "name": "smoke"},
        ]
    }
    assert json.loads(result.action_outputs["matrix"]) == jobs


def test_run_uploads_the_themes_data_file_and_provenance(measured):
    """`run` measures the theme and uploads exactly its data file and provenance, named for the theme."""
    artifacts, runs = measured
    for theme, result in runs.items():
        assert result.failed is None, result.stderr
        assert result.outputs["locate"]["artifact"] == f"coverage-data-{theme}"
        assert sorted(p.name for p in (artifacts / f"coverage-data-{theme}").iterdir()) == [
            f".coverage.{theme}",
            f"provenance.{theme}.json",
        ]


def test_publish_downloads_every_theme_and_writes_the_step_summary(repo, published):
    """`publish` downloads the artifacts, publishes themes.json, and appends summary.md to the summary."""
    assert published.failed is None, published.stderr
    assert published.ran[-2:] == ["publish", "job summary"]
    themes = json.loads((repo / "coverage" / "themes.json").read_text())
    assert set(json.dumps(themes).split('"')) >= {"unit", "smoke"}
    assert published.summary.strip()
    assert published.summary == (repo / "coverage" / "summary.md").read_text()
    assert published.action_outputs["output"] == "coverage"


def test_diff_writes_the_changed_lines_themes_to_the_summary(repo, published, measured, tmp_path):
    """`diff` writes the markdown and JSON beside the report, appends the markdown, and names it as output."""
    assert published.failed is None, published.stderr
    base = git(repo, "rev-parse", "HEAD")
    with (repo / "src" / "calc" / "__init__.py").open("a") as module:
        module.write(CHANGE)
    with (repo / "tests" / "test_smoke.py").open("a") as tests:
        tests.write(SMOKE_TEST_OF_THE_CHANGE)
    worktree.commit(repo, "double")
    artifacts = tmp_path / "artifacts"
    for theme in ("unit", "smoke"):
        result = run_action(repo, tmp_path / f"run-{theme}", artifacts, verb="run", theme=theme)
        assert result.failed is None, result.stderr
    result = run_action(repo, tmp_path / "publish", artifacts, verb="publish")
    assert result.failed is None, result.stderr
    diff = run_action(repo, tmp_path / "diff", artifacts, verb="diff", base=base)
    assert diff.failed is None, diff.stderr
    markdown = repo / diff.action_outputs["diff"]
    assert markdown == repo / "coverage" / "diff.md"
    assert markdown.read_text().strip() in diff.summary
    assert "src/calc/__init__.py" in diff.summary
    assert "no comparison" in diff.summary
    assert json.loads((repo / "coverage" / "diff.json").read_text())


@pytest.mark.parametrize(
    ("given", "installed"),
    [
        ({"verb": "run", "install": "-e ."}, ["{action}[diff,xdist,shards]", "-e", "."]),
        (
            {"verb": "run", "covthemes": "covthemes[diff] @ git+https://example.invalid/x"},
            ["covthemes[diff] @ git+https://example.invalid/x"],
        ),
        ({"verb": "run", "tox": "true"}, ["tox", "tox-uv"]),
        ({"verb": "publish", "tox": "true"}, ["tox", "tox-uv", "{action}[diff,xdist,shards]"]),
        ({"verb": "diff", "tox": "true", "install": "-e ."}, ["{action}[diff,xdist,shards]"]),
    ],
)
def test_install_asks_pip_for_what_the_verb_needs(given, installed, tmp_path):
    """The install step installs covthemes from the action's folder unless told otherwise; tox with tox."""
    env = {f"INPUT_{key.upper()}": value for key, value in given.items()}
    stub = tmp_path / "python"
    stub.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{tmp_path}/pip-args"\n')
    stub.chmod(0o755)
    proc = subprocess.run(
        [str(ACTION_PATH / "action" / "install.sh")],
        env=scrubbed_env(**env, PATH=f"{tmp_path}:{scrubbed_env()['PATH']}"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    args = (tmp_path / "pip-args").read_text().splitlines()
    assert args == ["-m", "pip", "install", *(a.format(action=ACTION_PATH) for a in installed)]


def test_a_shard_is_uploaded_under_its_own_name(repo, tmp_path):
    """A shard of a theme has its own artifact and files: `<theme>-K-of-N`, `.coverage.<theme>.K-of-N`."""
    sharded = tmp_path / "sharded"
    shutil.copytree(repo, sharded, ignore=shutil.ignore_patterns("coverage"))
    with (sharded / "pyproject.toml").open("a") as pyproject:
        pyproject.write("\n[tool.covthemes.shards]\nsmoke = 3\n")
    result = run_action(sharded, tmp_path / "action", tmp_path / "artifacts", verb="matrix")
    assert result.failed is None, result.stderr
    names = [job["name"] for job in json.loads(result.action_outputs["matrix"])["include"]]
    assert names == ["unit", "smoke-1-of-3", "smoke-2-of-3", "smoke-3-of-3"]
    found = locate(sharded, INPUT_VERB="run", INPUT_THEME="smoke", INPUT_SHARD="2/3")
    assert found.returncode == 0, found.stderr
    assert dict(line.split("=", 1) for line in found.stdout.splitlines()) | {} == {
        "output": "coverage",
        "data": "coverage/data",
        "artifact-pattern": "coverage-data-*",
        "artifact": "coverage-data-smoke-2-of-3",
        "data-file": "coverage/data/.coverage.smoke.2-of-3",
        "provenance": "coverage/data/provenance.smoke.2-of-3.json",
    }
    assert locate(sharded, INPUT_VERB="run", INPUT_THEME="smoke", INPUT_SHARD="4/3").returncode == 2
    assert locate(sharded, INPUT_VERB="run", INPUT_THEME="smoke", INPUT_SHARD="").returncode == 2


def locate(repo: Path, **env: str) -> subprocess.CompletedProcess[str]:
    [step] = [step for step in ACTION["runs"]["steps"] if step.get("id") == "locate"]
    return subprocess.run(
        [
            "bash",
            "--noprofile",
            "--norc",
            "-eo",
            "pipefail",
            "-c",
            step["run"].replace('>> "$GITHUB_OUTPUT"', ""),
        ],
        cwd=repo,
        env=scrubbed_env(**env, GITHUB_ACTION_PATH=str(ACTION_PATH), PYTHONPATH=str(ACTION_PATH / "src")),
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("verb", "theme", "shard"),
    [
        ("run", "$(touch pwned)", ""),
        ("run", "unit; touch pwned", ""),
        ("run", "../../etc", ""),
        ("run", "unit", "1/2$(touch pwned)"),
        ("run", "unit\nartifact=evil", ""),
        ("$(touch pwned)", "unit", ""),
    ],
)
def test_hostile_inputs_are_refused_before_any_step_uses_them(repo, tmp_path, verb, theme, shard):
    """A theme, shard or verb that is not configured is refused with one line and exit 2, and never runs."""
    result = run_action(repo, tmp_path, tmp_path / "artifacts", verb=verb, theme=theme, shard=shard)
    assert result.failed == "locate"
    assert result.ran[-1] == "locate"
    assert "measure the theme" not in result.ran
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("covthemes action: ")
    assert "artifact" not in result.outputs["locate"]
    assert not (repo / "pwned").exists()


@pytest.mark.parametrize(
    "given",
    [
        {"verb": "diff", "base": "$(touch pwned)"},
        {"verb": "diff", "base": "--output=pwned"},
        {"verb": "diff", "base": "HEAD", "base-report": "`touch pwned`"},
        {"verb": "run", "theme": "unit", "args": "$(touch pwned) ; touch pwned"},
    ],
)
def test_hostile_base_and_args_stay_arguments(repo, published, tmp_path, given):
    """A base ref, base report or pytest argument is passed as data: nothing it spells runs or is written."""
    assert published.failed is None, published.stderr
    run_action(repo, tmp_path, tmp_path / "artifacts", **given)
    assert not (repo / "pwned").exists()
    assert not list(repo.rglob("pwned"))
