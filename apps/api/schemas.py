"""Request and response bodies of the HTTP API (pydantic models).

The rules for usernames and passwords live in the auth service, which reports a
break as `InvalidInput` (mapped to 422 in apps/api/problems.py). The length caps
here only bound how much a client can make us hash or store; they are not the rules.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# Generous caps: the auth rules are stricter; these stop a megabyte "password"
# from reaching argon2 or a gigabyte note from reaching SQLite.
_MAX_USERNAME = 256
_MAX_PASSWORD = 1024
MAX_TITLE = 200
MAX_BODY = 10_000


class _Strict(BaseModel):
    # Unknown fields are a client bug worth reporting rather than silently dropping.
    model_config = ConfigDict(extra="forbid")


class RegisterRequest(_Strict):
    username: str = Field(min_length=1, max_length=_MAX_USERNAME)
    password: str = Field(min_length=1, max_length=_MAX_PASSWORD)


class RefreshRequest(_Strict):
    refresh_token: str = Field(min_length=1, max_length=4096)


class UserOut(BaseModel):
    id: int
    username: str
    created_at: str


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int


class NoteCreate(_Strict):
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    body: str = Field(default="", max_length=MAX_BODY)


class NoteUpdate(_Strict):
    """Fields left out (or null) keep their value."""

    title: str | None = Field(default=None, min_length=1, max_length=MAX_TITLE)
    body: str | None = Field(default=None, max_length=MAX_BODY)


class NoteOut(BaseModel):
    id: int
    title: str
    body: str
    created_at: str
    updated_at: str


class NoteList(BaseModel):
    items: list[NoteOut]


class Status(BaseModel):
    status: str


class Problem(BaseModel):
    """An RFC 9457 problem document (served as application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    request_id: str | None = None
    errors: list[dict[str, object]] | None = Field(
        default=None, description="Validation failures: loc, msg, type (never the submitted value)."
    )
    retry_after: int | None = Field(default=None, description="Seconds until a lock ends.")
