"""Value objects returned by the auth service.

None of them ever carries a password or a password hash: those stay inside
`store.py` (the hash) and the caller's request (the password).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class User:
    """An account as callers see it."""

    id: int
    username: str
    created_at: str
    disabled: bool


@dataclass(frozen=True)
class TokenPair:
    """What a successful login or refresh returns (OAuth2 token response fields)."""

    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"

    def __repr__(self) -> str:
        # Tokens are credentials: keep them out of logs and tracebacks.
        return f"TokenPair(token_type={self.token_type!r}, expires_in={self.expires_in})"


@dataclass(frozen=True)
class AccessClaims:
    """The verified claims of an access token; `sub` is the user id as a string (JWT rule)."""

    sub: str
    username: str
    iat: int
    exp: int
    iss: str
    aud: str
    kid: str

    @property
    def user_id(self) -> int:
        """The numeric user id carried in `sub`."""
        return int(self.sub)
