"""covthemes' tox plugin (the `tox` extra): the theme envs and the publish env, where tox's config lacks them.

tox loads it through the `tox` entry point when covthemes is installed
beside tox. Where the pyproject.toml in tox's root (the folder of its
configuration) has `[tool.covthemes]`, it gives tox the envs of `covthemes.toxenvs` that the
configuration (`tox.ini`, `tox.toml` or `[tool.tox]`, whichever tox read)
does not define in an env section of its own, and appends them to the
default env list, so `tox -l` lists them and plain `tox` runs them, as the
hand-written envs of the adoption guide do. An env the configuration
defines is left exactly as it is. Three hooks:

- `tox_add_core_config`, the first to see tox's state: reads the settings,
  finds the envs the configuration defines, and gives tox each other one as
  an in-memory loader (`memory_seed_loaders`), read before the
  configuration's base env; and the env list, through a loader placed first;
- `tox_extend_envs`: declares their names. tox calls it before any
  configuration is read, so it answers lazily, when tox first lists its envs;
- `tox_add_env_config`: a theme env's `COVERAGE_CONTEXT`, as a set_env
  default beside the base env's own set_env.

A `[tool.covthemes]` covthemes refuses stops tox with one line naming it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from tox.config.loader.convert import Factory
from tox.config.loader.memory import MemoryLoader
from tox.config.main import Config
from tox.config.of_type import ConfigLoadArgs
from tox.config.sets import ConfigSet, EnvConfigSet
from tox.config.types import Command, EnvList
from tox.plugin import impl
from tox.report import HandledError
from tox.session.state import State

from covthemes import toxenvs
from covthemes.errors import CovthemesError
from covthemes.settings import config
from covthemes.toxenvs import ToxEnv

V = TypeVar("V")

# The envs this plugin gave the tox run in progress, by name: one tox
# process reads one configuration.
_added: dict[str, ToxEnv] = {}


class _EnvSeed(MemoryLoader):
    """One added env's settings, read before the base env's.

    Its commands take tox's positional arguments, as `{posargs}` does in a
    configuration file; its pass_env adds to the base env's.
    """

    def __init__(self, env: ToxEnv) -> None:
        super().__init__(
            **env.settings(),
            commands=[Command(list(words)) for words in env.commands],
            pass_env=list(env.pass_env),
        )
        if env.depends:
            self.raw["depends"] = EnvList(list(env.depends))

    def load(
        self,
        key: str,
        of_type: Any,
        factory: Factory[V],
        conf: Config | None,
        args: ConfigLoadArgs,
        all_keys: Iterable[str] = (),
    ) -> V:
        value: Any = super().load(key, of_type, factory, conf, args, all_keys)
        if conf is None or args.env_name is None:
            return value  # type: ignore[no-any-return]
        if key == "commands":
            extra = _posargs(conf, args.env_name)
            value = [Command([*command.args, *extra]) for command in value]
        elif key == "pass_env":
            env_conf = conf.get_env(args.env_name)
            inherited = list(_after(self, env_conf, key, of_type, factory, conf, args, all_keys) or [])
            value = [*inherited, *(name for name in value if name not in inherited)]
        return value  # type: ignore[no-any-return]


class _DefaultEnvs(MemoryLoader):
    """The core's env list: the configuration's own, then the added envs it does not name."""

    def __init__(self, core: ConfigSet, added: Sequence[str]) -> None:
        super().__init__(env_list=EnvList(list(added)))
        self._core = core
        self._names = tuple(added)

    def load(
        self,
        key: str,
        of_type: Any,
        factory: Factory[V],
        conf: Config | None,
        args: ConfigLoadArgs,
        all_keys: Iterable[str] = (),
    ) -> V:
        if key != "env_list":
            raise KeyError(key)
        own = _after(self, self._core, key, of_type, factory, conf, args, all_keys)
        configured = list(own) if own is not None else []
        return EnvList(toxenvs.default_envs(configured, self._names))  # type: ignore[return-value]


def _after(
    loader: MemoryLoader,
    config_set: ConfigSet,
    key: str,
    of_type: Any,
    factory: Factory[V],
    conf: Config | None,
    args: ConfigLoadArgs,
    all_keys: Iterable[str],
) -> Any:
    """The value the loaders after `loader` in `config_set` give `key`; None when none of them sets it."""
    loaders = config_set.loaders
    for later in loaders[loaders.index(loader) + 1 :]:
        try:
            return later.load(key, of_type, factory, conf, args, all_keys)
        except KeyError:
            continue
    return None


def _posargs(conf: Config, env_name: str) -> tuple[str, ...]:
    """tox's positional arguments, paths made relative to the env's change_dir as `{posargs}` makes them."""
    env_conf = conf.get_env(env_name)
    to_path: Path | None = env_conf["change_dir"] if env_conf["args_are_paths"] else None
    return conf.pos_args(to_path) or ()


def defined_envs(conf: Config) -> set[str]:
    """The envs the configuration defines in a section of their own (factors expanded), as tox lists them."""
    names: set[str] = set()
    for section in conf.sections():
        # tox.ini's sections say whether they are an env's ([testenv:NAME]);
        # tox.toml's and [tool.tox]'s sections are all envs ([env.NAME]).
        if getattr(section, "is_test_env", True):
            names.update(getattr(section, "names", [section.name]))
    return names


@impl
def tox_extend_envs() -> Iterable[str]:
    # tox calls this before it reads any configuration, and iterates the
    # answer only when it lists its envs, after tox_add_core_config.
    def names() -> Iterator[str]:
        yield from _added

    return names()


@impl
def tox_add_core_config(core_conf: ConfigSet, state: State) -> None:
    _added.clear()
    # Only the pyproject.toml beside tox's configuration: a tox project inside
    # a covthemes repository (a tool's own folder, say) is not measured by it.
    root = Path(core_conf["tox_root"])
    try:
        if not config.configured(root):
            return
        settings = config.load(root)
        envs = toxenvs.planned(settings.themes, settings.output, defined_envs(state.conf))
    except CovthemesError as exc:
        raise HandledError(f"covthemes: {'; '.join(exc.problems)}") from None
    for env in envs:
        _added[env.name] = env
        state.conf.memory_seed_loaders[env.name].append(_EnvSeed(env))
    if envs:
        core_conf.loaders.insert(0, _DefaultEnvs(core_conf, [env.name for env in envs]))


@impl
def tox_add_env_config(env_conf: EnvConfigSet, state: State) -> None:
    env = _added.get(env_conf.env_name or "")
    if env is None or not env.set_env:
        return
    base = env_conf.default_set_env_loader

    def with_theme() -> dict[str, str]:
        return {**base(), **env.set_env}

    env_conf.default_set_env_loader = with_theme
