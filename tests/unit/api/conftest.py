"""Fixtures for the API tests: a real app on a real SQLite file, real argon2, real JWTs.

Each test gets its own database under `tmp_path`, APP_ENV=test (the cheap hash
profile), a fixed signing ring it can forge tokens with, and a clock it moves
instead of sleeping. Helpers that are not fixtures live in `helpers.py`.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import logging_lib
from apps.api import Settings, create_app
from apps.auth_service import KeyRing
from tests.clock import FakeClock
from tests.unit.api.helpers import START, bearer, login, register


@pytest.fixture(autouse=True)
def restore_environ() -> Iterator[None]:
    """Put os.environ back as it was: settings tests set APP_* variables."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Remove handlers a test installed (logging_lib.configure) and restore the root level."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        # pytest swaps its own capture handlers per phase; leave those to it.
        if handler not in saved_handlers and not type(handler).__module__.startswith("_pytest"):
            root.removeHandler(handler)
            handler.close()
    for handler in saved_handlers:
        if handler not in root.handlers and not type(handler).__module__.startswith("_pytest"):
            root.addHandler(handler)
    root.setLevel(saved_level)


@pytest.fixture
def log_output() -> io.StringIO:
    """Everything logging_lib writes during the test, as JSON lines."""
    buffer = io.StringIO()
    logging_lib.configure("DEBUG", sinks=[logging_lib.StreamSink(buffer)])
    return buffer


@pytest.fixture
def signing_keys() -> str:
    """A KeyRing JSON the app signs with, so tests can forge tokens with the same key."""
    return KeyRing.generate().to_json()


@pytest.fixture
def db_path(tmp_path) -> str:
    return str(tmp_path / "app.db")


@pytest.fixture
def settings(db_path: str, signing_keys: str) -> Settings:
    return Settings(env="test", db_path=db_path, signing_keys=signing_keys)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def app(settings: Settings, clock: FakeClock) -> FastAPI:
    return create_app(settings, clock=clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def tokens(client: TestClient) -> dict:
    """The token response of a freshly registered user `alice`."""
    register(client, "alice")
    return login(client, "alice")


@pytest.fixture
def alice(tokens: dict) -> dict[str, str]:
    """Authorization headers of `alice`."""
    return bearer(tokens["access_token"])


@pytest.fixture
def bob(client: TestClient) -> dict[str, str]:
    """Authorization headers of a second user, `bob`."""
    register(client, "bob")
    return bearer(login(client, "bob")["access_token"])
