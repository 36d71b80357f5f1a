"""Redaction: mask secrets in log fields before anything is written.

`Redactor` holds a set of sensitive words and returns masked copies of values;
`redact` is the module-level instance with the default words. The formatter in
`formatting.py` builds its own `Redactor` with the extra keys given to
`logging_lib.configure(redact_keys=...)` and applies it to every field, the
message and the exception text of each record.

A key is sensitive when, lower-cased and with `-` and `_` removed, it contains
one of the sensitive words: `Authorization`, `user_password`, `X-Api-Key` and
`refresh_token` all match. Substring matching errs towards masking too much
(`token_count` is masked too), which is the cheap mistake for a log.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

REDACTED = "[REDACTED]"
CIRCULAR = "[CIRCULAR]"

# `api_key`, `api-key` and `apikey` all normalise to `apikey`; `set-cookie`
# is listed for readers even though `cookie` already covers it.
DEFAULT_SENSITIVE_WORDS: tuple[str, ...] = (
    "password",
    "passwd",
    "token",
    "secret",
    "authorization",
    "api_key",
    "api-key",
    "apikey",
    "cookie",
    "set-cookie",
)

# RFC 6750 token68 characters; whatever follows "Bearer " up to whitespace.
_BEARER = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*")
# `key=value` as in query strings and form bodies. The key starts where a run
# of key characters starts and is matched possessively (`++`, Python 3.11+),
# so hostile input such as "a.a.a.a..." costs linear time, not cubic; whether
# the key is sensitive is decided in Python, not by the pattern.
_ASSIGNMENT = re.compile(r"(?<![A-Za-z0-9_.\-])([A-Za-z0-9_.\-]++)=([^\s&;,\"']+)")


def _normalise(key: str) -> str:
    return key.lower().replace("-", "").replace("_", "")


def _validated_words(extra_keys: Iterable[str]) -> tuple[str, ...]:
    # A bare string would be iterated character by character, and the word
    # "s" would then mask nearly every field: refuse it with a fix.
    if isinstance(extra_keys, (str, bytes)):
        raise TypeError(
            f"redact_keys must be a sequence of key names, not a single string: "
            f"write redact_keys=({extra_keys!r},)"
        )
    words = []
    for key in extra_keys:
        if not isinstance(key, str):
            raise TypeError(f"redact_keys entries must be strings, got {key!r}")
        normalised = _normalise(key.strip())
        if not normalised:
            raise ValueError(
                f"redact_keys entry {key!r} is empty after removing '-' and '_'; "
                "it would mask every field: remove it"
            )
        words.append(normalised)
    return tuple(words)


class Redactor:
    """Masks values under sensitive keys and secrets inside strings.

    Strings are scanned for `Bearer <token>` and `<sensitive key>=<value>`
    (query strings, form bodies), so a secret that reaches the message text
    is masked as well as one passed as a field.
    """

    def __init__(self, extra_keys: Iterable[str] = ()) -> None:
        words = {_normalise(word) for word in DEFAULT_SENSITIVE_WORDS}
        words.update(_validated_words(extra_keys))
        self.words: frozenset[str] = frozenset(words)

    def is_sensitive(self, key: object) -> bool:
        """True when `key` names a secret (case-insensitive, substring match)."""
        normalised = _normalise(str(key))
        return any(word in normalised for word in self.words)

    def mask_text(self, text: str) -> str:
        """Return `text` with bearer tokens and `key=secret` pairs masked."""
        text = _BEARER.sub(lambda match: f"{match.group(1)} {REDACTED}", text)
        return _ASSIGNMENT.sub(self._mask_assignment, text)

    def _mask_assignment(self, match: re.Match[str]) -> str:
        key = match.group(1)
        return f"{key}={REDACTED}" if self.is_sensitive(key) else match.group(0)

    def __call__(self, value: Any) -> Any:
        return self._redact(value, frozenset())

    def _redact(self, value: Any, path: frozenset[int]) -> Any:
        if isinstance(value, str):
            return self.mask_text(value)
        if not isinstance(value, (dict, list, tuple)):
            return value
        # Only containers on the current path count as cycles; the same list
        # referenced twice side by side is not circular.
        if id(value) in path:
            return CIRCULAR
        inner = path | {id(value)}
        if isinstance(value, dict):
            return {
                key: REDACTED if self.is_sensitive(key) else self._redact(item, inner)
                for key, item in value.items()
            }
        items = [self._redact(item, inner) for item in value]
        return items if isinstance(value, list) else tuple(items)


_DEFAULT = Redactor()


def redact(value: Any) -> Any:
    """Return a copy of `value` with secrets masked as "[REDACTED]".

    Values under sensitive keys are replaced whatever their type, through
    nested dicts, lists and tuples; strings have bearer tokens and
    `key=secret` pairs masked. Other objects are returned as they are.
    """
    return _DEFAULT(value)
