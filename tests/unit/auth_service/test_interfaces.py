"""The package's public interface: exported names, value types, settings, module layout."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import pkgutil
import time
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type

import apps.auth_service as auth
from apps.auth_service import (
    AccessClaims,
    AccountLocked,
    AuthError,
    AuthService,
    AuthSettings,
    KeyRing,
    TokenPair,
    User,
)
from apps.auth_service.passwords import make_hasher
from tests.clock import FakeClock

from .support import PASSWORD, query

pytestmark = pytest.mark.architecture

PACKAGE_DIR = Path(auth.__file__).parent
PUBLIC_NAMES = {
    "AuthSettings", "KeyRing", "AuthService", "User", "TokenPair", "AccessClaims",
    "AuthError", "InvalidInput", "UsernameTaken", "InvalidCredentials", "AccountLocked",
    "AccountDisabled", "InvalidToken", "TokenReused",
}  # fmt: skip
ERROR_NAMES = PUBLIC_NAMES - {"AuthSettings", "KeyRing", "AuthService", "User", "TokenPair", "AccessClaims"}
_SECRET_A = "A" * 43  # 43 base64url characters = 32 bytes
_SECRET_B = "B" * 43


def test_exports_exactly_the_public_names() -> None:
    """`__all__` lists exactly the public names, each importable."""
    assert set(auth.__all__) == PUBLIC_NAMES
    assert len(auth.__all__) == len(PUBLIC_NAMES)
    assert all(hasattr(auth, name) for name in auth.__all__)


def test_public_namespace_has_no_extra_names() -> None:
    """Besides `__all__`, the package exposes only its submodules and dunders."""
    submodules = {info.name for info in pkgutil.iter_modules([str(PACKAGE_DIR)])}
    public = {name for name in vars(auth) if not name.startswith("_")}
    assert public - submodules == PUBLIC_NAMES


@pytest.mark.parametrize("name", sorted(ERROR_NAMES))
def test_every_error_derives_from_auth_error(name: str) -> None:
    """Catching `AuthError` catches every exported error."""
    assert issubclass(getattr(auth, name), AuthError)


def test_account_locked_carries_retry_after_in_whole_seconds() -> None:
    """`AccountLocked.retry_after` is an int of at least one second."""
    assert AccountLocked(12).retry_after == 12
    assert AccountLocked(0).retry_after == 1


@pytest.mark.parametrize(
    ("cls", "fields"),
    [
        (User, ["id", "username", "created_at", "disabled"]),
        (TokenPair, ["access_token", "refresh_token", "expires_in", "token_type"]),
        (AccessClaims, ["sub", "username", "iat", "exp", "iss", "aud", "kid"]),
        (AuthSettings, [
            "db_path", "issuer", "audience", "access_ttl_seconds", "refresh_ttl_seconds", "hash_profile",
            "max_failed_logins", "failure_window_seconds", "lockout_seconds",
        ]),
    ],
)  # fmt: skip
def test_value_types_are_frozen_dataclasses_with_documented_fields(cls: type, fields: list[str]) -> None:
    """Value types are immutable and have exactly the documented fields, in order."""
    assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen
    assert [f.name for f in dataclasses.fields(cls)] == fields


def test_settings_defaults_are_the_documented_ones() -> None:
    """Defaults: 15-minute access tokens, 14-day refresh tokens, 5 failures / 15 min / 15 min lock."""
    settings = AuthSettings(db_path="app.db")
    assert dataclasses.asdict(settings) == {
        "db_path": "app.db",
        "issuer": "themed-monorepo",
        "audience": "themed-monorepo-api",
        "access_ttl_seconds": 900,
        "refresh_ttl_seconds": 1_209_600,
        "hash_profile": "prod",
        "max_failed_logins": 5,
        "failure_window_seconds": 900,
        "lockout_seconds": 900,
    }


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"hash_profile": "fast"}, "hash_profile"),
        ({"access_ttl_seconds": 0}, "access_ttl_seconds"),
        ({"max_failed_logins": -1}, "max_failed_logins"),
        ({"lockout_seconds": True}, "lockout_seconds"),
        ({"issuer": ""}, "issuer"),
        ({"db_path": ""}, "db_path"),
        ({"db_path": ":memory:"}, "db_path"),
    ],
)
def test_invalid_settings_name_the_field(overrides: dict, named: str) -> None:
    """A bad setting raises `ValueError` naming the field to fix."""
    values = {"db_path": "app.db", **overrides}
    with pytest.raises(ValueError, match=named):
        AuthSettings(**values)


def test_settings_accept_a_pathlib_path(tmp_path: Path) -> None:
    """`db_path` may be given as a `Path` and is stored as `str`."""
    assert AuthSettings(db_path=tmp_path / "a.db").db_path == str(tmp_path / "a.db")  # type: ignore[arg-type]


def test_test_profile_is_the_cheapest_argon2id() -> None:
    """The "test" profile is argon2id with t=1, m=8 KiB (argon2's minimum for p=1), p=1."""
    hasher = make_hasher("test")
    assert (hasher.type, hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (Type.ID, 1, 8, 1)


def test_prod_profile_is_argon2_cffi_defaults() -> None:
    """The "prod" profile follows argon2-cffi's RFC 9106 defaults."""
    hasher, default = make_hasher("prod"), PasswordHasher()
    assert hasher.type is Type.ID
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (
        default.time_cost,
        default.memory_cost,
        default.parallelism,
    )


def test_unknown_hash_profile_is_refused() -> None:
    """`make_hasher` names the allowed profiles for an unknown one."""
    with pytest.raises(ValueError, match="prod, test"):
        make_hasher("fast")


def test_service_defaults_to_a_generated_keyring_and_wall_clock(settings: AuthSettings) -> None:
    """Without arguments a service owns a one-key ring and uses `time.time`."""
    service = AuthService(settings)
    before = int(time.time())
    user = service.register("alice", PASSWORD)
    claims = service.verify_access_token(service.issue_tokens(user).access_token)
    after = int(time.time())
    assert len(service.keyring.kids) == 1
    assert before <= claims.iat <= after


def test_user_created_at_is_iso_8601_utc(service: AuthService) -> None:
    """`created_at` is ISO-8601 UTC taken from the injected clock."""
    assert service.register("alice", PASSWORD).created_at == "2023-11-14T22:13:20Z"


def test_token_pair_shape(service: AuthService, user: User) -> None:
    """A TokenPair is an OAuth2 bearer response with `expires_in` from the settings."""
    pair = service.login("alice", PASSWORD)
    assert (pair.token_type, pair.expires_in) == ("bearer", 900)
    assert pair.access_token.count(".") == 2


def test_access_claims_expose_user_id(service: AuthService, user: User) -> None:
    """`sub` is the user id as a string (JWT rule); `user_id` gives it as an int."""
    claims = service.verify_access_token(service.issue_tokens(user).access_token)
    assert claims.sub == str(user.id) and claims.user_id == user.id
    assert service.get_user_by_id(claims.sub) == service.get_user_by_id(user.id) == user


def test_lookup_of_missing_users_returns_none(service: AuthService, user: User) -> None:
    """`get_user` / `get_user_by_id` return None instead of raising for unknown or impossible keys."""
    assert service.get_user("nobody") is None and service.get_user("x") is None
    assert service.get_user_by_id(999) is None and service.get_user_by_id("abc") is None


def test_schema_is_created_lazily_on_first_use(settings: AuthSettings, db_path: str) -> None:
    """Constructing a service touches no file; the first operation creates the schema."""
    service = AuthService(settings)
    assert not Path(db_path).exists()
    assert service.ping()
    assert Path(db_path).exists()


def test_schema_creation_is_idempotent(settings: AuthSettings, clock: FakeClock, db_path: str) -> None:
    """Several services on one file create the schema once and share the data."""
    AuthService(settings, clock=clock).register("alice", PASSWORD)
    second = AuthService(settings, clock=clock)
    assert second.ping() and second.get_user("alice") is not None
    tables = {row[0] for row in query(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {t for t in tables if not t.startswith("sqlite_")} == {
        "auth_users", "auth_refresh_tokens", "auth_login_failures", "auth_lockouts",
    }  # fmt: skip
    assert query(db_path, "PRAGMA user_version") == [(1,)]


def _imports(path: Path) -> set[str]:
    """Module names imported by `path`; relative imports keep their leading dots."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.add(base)
            found.update(f"{base}.{alias.name}".replace("..", ".") for alias in node.names)
    return found


def test_auth_service_imports_no_web_framework_or_api() -> None:
    """The library stays framework-free: no module imports fastapi, starlette or apps.api."""
    for path in PACKAGE_DIR.glob("*.py"):
        for name in _imports(path):
            assert not name.startswith(("fastapi", "starlette", "apps.api", "uvicorn")), (
                f"{path.name}: {name}"
            )


def test_cli_module_is_not_imported_by_the_library() -> None:
    """Only `__main__.py` holds the CLI, and no other module imports it."""
    for path in PACKAGE_DIR.glob("*.py"):
        assert not any(name.endswith("__main__") for name in _imports(path)), path.name


def test_every_module_has_a_docstring() -> None:
    """Each module says what it is for."""
    for info in pkgutil.iter_modules([str(PACKAGE_DIR)]):
        module = importlib.import_module(f"apps.auth_service.{info.name}")
        assert module.__doc__ and module.__doc__.strip(), info.name


def test_keyring_round_trips_through_json(keyring: KeyRing) -> None:
    """`to_json` output loads back into a ring with the same kids, oldest first."""
    keyring.rotate()
    restored = KeyRing.from_json(keyring.to_json())
    assert restored.kids == keyring.kids and restored.current_kid == keyring.kids[-1]


def test_keyring_accepts_padded_base64url_secrets() -> None:
    """Secrets may be written with or without base64 padding."""
    ring = KeyRing.from_json(f'[{{"kid": "k1", "secret": "{_SECRET_A}="}}]')
    assert ring.kids == ["k1"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"kid": "k"}', "non-empty JSON list"),
        ("[]", "non-empty JSON list"),
        ('[{"kid": "k1"}]', 'exactly "kid" and "secret"'),
        (f'[{{"kid": "k1", "secret": "{_SECRET_A}", "alg": "HS256"}}]', 'exactly "kid" and "secret"'),
        (f'[{{"kid": "", "secret": "{_SECRET_A}"}}]', '"kid" must be a non-empty string'),
        ('[{"kid": "k1", "secret": "not base64!!"}]', "base64url"),
        ('[{"kid": "k1", "secret": "AAAA"}]', "at least 32"),
        ('[{"kid": "k1", "secret": 123}]', "base64url"),
        (
            f'[{{"kid": "k1", "secret": "{_SECRET_A}"}}, {{"kid": "k1", "secret": "{_SECRET_B}"}}]',
            "more than once",
        ),
    ],
)
def test_malformed_keyring_json_raises_value_error(text: str, message: str) -> None:
    """Malformed key JSON raises `ValueError` saying what is wrong."""
    with pytest.raises(ValueError, match=message):
        KeyRing.from_json(text)


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ([], "at least one key"),
        ([("k1", b"x" * 32), ("k1", b"y" * 32)], "unique"),
        ([("k1", b"short")], "at least 32 bytes"),
        ([("", b"x" * 32)], "non-empty string"),
    ],
)
def test_keyring_constructor_validates_keys(keys: list, message: str) -> None:
    """Building a ring directly applies the same rules as `from_json`."""
    with pytest.raises(ValueError, match=message):
        KeyRing(keys)


def test_rotate_appends_a_new_current_key(keyring: KeyRing) -> None:
    """`rotate()` returns the new kid, which becomes `current_kid` and the last of `kids`."""
    first = keyring.current_kid
    new = keyring.rotate()
    assert keyring.kids == [first, new] and keyring.current_kid == new


def test_retire_refuses_the_last_key_and_unknown_kids(keyring: KeyRing) -> None:
    """The ring never becomes empty, and retiring an unknown kid names the known ones."""
    with pytest.raises(ValueError, match="rotate first"):
        keyring.retire(keyring.current_kid)
    with pytest.raises(KeyError, match="known kids"):
        keyring.retire("nope")
