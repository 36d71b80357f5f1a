"""Escaping for each context a hostile value reaches, and the pages' Content-Security-Policy.

File paths, package folders, git refs and page names derived from them are
hostile: a file may be named `"><img src=x onerror=alert(1)>.py`. HTML text
and attributes use `html.escape`; a link's target is percent-encoded first
(`href`). Markdown shows such a value as a code span (`code`), whose content
is never markup, and percent-encodes a link's target (`url`); `table.markdown`
escapes the `|` that would split a table cell. A value without such
characters comes out unchanged.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import quote

# Every page covthemes writes runs only scripts from files (report.js), never
# inline ones or event handlers, loads styles from files and nothing else.
# From file://, Chromium lets 'self' match any file: URL; over http(s) it is
# the report's own origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)
# The policy holds no `"` nor `&`, so it stands in the attribute as it is, readable.
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'


def page_head(title: str, stylesheet: str) -> str:
    """The start of every page covthemes writes, to its `<head>`'s end: the CSP, `title` (escaped here)."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{CSP_META}
<title>{escape(title)}</title>
<link rel="stylesheet" href="{stylesheet}">
</head>"""


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_BACKTICKS = re.compile(r"`+")


def url(path: str, fragment: str = "") -> str:
    """A relative URL to `path` (folders joined by `/`), each segment percent-encoded."""
    return quote(path, safe="/") + (f"#{quote(fragment, safe='')}" if fragment else "")


def href(path: str, fragment: str = "") -> str:
    """`url(path, fragment)`, escaped for an HTML attribute."""
    return escape(url(path, fragment))


def code(text: str) -> str:
    """`text` as a Markdown code span, shown as it is and never read as markup.

    The fence is one backtick longer than the longest run inside; a space pads
    content that starts or ends with a backtick or a space (CommonMark strips
    one each side); control characters, which could end the line and start a
    block of HTML, are shown as `\\xNN`.
    """
    shown = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(shown)), default=0) + 1)
    if not shown or shown[0] in "` " or shown[-1] in "` ":
        shown = f" {shown} "
    return f"{fence}{shown}{fence}"
