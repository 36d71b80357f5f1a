"""FastAPI dependencies: the per-app services and the authenticated caller.

The services are built once in `create_app` (apps/api/app.py) and kept on
`app.state`; routes in apps/api/routes/ receive them through these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from apps.api import problem_types as types
from apps.api.notes import NotesStore
from apps.api.problems import BEARER_CHALLENGE, ProblemError
from apps.api.settings import Settings
from apps.auth_service import AuthService, InvalidToken, User

TOKEN_URL = "/v1/auth/token"
# Declares the bearer scheme in OpenAPI; the header itself is parsed below, so a
# malformed header gets its own answer instead of looking like a missing one.
_bearer_scheme = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)


@dataclass(frozen=True)
class Services:
    """What one app instance runs on."""

    settings: Settings
    auth: AuthService
    notes: NotesStore


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _bearer_token(header: str | None) -> str:
    if header is None:
        raise ProblemError(
            types.AUTHENTICATION_REQUIRED,
            "Send `Authorization: Bearer <access token>`; get a token from POST /v1/auth/token.",
            headers={"WWW-Authenticate": BEARER_CHALLENGE},
        )
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token or any(char.isspace() for char in token):
        raise ProblemError(
            types.AUTHENTICATION_REQUIRED,
            "The Authorization header must be exactly `Bearer <access token>`.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_request"'},
        )
    return token


def current_user(
    request: Request,
    services: Annotated[Services, Depends(get_services)],
    _declared: Annotated[str | None, Depends(_bearer_scheme)],
) -> User:
    """The caller named by a valid access token; 401 problems otherwise."""
    token = _bearer_token(request.headers.get("Authorization"))
    claims = services.auth.verify_access_token(token)
    user = services.auth.get_user_by_id(claims.user_id)
    if user is None or user.disabled:
        # verify_access_token checked this already; a concurrent delete can still race it.
        raise InvalidToken("access token user no longer exists")
    return user


ServicesDep = Annotated[Services, Depends(get_services)]
CurrentUser = Annotated[User, Depends(current_user)]
