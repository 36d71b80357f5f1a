"""`covthemes.toxenvs`: the tox envs that the themes imply, as plain data."""

from __future__ import annotations

from pathlib import Path

import pytest

from covthemes import toxenvs
from covthemes.errors import ConfigError

THEMES = ("alpha", "beta", "gamma")


def test_theme_env_runs_its_theme_with_its_context() -> None:
    """A theme's env runs `covthemes run THEME`, its theme as COVERAGE_CONTEXT, the shard passed through."""
    env = toxenvs.theme_env("beta")
    assert env.name == "cov-beta"
    assert env.commands == (("covthemes", "run", "beta"),)
    assert env.set_env == {"COVERAGE_CONTEXT": "beta"}
    assert env.pass_env == ("COVTHEMES_SHARD",)
    assert env.settings() == {
        "description": "measure the beta theme: covthemes run beta",
        "labels": ["coverage"],
    }


def test_combine_env_publishes_after_every_theme() -> None:
    """cov-combine depends on each theme's env in report order, skips packaging and shows its output."""
    env = toxenvs.combine_env(THEMES, Path("build/covthemes"))
    assert env.name == "cov-combine"
    assert env.commands == (("covthemes", "publish"),)
    assert env.depends == ("cov-alpha", "cov-beta", "cov-gamma")
    assert env.pass_env == (
        "COVTHEMES_ALLOW_MIXED_REVISIONS",
        "COVTHEMES_ENFORCE_THRESHOLDS",
        "COVTHEMES_HISTORY",
    )
    assert env.set_env == {}
    assert env.settings() == {
        "description": (
            "merge the theme data and publish build/covthemes/ (HTML, JSON, per-theme LCOV/XML, summary)"
        ),
        "labels": ["coverage"],
        "package": "skip",
        "parallel_show_output": True,
    }


def test_planned_gives_every_env_when_none_is_defined() -> None:
    """With no env defined, every theme's env and then cov-combine are planned."""
    names = [env.name for env in toxenvs.planned(THEMES, Path("coverage"), set())]
    assert names == ["cov-alpha", "cov-beta", "cov-gamma", "cov-combine"]


def test_planned_leaves_out_the_envs_the_configuration_defines() -> None:
    """An env the configuration defines itself is not planned; the others still are."""
    planned = toxenvs.planned(THEMES, Path("coverage"), {"cov-beta", "cov-combine", "lint"})
    assert [env.name for env in planned] == ["cov-alpha", "cov-gamma"]


def test_a_theme_named_combine_is_refused() -> None:
    """A theme named `combine` would be the publish env's name: one line asks to rename it."""
    with pytest.raises(ConfigError) as raised:
        toxenvs.planned(("alpha", "combine"), Path("coverage"), set())
    assert raised.value.problems == (
        "the theme 'combine' would be the tox env 'cov-combine', which is the publish's: "
        "rename the theme in [tool.covthemes] themes",
    )


def test_default_envs_append_only_what_the_list_lacks() -> None:
    """The configured env list comes first, then each added env it does not name."""
    assert toxenvs.default_envs(["py", "cov-beta"], ["cov-alpha", "cov-beta", "cov-combine"]) == [
        "py",
        "cov-beta",
        "cov-alpha",
        "cov-combine",
    ]
    assert toxenvs.default_envs([], ["cov-alpha"]) == ["cov-alpha"]
