"""Every env of tox's env_list runs in a GitHub workflow.

coverage.yml calls the reusable workflow covthemes.yml with `tox: true`,
whose jobs run the covthemes action (tools/covthemes/action.yml): its `run`
verb runs `cov-<theme>` for each theme of the matrix the action's `matrix`
verb lists, its `publish` verb `cov-combine`. tests.yml runs a job for each
env that its first job lists from `tox -l` with scripts/ci_matrix.py. These
tests run those matrix steps as the workflows and the action do, read which
envs the `tox -e` steps of each workflow (and of the action, for the inputs
a job gives it) run, and fail when an env of the real `tox -l` runs in
neither. The workflows' and the action's schemas are checked in
test_config.py; the action's steps run in test_action.py.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.pipeline.helpers import REPO, scrubbed_env, tox

pytestmark = pytest.mark.pipeline

WORKFLOWS = REPO / ".github" / "workflows"
ACTION = REPO / "tools" / "covthemes" / "action.yml"
# Where covthemes.yml checks the action out, beside the repository.
ACTION_USES = "./.covthemes/tools/covthemes"
LOCAL_WORKFLOW = "./.github/workflows/"
_EXPRESSION = re.compile(r"\$\{\{.*?\}\}")
_MATRIX_VALUE = re.compile(r"\$\{\{\s*matrix\.([\w-]+)\s*\}\}")
_MATRIX_FROM_JOB = re.compile(r"^\$\{\{\s*fromJSON\(needs\.([\w-]+)\.outputs\.([\w-]+)\)\s*\}\}$")
_STEP_OUTPUT = re.compile(r"^\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}$")
_INPUT_VALUE = re.compile(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}")
_ACTION_PATH = re.compile(r"\$\{\{\s*github\.action_path\s*\}\}")
# `tox -e <envs>` and the rest of its line.
_TOX_RUN = re.compile(r"\btox -e (\S+)(.*)$", re.M)
# Arguments after `--` go to the env's commands: such a step runs part of the
# env (coverage.yml's browser job runs only the pipeline's browser tests).
_POSARGS = re.compile(r"(^|\s)--(\s|$)")


def load_workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def load_action() -> dict:
    return yaml.safe_load(ACTION.read_text())


def resolve(value: object, row: dict[str, object], inputs: dict[str, object]) -> object:
    """A `with:` value with `${{ matrix.* }}` and `${{ inputs.* }}` replaced; a whole input keeps its type."""
    text = str(value)
    whole = _INPUT_VALUE.fullmatch(text.strip())
    if whole:
        return inputs[whole.group(1)]
    text = _MATRIX_VALUE.sub(lambda m: str(row[m.group(1)]), text)
    return _INPUT_VALUE.sub(lambda m: str(inputs[m.group(1)]), text)


def called_inputs(workflow: dict, given: dict[str, object]) -> dict[str, object]:
    """A reusable workflow's inputs: its defaults, then what the caller's `with:` gives."""
    declared = workflow[True if True in workflow else "on"]["workflow_call"]["inputs"]
    return {name: spec.get("default", "") for name, spec in declared.items()} | given


def action_output(step: dict, name: str) -> str:
    """The covthemes action's output `name` for a step's `with:`, from the `run:` step it comes from."""
    action = load_action()
    match = _STEP_OUTPUT.match(action["outputs"][name]["value"])
    assert match, f"the action's output {name!r} is a step's output"
    step_id, key = match.groups()
    [inner] = [s for s in action["runs"]["steps"] if s.get("id") == step_id]
    inputs = {k: str(spec.get("default", "")) for k, spec in action["inputs"].items()}
    inputs |= {k: str(v) for k, v in step.get("with", {}).items()}
    env = {
        key: _INPUT_VALUE.sub(lambda m: inputs[m.group(1)], _ACTION_PATH.sub(str(ACTION.parent), str(v)))
        for key, v in inner.get("env", {}).items()
    }
    job = {"env": {"GITHUB_ACTION_PATH": str(ACTION.parent)}}
    output = Path(os.environ.get("TMPDIR", "/tmp")) / f"action-{step_id}"
    return run_step({}, job, {**inner, "env": env}, output)[key]


def run_step(workflow: dict, job: dict, step: dict, output: Path) -> dict[str, str]:
    """Run a `run:` step in this checkout as GitHub's runner does; what it wrote to `$GITHUB_OUTPUT`."""
    env = {**workflow.get("env", {}), **job.get("env", {}), **step.get("env", {})}
    for text in [step["run"], *map(str, env.values())]:
        assert not _EXPRESSION.search(text), f"step {step.get('id')!r} has an expression: {text}"
    output.write_text("")
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=REPO,
        env=scrubbed_env(GITHUB_OUTPUT=str(output), **{key: str(value) for key, value in env.items()}),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return dict(line.split("=", 1) for line in output.read_text().splitlines())


