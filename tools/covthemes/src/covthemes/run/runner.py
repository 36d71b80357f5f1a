"""`covthemes run THEME`: one theme's tests under coverage, and the record of where the data came from.

pytest runs in this process, as

    pytest --covthemes-theme THEME --cov --cov-append --cov-report= [PYTEST_ARGS]

(plus `--cov-context=test` with `[tool.covthemes] contexts = "tests"`) with
`COVERAGE_CONTEXT=THEME` (the static context the coverage config reads),
`COVERAGE_FILE=<output>/data/.run-THEME.coverage` (one data file per theme, so
parallel themes never share one) and `COVERAGE_CORE` set to the fastest core
that records the contexts mode (`covthemes.settings.core`); in the phases mode
the plugin switches to the tests phase when collection ends. Only a run that
finished (its tests passed or failed) replaces the theme's data,
`.coverage.THEME`, and then writes its provenance record: a usage error, a
collection error, no test selected or an interrupted run leaves the last good
data and record as they were. The covthemes pytest plugin
(`covthemes.run.plugin`) keeps the theme's tests; a theme chosen by path alone
collects only its files (the plugin's `pytest_ignore_collect`), found from
pytest's own roots by pytest's own rules. Test files that no theme selects
are refused first (`covthemes.settings.unmeasured`). With
`--shard K/N`, pytest-split runs group K of N of those tests, balanced by the
theme's durations file, and the data goes to `.coverage.THEME.K-of-N`. Under
pytest-xdist (`-n`), the counts come from the workers (`covthemes.run.tally`).
Two runs of one theme (or shard) in a checkout take turns under its lock.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from covthemes import atomic, lock
from covthemes.errors import ConfigError, CovthemesError
from covthemes.model import provenance
from covthemes.model.provenance import Provenance
from covthemes.model.revision import Revision
from covthemes.run import preflight
from covthemes.run.options import RunOptions
from covthemes.run.tally import Tally
from covthemes.settings import core, coverage_config, unmeasured
from covthemes.settings.config import Settings
from covthemes.settings.layout import Layout
from covthemes.settings.shards import Shard

DEFAULT_OPTIONS = RunOptions()
# The runs that finished, whose data replaces the theme's.
STATUS_BY_EXIT: dict[int, str] = {
    pytest.ExitCode.OK: "passed",
    pytest.ExitCode.TESTS_FAILED: "failed",
}


def pytest_args(
    settings: Settings, theme: str, extra: list[str], options: RunOptions = DEFAULT_OPTIONS
) -> list[str]:
    """pytest's arguments for one theme's run."""
    # --cov-append: pytest-cov's controller in each xdist worker erases every
    # parallel data file as it starts, so a worker starting late would delete
    # one that an earlier worker already wrote (in the phases mode, at the end
    # of its collection). The run starts from no data instead (`run_theme`).
    args = ["--covthemes-theme", theme, "--cov", "--cov-append"]
    if settings.contexts == core.TESTS:
        args.append("--cov-context=test")
    # No terminal table: the publish step reports every theme at once.
    args.append("--cov-report=")
    if settings.coverage_config:
        args.append(f"--cov-config={settings.coverage_config}")
    if options.shard or options.store_durations:
        args.append(f"--durations-path={settings.root / settings.durations_file(theme)}")
    if options.shard:
        args += [
            f"--splits={options.shard.count}",
            f"--group={options.shard.index}",
            "--splitting-algorithm=least_duration",
        ]
    if options.store_durations:
        args.append("--store-durations")
    # No files of the theme's: pytest collects from its own roots, and the
    # plugin keeps the theme's (naming files would collect what pytest's own
    # rules leave out, a helper module matched by a glob, say).
    return [*args, *extra]


def run_theme(settings: Settings, theme: str, extra: list[str], options: RunOptions = DEFAULT_OPTIONS) -> int:
    """Run `theme`'s tests (or one shard of them); return pytest's exit code (never 0 when none ran)."""
    if theme not in settings.themes:
        raise ConfigError(f"unknown theme {theme!r}: choose one of {', '.join(settings.themes)}")
    context = os.environ.get("COVERAGE_CONTEXT")
    if context not in (None, "", theme):
        raise ConfigError(
            f"COVERAGE_CONTEXT is {context!r} but the theme is {theme!r}: "
            f"unset it, or run `{settings.rerun(theme, options.shard)}`"
        )
    preflight.check(extra)
    unmeasured.check(settings)
    checked = coverage_config.check(settings)
    measuring_core = core.for_run(checked.core, settings.contexts)
    root, shard = settings.root, options.shard
    layout = settings.layout
    layout.data.mkdir(parents=True, exist_ok=True)
    if options.store_durations:
        (root / settings.durations_file(theme)).parent.mkdir(parents=True, exist_ok=True)
    unit = f"theme {theme!r}" + (f" shard {shard.label}" if shard else "")
    with lock.held(layout.run_lock(theme, shard), f"the run of {unit}"):
        partial = layout.run_data_file(theme, shard)
        atomic.refuse_link(partial)
        # No data of an earlier, interrupted run is appended to.
        partial.unlink(missing_ok=True)
        _discard_parallel(partial)
        os.environ["COVERAGE_CONTEXT"] = theme
        os.environ["COVERAGE_FILE"] = str(partial)
        os.environ[core.VARIABLE] = measuring_core
        tally = Tally()
        record = _Recorder(
            settings,
            theme,
            shard,
            tally,
            provenance.now(),
            list(checked.source_folders),
            measuring_core,
            checked.config_sha256,
        )
        try:
            exit_code = int(pytest.main(pytest_args(settings, theme, extra, options), plugins=[tally]))
        except BaseException:
            # pytest itself raised (in a hook of its own teardown, say): the
            # last good data stays; let the traceback show.
            partial.unlink(missing_ok=True)
            raise
        finally:
            _discard_parallel(partial)
        if exit_code in STATUS_BY_EXIT:
            _keep(layout, partial, unit, theme, shard)
            record(exit_code)
            print(_wrote(settings, theme, shard))
        else:
            partial.unlink(missing_ok=True)
    if exit_code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print(
            f"covthemes: error: {unit} selected no tests, so it would publish a silent 0%. "
            f"Check the arguments after `--`, or {_how_to_add(settings, theme)}. "
            f"Its last measured data, if any, is kept.",
            file=sys.stderr,
        )
    return exit_code


def _keep(layout: Layout, partial: Path, unit: str, theme: str, shard: Shard | None) -> None:
    """Make a finished run's data the theme's: its old record goes first, so none vouches for the new data."""
    if not partial.is_file():
        raise CovthemesError(
            f"{unit} ran, but pytest-cov wrote no coverage data ({layout.shown(partial)}): an option or "
            f"plugin switched coverage off; the last measured data is kept: run without it"
        )
    layout.provenance_file(theme, shard).unlink(missing_ok=True)
    os.replace(partial, layout.data_file(theme, shard))


def _discard_parallel(partial: Path) -> None:
    """Remove the data left uncombined beside the run's data file (`<partial>.<host>.pid<N>.X<r>`).

    An xdist worker's data reaches the disk as it runs (the phases mode's switch
    saves the import phase); pytest-cov combines it into `partial` when the
    session ends normally, and leaves it when it does not (no test selected, an
    interrupted or broken run). Links are removed, never followed.
    """
    prefix = f"{partial.name}."
    for entry in partial.parent.iterdir():
        if entry.name.startswith(prefix):
            entry.unlink(missing_ok=True)


def _wrote(settings: Settings, theme: str, shard: Shard | None) -> str:
    """What a finished run wrote, and what comes next."""
    layout = settings.layout
    after = f"once every shard of {theme!r} is measured, " if shard else ""
    return (
        f"covthemes: wrote {layout.shown(layout.data_file(theme, shard))}; "
        f"next: {after}{settings.publish_command}"
    )


def _how_to_add(settings: Settings, theme: str) -> str:
    if settings.path_only(theme):
        return f"correct the globs of {theme!r} in [tool.covthemes.paths]"
    return f"mark tests with `pytestmark = pytest.mark.{theme}`"


@dataclass(frozen=True)
class _Recorder:
    """Writes the run's provenance record once pytest has ended."""

    settings: Settings
    theme: str
    shard: Shard | None
    tally: Tally
    started: str
    folders: list[Path]
    measuring_core: str
    config_sha256: str

    def __call__(self, exit_code: int) -> None:
        settings = self.settings
        record = Provenance.of_run(
            settings.root,
            settings.layout.relative(settings.layout.data_file(self.theme, self.shard)),
            theme=self.theme,
            status=STATUS_BY_EXIT[exit_code],
            exit_code=exit_code,
            tests=self.tally.selected,
            outcomes=self.tally.outcomes,
            started=self.started,
            revision=Revision.of(settings.root, self.folders),
            shard=self.shard.label if self.shard else None,
            config_sha256=self.config_sha256,
            contexts=settings.contexts,
        )
        provenance.write(settings.layout.provenance_file(self.theme, self.shard), record)
