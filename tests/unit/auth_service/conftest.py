"""Fixtures for the auth_service tests: a real SQLite file, real argon2 (the
cheap "test" profile), real JWTs, and a clock the tests move by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from apps.auth_service import AuthService, AuthSettings, KeyRing, User
from tests.clock import FakeClock

from .support import PASSWORD, START


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "auth.db")


@pytest.fixture
def settings(db_path: str) -> AuthSettings:
    # The cheap argon2 profile: ~0.025 ms per hash instead of ~93 ms for "prod"
    # (measured, see passwords.py); the suite hashes a few hundred passwords.
    return AuthSettings(db_path=db_path, hash_profile="test")


@pytest.fixture
def keyring() -> KeyRing:
    return KeyRing.generate()


@pytest.fixture
def service(settings: AuthSettings, keyring: KeyRing, clock: FakeClock) -> AuthService:
    return AuthService(settings, keyring=keyring, clock=clock)


@pytest.fixture
def user(service: AuthService) -> User:
    return service.register("alice", PASSWORD)
