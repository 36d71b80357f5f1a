"""covthemes as a user gets it: the built wheel in a fresh venv, and its tox plugin.

The sdist and the wheel are built once, with `python -m build`, from a
snapshot of this working tree's `tools/covthemes` (uncommitted work
included). Each venv is made with uv outside this repository's environments,
and installs the wheel, never the source tree; the dependencies come from
PyPI. Three adoptions of test_adoption.py's `inventory` repository, and one
of this monorepo:

- the wheel alone, no tox: `covthemes run` for each theme, `covthemes
  publish`, and `covthemes diff` against the commit before a change;
- tox with `covthemes[tox]` beside it, in a copy of this monorepo whose
  tox.ini lost its `cov-` envs: the plugin's envs equal the explicit ones;
- tox with `covthemes[tox]`, in a repository whose tox.toml defines no
  `cov-` env: `tox -l` lists them, and `tox -p -m coverage` publishes.
"""

from __future__ import annotations

import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from devtools import worktree
from tests.pipeline.helpers import MATRIX, REPO, THEMES, head, load_json, run
from tests.pipeline.test_adoption import OUTPUT, tool_snapshot, write_inventory
from tests.pipeline.test_adoption import THEMES as INVENTORY_THEMES

pytestmark = pytest.mark.pipeline

UV = [sys.executable, "-m", "uv"]
# A function the inventory's tests never call: its def line runs at import,
# its body (the last three lines) in no theme.
REFUND = "\n\ndef refund(cents):\n    if cents < 0:\n        raise ValueError(cents)\n    return -cents\n"
VERSION = re.search(
    r'^__version__ = "([^"]+)"$',
    (REPO / "tools" / "covthemes" / "src" / "covthemes" / "__init__.py").read_text(),
    re.M,
)


def locked(name: str) -> str:
    """`name==<version>`, as uv.lock pins it for this repository's envs."""
    lock = tomllib.loads((REPO / "uv.lock").read_text())
    [version] = [package["version"] for package in lock["package"] if package["name"] == name]
    return f"{name}=={version}"


def make_venv(dest: Path, *requirements: str) -> Path:
    """A fresh venv at `dest` on this Python, with `requirements` installed by uv; its bin folder."""
    made = run([*UV, "venv", "-q", "--python", sys.executable, str(dest)], dest.parent)
    assert made.returncode == 0, made.output
    installed = run(
        [*UV, "pip", "install", "-q", "--python", str(dest / "bin" / "python"), *requirements],
        dest.parent,
        timeout=600,
    )
    assert installed.returncode == 0, installed.output
    return dest / "bin"


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Path:
    """The folder holding the sdist and the wheel (built from the sdist, as `python -m build` does)."""
    folder = tmp_path_factory.mktemp("dist")
    tool = tool_snapshot(folder / "covthemes")
    built = run(
        [sys.executable, "-m", "build", "--outdir", str(folder / "dist"), str(tool)], folder, timeout=600
    )
    assert built.returncode == 0, built.output
    return folder / "dist"


@pytest.fixture(scope="session")
def wheel(dist) -> Path:
    [found] = dist.glob("covthemes-*-py3-none-any.whl")
    return found


@pytest.fixture(scope="session")
def tox_bin(tmp_path_factory, wheel) -> Path:
    """A venv holding tox and tox-uv, as uv.lock pins them, and covthemes[tox] from the wheel beside them."""
    return make_venv(
        tmp_path_factory.mktemp("toxvenv") / "venv", f"{wheel}[tox]", locked("tox"), locked("tox-uv")
    )


def test_build_makes_an_sdist_and_a_wheel_of_the_version(dist):
    """`python -m build` makes one sdist and one wheel, both named with covthemes.__version__."""
    assert VERSION
    names = sorted(path.name for path in dist.iterdir())
    assert names == [f"covthemes-{VERSION.group(1)}-py3-none-any.whl", f"covthemes-{VERSION.group(1)}.tar.gz"]


