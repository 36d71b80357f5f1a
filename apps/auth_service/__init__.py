"""Accounts and tokens for the monorepo's apps, used only through the names below.

`AuthService` (in `service.py`) is the entry point; `apps.api` maps its errors
to HTTP responses. The command line (create a user, rotate keys) is in
`__main__.py`.
"""

from .errors import (
    AccountDisabled,
    AccountLocked,
    AuthError,
    InvalidCredentials,
    InvalidInput,
    InvalidToken,
    TokenReused,
    UsernameTaken,
)
from .keys import KeyRing
from .models import AccessClaims, TokenPair, User
from .service import AuthService
from .settings import AuthSettings

__all__ = [
    "AccessClaims",
    "AccountDisabled",
    "AccountLocked",
    "AuthError",
    "AuthService",
    "AuthSettings",
    "InvalidCredentials",
    "InvalidInput",
    "InvalidToken",
    "KeyRing",
    "TokenPair",
    "TokenReused",
    "User",
    "UsernameTaken",
]
