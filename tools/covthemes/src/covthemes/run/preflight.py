"""What would stop a themed run from measuring, found before pytest starts: a plugin switched off.

`covthemes run` needs two pytest plugins: its own, which keeps the theme's
tests, and pytest-cov, which measures them. `-p no:<plugin>` (or
pytest-cov's `--no-cov`) in PYTEST_ADDOPTS or in the arguments for pytest
would switch one off, and pytest would fail on an option it no longer knows,
or run unmeasured. Each is named with where it came from.
"""

from __future__ import annotations

import os
import shlex

from covthemes.errors import ConfigError

ADDOPTS = "PYTEST_ADDOPTS"
# The names each plugin is known by to `-p no:NAME`.
PLUGINS = {
    "covthemes": "the covthemes plugin, which keeps the theme's tests",
    "pytest_cov": "pytest-cov, which measures the theme",
    "cov": "pytest-cov, which measures the theme",
    "pytest_cov.plugin": "pytest-cov, which measures the theme",
}
NO_COV = "--no-cov"


def disabled(args: list[str]) -> list[tuple[str, str]]:
    """Each `-p no:NAME` or `--no-cov` in `args` that switches off what a run needs, and what it stops."""
    found = []
    for index, arg in enumerate(args):
        if arg == NO_COV:
            found.append((arg, "pytest-cov's measurement"))
            continue
        if arg == "-p" and index + 1 < len(args):
            value, shown = args[index + 1], f"-p {args[index + 1]}"
        elif arg.startswith("-p"):
            value, shown = arg[2:].lstrip("="), arg
        else:
            continue
        name = value.removeprefix("no:") if value.startswith("no:") else None
        if name in PLUGINS:
            found.append((shown, PLUGINS[name]))
    return found


def check(extra: list[str]) -> None:
    """ConfigError naming each option (PYTEST_ADDOPTS or the arguments) that switches a needed plugin off."""
    try:
        addopts = shlex.split(os.environ.get(ADDOPTS, ""))
    except ValueError as exc:
        raise ConfigError(f"{ADDOPTS} cannot be split into arguments ({exc}): correct its quoting") from None
    problems = [
        f"{ADDOPTS} holds `{option}`, which switches off {what}: remove it from {ADDOPTS} for covthemes run"
        for option, what in disabled(addopts)
    ]
    problems += [
        f"the pytest arguments hold `{option}`, which switches off {what}: remove it"
        for option, what in disabled(extra)
    ]
    if problems:
        raise ConfigError(*problems)
