"""The repository's own coverage config: opening it, checking it, and what covthemes needs from it.

`check` reads the config once and returns `CoverageSettings`, everything the
rest of the tool uses from it. The config may be `.coveragerc`, `setup.cfg`, `tox.ini` or `pyproject.toml`,
with `source` as folders or as importable packages, in a src layout or not,
and `parallel = true` or not. covthemes owns the data file names, so it opens
every data file with `data_suffix=False`: a `parallel` setting never renames
what it reads or writes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from coverage import Coverage

from covthemes.errors import ConfigError
from covthemes.settings.config import Settings

CONTEXT_VALUE = "${COVERAGE_CONTEXT-}"
_PROBE = "covthemes_probe"
SOURCE_OPTIONS = ("run:source", "run:source_pkgs", "run:source_dirs")


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
    return Coverage(
        data_file=str(data_file) if data_file else None,
        data_suffix=False,
        config_file=config,
        **overrides,  # type: ignore[arg-type]
    )


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
    )


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


def source_folders(settings: Settings, cov: Coverage) -> list[Path]:
    """The measured folders (relative to the root), from `source`, `source_pkgs` and `source_dirs`.

    An entry that is not a folder under the root is read as a package name,
    looked up under the root and under `src/`.
    """
    entries = [str(entry) for option in SOURCE_OPTIONS for entry in _as_list(cov.get_option(option))]
    if not entries:
        raise ConfigError(
            "the coverage config names no `source`: add `source = <your package or folder>` under its "
            "[run] section, so the themes measure your code and not the tests"
        )
    folders: list[Path] = []
    for entry in entries:
        folder = _locate(settings.root, str(entry))
        if folder is None:
            raise ConfigError(
                f"coverage source {entry!r} is neither a folder nor a package under {settings.root} "
                "or its src/: correct `source` in the coverage config"
            )
        if folder not in folders:
            folders.append(folder)
    return folders


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else []


def _locate(root: Path, entry: str) -> Path | None:
    direct = Path(entry)
    if direct.is_absolute() and direct.is_dir() and direct.is_relative_to(root):
        return direct.relative_to(root)
    if (root / direct).is_dir():
        return Path(os.path.normpath(direct))
    dotted = Path(*entry.split("."))
    for base in (Path(), Path("src")):
        if (root / base / dotted).is_dir():
            return base / dotted
    return None
