"""The application factory: settings in, a wired FastAPI app out.

Settings come from apps/api/settings.py, accounts and tokens from
`apps.auth_service` (its exported names only), logging from `logging_lib`.
The factory configures no logging itself: the process entry point
(apps/api/__main__.py) or the test suite decides where log lines go.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from apps.api.deps import Services
from apps.api.middleware import RequestContextMiddleware
from apps.api.notes import NotesStore
from apps.api.problems import install_problem_handlers
from apps.api.routes import auth, health, notes
from apps.api.schemas import Problem
from apps.api.settings import Settings, SettingsError
from apps.auth_service import AuthService, AuthSettings

TITLE = "themed-monorepo API"
VERSION = "0.1.0"
DOCS_URL = "/docs"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"


def create_app(settings: Settings | None = None, *, clock: Callable[[], float] | None = None) -> FastAPI:
    """Build the API for `settings` (read from the environment when None).

    `clock` (epoch seconds) drives token expiry, lockouts and note timestamps;
    tests pass one to move time instead of sleeping.
    """
    settings = settings if settings is not None else Settings.from_env()
    clock = clock if clock is not None else time.time
    db_path = settings.db_path
    assert db_path is not None  # Settings fills in DEFAULT_DB_PATH or refuses to start
    try:
        auth_settings = AuthSettings(db_path=db_path, hash_profile=settings.hash_profile)
    except ValueError as exc:
        raise SettingsError(f"APP_DB_PATH is not usable: {exc}") from None
    auth_service = AuthService(auth_settings, keyring=settings.keyring(), clock=clock)
    # Creating the notes table here makes an unusable APP_DB_PATH fail start-up, not a request.
    notes_store = NotesStore(db_path, clock=clock)

    # The interactive docs are a development aid; production serves only the schema.
    docs_url = None if settings.is_prod else DOCS_URL
    app = FastAPI(
        title=TITLE,
        version=VERSION,
        docs_url=docs_url,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=OAUTH2_REDIRECT_URL if docs_url else None,
    )
    app.state.services = Services(settings=settings, auth=auth_service, notes=notes_store)
    install_problem_handlers(app)
    app.include_router(health.router)
    app.include_router(auth.router)
    app.include_router(notes.router)
    app.add_middleware(
        RequestContextMiddleware,
        hsts=settings.is_prod,
        csp_exempt=(DOCS_URL, OAUTH2_REDIRECT_URL) if docs_url else (),
    )
    app.openapi = _openapi_with_problem_schema(app)  # type: ignore[method-assign]
    return app


def _openapi_with_problem_schema(app: FastAPI) -> Callable[[], dict[str, Any]]:
    # Routes document their errors as application/problem+json referring to
    # `Problem`, which no route returns directly, so FastAPI would not emit it.
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components["Problem"] = Problem.model_json_schema()
            app.openapi_schema = schema
        return app.openapi_schema

    return openapi