def job_output(workflow: dict, job_id: str, name: str, output: Path) -> str:
    """The output `name` of job `job_id`, made by running the step it comes from."""
    job = workflow["jobs"][job_id]
    match = _STEP_OUTPUT.match(job["outputs"][name])
    assert match, f"job {job_id!r}'s output {name!r} is a step's output"
    step_id, key = match.groups()
    [step] = [step for step in job["steps"] if step.get("id") == step_id]
    if step.get("uses") == ACTION_USES:
        return action_output(step, key)
    return run_step(workflow, job, step, output)[key]


def matrix_rows(workflow: dict, job: dict, output: Path) -> list[dict[str, object]]:
    """The matrix values of each run of `job`: its keys' combinations, then its `include` entries."""
    matrix = job.get("strategy", {}).get("matrix")
    if matrix is None:
        return [{}]
    if isinstance(matrix, str):
        match = _MATRIX_FROM_JOB.match(matrix)
        assert match, f"a matrix from an expression comes from a job's output: {matrix}"
        matrix = json.loads(job_output(workflow, *match.groups(), output))
    assert "exclude" not in matrix, "these tests do not apply a matrix's exclude"
    keys = [key for key in matrix if key != "include"]
    rows = [dict(zip(keys, values, strict=True)) for values in itertools.product(*(matrix[k] for k in keys))]
    return (rows if keys else []) + list(matrix.get("include", []))


def envs_run_by_action(step: dict, row: dict[str, object], inputs: dict[str, object]) -> set[str]:
    """The envs the covthemes action runs whole for a step's `with:`: with `tox`, its verb's `tox -e`."""
    given = {key: resolve(value, row, inputs) for key, value in step["with"].items()}
    if str(given.get("tox", "false")).lower() != "true" or str(given.get("args", "")).strip():
        return set()
    envs: set[str] = set()
    for inner in load_action()["runs"]["steps"]:
        if f"inputs.verb == '{given['verb']}'" not in str(inner.get("if", "")):
            continue
        script = inner.get("run", "").replace("$INPUT_THEME", str(given.get("theme", "")))
        for spec, _ in _TOX_RUN.findall(script):
            envs.update(spec.strip('"').split(","))
    return envs


def envs_run_by(workflow: dict, output: Path, inputs: dict[str, object] | None = None) -> set[str]:
    """The envs that a workflow's steps run whole, with `tox -e <env>` and no arguments after `--`,
    themselves or through the workflows (`uses: ./.github/workflows/...`) and the action they call."""
    envs: set[str] = set()
    for job in workflow["jobs"].values():
        if "uses" in job:
            assert job["uses"].startswith(LOCAL_WORKFLOW), job["uses"]
            called = load_workflow(job["uses"].removeprefix(LOCAL_WORKFLOW))
            envs |= envs_run_by(called, output, called_inputs(called, job.get("with", {})))
            continue
        for row in matrix_rows(workflow, job, output):
            for step in job["steps"]:
                if step.get("uses") == ACTION_USES:
                    envs |= envs_run_by_action(step, row, inputs or {})
                script = _MATRIX_VALUE.sub(lambda m, row=row: str(row[m.group(1)]), step.get("run", ""))
                for spec, rest in _TOX_RUN.findall(script):
                    assert not _EXPRESSION.search(spec), f"`tox -e {spec}` has an expression"
                    if not _POSARGS.search(rest):
                        envs.update(spec.split(","))
    return envs


def unrun(envs: list[str], runs: dict[str, set[str]]) -> list[str]:
    """The envs of `envs` that no workflow of `runs` (workflow name: envs it runs) runs."""
    return [env for env in envs if not any(env in run for run in runs.values())]


@pytest.fixture(scope="module")
def envs() -> list[str]:
    """The env_list, as the real `tox -l` expands it."""
    result = tox(REPO, "-l")
    assert result.returncode == 0, result.output
    return result.stdout.split()


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, set[str]]:
    """Each workflow's name, and the envs it runs."""
    output = tmp_path_factory.mktemp("github") / "output"
    return {name: envs_run_by(load_workflow(name), output) for name in ("coverage.yml", "tests.yml")}


def test_every_env_of_the_list_runs_in_a_workflow(envs, runs):
    """Each env `tox -l` lists is run whole by coverage.yml or tests.yml."""
    assert {"py311", "py312", "py313", "py314", "lint", "tool", "pipeline", "cov-combine"} <= set(envs)
    missing = unrun(envs, runs)
    assert not missing, f"no workflow runs {missing}: tests.yml leaves the cov- envs to coverage.yml"


def test_an_env_no_workflow_runs_is_reported(envs, runs):
    """A `cov-` env outside coverage.yml's theme matrix is reported: tests.yml leaves it to coverage.yml."""
    assert unrun([*envs, "cov-performance"], runs) == ["cov-performance"]


def test_the_workflows_run_no_env_twice(runs):
    """tests.yml runs none of the envs coverage.yml runs."""
    assert runs["tests.yml"]
    assert runs["coverage.yml"]
    assert not runs["tests.yml"] & runs["coverage.yml"]


