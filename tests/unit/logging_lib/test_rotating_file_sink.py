"""RotatingFileSink on real files: rollover, bounds, and recovery after failures."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from logging_lib import RotatingFileSink, configure, get_logger, sink_failures

from .support import json_lines

pytestmark = pytest.mark.reliability

LINE = "x" * 9  # 10 bytes on disk with its newline


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    """Where the sink under test writes: a file in a fresh directory."""
    return tmp_path / "logs" / "app.log"


@pytest.fixture
def sink(log_path: Path) -> Iterator[RotatingFileSink]:
    """A sink that holds three 10-byte lines per file and keeps two backups."""
    log_path.parent.mkdir()
    file_sink = RotatingFileSink(log_path, max_bytes=30, backup_count=2)
    yield file_sink
    file_sink.close()


def _backup(path: Path, index: int) -> Path:
    return path.with_name(f"{path.name}.{index}")


def test_writes_each_line_to_the_file(sink: RotatingFileSink, log_path: Path) -> None:
    """Lines land in the file as written, one per line, flushed at once."""
    sink.write('{"n": 1}')
    sink.write('{"n": 2}')
    assert json_lines(log_path) == [{"n": 1}, {"n": 2}]


def test_rolls_over_before_the_file_exceeds_max_bytes(sink: RotatingFileSink, log_path: Path) -> None:
    """The fourth 10-byte line starts a new file; the full one becomes `.1`."""
    for _ in range(4):
        sink.write(LINE)
    assert _backup(log_path, 1).read_text() == f"{LINE}\n" * 3
    assert log_path.read_text() == f"{LINE}\n"


def test_keeps_at_most_backup_count_old_files(sink: RotatingFileSink, log_path: Path) -> None:
    """After many rollovers only `.1` and `.2` exist, newest data in `.1`."""
    for index in range(12):
        sink.write(f"line-{index:03d}")  # 8 chars + newline: three per file
    assert sorted(p.name for p in log_path.parent.iterdir()) == ["app.log", "app.log.1", "app.log.2"]
    assert _backup(log_path, 1).read_text().splitlines() == ["line-006", "line-007", "line-008"]
    assert log_path.read_text().splitlines() == ["line-009", "line-010", "line-011"]


def test_zero_backups_truncates_instead_of_growing(log_path: Path) -> None:
    """With backup_count=0 the file is started afresh, so it stays bounded."""
    log_path.parent.mkdir()
    sink = RotatingFileSink(log_path, max_bytes=30, backup_count=0)
    try:
        for index in range(7):
            sink.write(f"line-{index:03d}")
    finally:
        sink.close()
    assert log_path.read_text().splitlines() == ["line-006"]
    assert list(log_path.parent.iterdir()) == [log_path]


def test_a_line_longer_than_max_bytes_is_written_whole(sink: RotatingFileSink, log_path: Path) -> None:
    """An oversized line is not split or dropped; it gets a file of its own."""
    sink.write(LINE)
    sink.write("y" * 100)
    assert log_path.read_text() == "y" * 100 + "\n"
    assert _backup(log_path, 1).read_text() == f"{LINE}\n"


def test_appending_to_an_existing_file_counts_its_size(log_path: Path) -> None:
    """A restart appends to the old file and still rolls over at max_bytes."""
    log_path.parent.mkdir()
    log_path.write_text(f"{LINE}\n" * 3)
    sink = RotatingFileSink(log_path, max_bytes=30, backup_count=1)
    try:
        sink.write("new")
    finally:
        sink.close()
    assert log_path.read_text() == "new\n"
    assert _backup(log_path, 1).read_text() == f"{LINE}\n" * 3


def test_a_missing_directory_fails_at_configure_time(log_path: Path) -> None:
    """A path in a directory that does not exist fails early, naming the path."""
    with pytest.raises(FileNotFoundError, match=r"app\.log"):
        RotatingFileSink(log_path)


def test_recovers_once_a_lost_directory_is_back(sink: RotatingFileSink, log_path: Path) -> None:
    """Writes fail (counted) while the directory is gone and resume when it returns."""
    configure("INFO", [sink])
    log = get_logger("tests.recover")
    log.info("before")
    shutil.rmtree(log_path.parent)
    # Each JSON line exceeds max_bytes=30, so every write rolls over, and
    # reopening the file fails while its directory is missing.
    for _ in range(3):
        log.info("during")
    assert sink_failures() == {sink.name: 3}
    log_path.parent.mkdir()
    log.info("after")
    assert [line["message"] for line in json_lines(log_path)] == ["after"]


def test_writing_after_close_is_counted_not_raised(sink: RotatingFileSink) -> None:
    """A closed file sink still in the handler costs the line, not the caller."""
    configure("INFO", [sink])
    sink.close()
    get_logger("tests.closed").info("late")
    assert sink_failures() == {sink.name: 1}


@pytest.mark.parametrize(
    "settings",
    [
        {"max_bytes": 0},
        {"max_bytes": -1},
        {"backup_count": -1},
        {"max_bytes": 1.5},
    ],
)
def test_rejects_limits_that_cannot_bound_the_file(tmp_path: Path, settings: dict[str, object]) -> None:
    """Non-positive sizes and negative backup counts are refused with the setting's name."""
    name = next(iter(settings))
    with pytest.raises(ValueError, match=name):
        RotatingFileSink(tmp_path / "app.log", **settings)  # type: ignore[arg-type]
