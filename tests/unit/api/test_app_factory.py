"""The app factory and the package's exported interface."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import apps.api
from apps.api import Settings, create_app
from apps.api.settings import SettingsError

pytestmark = pytest.mark.architecture

API_DIR = Path(apps.api.__file__).parent


def test_package_exports_exactly_create_app_and_settings():
    """apps.api exports create_app and Settings, nothing else."""
    assert sorted(apps.api.__all__) == ["Settings", "create_app"]


def test_create_app_returns_a_fastapi_app(settings):
    """create_app(Settings(...)) builds a FastAPI application."""
    assert isinstance(create_app(settings), FastAPI)


def test_create_app_reads_settings_from_environment(tmp_path, monkeypatch):
    """Without arguments, create_app reads APP_ENV and APP_DB_PATH from the environment."""
    db_file = tmp_path / "from-env.db"
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("APP_DB_PATH", str(db_file))
    app = create_app()
    assert app.state.services.settings.env == "test"
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 200
    assert db_file.exists()


def test_create_app_creates_the_database_file_at_start_up(settings, db_path):
    """The SQLite file and the notes table exist as soon as the app is built."""
    create_app(settings)
    assert Path(db_path).is_file()


def test_two_apps_do_not_share_state(tmp_path):
    """Each create_app call has its own database and services."""
    first = create_app(Settings(env="test", db_path=str(tmp_path / "a.db")))
    second = create_app(Settings(env="test", db_path=str(tmp_path / "b.db")))
    with TestClient(first) as one, TestClient(second) as two:
        one.post("/v1/auth/register", json={"username": "carol", "password": "long enough pw"})
        response = two.post("/v1/auth/token", data={"username": "carol", "password": "long enough pw"})
    assert response.status_code == 401


def test_unusable_db_path_fails_start_up_naming_the_variable():
    """An in-memory database path is refused at start-up with a message naming APP_DB_PATH."""
    with pytest.raises(SettingsError, match="APP_DB_PATH"):
        create_app(Settings(env="test", db_path=":memory:"))


def test_docs_are_served_outside_prod(client):
    """The interactive docs are available in dev and test."""
    assert client.get("/docs").status_code == 200


def test_docs_page_is_exempt_from_the_deny_all_csp(client):
    """The docs page needs scripts, so only it goes without the API's deny-all CSP."""
    assert "Content-Security-Policy" not in client.get("/docs").headers
    assert "Content-Security-Policy" in client.get("/openapi.json").headers


def test_docs_are_not_served_in_prod(tmp_path, signing_keys):
    """Production serves the OpenAPI schema but not the interactive docs."""
    app = create_app(Settings(env="prod", db_path=str(tmp_path / "p.db"), signing_keys=signing_keys))
    with TestClient(app) as client:
        assert client.get("/docs").status_code == 404
        assert client.get("/openapi.json").status_code == 200


def test_cli_module_imports_uvicorn_only_inside_main():
    """apps/api/__main__.py imports uvicorn lazily, inside main(), so the app needs no server."""
    tree = ast.parse((API_DIR / "__main__.py").read_text(encoding="utf-8"))
    top_level = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    top_names = {alias.name for node in top_level for alias in node.names}
    top_modules = {node.module for node in top_level if isinstance(node, ast.ImportFrom)}
    assert "uvicorn" not in top_names | top_modules
    main = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main")
    inner = {a.name for n in ast.walk(main) if isinstance(n, ast.Import) for a in n.names}
    assert "uvicorn" in inner


def test_every_module_has_a_docstring():
    """Every module of apps/api says what it is for."""
    missing = [
        path.relative_to(API_DIR).as_posix()
        for path in API_DIR.rglob("*.py")
        if ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) is None
    ]
    assert missing == []
