"""The tox envs that `[tool.covthemes]` implies: `cov-<theme>` for each theme, and `cov-combine`.

Plain data, for the tox plugin (`covthemes.toxplugin`), which hands tox the
envs that a repository's tox configuration does not define itself. They are
the envs the adoption guide writes out by hand: a theme's env runs
`covthemes run THEME` with the theme as `COVERAGE_CONTEXT`; the combine env
depends on every theme's env and runs `covthemes publish`; all carry the
`coverage` label, so `tox -p -m coverage` measures the themes in parallel and
publishes after them. What the envs do not set (deps, the package, the
runner, the Python) they inherit from the configuration's base env
(`[testenv]`, `env_run_base`), as an env written by hand would.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from covthemes.errors import ConfigError
from covthemes.publish import command as publish_command
from covthemes.run import options as run_options

LABEL = "coverage"
PREFIX = "cov-"
COMBINE = f"{PREFIX}combine"
# The static context coverage reads (`[run] context = ${COVERAGE_CONTEXT-}`).
CONTEXT_VARIABLE = "COVERAGE_CONTEXT"


@dataclass(frozen=True)
class ToxEnv:
    """One env: the tox settings it sets, by their tox names; the rest come from the base env."""

    name: str
    description: str
    # Each command as its words; tox's positional arguments (`tox -e ENV -- ARGS`) follow each.
    commands: tuple[tuple[str, ...], ...]
    # Added to the base env's set_env, which wins where both set a variable.
    set_env: Mapping[str, str] = field(default_factory=dict)
    # Added to the base env's pass_env.
    pass_env: tuple[str, ...] = ()
    depends: tuple[str, ...] = ()
    labels: tuple[str, ...] = (LABEL,)
    # None: the base env's (a theme measures the package under test as the base env installs it).
    package: str | None = None
    parallel_show_output: bool = False

    def settings(self) -> dict[str, object]:
        """The plain settings (not `commands`, `set_env`, `pass_env`, `depends`), by their tox names."""
        values: dict[str, object] = {"description": self.description, "labels": list(self.labels)}
        if self.package is not None:
            values["package"] = self.package
        if self.parallel_show_output:
            values["parallel_show_output"] = True
        return values


def theme_env(theme: str) -> ToxEnv:
    """`cov-<theme>`: the theme's run, with the shard a CI matrix chooses passed through."""
    return ToxEnv(
        name=f"{PREFIX}{theme}",
        description=f"measure the {theme} theme: covthemes run {theme}",
        commands=(("covthemes", "run", theme),),
        set_env={CONTEXT_VARIABLE: theme},
        pass_env=(run_options.VARIABLE,),
    )


def combine_env(themes: Sequence[str], output: Path) -> ToxEnv:
    """`cov-combine`: after every theme's env, the publish, with the publish's variables passed through."""
    return ToxEnv(
        name=COMBINE,
        description=(
            f"merge the theme data and publish {output.as_posix()}/ (HTML, JSON, per-theme LCOV/XML, summary)"
        ),
        commands=(("covthemes", "publish"),),
        pass_env=publish_command.VARIABLES,
        depends=tuple(f"{PREFIX}{theme}" for theme in themes),
        package="skip",
        parallel_show_output=True,
    )


def planned(themes: Sequence[str], output: Path, defined: Collection[str]) -> tuple[ToxEnv, ...]:
    """The envs the themes imply that `defined`, the configuration's own envs, lacks, in report order."""
    if COMBINE in (f"{PREFIX}{theme}" for theme in themes):
        raise ConfigError(
            f"the theme {COMBINE.removeprefix(PREFIX)!r} would be the tox env {COMBINE!r}, "
            "which is the publish's: rename the theme in [tool.covthemes] themes"
        )
    envs = (*(theme_env(theme) for theme in themes), combine_env(themes, output))
    return tuple(env for env in envs if env.name not in defined)


def default_envs(configured: Sequence[str], added: Sequence[str]) -> list[str]:
    """The env list: the configuration's own, then each added env it does not name."""
    return [*configured, *(name for name in added if name not in configured)]
