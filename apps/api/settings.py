"""Settings of the HTTP API, read from the environment and validated before start-up.

`create_app` (apps/api/app.py) turns them into the auth service's `AuthSettings` and
`KeyRing`; the key format itself is defined by `apps.auth_service.KeyRing.from_json`.
Every error names the environment variable to fix, so a bad deployment fails at
start-up with a message an operator can act on.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from apps.auth_service import KeyRing

ENVIRONMENTS = ("dev", "test", "prod")
DEFAULT_DB_PATH = "./app.db"
_KEYS_HINT = (
    "create keys with `python -m apps.auth_service rotate-key --keys-file keys.json`, "
    'then set APP_SIGNING_KEYS="$(cat keys.json)"'
)


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable and the fix."""


@dataclass(frozen=True)
class Settings:
    """How one API process runs.

    `env` is `APP_ENV` (`test` selects the cheap password-hash profile), `db_path` is
    `APP_DB_PATH` (the SQLite file shared by accounts and notes; `./app.db` outside prod),
    `signing_keys` is `APP_SIGNING_KEYS` (KeyRing JSON; generated per process outside
    prod, so tokens do not survive a restart there).
    """

    env: str = "dev"
    db_path: str | None = None
    signing_keys: str | None = None

    def __post_init__(self) -> None:
        if self.env not in ENVIRONMENTS:
            raise SettingsError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}; got {self.env!r}")
        if isinstance(self.db_path, os.PathLike):
            object.__setattr__(self, "db_path", os.fspath(self.db_path))
        if not self.db_path:
            if self.is_prod:
                raise SettingsError(
                    "APP_DB_PATH is required when APP_ENV=prod: set it to the SQLite file path, "
                    "e.g. APP_DB_PATH=/var/lib/themed-monorepo/app.db"
                )
            object.__setattr__(self, "db_path", DEFAULT_DB_PATH)
        if not self.signing_keys:
            if self.is_prod:
                raise SettingsError(
                    f"APP_SIGNING_KEYS is required when APP_ENV=prod: set it to the KeyRing JSON; "
                    f"{_KEYS_HINT}"
                )
            object.__setattr__(self, "signing_keys", None)
        else:
            self._parse_keys(self.signing_keys)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """Read `APP_ENV`, `APP_DB_PATH` and `APP_SIGNING_KEYS`; empty values count as unset."""
        return cls(
            env=environ.get("APP_ENV", "").strip() or "dev",
            db_path=environ.get("APP_DB_PATH", "").strip() or None,
            signing_keys=environ.get("APP_SIGNING_KEYS", "").strip() or None,
        )

    @property
    def is_prod(self) -> bool:
        """True in production, where keys are required and HSTS is sent."""
        return self.env == "prod"

    @property
    def hash_profile(self) -> str:
        """The auth service's argon2 profile: cheap only under APP_ENV=test."""
        return "test" if self.env == "test" else "prod"

    def keyring(self) -> KeyRing:
        """The configured signing keys, or one fresh key outside prod when none are set."""
        if self.signing_keys is None:
            return KeyRing.generate()
        return self._parse_keys(self.signing_keys)

    def __repr__(self) -> str:
        # The signing keys are secrets: a logged Settings must not carry them.
        keys = "set" if self.signing_keys else "generated"
        return f"Settings(env={self.env!r}, db_path={self.db_path!r}, signing_keys={keys})"

    @staticmethod
    def _parse_keys(text: str) -> KeyRing:
        try:
            return KeyRing.from_json(text)
        except ValueError as exc:
            # KeyRing's messages never include a secret, so they are safe to show.
            raise SettingsError(f"APP_SIGNING_KEYS is malformed: {exc}; {_KEYS_HINT}") from None
