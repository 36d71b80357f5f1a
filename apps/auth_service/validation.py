"""Rules for usernames and passwords, applied by `service.py` before storage.

Usernames are case-insensitive: they are lower-cased first, then must be 3-32
characters of `[a-z0-9_.-]`. "Alice" and "alice" are one account, so nobody can
register a look-alike of an existing name by changing case. Passwords are 8-128
characters, kept as given (no trimming: spaces are legitimate characters).
"""

from __future__ import annotations

import re

from .errors import InvalidInput

USERNAME_PATTERN = re.compile(r"[a-z0-9_.-]{3,32}")
PASSWORD_MIN_LENGTH = 8
# argon2 accepts any length; the cap stops multi-megabyte "passwords" from
# being used to burn server CPU.
PASSWORD_MAX_LENGTH = 128


def normalize_username(username: object) -> str:
    """Return the canonical (lower-case) form of `username`, or raise `InvalidInput`."""
    if not isinstance(username, str):
        raise InvalidInput("username must be a string")
    # ASCII first: str.lower() maps some non-ASCII letters onto ASCII ones
    # (KELVIN SIGN -> "k"), which would make look-alike spellings of a name valid.
    canonical = username.lower() if username.isascii() else ""
    if not USERNAME_PATTERN.fullmatch(canonical):
        raise InvalidInput("username must be 3-32 characters of letters a-z, digits, '_', '.' or '-'")
    return canonical


def lookup_username(username: object) -> str | None:
    """Return the canonical form of `username`, or None if it could never have been registered."""
    try:
        return normalize_username(username)
    except InvalidInput:
        return None


def validate_password(password: object) -> str:
    """Return `password` unchanged when it meets the length rules, else raise `InvalidInput`."""
    if not isinstance(password, str):
        raise InvalidInput("password must be a string")
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        raise InvalidInput(f"password must be {PASSWORD_MIN_LENGTH}-{PASSWORD_MAX_LENGTH} characters long")
    if "\x00" in password:
        raise InvalidInput("password must not contain NUL characters")
    return password
