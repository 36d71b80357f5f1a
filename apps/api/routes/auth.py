"""Accounts and tokens over HTTP: register, log in (OAuth2 password grant), refresh, me.

The rules live in the auth service (`apps.auth_service`, used only through its
exported names); its errors become problems in apps/api/problems.py.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.security import OAuth2PasswordRequestForm

from apps.api import problem_types as types
from apps.api.deps import CurrentUser, ServicesDep
from apps.api.problems import problem_responses
from apps.api.schemas import RefreshRequest, RegisterRequest, TokenResponse, UserOut
from apps.auth_service import TokenPair, User
from logging_lib import get_logger

router = APIRouter(prefix="/v1", tags=["auth"])
_log = get_logger("apps.api.auth")
_UNAUTHENTICATED = (types.AUTHENTICATION_REQUIRED, types.INVALID_TOKEN)


def _user_out(user: User) -> UserOut:
    return UserOut(id=user.id, username=user.username, created_at=user.created_at)


def _token_out(pair: TokenPair) -> TokenResponse:
    return TokenResponse(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        token_type=pair.token_type,
        expires_in=pair.expires_in,
    )


@router.post(
    "/auth/register",
    status_code=status.HTTP_201_CREATED,
    response_model=UserOut,
    responses=problem_responses(types.USERNAME_TAKEN, types.VALIDATION_FAILED),
)
def register(body: RegisterRequest, services: ServicesDep) -> UserOut:
    """Create an account; the response never carries the password or its hash."""
    user = services.auth.register(body.username, body.password)
    _log.info("account registered", user_id=user.id)
    return _user_out(user)


@router.post(
    "/auth/token",
    response_model=TokenResponse,
    responses=problem_responses(
        types.INVALID_CREDENTIALS,
        types.ACCOUNT_DISABLED,
        types.VALIDATION_FAILED,
        types.ACCOUNT_LOCKED,
    ),
)
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], services: ServicesDep) -> TokenResponse:
    """OAuth2 password grant: form fields `username` and `password`."""
    pair = services.auth.login(form.username, form.password)
    _log.info("login succeeded")
    return _token_out(pair)


@router.post(
    "/auth/refresh",
    response_model=TokenResponse,
    responses=problem_responses(types.INVALID_TOKEN, types.VALIDATION_FAILED),
)
def refresh(body: RefreshRequest, services: ServicesDep) -> TokenResponse:
    """Trade a refresh token for a new pair; the old one stops working."""
    return _token_out(services.auth.refresh(body.refresh_token))


@router.get("/me", response_model=UserOut, responses=problem_responses(*_UNAUTHENTICATED))
def me(user: CurrentUser) -> UserOut:
    """The caller's account."""
    return _user_out(user)
