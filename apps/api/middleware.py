"""Per-request plumbing: request id, access log, security headers, last-resort errors.

A pure ASGI middleware (not BaseHTTPMiddleware) so the request id bound with
`logging_lib.bind` is visible to everything that runs for the request, including
sync routes on worker threads. Expected errors become problems in
apps/api/problems.py; this module handles the unexpected ones, because only here
are the request id and the response state both known.
"""

from __future__ import annotations

import re
import sqlite3
import time
import traceback
import uuid
from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from apps.api import problem_types as types
from apps.api.problems import ProblemResponse, problem_response
from logging_lib import bind, get_logger

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
_CSP = "default-src 'none'; frame-ancestors 'none'"
_HSTS = "max-age=63072000; includeSubDomains"
# Responses carrying credentials or private data must not sit in any cache.
_NO_STORE_PREFIX = "/v1/"

_access_log = get_logger("apps.api.access")
_error_log = get_logger("apps.api.errors")


def request_id_from(headers: Headers) -> str:
    """The client's X-Request-ID when it is a sane token, else a fresh uuid4 hex.

    Junk ids are replaced rather than echoed: they would end up in log lines and
    response headers, where control characters or huge values do damage.
    """
    offered = headers.get(REQUEST_ID_HEADER)
    if offered is not None and _SANE_REQUEST_ID.match(offered):
        return offered
    return uuid.uuid4().hex


def _database_error_in(exc: BaseException) -> sqlite3.Error | None:
    # Storage layers wrap sqlite3 errors in their own types; follow the chain.
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, sqlite3.Error):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _where(exc: BaseException) -> str:
    # The innermost frame locates the bug; the message and the traceback stay out
    # of the log because either can quote secrets (a password in a ValueError).
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown"
    frame = frames[-1]
    return f"{frame.filename}:{frame.lineno} in {frame.name}"


class RequestContextMiddleware:
    """Bind a request id, add security headers, log one access line, catch the unexpected."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False, csp_exempt: Iterable[str] = ()) -> None:
        self.app = app
        self.hsts = hsts
        # The interactive docs pages need scripts and styles; the JSON API needs nothing.
        self.csp_exempt = frozenset(csp_exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(Headers(scope=scope))
        scope.setdefault("state", {})["request_id"] = request_id
        path: str = scope["path"]
        extra_headers = self._headers_for(path, request_id)
        status = 500
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                headers = MutableHeaders(scope=message)
                for name, value in extra_headers.items():
                    headers[name] = value
            await send(message)

        began = time.perf_counter()
        with bind(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_headers)
            except Exception as exc:
                if started:
                    # Too late for an error response; let the server drop the connection.
                    _error_log.error("exception after response started", **_describe(exc))
                    raise
                response = _failure_response(exc, path, request_id)
                await response(scope, receive, send_with_headers)
            finally:
                _access_log.info(
                    "request",
                    method=scope["method"],
                    path=path,
                    status=status,
                    duration_ms=round((time.perf_counter() - began) * 1000, 2),
                    request_id=request_id,
                )

    def _headers_for(self, path: str, request_id: str) -> dict[str, str]:
        headers = {REQUEST_ID_HEADER: request_id, **_SECURITY_HEADERS}
        if path not in self.csp_exempt:
            headers["Content-Security-Policy"] = _CSP
        if path.startswith(_NO_STORE_PREFIX):
            headers["Cache-Control"] = "no-store"
        if self.hsts:
            headers["Strict-Transport-Security"] = _HSTS
        return headers


def _describe(exc: BaseException) -> dict[str, str]:
    fields = {"error_type": type(exc).__qualname__, "where": _where(exc)}
    database_error = _database_error_in(exc)
    if database_error is not None:
        # sqlite3 messages name files, tables and SQL, never bound values.
        fields["database_error"] = str(database_error)
    return fields


def _failure_response(exc: Exception, path: str, request_id: str) -> ProblemResponse:
    if _database_error_in(exc) is not None:
        _error_log.error("database unavailable", **_describe(exc))
        problem, detail = types.SERVICE_UNAVAILABLE, "The database does not answer; retry later."
    else:
        _error_log.error("unhandled exception", **_describe(exc))
        problem = types.INTERNAL_ERROR
        detail = "An unexpected error occurred; quote the request_id when reporting it."
    return problem_response(problem, detail, instance=path, request_id=request_id)
