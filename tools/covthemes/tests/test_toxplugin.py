"""`covthemes.toxplugin`: the real tox, in a child process, reading the tiny repository's tox configuration.

tox finds the plugin through the `tox` entry point of the installed
covthemes. Each test writes one tox configuration (tox.toml, tox.ini or
`[tool.tox]`) and asks tox what it made of it, with `tox -l` and `tox config`,
which read the configuration without building any env.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

TOX_TOML = """\
env_list = ["test"]

[env_run_base]
package = "skip"
pass_env = ["MY_TOKEN"]
set_env = { MY_SETTING = "1" }

[env.test]
commands = [["pytest"]]
"""


def tox(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m tox ARGS` in `root`, without the parent tox run's variables (TOX_WORK_DIR moves .tox)."""
    clean = {name: value for name, value in env.items() if not name.startswith(("TOX_", "VIRTUAL_ENV"))}
    return subprocess.run(
        [sys.executable, "-m", "tox", *args],
        cwd=root,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def config(root: Path, env: dict[str, str], envs: str, *keys: str, posargs: tuple[str, ...] = ()) -> dict:
    """`tox config -e ENVS -k KEYS`, as {env: {key: value}} (a multi-line value as its lines)."""
    result = tox(root, env, "config", "-e", envs, "-k", *keys, *(("--", *posargs) if posargs else ()))
    assert result.returncode == 0, result.stdout + result.stderr
    found: dict[str, dict[str, object]] = {}
    current: dict[str, object] = {}
    key = ""
    for line in result.stdout.splitlines():
        if line.startswith("[testenv:"):
            current = found.setdefault(line[len("[testenv:") : -1], {})
        elif line.startswith("  ") and key:
            lines = current[key] if isinstance(current[key], list) else []
            current[key] = [*lines, line.strip()]
        elif " = " in line or line.endswith(" ="):
            key, _, value = line.partition(" =")
            current[key] = value.strip()
    return found


def test_tox_toml_gets_the_theme_envs_and_keeps_its_own(repo: Path, child_env: dict[str, str]) -> None:
    """With a tox.toml that defines none, `tox -l` lists its own env, then each theme's and cov-combine."""
    (repo / "tox.toml").write_text(TOX_TOML)
    listed = tox(repo, child_env, "-l")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert listed.stdout.split() == ["test", "cov-alpha", "cov-beta", "cov-gamma", "cov-combine"]
    found = config(
        repo,
        child_env,
        "cov-beta,cov-combine",
        "commands",
        "set_env",
        "pass_env",
        "depends",
        "labels",
        "package",
        posargs=("-x",),
    )
    beta, combine = found["cov-beta"], found["cov-combine"]
    assert beta["commands"] == "covthemes run beta -x"
    assert "COVERAGE_CONTEXT=beta" in beta["set_env"] and "MY_SETTING=1" in beta["set_env"]
    assert {"COVTHEMES_SHARD", "MY_TOKEN"} <= set(beta["pass_env"])
    assert beta["labels"] == "coverage"
    assert combine["commands"] == "covthemes publish -x"
    assert combine["depends"] == ["cov-alpha", "cov-beta", "cov-gamma"]
    assert combine["package"] == "skip"
    assert not any(line.startswith("COVERAGE_CONTEXT") for line in combine["set_env"])
    assert {"COVTHEMES_ENFORCE_THRESHOLDS", "MY_TOKEN"} <= set(combine["pass_env"])


def test_tox_ini_envs_of_its_own_are_left_as_they_are(repo: Path, child_env: dict[str, str]) -> None:
    """A tox.ini env section (factors expanded) keeps its settings; only the others are added."""
    (repo / "tox.ini").write_text(
        "[tox]\nenv_list = py\n\n[testenv]\npackage = skip\n\n"
        "[testenv:cov-{alpha,combine}]\ndescription = mine\ncommands = echo mine\n"
    )
    listed = tox(repo, child_env, "-l")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert listed.stdout.split() == ["py", "cov-beta", "cov-gamma"]
    found = config(repo, child_env, "cov-alpha,cov-combine,cov-gamma", "description", "commands")
    assert found["cov-alpha"] == {"description": "mine", "commands": "echo mine"}
    assert found["cov-combine"] == {"description": "mine", "commands": "echo mine"}
    assert found["cov-gamma"]["commands"] == "covthemes run gamma"


def test_tool_tox_in_pyproject_gets_the_envs(repo: Path, child_env: dict[str, str]) -> None:
    """`[tool.tox]` in pyproject.toml works as tox.toml does."""
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text() + '\n[tool.tox]\nenv_list = ["lint"]\n\n[tool.tox.env.lint]\n'
        'commands = [["ruff", "check"]]\n'
    )
    listed = tox(repo, child_env, "-l")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert listed.stdout.split() == ["lint", "cov-alpha", "cov-beta", "cov-gamma", "cov-combine"]


def test_without_tool_covthemes_beside_tox_nothing_is_added(repo: Path, child_env: dict[str, str]) -> None:
    """In a folder whose own pyproject.toml has no [tool.covthemes], tox lists only its own envs, even
    inside a repository that has one further up."""
    nested = repo / "tools" / "other"
    nested.mkdir(parents=True)
    (nested / "pyproject.toml").write_text('[project]\nname = "other"\nversion = "1"\n')
    (nested / "tox.toml").write_text(TOX_TOML)
    listed = tox(nested, child_env, "-l")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert listed.stdout.split() == ["test"]


THEMES_LINES = 'themes = ["alpha", "beta", "gamma"]\nmarkers = ["alpha", "beta"]\n'


@pytest.mark.parametrize(
    ("replacement", "message"),
    [
        (THEMES_LINES + "bogus = 1\n", "unknown key 'bogus' in [tool.covthemes]"),
        (
            'themes = ["alpha", "beta", "gamma", "combine"]\nmarkers = ["alpha", "beta", "combine"]\n',
            "the theme 'combine' would be the tox env 'cov-combine'",
        ),
    ],
)
def test_bad_settings_stop_tox_in_one_line(
    repo: Path, child_env: dict[str, str], replacement: str, message: str
) -> None:
    """Settings covthemes refuses stop tox: one line naming the problem and its fix, non-zero exit."""
    (repo / "tox.toml").write_text(TOX_TOML)
    pyproject = repo / "pyproject.toml"
    text = pyproject.read_text()
    assert THEMES_LINES in text
    pyproject.write_text(text.replace(THEMES_LINES, replacement, 1))
    listed = tox(repo, child_env, "-l")
    assert listed.returncode != 0
    errors = [
        line for line in listed.stdout.splitlines() + listed.stderr.splitlines() if "covthemes:" in line
    ]
    assert len(errors) == 1 and message in errors[0], listed.stdout + listed.stderr
    assert "Traceback" not in listed.stdout + listed.stderr