def test_matrix_gives_a_new_env_a_job_on_its_python():
    """scripts/ci_matrix.py gives each non-cov env a job, on its py3<minor> version or the default."""
    result = subprocess.run(
        [sys.executable, "scripts/ci_matrix.py", "--python", "3.12"],
        cwd=REPO,
        input="py311\npy314\nlint\ndocs\ncov-security\ncov-combine\n",
        env=scrubbed_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "include": [
            {"env": "py311", "python": "3.11"},
            {"env": "py314", "python": "3.14"},
            {"env": "lint", "python": "3.12"},
            {"env": "docs", "python": "3.12"},
        ]
    }


def test_matrix_refuses_an_empty_env_list():
    """scripts/ci_matrix.py with nothing on stdin exits 2 and says what to pipe into it."""
    result = subprocess.run(
        [sys.executable, "scripts/ci_matrix.py", "--python", "3.12"],
        cwd=REPO,
        input="",
        env=scrubbed_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "tox -l | python3 scripts/ci_matrix.py" in result.stderr


def test_tests_workflow_fails_a_job_whose_python_is_missing():
    """tests.yml runs tox with --skip-missing-interpreters false, overriding tox.ini's skip."""
    workflow = load_workflow("tests.yml")
    commands = [
        line
        for job in workflow["jobs"].values()
        for step in job["steps"]
        for line in step.get("run", "").splitlines()
        if "tox -e" in line
    ]
    assert commands
    assert all(command.endswith(" --skip-missing-interpreters false") for command in commands), commands


def test_workflows_share_the_ci_python_version():
    """tests.yml's PYTHON_VERSION, for its envs without a py3<minor> factor, is coverage.yml's."""
    versions = {name: load_workflow(name)["env"]["PYTHON_VERSION"] for name in ("coverage.yml", "tests.yml")}
    assert versions["tests.yml"] == versions["coverage.yml"], versions


def test_coverage_workflow_measures_the_themes_on_python_3_14():
    """coverage.yml measures the themes on 3.14 (the sysmon core); covthemes.yml passes it to each job."""
    caller = load_workflow("coverage.yml")["jobs"]["themes"]
    assert caller["uses"] == "./.github/workflows/covthemes.yml"
    assert caller["with"]["python-version"] == "3.14"
    assert caller["with"]["tox"] is True
    called = load_workflow("covthemes.yml")
    steps = [s for job in called["jobs"].values() for s in job["steps"] if s.get("uses") == ACTION_USES]
    assert {s["with"]["verb"] for s in steps} == {"matrix", "run", "publish", "diff"}
    assert all(s["with"]["python-version"] == "${{ inputs.python-version }}" for s in steps)
    assert called_inputs(called, {})["python-version"] == "3.14"
    assert load_action()["inputs"]["python-version"]["default"] == "3.14"


def test_the_action_runs_each_theme_and_the_publish_through_tox_only_when_asked(tmp_path):
    """With `tox`, the action's run verb runs cov-<theme> and its publish cov-combine; without, no tox env."""
    step = {
        "uses": ACTION_USES,
        "with": {"verb": "run", "theme": "${{ matrix.theme }}", "tox": "${{ inputs.tox }}"},
    }
    assert envs_run_by_action(step, {"theme": "fuzz"}, {"tox": True}) == {"cov-fuzz"}
    assert envs_run_by_action(step, {"theme": "fuzz"}, {"tox": False}) == set()
    publish = {"uses": ACTION_USES, "with": {"verb": "publish", "tox": "true"}}
    assert envs_run_by_action(publish, {}, {}) == {"cov-combine"}


def guide_blocks(heading: str) -> list[dict]:
    """The YAML blocks of the adoption guide's section under `heading`, parsed."""
    guide = (REPO / "tools" / "covthemes" / "README.md").read_text()
    section = guide.split(f"\n{heading}\n", 1)[1].split("\n### ", 1)[0]
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", section, re.S)]


def test_the_adoption_guides_workflow_call_gives_real_inputs_and_the_permissions_needed():
    """The guide's call of covthemes.yml is a valid workflow that gives only its inputs and all it needs."""
    [call] = guide_blocks("### The reusable workflow")
    assert len(yaml.safe_dump(call).splitlines()) <= 20
    [job] = call["jobs"].values()
    assert job["uses"] == "OWNER/REPO/.github/workflows/covthemes.yml@REF"
    called = load_workflow("covthemes.yml")
    assert set(job["with"]) <= set(called_inputs(called, {}))
    assert job["permissions"] == called["jobs"]["combine"]["permissions"]
    guide = (REPO / "tools" / "covthemes" / "README.md").read_text()
    table = guide.split("### The reusable workflow", 1)[1].split("### ", 1)[0]
    listed = {
        name
        for cell in re.findall(r"^\| (`[^|]+) \|", table, re.M)
        for name in re.findall(r"`([\w-]+)`", cell)
    }
    assert listed == set(called_inputs(called, {})), "the guide's table lists each input of covthemes.yml"


def test_the_adoption_guides_action_step_gives_real_inputs():
    """The guide's step that runs the action gives only the action's inputs."""
    [steps] = guide_blocks("### The action, in a job of your own")
    [action] = [s for s in steps["steps"] if s["uses"].endswith("/tools/covthemes@REF")]
    assert set(action["with"]) <= set(load_action()["inputs"])
