"""Context binding: fields that ride along on every line logged in a scope.

`bind(request_id=...)` stores fields in a `contextvars.ContextVar`, so a value
bound while one request is handled stays with that request's task across
`await` and never leaks into a concurrent one. The formatter in
`formatting.py` reads `bound_fields()` when it renders a record.

New threads start with an empty binding (Python copies contexts into tasks,
not into threads); bind again inside the thread if it logs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any

# An immutable mapping, so a caller holding the current value cannot change
# what another scope sees; `bind` always builds a new one.
_EMPTY: Mapping[str, Any] = MappingProxyType({})
_bound: ContextVar[Mapping[str, Any]] = ContextVar("logging_lib_bound_fields", default=_EMPTY)


@contextmanager
def bind(**fields: Any) -> Iterator[dict[str, Any]]:
    """Bind `fields` for the duration of the `with` block; nested binds merge.

    Yields the merged binding. On exit the previous binding is restored, also
    when the block raises.
    """
    merged = {**_bound.get(), **fields}
    token = _bound.set(MappingProxyType(merged))
    try:
        yield dict(merged)
    finally:
        _bound.reset(token)


def bound_fields() -> dict[str, Any]:
    """Return a copy of the fields bound in the current context."""
    return dict(_bound.get())
