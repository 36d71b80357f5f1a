"""`covthemes.render.safe`: each context's escaping keeps ordinary names as they are, hostile ones inert."""

from __future__ import annotations

from html import unescape
from urllib.parse import unquote

import pytest

from covthemes.render import safe

HOSTILE = "\"><img src=x onerror=alert(1)> #?%&'.html"


def test_ordinary_names_are_unchanged() -> None:
    """A page name of letters, digits, `_`, `-` and `.` is its own URL, href and code span content."""
    name = "files/z_86bbcbe134d28fd2_core-2_py.html"
    assert safe.url(name, "L4") == safe.href(name, "L4") == f"{name}#L4"
    assert safe.code("pkg/core.py:4") == "`pkg/core.py:4`"


def test_href_percent_encodes_then_escapes() -> None:
    """An href holds no quote, angle bracket, space, `#` or `?` of the name, and decodes back to it."""
    value = safe.href(f"files/{HOSTILE}", "t4")
    path, fragment = value.split("#")
    assert not set("\"'<> ?#") & set(path)
    assert unquote(unescape(path)) == f"files/{HOSTILE}"
    assert fragment == "t4"
    assert "&" not in safe.url(HOSTILE)


def test_unicode_names_are_encoded_as_utf8() -> None:
    """A non-ASCII name is percent-encoded UTF-8, which browsers decode back."""
    assert safe.url("files/ñ.html") == "files/%C3%B1.html"


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("a`b", "``a`b``"),
        ("a``b`", "``` a``b` ```"),
        ("`x", "`` `x ``"),
        (" x", "`  x `"),
        ("<img src=x onerror=alert(1)>", "`<img src=x onerror=alert(1)>`"),
        ("a\nb\r<script>\x7f", "`a\\x0ab\\x0d<script>\\x7f`"),
        ("", "`  `"),
    ],
)
def test_code_spans_hold_any_text(text: str, span: str) -> None:
    """The fence outgrows every backtick run inside, edges are padded, and line breaks are shown, not kept."""
    assert safe.code(text) == span


def test_code_span_fence_is_longer_than_any_run_inside() -> None:
    """No run of backticks inside a code span is as long as its fence, so none can close it early."""
    span = safe.code("x ``` y ` z")
    fence = span[: len(span) - len(span.lstrip("`"))]
    inside = span[len(fence) : -len(fence)]
    assert len(fence) == 4 and "````" not in inside


def test_content_security_policy_allows_no_inline_script() -> None:
    """The policy takes scripts and styles from files only, and nothing else by default."""
    policy = safe.CONTENT_SECURITY_POLICY
    assert "default-src 'none'" in policy and "script-src 'self';" in policy
    assert "unsafe" not in policy
    assert f'<meta http-equiv="Content-Security-Policy" content="{policy}">' == safe.CSP_META
