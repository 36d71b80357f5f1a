"""`AuthService`: accounts, logins and tokens, the package's one entry point.

This module holds the rules (who may log in, when tokens rotate); the pieces
live next to it: hashing in `passwords.py`, JWTs in `tokens.py`, keys in
`keys.py`, SQL in `store.py`, lockouts in `throttle.py`, input rules in
`validation.py`. Passwords are never logged, stored or returned.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from . import passwords, store, tokens
from .errors import (
    AccountDisabled,
    InvalidCredentials,
    InvalidInput,
    InvalidToken,
    TokenReused,
)
from .keys import KeyRing
from .models import AccessClaims, TokenPair, User
from .settings import AuthSettings
from .throttle import LoginThrottle
from .validation import (
    PASSWORD_MAX_LENGTH,
    lookup_username,
    normalize_username,
    validate_password,
)

logger = logging.getLogger(__name__)

Clock = Callable[[], float]


def _iso_utc(epoch_seconds: float) -> str:
    return datetime.fromtimestamp(epoch_seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _public(row: store.UserRow) -> User:
    return User(id=row.id, username=row.username, created_at=row.created_at, disabled=row.disabled)


class AuthService:
    """Accounts in SQLite, argon2id passwords, HS256 access tokens, rotating refresh tokens.

    Safe to share between threads. `clock` returns epoch seconds and decides
    every expiry and lockout, so tests move time instead of sleeping.
    """

    def __init__(
        self,
        settings: AuthSettings,
        *,
        keyring: KeyRing | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._settings = settings
        self._keyring = keyring if keyring is not None else KeyRing.generate()
        self._clock: Clock = clock if clock is not None else time.time
        self._hasher = passwords.make_hasher(settings.hash_profile)
        self._db = store.Database(settings.db_path)
        self._throttle = LoginThrottle(self._db, settings)
        self._dummy_hash: str | None = None
        self._dummy_lock = threading.Lock()

    @property
    def settings(self) -> AuthSettings:
        """The settings this service was built with."""
        return self._settings

    @property
    def keyring(self) -> KeyRing:
        """The signing keys; rotate or retire through it while the service runs."""
        return self._keyring

    # -- accounts -------------------------------------------------------------

    def register(self, username: str, password: str) -> User:
        """Create an account; raises `InvalidInput` or `UsernameTaken`."""
        canonical = normalize_username(username)
        validate_password(password)
        password_hash = passwords.hash_password(self._hasher, password)
        created_at = _iso_utc(self._clock())
        with self._db.transaction() as conn:
            user_id = store.insert_user(conn, canonical, password_hash, created_at)
        logger.info("auth: user registered", extra={"user_id": user_id})
        return User(id=user_id, username=canonical, created_at=created_at, disabled=False)

    def get_user(self, username: str) -> User | None:
        """Return the account called `username` (any case), or None."""
        canonical = lookup_username(username)
        if canonical is None:
            return None
        with self._db.read() as conn:
            row = store.user_by_name(conn, canonical)
        return None if row is None else _public(row)

    def get_user_by_id(self, user_id: int | str) -> User | None:
        """Return the account with `user_id` (an int, or the digits of a token's `sub`), or None."""
        if isinstance(user_id, str) and user_id.isascii() and user_id.isdigit():
            user_id = int(user_id)
        if isinstance(user_id, bool) or not isinstance(user_id, int):
            return None
        with self._db.read() as conn:
            row = store.user_by_id(conn, user_id)
        return None if row is None else _public(row)

    def disable(self, username: str) -> None:
        """Disable an account and revoke all its refresh tokens; raises `InvalidInput` if unknown."""
        canonical = lookup_username(username)
        with self._db.transaction() as conn:
            row = None if canonical is None else store.user_by_name(conn, canonical)
            if row is None:
                raise InvalidInput(f"no user named {username!r}")
            store.set_disabled(conn, row.id)
            store.revoke_user_tokens(conn, row.id, self._clock())
        logger.info("auth: user disabled", extra={"user_id": row.id})

    # -- logins ---------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> User:
        """Check a password; raises `InvalidCredentials`, `AccountLocked` or `AccountDisabled`.

        Unknown names and wrong passwords fail with the same error after the
        same argon2 work, and count towards the same lockout.
        """
        now = self._clock()
        canonical = lookup_username(username)
        plausible_password = isinstance(password, str) and len(password) <= PASSWORD_MAX_LENGTH
        if canonical is None:
            # No such name can exist; spend the same hashing time anyway.
            self._burn_verify(password if plausible_password else "")
            raise InvalidCredentials()
        self._throttle.check(canonical, now)
        with self._db.read() as conn:
            row = store.user_by_name(conn, canonical)
        if row is None:
            self._burn_verify(password if plausible_password else "")
            ok = False
        elif not plausible_password:
            ok = False
        else:
            ok = passwords.verify_password(self._hasher, row.password_hash, password)
            if not ok and not passwords.is_valid_hash(row.password_hash):
                logger.error("auth: stored password hash is malformed", extra={"user_id": row.id})
        if not ok or row is None:
            locked = self._throttle.record_failure(canonical, now)
            if locked:
                logger.warning("auth: account locked after failed logins", extra={"username": canonical})
            raise InvalidCredentials()
        if row.disabled:
            raise AccountDisabled()
        if passwords.needs_rehash(self._hasher, row.password_hash):
            with self._db.transaction() as conn:
                store.update_password_hash(conn, row.id, passwords.hash_password(self._hasher, password))
            logger.info("auth: password rehashed with current parameters", extra={"user_id": row.id})
        self._throttle.record_success(canonical)
        return _public(row)

    def login(self, username: str, password: str) -> TokenPair:
        """Authenticate, then issue a new token pair (a new refresh family)."""
        return self.issue_tokens(self.authenticate(username, password))

    def issue_tokens(self, user: User) -> TokenPair:
        """Issue an access token and a refresh token starting a new family."""
        now = self._clock()
        refresh_token = tokens.new_refresh_token()
        with self._db.transaction() as conn:
            row = store.user_by_id(conn, user.id)
            if row is None or row.username != user.username:
                raise InvalidInput(f"no user with id {user.id} named {user.username!r}")
            if row.disabled:
                raise AccountDisabled()
            store.insert_refresh_token(
                conn,
                token_hash=tokens.hash_refresh_token(refresh_token),
                user_id=row.id,
                family_id=tokens.new_family_id(),
                issued_at=now,
                expires_at=now + self._settings.refresh_ttl_seconds,
            )
        return self._pair(row, refresh_token, now)

    # -- tokens ---------------------------------------------------------------

    def refresh(self, refresh_token: str) -> TokenPair:
        """Rotate a refresh token; reuse of a rotated one revokes its family (`TokenReused`)."""
        if not isinstance(refresh_token, str) or not refresh_token:
            raise InvalidToken("refresh token is missing")
        now = self._clock()
        token_hash = tokens.hash_refresh_token(refresh_token)
        new_token = tokens.new_refresh_token()
        reused = False
        # BEGIN IMMEDIATE serialises concurrent refreshes of one token: the
        # second sees `used_at` set and is treated as a reuse.
        with self._db.transaction() as conn:
            row = store.refresh_token_by_hash(conn, token_hash)
            if row is None:
                raise InvalidToken("refresh token is unknown")
            if row.used_at is not None:
                store.revoke_family(conn, row.family_id, now)
                reused = True
            else:
                if row.revoked_at is not None:
                    raise InvalidToken("refresh token was revoked")
                if row.expires_at <= now:
                    raise InvalidToken("refresh token has expired")
                user = store.user_by_id(conn, row.user_id)
                if user is None or user.disabled:
                    raise InvalidToken("refresh token belongs to a disabled account")
                store.mark_refresh_used(conn, token_hash, now)
                store.insert_refresh_token(
                    conn,
                    token_hash=tokens.hash_refresh_token(new_token),
                    user_id=row.user_id,
                    family_id=row.family_id,
                    issued_at=now,
                    expires_at=now + self._settings.refresh_ttl_seconds,
                )
        if reused:
            # Raised after the commit, so the family stays revoked.
            logger.warning("auth: refresh token reused; family revoked", extra={"user_id": row.user_id})
            raise TokenReused()
        assert user is not None  # not reused: looked up and checked above
        return self._pair(user, new_token, now)

    def verify_access_token(self, token: str) -> AccessClaims:
        """Verify an access token; raises `InvalidToken` naming the reason."""
        claims = tokens.decode_access_token(self._keyring, self._settings, token, now=self._clock())
        with self._db.read() as conn:
            row = store.user_by_id(conn, int(claims.sub))
        if row is None or row.username != claims.username:
            raise InvalidToken("access token user does not exist")
        if row.disabled:
            raise InvalidToken("access token belongs to a disabled account")
        return claims

    def ping(self) -> bool:
        """True when the database answers; False on any sqlite3 error."""
        return self._db.ping()

    # -- helpers --------------------------------------------------------------

    def _pair(self, row: store.UserRow, refresh_token: str, now: float) -> TokenPair:
        access = tokens.encode_access_token(
            self._keyring, self._settings, user_id=row.id, username=row.username, now=now
        )
        return TokenPair(
            access_token=access,
            refresh_token=refresh_token,
            expires_in=self._settings.access_ttl_seconds,
        )

    def _burn_verify(self, password: str) -> None:
        """Verify against a throwaway hash so unknown names cost as much as known ones."""
        with self._dummy_lock:
            if self._dummy_hash is None:
                self._dummy_hash = passwords.hash_password(self._hasher, secrets.token_urlsafe(16))
        passwords.verify_password(self._hasher, self._dummy_hash, password)
