"""Access tokens (JWT, HS256) and refresh-token secrets.

Signing keys live in `keys.py`; the refresh-token table and its rotation rules
live in `store.py` and `service.py`. Time comes from the caller's clock, never
from PyJWT, so expiry follows the service's injectable clock.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

import jwt

from .errors import InvalidToken
from .keys import KeyRing
from .models import AccessClaims
from .settings import AuthSettings

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ("sub", "username", "iat", "exp", "iss", "aud")
_REFRESH_TOKEN_BYTES = 32


def encode_access_token(
    keyring: KeyRing, settings: AuthSettings, *, user_id: int, username: str, now: float
) -> str:
    """Sign an access token for the user with the ring's newest key."""
    kid, secret = keyring.signing_key()
    issued_at = int(now)
    payload = {
        "sub": str(user_id),
        "username": username,
        "iat": issued_at,
        "exp": issued_at + settings.access_ttl_seconds,
        "iss": settings.issuer,
        "aud": settings.audience,
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM, headers={"kid": kid})


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def decode_access_token(keyring: KeyRing, settings: AuthSettings, token: str, *, now: float) -> AccessClaims:
    """Verify `token` and return its claims, or raise `InvalidToken` naming the reason.

    The algorithm is pinned to HS256 before any key is chosen, so neither
    `alg: none` nor an algorithm-confusion header (RS256 with the HMAC secret
    as "public key") can get through.
    """
    if not isinstance(token, str) or not token:
        raise InvalidToken("access token is missing")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise InvalidToken("access token is malformed") from None
    if header.get("alg") != ALGORITHM:
        raise InvalidToken(f"access token algorithm {header.get('alg')!r} is not allowed")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise InvalidToken("access token has no key id (kid)")
    secret = keyring.secret_for(kid)
    if secret is None:
        raise InvalidToken("access token was signed with an unknown or retired key")
    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=settings.audience,
            issuer=settings.issuer,
            options={
                "require": list(REQUIRED_CLAIMS),
                # Time claims are checked below against the injected clock.
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
    except jwt.MissingRequiredClaimError as exc:
        raise InvalidToken(f"access token is missing the {exc.claim!r} claim") from None
    except jwt.InvalidAudienceError:
        raise InvalidToken("access token has the wrong audience") from None
    except jwt.InvalidIssuerError:
        raise InvalidToken("access token has the wrong issuer") from None
    except jwt.InvalidSignatureError:
        raise InvalidToken("access token signature is invalid") from None
    except jwt.PyJWTError:
        raise InvalidToken("access token is invalid") from None

    sub, username = payload["sub"], payload["username"]
    iat, exp = payload["iat"], payload["exp"]
    if not (isinstance(sub, str) and sub.isdigit() and sub.isascii()):
        raise InvalidToken("access token subject is invalid")
    if not isinstance(username, str) or not username:
        raise InvalidToken("access token username is invalid")
    if not (_is_int(iat) and _is_int(exp)):
        raise InvalidToken("access token time claims are invalid")
    if exp <= now:
        raise InvalidToken("access token has expired")
    if iat > now:
        raise InvalidToken("access token was issued in the future")
    return AccessClaims(
        sub=sub,
        username=username,
        iat=iat,
        exp=exp,
        iss=payload["iss"],
        aud=settings.audience,
        kid=kid,
    )


def new_refresh_token() -> str:
    """Return a fresh opaque refresh token (256 random bits, URL-safe)."""
    return secrets.token_urlsafe(_REFRESH_TOKEN_BYTES)


def hash_refresh_token(token: str) -> str:
    """Return the SHA-256 hex digest under which a refresh token is stored.

    A fast hash is enough here: the token carries 256 random bits, so there is
    nothing to brute-force, unlike a password.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_family_id() -> str:
    """Return an id grouping one login's chain of rotated refresh tokens."""
    return secrets.token_hex(16)
