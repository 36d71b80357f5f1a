"""Password storage and login protections: hashing, enumeration, lockout, leaks."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type, extract_parameters

from apps.auth_service import (
    AccountDisabled,
    AccountLocked,
    AuthService,
    InvalidCredentials,
    InvalidInput,
    User,
    UsernameTaken,
)
from tests.clock import FakeClock

from .support import PASSWORD, execute, query

pytestmark = pytest.mark.security


def _stored_hash(db_path: str, username: str) -> str:
    return query(db_path, "SELECT password_hash FROM auth_users WHERE username = ?", (username,))[0][0]


def _set_hash(db_path: str, username: str, password_hash: str) -> None:
    execute(db_path, "UPDATE auth_users SET password_hash = ? WHERE username = ?", (password_hash, username))


def _fail(service: AuthService, times: int, username: str = "alice") -> None:
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            service.authenticate(username, "wrong password")


def test_password_never_stored_in_clear(service: AuthService, user: User, db_path: str) -> None:
    """Neither the database file nor its journal contains the password's bytes."""
    service.login("alice", PASSWORD)
    files = [p for p in Path(db_path).parent.iterdir() if p.name.startswith("auth.db")]
    assert files
    for path in files:
        data = path.read_bytes()
        assert PASSWORD.encode() not in data
        assert PASSWORD.encode("utf-16-le") not in data


def test_password_hash_is_argon2id(user: User, db_path: str) -> None:
    """The stored hash is an argon2id PHC string with the profile's parameters."""
    stored = _stored_hash(db_path, "alice")
    params = extract_parameters(stored)
    assert stored.startswith("$argon2id$")
    assert (params.type, params.time_cost, params.memory_cost, params.parallelism) == (Type.ID, 1, 8, 1)


def test_equal_passwords_get_different_hashes(service: AuthService, db_path: str) -> None:
    """Salting makes two accounts with one password store different hashes."""
    service.register("alice", PASSWORD)
    service.register("bob", PASSWORD)
    assert _stored_hash(db_path, "alice") != _stored_hash(db_path, "bob")


def test_rehashes_on_success_when_parameters_changed(service: AuthService, user: User, db_path: str) -> None:
    """A hash made with other argon2 parameters is replaced at the next successful login."""
    _set_hash(db_path, "alice", PasswordHasher(time_cost=2, memory_cost=16, parallelism=1).hash(PASSWORD))
    service.authenticate("alice", PASSWORD)
    params = extract_parameters(_stored_hash(db_path, "alice"))
    assert (params.time_cost, params.memory_cost) == (1, 8)


def test_rehashes_argon2i_hash_to_argon2id(service: AuthService, user: User, db_path: str) -> None:
    """A legacy argon2i hash still verifies once and is upgraded to argon2id."""
    legacy = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.I).hash(PASSWORD)
    _set_hash(db_path, "alice", legacy)
    service.authenticate("alice", PASSWORD)
    assert _stored_hash(db_path, "alice").startswith("$argon2id$")


def test_failed_login_does_not_rehash(service: AuthService, user: User, db_path: str) -> None:
    """Only a verified password may be rehashed; a wrong one leaves the old hash."""
    old = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1).hash(PASSWORD)
    _set_hash(db_path, "alice", old)
    _fail(service, 1)
    assert _stored_hash(db_path, "alice") == old


def test_unknown_user_and_wrong_password_fail_identically(service: AuthService, user: User) -> None:
    """No user enumeration: an unknown name and a wrong password raise the same error and message."""
    with pytest.raises(InvalidCredentials) as wrong_password:
        service.authenticate("alice", "not the password")
    with pytest.raises(InvalidCredentials) as unknown_user:
        service.authenticate("nobody", "not the password")
    with pytest.raises(InvalidCredentials) as impossible_name:
        service.authenticate("x", "not the password")
    assert str(wrong_password.value) == str(unknown_user.value) == str(impossible_name.value)


def test_lockout_after_five_failures(service: AuthService, user: User) -> None:
    """Five failures within 15 minutes lock the account, even for the right password."""
    _fail(service, 5)
    with pytest.raises(AccountLocked) as locked:
        service.authenticate("alice", PASSWORD)
    assert locked.value.retry_after == 900