def test_the_wheel_adopts_a_repository_without_tox(tmp_path, wheel):
    """From the wheel alone, in a fresh venv: each theme runs, the publish writes themes.json with every
    theme, and `covthemes diff` finds the function a commit added and no theme runs."""
    bin_ = make_venv(tmp_path / "venv", f"{wheel}[diff]")
    root = write_inventory(tmp_path / "inventory", tmp_path / "unused")
    (root / "tox.ini").unlink()  # no tox here: the commands themselves
    # The repository's own package, as its tests import it (covthemes comes from the wheel).
    editable = run([*UV, "pip", "install", "-q", "--python", str(bin_ / "python"), "-e", str(root)], tmp_path)
    assert editable.returncode == 0, editable.output
    worktree.commit(root, "inventory", init=True)
    base = head(root)
    with (root / "src" / "inventory" / "pricing.py").open("a") as source:
        source.write(REFUND)
    worktree.commit(root, "refunds, which no test calls")

    where = run([str(bin_ / "python"), "-c", "import covthemes; print(covthemes.__file__)"], tmp_path)
    assert where.returncode == 0, where.output
    assert Path(where.stdout.strip()).is_relative_to(tmp_path / "venv"), where.stdout
    covthemes = str(bin_ / "covthemes")
    version = run([covthemes, "--version"], root)
    assert version.returncode == 0, version.output
    assert version.stdout == f"covthemes {wheel.name.split('-')[1]}\n"

    for theme in INVENTORY_THEMES:
        measured = run([covthemes, "run", theme], root)
        assert measured.returncode == 0, measured.output
        assert (root / OUTPUT / "data" / f".coverage.{theme}").is_file()
        assert (root / OUTPUT / "data" / f"provenance.{theme}.json").is_file()
    published = run([covthemes, "publish"], root)
    assert published.returncode == 0, published.output
    themes = load_json(root / OUTPUT / "themes.json")
    assert themes["status"] == "passed"
    assert list(themes["themes"]) == list(INVENTORY_THEMES)
    for name in ("lines.json", "summary.md", "index.html", "html/index.html"):
        assert (root / OUTPUT / name).is_file(), name

    report = tmp_path / "diff.json"
    diffed = run([covthemes, "diff", "--base", base, "--format", "json", "-o", str(report)], root)
    assert diffed.returncode == 0, diffed.output
    found = load_json(report)
    assert found["base"]["commit"] == base
    assert set(found["themes"]) == set(INVENTORY_THEMES)
    uncovered = {(entry["file"], entry["line"]) for entry in found["uncovered"]}
    length = len((root / "src" / "inventory" / "pricing.py").read_text().splitlines())
    assert {("src/inventory/pricing.py", line) for line in range(length - 2, length + 1)} <= uncovered
    assert found["all_themes"]["changed_statements"] > found["all_themes"]["covered"]


def without_cov_envs(tox_ini: str) -> str:
    """tox.ini without the `cov-<theme>` and `cov-combine` envs: their sections and env_list lines."""
    factor = "cov-{" + ",".join(THEMES) + "}"
    kept = []
    for section in re.split(r"(?m)^(?=\[)", tox_ini):
        if section.startswith((f"[testenv:{factor}]", "[testenv:cov-combine]")):
            continue
        kept.append(section)
    text = "".join(kept)
    for line in (f"    {factor}\n", "    cov-combine\n"):
        assert line in text, line
        text = text.replace(line, "", 1)
    return text


def tox_config(tox: Path, root: Path, keys: tuple[str, ...]) -> dict[str, dict[str, list[str]]]:
    """`tox config` of the themed matrix, each key's value as its lines, with `root` written as `<root>`."""
    result = run([str(tox), "config", "--hashseed", "1", "-e", MATRIX, "-k", *keys, "--", "-x"], root)
    assert result.returncode == 0, result.output
    found: dict[str, dict[str, list[str]]] = {}
    env: dict[str, list[str]] = {}
    key = ""
    for line in result.stdout.replace(str(root), "<root>").splitlines():
        if line.startswith("[testenv:"):
            env = found.setdefault(line.removeprefix("[testenv:").removesuffix("]"), {})
        elif line.startswith("  "):
            env[key].append(line.strip())
        elif " =" in line:
            key, _, value = line.partition(" =")
            env[key] = [value.strip()] if value.strip() else []
    return found


def test_plugin_envs_agree_with_the_explicit_ones(tmp_path, make_clone, tox_bin):
    """With covthemes[tox] beside tox, a copy of this monorepo whose tox.ini lost its `cov-` envs lists the
    same envs in the same order, and each theme env and cov-combine has the explicit envs' description,
    commands, set_env, depends, labels, package and parallel output; cov-combine passes the same
    variables but COVTHEMES_FAULT, the monorepo's own fault injection for its failure tests. (What the
    plugin leaves to the base env, such as cov-combine's dependency group, is the monorepo's choice.)"""
    explicit = make_clone(tmp_path / "explicit")
    plugin = make_clone(tmp_path / "plugin")
    (plugin / "tox.ini").write_text(without_cov_envs((plugin / "tox.ini").read_text()))
    tox = tox_bin / "tox"
    roots = {"explicit": explicit, "plugin": plugin}
    listed = {name: run([str(tox), "-l"], root) for name, root in roots.items()}
    for result in listed.values():
        assert result.returncode == 0, result.output
    assert listed["plugin"].stdout == listed["explicit"].stdout
    assert set(MATRIX.split(",")) <= set(listed["plugin"].stdout.split())

    keys = ("description", "commands", "set_env", "depends", "labels", "package", "parallel_show_output")
    configured = tox_config(tox, plugin, keys)
    assert set(configured) == set(MATRIX.split(","))
    first = f"cov-{THEMES[0]}"
    assert configured[first]["commands"] == [f"covthemes run {THEMES[0]} -x"]
    assert f"COVERAGE_CONTEXT={THEMES[0]}" in configured[first]["set_env"]
    assert configured["cov-combine"]["depends"] == [f"cov-{theme}" for theme in THEMES]
    assert configured == tox_config(tox, explicit, keys)
    passed = {name: tox_config(tox, root, ("pass_env",)) for name, root in roots.items()}
    for env in MATRIX.split(","):
        extra = {"COVTHEMES_FAULT"} if env == "cov-combine" else set()
        assert set(passed["explicit"][env]["pass_env"]) == set(passed["plugin"][env]["pass_env"]) | extra, env


