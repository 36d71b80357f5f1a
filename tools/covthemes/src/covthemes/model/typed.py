"""Reading typed values out of JSON: `parse` refuses what JSON is not, each reader raises TypeError.

`parse` refuses what Python's json module accepts beyond JSON (`NaN`,
`Infinity`), and nesting deep enough to exhaust the recursion limit, with a
`BadJson`, a ValueError. Each reader raises TypeError naming what was wrong.
`covthemes.model.loader` turns those errors into one line naming the file and
the command that remakes it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any


class BadJson(ValueError):
    """Text that is not a JSON document covthemes reads: its message, a predicate, says why in one line."""


def _no_constant(name: str) -> object:
    raise BadJson(f"holds {name}, which JSON has no value for")


def parse(text: str) -> object:
    """The JSON value of `text`; BadJson when it is not JSON, holds NaN or infinity, or nests too deep."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise BadJson(
            f"is not valid JSON, perhaps cut short ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    except RecursionError:
        raise BadJson("nests values deeper than any covthemes document") from None
    except BadJson:
        raise
    except ValueError as exc:  # an integer longer than Python converts (sys.set_int_max_str_digits)
        raise BadJson(f"holds a value Python cannot read ({exc})") from None


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
        raise TypeError(f"{key!r} is {_shown(found)}, not a whole number")
    return found


def read_number(value: Mapping[str, Any], key: str) -> float:
    found = value.get(key)
    if isinstance(found, bool) or not isinstance(found, int | float):
        raise TypeError(f"{key!r} is {_shown(found)}, not a number")
    try:
        number = float(found)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise TypeError(f"{key!r} is {_shown(found)}, not a finite number")
    return number


def _shown(value: object) -> str:
    """`value` for a message: its repr, cut short."""
    text = (
        repr(value)
        if not isinstance(value, int) or abs(value) < 10**40
        else f"an integer of {len(str(abs(value)))} digits"
    )
    return text if len(text) <= 60 else text[:57] + "..."


def read_str(value: Mapping[str, Any], key: str, *, optional: bool = False) -> Any:
    found = value.get(key)
    if found is None and optional:
        return None
    if not isinstance(found, str):
        raise TypeError(f"{key!r} is {_shown(found)}, not a string")
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