def test_unlocks_after_fifteen_minutes(service: AuthService, user: User, clock: FakeClock) -> None:
    """The lock ends once the clock has moved 15 minutes past it."""
    _fail(service, 5)
    clock.advance(899)
    with pytest.raises(AccountLocked) as locked:
        service.authenticate("alice", PASSWORD)
    assert locked.value.retry_after == 1
    clock.advance(1)
    assert service.authenticate("alice", PASSWORD).username == "alice"


def test_unknown_users_are_locked_like_real_ones(service: AuthService, user: User) -> None:
    """No enumeration through lockouts: a name that does not exist locks after five failures too."""
    _fail(service, 5, username="ghost")
    with pytest.raises(AccountLocked):
        service.authenticate("ghost", "anything at all")


def test_lockout_of_one_account_leaves_others_alone(service: AuthService, user: User) -> None:
    """Failures are counted per account."""
    service.register("bob", PASSWORD)
    _fail(service, 5)
    assert service.authenticate("bob", PASSWORD).username == "bob"


def test_disabled_user_cannot_log_in(service: AuthService, user: User) -> None:
    """A disabled account with the right password gets `AccountDisabled`."""
    service.disable("alice")
    with pytest.raises(AccountDisabled):
        service.login("alice", PASSWORD)


def test_disabled_status_is_hidden_from_wrong_passwords(service: AuthService, user: User) -> None:
    """Without the right password a disabled account looks like any failed login."""
    service.disable("alice")
    with pytest.raises(InvalidCredentials):
        service.authenticate("alice", "wrong password")


def test_usernames_are_case_insensitive(service: AuthService, user: User) -> None:
    """'ALICE' is the same account as 'alice', so a look-alike cannot be registered."""
    with pytest.raises(UsernameTaken):
        service.register("ALICE", "another password")
    assert service.authenticate("Alice", PASSWORD).id == user.id


@pytest.mark.parametrize(
    "username",
    ["ab", "a" * 33, "alice smith", "alice/../bob", "al'ice", "\u212aate", "ålice", "alice\x00", "", 42],
)
def test_rejects_invalid_usernames(service: AuthService, username: object) -> None:
    """Names outside 3-32 ASCII `[a-z0-9_.-]` (including Unicode look-alikes) are refused."""
    with pytest.raises(InvalidInput, match="username"):
        service.register(username, PASSWORD)  # type: ignore[arg-type]


@pytest.mark.parametrize("password", ["short", "x" * 129, "nul\x00byte-pass", None])
def test_rejects_invalid_passwords(service: AuthService, password: object) -> None:
    """Passwords must be 8-128 characters of text."""
    with pytest.raises(InvalidInput, match="password"):
        service.register("alice", password)  # type: ignore[arg-type]


def test_oversized_password_is_a_failed_login(service: AuthService, user: User) -> None:
    """A megabyte 'password' is refused like any wrong one and counts towards the lockout."""
    _fail(service, 4)
    with pytest.raises(InvalidCredentials):
        service.authenticate("alice", "x" * 1_000_000)
    with pytest.raises(AccountLocked):
        service.authenticate("alice", PASSWORD)


def test_user_objects_never_carry_the_hash(service: AuthService, user: User) -> None:
    """`User` exposes only id, username, created_at and disabled."""
    assert [f.name for f in dataclasses.fields(User)] == ["id", "username", "created_at", "disabled"]
    assert "$argon2" not in repr(service.get_user("alice"))


def test_password_never_logged(
    service: AuthService, caplog: pytest.LogCaptureFixture, clock: FakeClock
) -> None:
    """No log record from register, login, failures or lockout contains the password."""
    caplog.set_level(logging.DEBUG)
    service.register("alice", PASSWORD)
    service.login("alice", PASSWORD)
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            service.authenticate("alice", "wrong-" + PASSWORD)
    assert caplog.records
    for record in caplog.records:
        rendered = f"{record.getMessage()} {record.__dict__}"
        assert PASSWORD not in rendered
