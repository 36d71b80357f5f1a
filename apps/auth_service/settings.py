"""Settings of the auth service: where accounts live and how long tokens last.

The values are plain data; `service.py` reads them, and `apps.api` builds them
from its environment (`APP_DB_PATH`, `APP_ENV`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

HASH_PROFILES = ("prod", "test")


@dataclass(frozen=True)
class AuthSettings:
    """Configuration of one `AuthService`; invalid values raise `ValueError`."""

    db_path: str
    issuer: str = "themed-monorepo"
    audience: str = "themed-monorepo-api"
    access_ttl_seconds: int = 900
    refresh_ttl_seconds: int = 1_209_600
    hash_profile: str = "prod"
    max_failed_logins: int = 5
    failure_window_seconds: int = 900
    lockout_seconds: int = 900

    def __post_init__(self) -> None:
        # Accept pathlib paths too: callers naturally pass `tmp_path / "auth.db"`.
        if isinstance(self.db_path, os.PathLike):
            object.__setattr__(self, "db_path", os.fspath(self.db_path))
        if not isinstance(self.db_path, str) or not self.db_path.strip():
            raise ValueError("AuthSettings.db_path must be a non-empty file path, e.g. './app.db'")
        if self.db_path == ":memory:" or self.db_path.startswith("file:"):
            # Every operation opens its own connection (thread safety), and each
            # connection to ':memory:' would see a different, empty database.
            raise ValueError(
                f"AuthSettings.db_path {self.db_path!r} is not supported: "
                "use a file path (a tmp_path file in tests)"
            )
        if self.hash_profile not in HASH_PROFILES:
            raise ValueError(
                f"AuthSettings.hash_profile must be one of {', '.join(HASH_PROFILES)}, "
                f"got {self.hash_profile!r}"
            )
        for name in ("issuer", "audience"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                raise ValueError(f"AuthSettings.{name} must be a non-empty string")
        for name in (
            "access_ttl_seconds",
            "refresh_ttl_seconds",
            "max_failed_logins",
            "failure_window_seconds",
            "lockout_seconds",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"AuthSettings.{name} must be a positive integer, got {value!r}")