TOX_TOML = """\
# The repository's own envs; the coverage envs come from covthemes[tox].
env_list = ["test"]

[env_run_base]
package = "editable"
# covthemes itself, for the envs the plugin adds.
deps = ["{wheel}"]

[env.test]
description = "the tests, without coverage"
commands = [["pytest", {{ replace = "posargs", extend = true }}]]
"""


def test_a_tox_toml_repository_gets_and_runs_the_coverage_envs(tmp_path, tox_bin, wheel):
    """A repository whose tox.toml defines no `cov-` env, and no [tool.tox]: with covthemes[tox] beside
    tox, `tox -l` lists its own env, each theme's and cov-combine, and `tox -p -m coverage` publishes
    every theme."""
    root = write_inventory(tmp_path / "inventory", tmp_path / "unused")
    (root / "tox.ini").unlink()
    (root / "tox.toml").write_text(TOX_TOML.format(wheel=wheel))
    assert "[tool.tox" not in (root / "pyproject.toml").read_text()
    worktree.commit(root, "inventory", init=True)
    tox = str(tox_bin / "tox")

    listed = run([tox, "-l"], root)
    assert listed.returncode == 0, listed.output
    assert listed.stdout.split() == ["test", *(f"cov-{theme}" for theme in INVENTORY_THEMES), "cov-combine"]

    matrix = run([tox, "-p", "-m", "coverage"], root)
    assert matrix.returncode == 0, matrix.output
    for env in [*(f"cov-{theme}" for theme in INVENTORY_THEMES), "cov-combine"]:
        assert re.search(rf"{env}: OK", matrix.output), matrix.output
    themes = load_json(root / OUTPUT / "themes.json")
    assert themes["status"] == "passed"
    assert list(themes["themes"]) == list(INVENTORY_THEMES)
    for theme in INVENTORY_THEMES:
        assert themes["themes"][theme]["tests"] > 0, theme
    # The theme envs measured with the wheel's covthemes, not this checkout's.
    python = str(root / ".tox" / "cov-unit" / "bin" / "python")
    where = run([python, "-c", "import covthemes; print(covthemes.__file__)"], root)
    assert where.returncode == 0, where.output
    assert Path(where.stdout.strip()).is_relative_to(root / ".tox" / "cov-unit"), where.stdout


def release_workflow() -> dict:
    return yaml.safe_load((REPO / ".github" / "workflows" / "release.yml").read_text())


def test_release_publishes_the_checked_artifacts_by_trusted_publishing():
    """release.yml runs on `v*` tags; its build job checks with twine and uploads dist/; its publish job
    downloads exactly that artifact and publishes it from the `pypi` environment with an OIDC token, no
    password."""
    workflow = release_workflow()
    # PyYAML reads the `on` key as True.
    assert workflow[True] == {"push": {"tags": ["v*"]}}
    assert workflow["permissions"] == {"contents": "read"}
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    runs = [step.get("run", "") for step in build["steps"]]
    assert "python -m build --outdir dist tools/covthemes" in runs
    assert "twine check --strict dist/*" in runs
    [upload] = [
        step for step in build["steps"] if step.get("uses", "").startswith("actions/upload-artifact@")
    ]
    assert publish["needs"] == "build"
    assert publish["environment"]["name"] == "pypi"
    assert publish["permissions"] == {"id-token": "write"}
    [download] = [s for s in publish["steps"] if s.get("uses", "").startswith("actions/download-artifact@")]
    assert download["with"]["name"] == upload["with"]["name"]
    assert download["with"]["path"] == upload["with"]["path"] == "dist/"
    [pypi] = [s for s in publish["steps"] if s.get("uses", "").startswith("pypa/gh-action-pypi-publish@")]
    assert pypi["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert "with" not in pypi, "trusted publishing needs no password or token"


@pytest.mark.parametrize("matches", [True, False])
def test_release_refuses_a_tag_that_is_not_the_built_version(tmp_path, wheel, matches):
    """The build job's tag check, run as GitHub runs it: `v<version>` passes; another fails, naming both."""
    steps = release_workflow()["jobs"]["build"]["steps"]
    [step] = [s for s in steps if s.get("name") == "the tag names the built version"]
    (tmp_path / "dist").mkdir()
    shutil.copy2(wheel, tmp_path / "dist" / wheel.name)
    version = wheel.name.split("-")[1]
    tag = f"v{version}" if matches else "v9.9.9"
    result = run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], tmp_path, TAG=tag)
    if matches:
        assert result.returncode == 0, result.output
    else:
        assert result.returncode == 1
        assert result.stderr == (
            f"tag v9.9.9 does not name the built version {version}: "
            f"tag v{version}, or change covthemes.__version__\n"
        )
