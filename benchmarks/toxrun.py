"""The themed matrix as tox runs it, and what tox's own output says about a run.

`matrix()` and `theme_envs()` are built from the themes of `[tool.covthemes]`
(`covthemes.settings.config.load`), the one list of themes. tox ends
every run with a line per environment, `cov-security: OK (15.02=setup[1.03]+
cmd[13.99] seconds)`; `env_times()` reads those, so the tables can split a
matrix run into environment setup, the themed test runs and the publish step.
`installers()` reads the files tox leaves in `.tox/` to prove which tool built
and filled each environment (P2 must really compare uv with virtualenv + pip).
"""

from __future__ import annotations

import re
from pathlib import Path

PUBLISH_ENV = "cov-combine"


def theme_envs(themes: tuple[str, ...]) -> tuple[str, ...]:
    """tox's env per theme, in the order the themes are configured."""
    return tuple(f"cov-{theme}" for theme in themes)


def matrix(themes: tuple[str, ...]) -> str:
    """The `-e` list of the whole themed matrix: every theme env, then the publish."""
    return ",".join([*theme_envs(themes), PUBLISH_ENV])


_ENV_LINE = re.compile(
    r"^\s*(?P<env>[\w.-]+): OK "
    r"\((?P<total>[\d.]+)=setup\[(?P<setup>[\d.]+)\]\+cmd\[(?P<cmd>[\d.]+)\] seconds\)",
    re.MULTILINE,
)


def env_times(tox_output: str) -> dict[str, dict[str, float]]:
    """{env: {"total", "setup", "cmd"}} from the summary tox prints at the end."""
    return {
        m["env"]: {k: float(m[k]) for k in ("total", "setup", "cmd")} for m in _ENV_LINE.finditer(tox_output)
    }


def installers(clone: Path) -> dict[str, dict[str, str]]:
    """For each environment in `clone/.tox`: what created it and what installed into it.

    `creator` is `uv` or `virtualenv` (from the key each writes into
    pyvenv.cfg); `installer` is `uv sync`, `uv pip`, `pip` or `none`, from the
    commands tox logged in `.tox/<env>/log/`.
    """
    found = {}
    for cfg in sorted((clone / ".tox").glob("*/pyvenv.cfg")):
        env_dir = cfg.parent
        keys = {line.split("=", 1)[0].strip() for line in cfg.read_text().splitlines() if "=" in line}
        creator = "uv" if "uv" in keys else "virtualenv" if "virtualenv" in keys else "unknown"
        commands = []
        for log in sorted((env_dir / "log").glob("*.log")):
            commands += [
                line[4:].strip()
                for line in log.read_text(errors="replace").splitlines()
                if line.startswith("cmd:")
            ]
        installs = [c for c in commands if " pip install" in c or c.startswith("pip install")]
        if any(re.search(r"(^|/)uv sync( |$)", c) for c in commands):
            installer = "uv sync"
        elif any(re.search(r"(^|/)uv pip install", c) for c in installs):
            installer = "uv pip"
        elif any(re.search(r"-m pip install", c) for c in installs):
            installer = "pip"
        else:
            installer = "none"
        found[env_dir.name] = {"creator": creator, "installer": installer}
    return found
