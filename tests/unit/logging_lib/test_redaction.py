"""redact(): the specification of what is masked and what is kept."""

from __future__ import annotations

import pytest

from logging_lib import redact
from logging_lib.redaction import REDACTED, Redactor

pytestmark = pytest.mark.security


@pytest.mark.parametrize(
    "key",
    [
        "password",
        "PASSWORD",
        "user_password",
        "passwd",
        "token",
        "refresh_token",
        "accessToken",
        "secret",
        "client_secret",
        "Authorization",
        "api_key",
        "api-key",
        "apikey",
        "X-Api-Key",
        "cookie",
        "Set-Cookie",
    ],
)
def test_masks_values_under_sensitive_keys(key: str) -> None:
    """Any key containing a sensitive word, in any case or spelling, is masked."""
    assert redact({key: "s3cr3t"}) == {key: REDACTED}


@pytest.mark.parametrize("key", ["username", "user_id", "path", "status", "author"])
def test_keeps_values_under_ordinary_keys(key: str) -> None:
    """Keys without a sensitive word keep their values."""
    assert redact({key: "visible"}) == {key: "visible"}


def test_masks_through_nested_dicts_lists_and_tuples() -> None:
    """Sensitive keys are found at any depth, inside lists and tuples too."""
    value = {"request": {"headers": [("x", {"Cookie": "sid=1"})], "body": ({"password": "p"},)}}
    assert redact(value) == {
        "request": {"headers": [("x", {"Cookie": REDACTED})], "body": ({"password": REDACTED},)}
    }


def test_masks_a_whole_container_under_a_sensitive_key() -> None:
    """A dict or list stored under a sensitive key is replaced, not searched."""
    assert redact({"secrets": {"db": "x", "list": ["y"]}}) == {"secrets": REDACTED}


def test_returns_a_copy_and_leaves_the_input_alone() -> None:
    """The caller's data is not modified by redaction."""
    original = {"password": "p", "nested": {"token": "t"}}
    redact(original)
    assert original == {"password": "p", "nested": {"token": "t"}}


def test_masks_bearer_tokens_in_strings() -> None:
    """`Bearer abc.def` becomes `Bearer [REDACTED]` wherever it appears in text."""
    assert redact("sent Bearer abc.def-ghi_jkl== upstream") == "sent Bearer [REDACTED] upstream"


def test_masks_bearer_tokens_in_any_case() -> None:
    """The bearer scheme is case-insensitive, so is the masking."""
    assert redact(["bearer eyJ.x.y", "BEARER tok"]) == ["bearer [REDACTED]", "BEARER [REDACTED]"]


def test_masks_secrets_in_query_strings() -> None:
    """`access_token=...` in a URL is masked; harmless parameters are kept."""
    assert redact("/cb?code=42&access_token=abc&api-key=k") == (
        "/cb?code=42&access_token=[REDACTED]&api-key=[REDACTED]"
    )


def test_extra_keys_add_to_the_defaults() -> None:
    """A Redactor with extra keys masks them and still masks the defaults."""
    redactor = Redactor(["ssn", "Credit-Card"])
    assert redactor({"SSN": 1, "credit_card_no": 2, "password": 3, "name": 4}) == {
        "SSN": REDACTED,
        "credit_card_no": REDACTED,
        "password": REDACTED,
        "name": 4,
    }


def test_extra_keys_refuse_a_bare_string() -> None:
    """redact_keys="ssn" would mask every key containing an "s"; it is refused with the fix."""
    with pytest.raises(TypeError, match=r"redact_keys=\('ssn',\)"):
        Redactor("ssn")


def test_extra_keys_refuse_an_empty_name() -> None:
    """An empty key name would match every key; it is refused."""
    with pytest.raises(ValueError, match="mask every field"):
        Redactor(["_"])


def test_non_string_keys_are_checked_too() -> None:
    """Keys are compared as text, so a bytes key `b"token"` is masked."""
    assert redact({b"token": "t", 1: "one"}) == {b"token": REDACTED, 1: "one"}
