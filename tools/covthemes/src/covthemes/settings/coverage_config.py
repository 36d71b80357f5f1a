"""The repository's own coverage config: opening it, checking it, and what covthemes needs from it.

`check` reads the config once and returns `CoverageSettings`, everything the
rest of the tool uses from it. The config may be `.coveragerc`, `setup.cfg`, `tox.ini` or `pyproject.toml`,
with `source` as folders or as importable packages, in a src layout or not,
and `parallel = true` or not. covthemes owns the data file names, so it opens
every data file with `data_suffix=False`: a `parallel` setting never renames
what it reads or writes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from coverage import Coverage
from coverage.exceptions import CoverageException

from covthemes.errors import ConfigError
from covthemes.settings.config import Settings
from covthemes.settings.sources import SOURCE_OPTIONS, source_folders

CONTEXT_VALUE = "${COVERAGE_CONTEXT-}"
_PROBE = "covthemes_probe"
# The options that decide what a run records: data measured under other
# values of them is not comparable with this config's. The report-time
# options (`[report] omit`, `exclude_also`, ...) are left out: a publish
# applies its own to every theme alike.
MEASUREMENT_OPTIONS = (
    "run:branch",
    *SOURCE_OPTIONS,
    "run:include",
    "run:omit",
    "run:plugins",
    "run:cover_pylib",
    "run:timid",
)


@dataclass(frozen=True)
class Requirement:
    """A setting covthemes needs, and how to write it in each config syntax."""

    option: str
    section: str
    ini_line: str
    toml_line: str

    def fix(self, config_file: str) -> str:
        if config_file.endswith(".toml"):
            return f"`{self.toml_line}` under [tool.coverage.{self.section}]"
        prefix = "coverage:" if Path(config_file).name in ("setup.cfg", "tox.ini") else ""
        return f"`{self.ini_line}` under [{prefix}{self.section}]"


@dataclass(frozen=True)
class OwnOutput:
    """A path of coverage's own commands that must stay out of the covthemes output folder."""

    option: str
    safe: Requirement
    why: str


@dataclass(frozen=True)
class CoverageSettings:
    """What covthemes uses from the coverage config, read once by `check`."""

    config_file: Path
    source_folders: tuple[Path, ...]
    precision: int
    html_title: str
    json_contexts: bool
    json_pretty_print: bool
    # `[run] core` or COVERAGE_CORE, as coverage reads them; None when neither is set.
    core: str | None = None
    # SHA-256 of the MEASUREMENT_OPTIONS' values, which a run's provenance records.
    config_sha256: str = ""


REQUIREMENTS = (
    Requirement("run:branch", "run", "branch = True", "branch = true"),
    Requirement("run:relative_files", "run", "relative_files = True", "relative_files = true"),
    Requirement("run:context", "run", f"context = {CONTEXT_VALUE}", f'context = "{CONTEXT_VALUE}"'),
    Requirement("html:show_contexts", "html", "show_contexts = True", "show_contexts = true"),
    Requirement("json:show_contexts", "json", "show_contexts = True", "show_contexts = true"),
)


# A plain `coverage report`, `html` or `json` combines, then deletes, every
# `<data_file>.*` file beside its data file (coverage 7.14 and later), and
# writes its HTML and JSON where the config says: inside the output folder,
# that would eat the theme data and rewrite the report outside the publish's
# lock and swap.
OWN_OUTPUTS = (
    OwnOutput(
        "run:data_file",
        Requirement("run:data_file", "run", "data_file = .coverage", 'data_file = ".coverage"'),
        "a plain `coverage report`, `html` or `json` would combine and then delete the theme data",
    ),
    OwnOutput(
        "html:directory",
        Requirement("html:directory", "html", "directory = htmlcov", 'directory = "htmlcov"'),
        "a plain `coverage html` would rewrite the published report",
    ),
    OwnOutput(
        "json:output",
        Requirement("json:output", "json", "output = coverage.json", 'output = "coverage.json"'),
        "a plain `coverage json` would overwrite the published report",
    ),
)


