"""The package's public surface and import boundaries, as the package documents them."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import logging_lib
from logging_lib import RotatingFileSink, Sink, StreamSink, get_logger
from logging_lib.http_sink import HttpCollectorSink
from logging_lib.loggers import BoundLogger

pytestmark = pytest.mark.architecture

PACKAGE_DIR = Path(logging_lib.__file__).parent
PUBLIC_NAMES = {
    "configure",
    "get_logger",
    "bind",
    "bound_fields",
    "redact",
    "JsonFormatter",
    "Sink",
    "StreamSink",
    "RotatingFileSink",
    "sink_failures",
}


def _clean_env() -> dict[str, str]:
    # A child must not write coverage data into the parent's run.
    return {key: value for key, value in os.environ.items() if not key.startswith(("COVERAGE_", "COV_CORE_"))}


def test_exports_exactly_the_public_names() -> None:
    """`logging_lib.__all__` lists exactly the public names."""
    assert set(logging_lib.__all__) == PUBLIC_NAMES
    assert len(logging_lib.__all__) == len(PUBLIC_NAMES)


def test_every_exported_name_resolves() -> None:
    """Every name in `__all__` is an attribute of the package."""
    missing = [name for name in logging_lib.__all__ if not hasattr(logging_lib, name)]
    assert missing == []


def test_importing_the_package_does_not_load_the_http_sink() -> None:
    """`import logging_lib` leaves the optional HTTP sink (and its thread) unloaded."""
    result = subprocess.run(
        [sys.executable, "-c", "import sys, logging_lib; print('logging_lib.http_sink' in sys.modules)"],
        cwd=PACKAGE_DIR.parent,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_core_modules_never_import_the_http_sink() -> None:
    """No module but `http_sink.py` itself mentions `http_sink` in an import."""
    offenders = []
    for path in PACKAGE_DIR.glob("*.py"):
        if path.name == "http_sink.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and "http_sink" in (node.module or ""):
                offenders.append(path.name)
            if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
                "http_sink" in alias.name for alias in node.names
            ):
                offenders.append(path.name)
    assert offenders == []


def test_package_depends_on_the_standard_library_only() -> None:
    """Every absolute import in logging_lib is a standard-library module."""
    foreign = []
    for path in PACKAGE_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            foreign += [
                f"{path.name}: {name}" for name in names if name.split(".")[0] not in sys.stdlib_module_names
            ]
    assert foreign == []


def test_every_module_states_its_purpose() -> None:
    """Each module of the package opens with a docstring."""
    undocumented = [
        path.name
        for path in PACKAGE_DIR.glob("*.py")
        if not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert undocumented == []


def test_sinks_share_the_sink_base_class() -> None:
    """Stream, file and HTTP sinks are all `Sink`s, so configure() accepts each."""
    assert issubclass(StreamSink, Sink)
    assert issubclass(RotatingFileSink, Sink)
    assert issubclass(HttpCollectorSink, Sink)


def test_get_logger_wraps_the_stdlib_logger_of_that_name() -> None:
    """get_logger(name) returns a BoundLogger over logging.getLogger(name)."""
    import logging

    bound = get_logger("apps.example")
    assert isinstance(bound, BoundLogger)
    assert bound.logger is logging.getLogger("apps.example")
    assert bound.name == "apps.example"


def test_get_logger_rejects_a_non_string_name() -> None:
    """Passing a module object instead of `__name__` fails with a clear TypeError."""
    with pytest.raises(TypeError, match="logger name"):
        get_logger(sys)  # type: ignore[arg-type]


def test_bound_logger_offers_every_level_method() -> None:
    """BoundLogger has debug, info, warning, error and exception."""
    bound = get_logger("tests.methods")
    for method in ("debug", "info", "warning", "error", "exception"):
        assert callable(getattr(bound, method))
