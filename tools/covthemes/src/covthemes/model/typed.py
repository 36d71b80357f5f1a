"""Reading typed values out of parsed JSON: each reader raises TypeError naming what was wrong.

`covthemes.model.loader` turns those errors into one line naming the file and
the command that remakes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class FormatMismatch(ValueError):
    """A document of another format than the one this covthemes reads."""

    def __init__(self, found: object, expected: int) -> None:
        super().__init__(f"format {found!r}, not {expected}")
        self.found = found
        self.expected = expected


def read_map(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{what} is {type(value).__name__}, not an object")
    return value


def read_list(value: object, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"{what} is {type(value).__name__}, not a list")
    return value


def read_int(value: Mapping[str, Any], key: str) -> int:
    found = value.get(key)
    if isinstance(found, bool) or not isinstance(found, int):
        raise TypeError(f"{key!r} is {found!r}, not a whole number")
    return found


def read_number(value: Mapping[str, Any], key: str) -> float:
    found = value.get(key)
    if isinstance(found, bool) or not isinstance(found, int | float):
        raise TypeError(f"{key!r} is {found!r}, not a number")
    return float(found)


def read_str(value: Mapping[str, Any], key: str, *, optional: bool = False) -> Any:
    found = value.get(key)
    if found is None and optional:
        return None
    if not isinstance(found, str):
        raise TypeError(f"{key!r} is {found!r}, not a string")
    return found


def read_listing(value: object, what: str) -> dict[str, list[int]]:
    """A `{file: [line, ...]}` listing."""
    listing: dict[str, list[int]] = {}
    for path, lines in read_map(value, what).items():
        if not isinstance(lines, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in lines
        ):
            raise TypeError(f"{what} of {path!r} is not a list of line numbers")
        listing[path] = list(lines)
    return listing
