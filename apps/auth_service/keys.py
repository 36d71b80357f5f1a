"""HS256 signing keys and their rotation.

`KeyRing` holds the keys; `tokens.py` signs with the newest and verifies with
any key still in the ring. The key file helpers at the bottom back the
`rotate-key` / `retire-key` commands in `__main__.py`.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import secrets
import tempfile
import threading
from pathlib import Path

MIN_SECRET_BYTES = 32  # RFC 7518 3.2: an HS256 key must be at least as long as the hash.
_KID_BYTES = 8


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    # Accept both padded and unpadded base64url; reject anything else.
    if not isinstance(text, str) or not text:
        raise ValueError("empty")
    padded = text + "=" * (-len(text) % 4)
    try:
        return base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError(str(exc)) from None


def _new_kid() -> str:
    return secrets.token_hex(_KID_BYTES)


class KeyRing:
    """An ordered set of HS256 keys, oldest first, newest (the signing key) last."""

    def __init__(self, keys: list[tuple[str, bytes]]) -> None:
        if not keys:
            raise ValueError("a KeyRing needs at least one key")
        kids = [kid for kid, _ in keys]
        if len(set(kids)) != len(kids):
            raise ValueError("KeyRing kids must be unique")
        for kid, secret in keys:
            if not isinstance(kid, str) or not kid:
                raise ValueError("every KeyRing kid must be a non-empty string")
            if not isinstance(secret, bytes) or len(secret) < MIN_SECRET_BYTES:
                raise ValueError(f"key {kid!r}: secret must be at least {MIN_SECRET_BYTES} bytes")
        self._keys: dict[str, bytes] = dict(keys)
        self._lock = threading.Lock()

    @classmethod
    def generate(cls) -> KeyRing:
        """Return a ring with one fresh random key."""
        return cls([(_new_kid(), secrets.token_bytes(MIN_SECRET_BYTES))])

    @classmethod
    def from_json(cls, text: str) -> KeyRing:
        """Parse `[{"kid": ..., "secret": <base64url>}, ...]`, oldest first.

        Raises `ValueError` naming what is wrong; the message never includes a secret.
        """
        try:
            data = json.loads(text)
        except (TypeError, json.JSONDecodeError) as exc:
            raise ValueError(f"signing keys are not valid JSON: {exc}") from None
        if not isinstance(data, list) or not data:
            raise ValueError(
                'signing keys must be a non-empty JSON list of {"kid": ..., "secret": ...} objects'
            )
        keys: list[tuple[str, bytes]] = []
        for index, entry in enumerate(data):
            if not isinstance(entry, dict) or set(entry) != {"kid", "secret"}:
                raise ValueError(f'signing key #{index} must be an object with exactly "kid" and "secret"')
            kid, secret_text = entry["kid"], entry["secret"]
            if not isinstance(kid, str) or not kid:
                raise ValueError(f'signing key #{index}: "kid" must be a non-empty string')
            try:
                secret = _b64decode(secret_text)
            except ValueError:
                raise ValueError(f'signing key {kid!r}: "secret" must be base64url text') from None
            if len(secret) < MIN_SECRET_BYTES:
                raise ValueError(
                    f'signing key {kid!r}: "secret" decodes to {len(secret)} bytes; '
                    f"at least {MIN_SECRET_BYTES} are required"
                )
            if any(existing == kid for existing, _ in keys):
                raise ValueError(f"signing key kid {kid!r} appears more than once")
            keys.append((kid, secret))
        return cls(keys)

    def to_json(self) -> str:
        """Serialise the ring in the format `from_json` reads."""
        with self._lock:
            items = list(self._keys.items())
        return json.dumps([{"kid": kid, "secret": _b64encode(secret)} for kid, secret in items])

    def rotate(self) -> str:
        """Add a new newest key (the signing key from now on) and return its kid."""
        with self._lock:
            kid = _new_kid()
            while kid in self._keys:  # pragma: no cover - 64-bit collision
                kid = _new_kid()
            self._keys[kid] = secrets.token_bytes(MIN_SECRET_BYTES)
            return kid

    def retire(self, kid: str) -> None:
        """Remove `kid`; tokens it signed stop verifying. The last key cannot be retired."""
        with self._lock:
            if kid not in self._keys:
                raise KeyError(f"no signing key with kid {kid!r}; known kids: {list(self._keys)}")
            if len(self._keys) == 1:
                raise ValueError(f"cannot retire {kid!r}, the only signing key: rotate first")
            del self._keys[kid]

    @property
    def current_kid(self) -> str:
        """The kid of the newest key, which signs new tokens."""
        with self._lock:
            return next(reversed(self._keys))

    @property
    def kids(self) -> list[str]:
        """All kids, oldest first."""
        with self._lock:
            return list(self._keys)

    def signing_key(self) -> tuple[str, bytes]:
        """Return `(kid, secret)` of the newest key."""
        with self._lock:
            kid = next(reversed(self._keys))
            return kid, self._keys[kid]

    def secret_for(self, kid: str) -> bytes | None:
        """Return the secret of `kid`, or None when it is not (or no longer) in the ring."""
        with self._lock:
            return self._keys.get(kid)

    def __repr__(self) -> str:
        # Secrets never appear in a repr, so a logged ring leaks nothing.
        return f"KeyRing(kids={self.kids!r})"


def load_keyring_file(path: str | os.PathLike[str]) -> KeyRing:
    """Read a ring from `path`; errors name the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"cannot read signing keys file {str(path)!r}: {exc.strerror}") from None
    try:
        return KeyRing.from_json(text)
    except ValueError as exc:
        raise ValueError(f"signing keys file {str(path)!r}: {exc}") from None


def save_keyring_file(path: str | os.PathLike[str], ring: KeyRing) -> None:
    """Write `ring` to `path` atomically with owner-only permissions.

    The JSON goes to a temporary file in the same directory, then replaces the
    old file, so a crash never leaves a half-written key file behind.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(ring.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o600)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def rotate_keyring_file(path: str | os.PathLike[str]) -> str:
    """Add a new signing key to the ring in `path` (creating the file if absent); return its kid."""
    path = Path(path)
    if path.exists():
        ring = load_keyring_file(path)
        kid = ring.rotate()
    else:
        ring = KeyRing.generate()
        kid = ring.current_kid
    save_keyring_file(path, ring)
    return kid


def retire_keyring_file(path: str | os.PathLike[str], kid: str) -> None:
    """Remove `kid` from the ring in `path`."""
    ring = load_keyring_file(path)
    ring.retire(kid)
    save_keyring_file(path, ring)
