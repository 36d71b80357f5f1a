"""Errors as RFC 9457 `application/problem+json`: every failure response is built here.

The catalogue of problem types is generated (apps/api/problem_types.py, from
problem_types.json by scripts/generate_problem_types.py). `install_problem_handlers`
maps the expected exceptions (HTTP, validation, auth service) to those types.
Unexpected ones, database failures included, become a 500 or 503 in
apps/api/middleware.py, which holds the request id to log them with.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from apps.api import problem_types as types
from apps.api.problem_types import ProblemType
from apps.auth_service import (
    AccountDisabled,
    AccountLocked,
    InvalidCredentials,
    InvalidInput,
    InvalidToken,
    TokenReused,
    UsernameTaken,
)
from logging_lib import get_logger

PROBLEM_MEDIA_TYPE = "application/problem+json"
BEARER_CHALLENGE = "Bearer"
INVALID_TOKEN_CHALLENGE = 'Bearer error="invalid_token"'

_PROBLEM_SCHEMA_REF = {"$ref": "#/components/schemas/Problem"}  # published by apps/api/app.py
_log = get_logger("apps.api.errors")
_BY_STATUS = {problem.status: problem for problem in types.ALL}
# Statuses shared by several types resolve to the generic one for plain HTTP errors.
_BY_STATUS[401] = types.AUTHENTICATION_REQUIRED


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


class ProblemError(Exception):
    """Raise from a route to answer with `problem`; `detail` is shown to the client."""

    def __init__(
        self,
        problem: ProblemType,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.problem = problem
        self.detail = detail
        self.headers = headers or {}
        self.extensions = extensions


def problem_response(
    problem: ProblemType,
    detail: str,
    *,
    instance: str,
    request_id: str | None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> ProblemResponse:
    """Build the response for one occurrence of `problem`."""
    body: dict[str, Any] = {
        "type": problem.type,
        "title": problem.title,
        "status": problem.status,
        "detail": detail,
        "instance": instance,
    }
    if request_id is not None:
        body["request_id"] = request_id
    body.update(extensions)
    return ProblemResponse(body, status_code=problem.status, headers=headers)


def _respond(
    request: Request,
    problem: ProblemType,
    detail: str,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> ProblemResponse:
    return problem_response(
        problem,
        detail,
        instance=request.url.path,
        request_id=getattr(request.state, "request_id", None),
        headers=headers,
        **extensions,
    )


async def _on_problem(request: Request, exc: ProblemError) -> ProblemResponse:
    return _respond(request, exc.problem, exc.detail, exc.headers, **exc.extensions)


async def _on_http_error(request: Request, exc: StarletteHTTPException) -> ProblemResponse:
    problem = _BY_STATUS.get(exc.status_code)
    headers = dict(exc.headers or {})
    if problem is None:
        phrase = HTTPStatus(exc.status_code).phrase
        problem = ProblemType("about:blank", phrase, exc.status_code, phrase)
    if problem.status == 401:
        headers.setdefault("WWW-Authenticate", BEARER_CHALLENGE)
    # The catalogue's description, not exc.detail: framework details can quote the request.
    return _respond(request, problem, problem.description, headers)


def _safe_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    # pydantic puts the submitted value under "input" (a whole body, password
    # included, when a field is missing) and sometimes inside "ctx"; keep neither.
    return [{"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]} for error in exc.errors()]


async def _on_validation_error(request: Request, exc: RequestValidationError) -> ProblemResponse:
    errors = _safe_errors(exc)
    if any(error["type"] == "json_invalid" for error in errors):
        detail = "The request body is not valid JSON."
    else:
        # loc is ("body", "password") and the like: name the field, or the whole body.
        fields = sorted(
            {".".join(str(part) for part in error["loc"][1:] or error["loc"]) for error in errors}
        )
        detail = f"Invalid request: check {', '.join(fields)}." if fields else "Invalid request."
    return _respond(request, types.VALIDATION_FAILED, detail, errors=errors)


async def _on_invalid_input(request: Request, exc: InvalidInput) -> ProblemResponse:
    # The auth service words what rule was broken; that is what the client needs to fix.
    return _respond(request, types.VALIDATION_FAILED, str(exc))


async def _on_username_taken(request: Request, exc: UsernameTaken) -> ProblemResponse:
    return _respond(request, types.USERNAME_TAKEN, "That username is taken; choose another.")


async def _on_invalid_credentials(request: Request, exc: InvalidCredentials) -> ProblemResponse:
    return _respond(
        request,
        types.INVALID_CREDENTIALS,
        "Unknown username or wrong password.",
        {"WWW-Authenticate": BEARER_CHALLENGE},
    )


async def _on_account_locked(request: Request, exc: AccountLocked) -> ProblemResponse:
    return _respond(
        request,
        types.ACCOUNT_LOCKED,
        f"Too many failed logins; try again in {exc.retry_after} seconds.",
        {"Retry-After": str(exc.retry_after)},
        retry_after=exc.retry_after,
    )


async def _on_account_disabled(request: Request, exc: AccountDisabled) -> ProblemResponse:
    return _respond(request, types.ACCOUNT_DISABLED, "This account is disabled.")


async def _on_invalid_token(request: Request, exc: InvalidToken) -> ProblemResponse:
    # The precise reason helps operators, but would help an attacker probe keys and
    # claims just as much: it goes to the log, the client gets one message.
    _log.info("token rejected", reason=str(exc), reused=isinstance(exc, TokenReused))
    if isinstance(exc, TokenReused):
        detail = "This refresh token was already used; its whole session is revoked. Log in again."
    else:
        detail = "The token is invalid, expired or revoked; log in again."
    return _respond(request, types.INVALID_TOKEN, detail, {"WWW-Authenticate": INVALID_TOKEN_CHALLENGE})


def install_problem_handlers(app: FastAPI) -> None:
    """Register the exception-to-problem mappings on `app`."""
    handlers = {
        ProblemError: _on_problem,
        StarletteHTTPException: _on_http_error,
        RequestValidationError: _on_validation_error,
        InvalidInput: _on_invalid_input,
        UsernameTaken: _on_username_taken,
        InvalidCredentials: _on_invalid_credentials,
        AccountLocked: _on_account_locked,
        AccountDisabled: _on_account_disabled,
        InvalidToken: _on_invalid_token,
    }
    for error, handler in handlers.items():
        app.add_exception_handler(error, handler)  # type: ignore[arg-type]


def problem_responses(*problems: ProblemType) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting that a route may answer with these problems."""
    documented: dict[int | str, dict[str, Any]] = {}
    for problem in problems:
        entry = documented.setdefault(
            problem.status,
            {
                "description": "",
                "content": {PROBLEM_MEDIA_TYPE: {"schema": dict(_PROBLEM_SCHEMA_REF)}},
            },
        )
        titles = [t for t in entry["description"].split("; ") if t]
        entry["description"] = "; ".join([*titles, problem.title])
    return documented
