"""`covthemes.run.preflight`: a plugin a themed run needs, switched off, is named before pytest starts."""

from __future__ import annotations

import pytest

from covthemes.errors import ConfigError
from covthemes.run import preflight


@pytest.mark.parametrize(
    ("args", "found"),
    [
        (["-p", "no:covthemes"], [("-p no:covthemes", preflight.PLUGINS["covthemes"])]),
        (["-pno:cov"], [("-pno:cov", preflight.PLUGINS["cov"])]),
        (["-x", "-p", "no:pytest_cov"], [("-p no:pytest_cov", preflight.PLUGINS["pytest_cov"])]),
        (["--no-cov"], [("--no-cov", "pytest-cov's measurement")]),
        (["-p", "no:cacheprovider", "-p", "xdist", "-p"], []),
    ],
)
def test_disabled_finds_each_option_that_switches_a_needed_plugin_off(
    args: list[str], found: list[tuple[str, str]]
) -> None:
    """`-p no:NAME` in either spelling, or --no-cov, is found; other plugins are left alone."""
    assert preflight.disabled(args) == found


def test_check_names_pytest_addopts_and_the_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each option is one line naming where it came from and the fix."""
    monkeypatch.setenv("PYTEST_ADDOPTS", "-q -p no:covthemes")
    with pytest.raises(ConfigError) as raised:
        preflight.check(["-p", "no:cov"])
    assert raised.value.problems == (
        "PYTEST_ADDOPTS holds `-p no:covthemes`, which switches off the covthemes plugin, which keeps the "
        "theme's tests: remove it from PYTEST_ADDOPTS for covthemes run",
        "the pytest arguments hold `-p no:cov`, which switches off pytest-cov, which measures the theme: "
        "remove it",
    )


def test_check_names_pytest_addopts_it_cannot_split(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unbalanced quote in PYTEST_ADDOPTS is one line."""
    monkeypatch.setenv("PYTEST_ADDOPTS", "-k 'oops")
    with pytest.raises(ConfigError, match=r"^PYTEST_ADDOPTS cannot be split into arguments"):
        preflight.check([])


def test_check_passes_without_such_options(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing set, nothing said."""
    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)
    preflight.check(["-x"])
