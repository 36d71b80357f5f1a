"""The monorepo's HTTP API (FastAPI): accounts, tokens and per-user notes.

Build it with `create_app(Settings(...))`, or `create_app()` to read `APP_ENV`,
`APP_DB_PATH` and `APP_SIGNING_KEYS`. The factory is in `app.py`, settings in
`settings.py`, the middleware in `middleware.py`, error responses in
`problems.py`; `python -m apps.api` serves it with uvicorn.
"""

from apps.api.app import create_app
from apps.api.settings import Settings

__all__ = ["Settings", "create_app"]
