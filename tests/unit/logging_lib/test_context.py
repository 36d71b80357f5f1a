"""Context binding: bound fields appear on every line logged in their scope."""

from __future__ import annotations

import asyncio
import io
import threading

import pytest

from logging_lib import bind, bound_fields
from logging_lib.loggers import BoundLogger

from .support import json_lines

pytestmark = pytest.mark.architecture


def _ours(buffer: io.StringIO) -> list[dict[str, object]]:
    # asyncio logs its selector choice at DEBUG; keep only this test's lines.
    return [line for line in json_lines(buffer) if line["logger"] == "tests.logging_lib"]


def test_bound_fields_appear_on_every_line_in_scope(stream: io.StringIO, log: BoundLogger) -> None:
    """A request id bound once is on each line logged inside the block, and not after."""
    with bind(request_id="abc"):
        log.info("one")
        log.info("two")
    log.info("three")
    assert [line.get("request_id") for line in json_lines(stream)] == ["abc", "abc", None]


def test_nested_binds_merge_and_unwind() -> None:
    """An inner bind adds to the outer one; leaving it restores the outer binding."""
    with bind(request_id="r", user="a"):
        with bind(user="b", step=1) as merged:
            assert merged == {"request_id": "r", "user": "b", "step": 1}
            assert bound_fields() == merged
        assert bound_fields() == {"request_id": "r", "user": "a"}
    assert bound_fields() == {}


def test_binding_is_restored_when_the_block_raises() -> None:
    """An exception inside bind() does not leave its fields bound."""
    with pytest.raises(RuntimeError), bind(request_id="doomed"):
        raise RuntimeError("boom")
    assert bound_fields() == {}


def test_bound_fields_returns_a_copy() -> None:
    """Changing the returned dict does not change the binding."""
    with bind(request_id="r"):
        bound_fields()["request_id"] = "forged"
        assert bound_fields() == {"request_id": "r"}


def test_binding_survives_await(stream: io.StringIO, log: BoundLogger) -> None:
    """A field bound before an await is still bound after it, in the same task."""

    async def handler() -> None:
        with bind(request_id="await-1"):
            await asyncio.sleep(0)
            log.info("after await")

    asyncio.run(handler())
    assert _ours(stream)[0]["request_id"] == "await-1"


def test_concurrent_tasks_keep_their_own_binding(stream: io.StringIO, log: BoundLogger) -> None:
    """Interleaved requests never see each other's request id."""

    async def request(request_id: str, first: asyncio.Event, second: asyncio.Event) -> None:
        with bind(request_id=request_id):
            first.set()
            await second.wait()  # forces the other task to run inside our scope
            log.info("handled", expected=request_id)

    async def main() -> None:
        a_ready, b_ready = asyncio.Event(), asyncio.Event()
        await asyncio.gather(request("A", a_ready, b_ready), request("B", b_ready, a_ready))

    asyncio.run(main())
    lines = _ours(stream)
    assert len(lines) == 2
    assert all(line["request_id"] == line["expected"] for line in lines)


def test_a_new_thread_starts_without_the_binding() -> None:
    """Threads do not inherit bound fields (documented: bind inside the thread)."""
    seen: list[dict[str, object]] = []
    with bind(request_id="main"):
        worker = threading.Thread(target=lambda: seen.append(bound_fields()))
        worker.start()
        worker.join(timeout=10)
    assert seen == [{}]
