"""Import boundaries, proved by parsing source with `ast` (no import side effects).

- apps/api uses apps.auth_service and logging_lib only through the names their
  top-level `__init__` exports: no submodule imports, no private names.
- logging_lib imports nothing from `apps`: the library must stay usable alone.
- apps.auth_service does not import apps.api: the dependency points one way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import apps.auth_service
import logging_lib

pytestmark = pytest.mark.architecture

ROOT = Path(__file__).resolve().parents[3]
API_DIR = ROOT / "apps" / "api"


def imports_of(path: Path, root: Path = ROOT) -> list[tuple[str, tuple[str, ...]]]:
    """(absolute module, imported names) for every import in `path`; names empty for `import x`.

    Relative imports are resolved against the file's package under `root`.
    """
    package_parts = list(path.relative_to(root).parts[:-1])
    found: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.append((module, tuple(alias.name for alias in node.names)))
    return found


def boundary_violations(path: Path, package: str, exported: set[str], root: Path = ROOT) -> list[str]:
    """Imports in `path` that reach `package` other than `from package import <exported>`."""
    problems = []
    for module, names in imports_of(path, root):
        inside = module == package or module.startswith(package + ".")
        if not inside:
            # `from apps import auth_service` reaches the package object itself.
            problems += [
                f"{path.name}: from {module} import {name}"
                for name in names
                if f"{module}.{name}" == package or f"{module}.{name}".startswith(package + ".")
            ]
            continue
        if module != package:
            problems.append(f"{path.name}: imports submodule {module}")
        elif not names:
            problems.append(f"{path.name}: `import {package}` (use `from {package} import <name>`)")
        else:
            problems += [f"{path.name}: {name} is not exported" for name in names if name not in exported]
    return problems


def api_sources() -> list[Path]:
    return sorted(API_DIR.rglob("*.py"))


def test_api_sources_are_found():
    """The boundary checks below really scan the api package."""
    assert {"app.py", "deps.py", "problems.py"} <= {path.name for path in api_sources()}


def test_api_uses_auth_service_only_through_exported_names():
    """Every auth_service import in apps/api is `from apps.auth_service import <__all__ name>`."""
    exported = set(apps.auth_service.__all__)
    violations = [v for p in api_sources() for v in boundary_violations(p, "apps.auth_service", exported)]
    assert violations == []


def test_api_uses_logging_lib_only_through_exported_names():
    """Every logging_lib import in apps/api is `from logging_lib import <__all__ name>`."""
    exported = set(logging_lib.__all__)
    violations = [v for p in api_sources() for v in boundary_violations(p, "logging_lib", exported)]
    assert violations == []


def test_boundary_check_catches_submodule_and_private_imports(tmp_path):
    """The checker flags submodule, bare, relative, package-object and unexported-name imports."""
    fake = tmp_path / "apps" / "api" / "bad.py"
    fake.parent.mkdir(parents=True)
    fake.write_text(
        "from apps.auth_service.store import Database\n"
        "import apps.auth_service\n"
        "from apps.auth_service import AuthService, _private\n"
        "from ..auth_service import tokens\n"
        "from apps import auth_service\n",
        encoding="utf-8",
    )
    violations = boundary_violations(fake, "apps.auth_service", {"AuthService"}, root=tmp_path)
    assert len(violations) == 5


def test_logging_lib_imports_nothing_from_apps():
    """No module of logging_lib imports `apps` or anything under it."""
    lib_dir = Path(logging_lib.__file__).parent
    offenders = [
        f"{path.name}: {module}"
        for path in sorted(lib_dir.rglob("*.py"))
        for module, _ in imports_of(path)
        if module == "apps" or module.startswith("apps.")
    ]
    assert offenders == [] and any(lib_dir.glob("*.py"))


def test_auth_service_does_not_import_the_api():
    """apps.auth_service never imports apps.api: the api depends on auth, not the reverse."""
    auth_dir = Path(apps.auth_service.__file__).parent
    offenders = [
        f"{path.name}: {module}"
        for path in sorted(auth_dir.rglob("*.py"))
        for module, _ in imports_of(path)
        if module == "apps.api" or module.startswith("apps.api.")
    ]
    assert offenders == []