def open_coverage(settings: Settings, data_file: Path | None, **overrides: object) -> Coverage:
    """A Coverage object on the repository's config, reading or writing exactly `data_file`."""
    config: str | bool = str(settings.root / settings.coverage_config) if settings.coverage_config else True
    try:
        return Coverage(
            data_file=str(data_file) if data_file else None,
            data_suffix=False,
            config_file=config,
            **overrides,  # type: ignore[arg-type]
        )
    except CoverageException as exc:
        # coverage's message spans lines (the config parser's line and text): one line here.
        reason = "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())
        raise ConfigError(
            f"coverage cannot read its config ({reason}): fix that line, or point coverage-config in "
            "[tool.covthemes] (or COVERAGE_RCFILE) at the repository's coverage config"
        ) from None


@contextmanager
def _probe_context() -> Iterator[None]:
    """Set COVERAGE_CONTEXT to a probe value, so the config shows whether it reads it."""
    saved = os.environ.get("COVERAGE_CONTEXT")
    os.environ["COVERAGE_CONTEXT"] = _PROBE
    try:
        yield
    finally:
        if saved is None:
            del os.environ["COVERAGE_CONTEXT"]
        else:
            os.environ["COVERAGE_CONTEXT"] = saved


def check(settings: Settings) -> CoverageSettings:
    """The coverage config's settings; ConfigError names each missing or unsafe setting and its fix."""
    with _probe_context():
        cov = open_coverage(settings, None)
    config_file = cov.config.config_file
    if config_file is None:
        raise ConfigError(
            "covthemes found no coverage config: create `.coveragerc` (or [tool.coverage.*] in "
            f"pyproject.toml) with {', '.join(r.ini_line for r in REQUIREMENTS)}"
        )
    expected: dict[str, object] = {"run:context": _PROBE}
    missing = [req for req in REQUIREMENTS if cov.get_option(req.option) != expected.get(req.option, True)]
    name = str(_shown(Path(config_file), settings.root))
    problems = [f"{name}: covthemes needs {req.option.split(':')[1]}: add {req.fix(name)}" for req in missing]
    problems += _unsafe_outputs(settings, cov, name)
    if problems:
        raise ConfigError(*problems)
    precision = cov.get_option("report:precision")
    return CoverageSettings(
        config_file=Path(config_file),
        source_folders=tuple(source_folders(settings, cov)),
        precision=precision if isinstance(precision, int) else 0,
        html_title=str(cov.get_option("html:title") or "Themed coverage"),
        json_contexts=bool(cov.get_option("json:show_contexts")),
        json_pretty_print=bool(cov.get_option("json:pretty_print")),
        core=_core(cov),
        config_sha256=config_sha256(cov),
    )


def config_sha256(cov: Coverage) -> str:
    """A hash of the options that decide what a run records (MEASUREMENT_OPTIONS), as coverage reads them."""
    values = {option: cov.get_option(option) for option in MEASUREMENT_OPTIONS}
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=repr).encode()).hexdigest()


def _core(cov: Coverage) -> str | None:
    value = cov.get_option("run:core")
    return str(value) if value else None


def _unsafe_outputs(settings: Settings, cov: Coverage, config_name: str) -> list[str]:
    """A line for each of coverage's own paths that points into the covthemes output folder."""
    output = settings.layout
    problems = []
    for own in OWN_OUTPUTS:
        value = cov.get_option(own.option)
        if not isinstance(value, str) or not value:
            continue
        path = Path(value) if Path(value).is_absolute() else settings.root / value
        if output.in_folder(path):
            key = own.option.split(":")[1]
            problems.append(
                f"{config_name}: {key} = {value} is inside the covthemes output folder "
                f"{settings.output.as_posix()}/, where {own.why}: set {own.safe.fix(config_name)}"
            )
    return problems


def _shown(path: Path, root: Path) -> Path:
    return path.relative_to(root) if path.is_relative_to(root) else path
