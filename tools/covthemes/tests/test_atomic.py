"""`covthemes.atomic`: files written whole, and never through a link covthemes did not make."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from covthemes import atomic


@pytest.fixture
def precious(tmp_path: Path) -> Path:
    """A file outside the folder written to, which a planted link points at."""
    target = tmp_path / "precious"
    target.write_text("precious\n")
    return target


def test_a_link_planted_at_a_predictable_temporary_name_is_never_followed(
    tmp_path: Path, precious: Path
) -> None:
    """`<name>.tmp` and `.<name>.tmp` links stay links, their target keeps its bytes, the file is written."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("provenance.alpha.json.tmp", ".provenance.alpha.json.tmp"):
        (data / name).symlink_to(precious)
    atomic.write_json(data / "provenance.alpha.json", {"theme": "alpha"})
    assert precious.read_text() == "precious\n"
    assert (data / "provenance.alpha.json").read_text() == '{"theme": "alpha"}\n'
    assert all(
        (data / name).is_symlink() for name in ("provenance.alpha.json.tmp", ".provenance.alpha.json.tmp")
    )


def test_a_link_at_the_target_is_replaced_not_written_through(tmp_path: Path, precious: Path) -> None:
    """The rename replaces a link at the target itself; the file it pointed at is untouched."""
    (tmp_path / "out.json").symlink_to(precious)
    atomic.write_text(tmp_path / "out.json", "new\n")
    assert precious.read_text() == "precious\n"
    assert not (tmp_path / "out.json").is_symlink()


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_write_json_never_writes_what_json_has_no_value_for(tmp_path: Path, value: float) -> None:
    """NaN and infinity are a ValueError, and nothing is written."""
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        atomic.write_json(tmp_path / "history.json", {"percent": value})
    assert list(tmp_path.iterdir()) == []


def test_create_new_refuses_anything_already_there(tmp_path: Path, precious: Path) -> None:
    """A working file is created new: a link (or a file) at its name is an error, never followed."""
    (tmp_path / "x.owner").symlink_to(precious)
    with pytest.raises(FileExistsError):
        atomic.create_new(tmp_path / "x.owner", "1\n")
    assert precious.read_text() == "precious\n"
