"""Exceptions raised by the auth service.

Everything a caller can act on derives from `AuthError`; `apps.api` maps each
subclass to an HTTP status. `StorageError` is deliberately NOT an `AuthError`:
a broken database is a server fault (HTTP 500), never a credential problem.
"""

from __future__ import annotations


class AuthError(Exception):
    """Base class of every expected auth failure."""


class InvalidInput(AuthError):
    """A username or password does not meet the rules; the message says which."""


class UsernameTaken(AuthError):
    """Registration used a name that already exists."""


class InvalidCredentials(AuthError):
    """Unknown user or wrong password; one message for both, so names cannot be probed."""

    def __init__(self, message: str = "invalid username or password") -> None:
        super().__init__(message)


class AccountLocked(AuthError):
    """Too many failed logins; `retry_after` is the whole seconds until the lock ends."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(f"too many failed login attempts; try again in {self.retry_after} seconds")


class AccountDisabled(AuthError):
    """The account exists but was disabled by an administrator."""

    def __init__(self, message: str = "account is disabled") -> None:
        super().__init__(message)


class InvalidToken(AuthError):
    """An access or refresh token was rejected; the message names the reason."""


class TokenReused(InvalidToken):
    """An already rotated refresh token came back; its whole family is now revoked."""

    def __init__(
        self,
        message: str = "refresh token was already used; all tokens of this session are revoked",
    ) -> None:
        super().__init__(message)


class StorageError(RuntimeError):
    """The SQLite database failed; the message names the file and what to check."""
