"""`covthemes.model.provenance`: the record of each theme's run, and the revision it measured."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from covthemes import git
from covthemes.model import provenance, revision
from covthemes.model.provenance import Provenance
from covthemes.model.revision import Revision


def test_record_round_trips_through_json(
    tmp_path: Path, provenance_record: Callable[..., Provenance]
) -> None:
    """A written record reads back equal, with `format` first."""
    record = provenance_record("alpha", tests=7)
    path = tmp_path / "provenance.alpha.json"
    provenance.write(path, record)
    assert next(iter(json.loads(path.read_text()))) == "format"
    assert provenance.read(path, "alpha") == record
    assert not path.with_name(path.name + ".tmp").exists()


def test_read_gives_none_without_a_record(tmp_path: Path) -> None:
    """No record is not an error here; check decides what it means."""
    assert provenance.read(tmp_path / "absent.json", "alpha") is None


@pytest.mark.parametrize("text", ["{", "[]", '{"theme": "alpha"}', '{"outcomes": 3}'])
def test_read_rejects_unreadable_record(tmp_path: Path, text: str) -> None:
    """JSON that is not a provenance record is a ValueError naming the file."""
    path = tmp_path / "p.json"
    path.write_text(text)
    with pytest.raises(ValueError, match="is not a readable provenance record"):
        provenance.read(path, "alpha")


def test_finished_means_passed_or_failed(provenance_record: Callable[..., Provenance]) -> None:
    """Only passed and failed runs finished."""
    assert provenance_record("a").finished
    assert provenance_record("a", status="failed").finished
    assert not provenance_record("a", status="no-tests").finished
    assert not provenance_record("a", status="error").finished


def test_source_hash_tells_trees_apart(tmp_path: Path) -> None:
    """The hash changes with a file's bytes or name, and ignores __pycache__ and non-Python files."""
    (tmp_path / "pkg" / "__pycache__").mkdir(parents=True)
    (tmp_path / "pkg" / "a.py").write_text("x = 1\n")
    before = revision.source_hash(tmp_path, [Path("pkg")])
    (tmp_path / "pkg" / "__pycache__" / "a.py").write_text("cached")
    (tmp_path / "pkg" / "notes.txt").write_text("notes")
    assert revision.source_hash(tmp_path, [Path("pkg")]) == before
    (tmp_path / "pkg" / "a.py").write_text("x = 2\n")
    assert revision.source_hash(tmp_path, [Path("pkg")]) != before


def test_git_revision_of_a_repository(tmp_path: Path, child_env: dict[str, str]) -> None:
    """In a git checkout the revision is HEAD's commit; outside one (or without git) it is None."""
    run = {"cwd": tmp_path, "env": child_env, "check": True, "capture_output": True}
    subprocess.run(["git", "init", "-q"], **run)  # type: ignore[call-overload]
    assert git.head(tmp_path) is None  # no commit yet
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "x"],
        **run,  # type: ignore[call-overload]
    )
    head = subprocess.run(["git", "rev-parse", "HEAD"], text=True, **run).stdout.strip()  # type: ignore[call-overload]
    assert Revision.of(tmp_path, []).git == head
    assert Revision(head, "f" * 64).short() == f"git {head[:12]}, source ffffffffffff"


def test_git_revision_without_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a git executable the revision is None."""
    monkeypatch.setenv("PATH", str(tmp_path))
    assert git.head(tmp_path) is None
    assert git.git(tmp_path, "status") is None


@pytest.mark.parametrize("old", [1, 2, 3])
def test_records_of_formats_1_to_3_read_as_the_tests_mode(
    tmp_path: Path, provenance_record: Callable[..., Provenance], old: int
) -> None:
    """A format 1 record (before shards), 2 (before the config hash) or 3 (before `contexts`) reads, in the
    tests mode, the hash unknown before 3; 5 is refused."""
    record = provenance_record("alpha", coverage_config_sha256="c" * 64, contexts="phases").to_json()
    assert record["format"] == 4 and record["shard"] is None and record["contexts"] == "phases"
    del record["contexts"]
    if old < 3:
        del record["coverage_config_sha256"]
    if old == 1:
        del record["shard"]
    path = tmp_path / "provenance.alpha.json"
    path.write_text(json.dumps({**record, "format": old}))
    read = provenance.read(path, "alpha")
    assert read is not None and read.shard is None and read.tests == 1
    assert read.contexts == "tests"
    assert read.coverage_config_sha256 == (None if old < 3 else "c" * 64)
    path.write_text(json.dumps({**record, "format": 5}))
    with pytest.raises(
        ValueError, match=r"is not a readable provenance record \(format 5, not one of \(1, 2, 3, 4\)\)"
    ):
        provenance.read(path, "alpha")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"tests": "7"}, "'tests' is '7', not a whole number"),
        ({"tests": True}, "'tests' is True, not a whole number"),
        ({"theme": ["alpha"]}, "'theme' is ['alpha'], not a string"),
        ({"status": None}, "'status' is None, not a string"),
        ({"outcomes": {"passed": 1.5}}, "'passed' is 1.5, not a whole number"),
        ({"outcomes": [1]}, "'outcomes' is list, not an object"),
        ({"git_revision": 7}, "'git_revision' is 7, not a string"),
        ({"coverage_config_sha256": {}}, "'coverage_config_sha256' is {}, not a string"),
        ({"format": True}, "format True, not one of (1, 2, 3, 4)"),
        ({"contexts": "lines"}, "'contexts' is 'lines', not one of phases, tests"),
    ],
)
def test_a_field_of_the_wrong_type_is_named(
    tmp_path: Path, provenance_record: Callable[..., Provenance], change: dict[str, object], reason: str
) -> None:
    """Each field is read with its type: a wrong one is a ValueError naming the file and the field."""
    path = tmp_path / "provenance.alpha.json"
    path.write_text(json.dumps({**provenance_record("alpha").to_json(), **change}))
    with pytest.raises(ValueError) as raised:
        provenance.read(path, "alpha")
    assert str(raised.value) == f"{path} is not a readable provenance record ({reason})"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"tests": NaN}', "holds NaN, which JSON has no value for"),
        ("[" * 100_000 + "]" * 100_000, "nests values deeper than any covthemes document"),
        ("1" * 5000, "holds a value Python cannot read"),
    ],
)
def test_what_json_is_not_is_named(tmp_path: Path, text: str, reason: str) -> None:
    """NaN, nesting past the recursion limit and an integer too long to convert are ValueErrors too."""
    path = tmp_path / "provenance.alpha.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=re.escape(reason)):
        provenance.read(path, "alpha")
