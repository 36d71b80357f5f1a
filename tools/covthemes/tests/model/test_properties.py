"""Property tests of every loader: whatever a file holds, a load gives a typed value or an expected error.

Each loader is fed random JSON values, and mutations of a valid document
(a value replaced by another of any type, a key removed, NaN, an integer too
long to convert, nesting past the recursion limit, the text cut short). Each
load must give its typed value, which writes back as strict JSON, or the
error its API documents: ValueError from `provenance.read`, CovthemesError
from the others. Any other exception is a bug these tests find.

1,000 examples a loader (Hypothesis' default is 100).
"""

from __future__ import annotations

import json
import math
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from covthemes.errors import CovthemesError
from covthemes.model import history, loader, provenance
from covthemes.model.history import History
from covthemes.model.lines import LineListing
from covthemes.model.provenance import Provenance
from covthemes.model.themes import ThemesReport
from covthemes.settings.config import Settings

EXAMPLES = settings(
    max_examples=1000,
    deadline=None,
    # The fixtures give documents and folders that no example changes.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Stand-ins replaced in the JSON text by what json.dumps cannot write.
DEEP = "\x00deep\x00"
HUGE = "\x00huge\x00"

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**20, max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from([DEEP, HUGE])
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=24,
)


def text_of(value: object) -> str:
    """`value` as the text of a file: NaN and infinity as Python writes them, the stand-ins expanded."""
    text = json.dumps(value, allow_nan=True)
    text = text.replace(json.dumps(DEEP), "[" * 50_000 + "]" * 50_000)
    return text.replace(json.dumps(HUGE), "9" * 5_000)


def places(value: object, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside `value`: keys of objects and indexes of lists."""
    found = [path]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += places(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += places(inner, (*path, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, document: object) -> str:
    """A valid document with one value replaced or removed, or its text cut short."""
    value = json.loads(json.dumps(document))
    path = draw(st.sampled_from(places(value)))
    kind = draw(st.sampled_from(["replace", "remove", "nan", "huge", "deep", "cut"]))
    if kind == "cut":
        text = json.dumps(value)
        return text[: draw(st.integers(0, len(text) - 1))]
    if not path:
        return text_of(draw(JSON))
    *parents, last = path
    container = value
    for key in parents:
        container = container[key]
    if kind == "remove":
        del container[last]
    else:
        replacement = {"nan": math.nan, "huge": HUGE, "deep": DEEP}.get(kind) or draw(JSON)
        container[last] = replacement
    return text_of(value)


def documents(valid: object) -> st.SearchStrategy[str]:
    """The texts a loader is fed: random JSON, and mutations of `valid`."""
    return st.one_of(JSON.map(text_of), mutated(valid), st.just(json.dumps(valid)))


def strict(value: Any) -> None:
    """A loaded value writes back as strict JSON: no NaN or infinity, and every field of its type."""
    json.dumps(value.to_json(), allow_nan=False)


# Each example writes a file: 2.5 ms on this machine's disk, 0.03 ms in
# memory, which makes the four tests about 4 times faster (23 s to 6 s).
MEMORY = Path("/dev/shm")


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    """Where the examples' files go: in memory where the machine has a tmpfs, else pytest's folder."""
    if not MEMORY.is_dir():
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(dir=MEMORY) as memory:
        yield Path(memory)


@pytest.fixture
def report_settings(folder: Path) -> Settings:
    """Settings whose output folder is in `folder`."""
    settings = Settings(root=folder, themes=("alpha", "beta"), marker_themes=("alpha", "beta"))
    settings.layout.folder.mkdir(parents=True)
    return settings


def loads(path: Path, text: str, load: Callable[[], object], expected: type[Exception]) -> object | None:
    """The value `load` reads from `path` holding `text`, or None when it raised `expected`."""
    path.write_text(text, encoding="utf-8")
    try:
        return load()
    except expected:
        return None


@given(data=st.data())
@EXAMPLES
def test_provenance_read_gives_a_record_or_a_value_error(
    data: st.DataObject, folder: Path, provenance_record: Callable[..., Provenance]
) -> None:
    """`provenance.read` gives a Provenance of the asked theme, or ValueError."""
    text = data.draw(documents(provenance_record("alpha", coverage_config_sha256="c" * 64).to_json()))
    path = folder / "provenance.alpha.json"
    record = loads(path, text, lambda: provenance.read(path, "alpha"), ValueError)
    if record is not None:
        assert isinstance(record, Provenance) and record.theme == "alpha"
        strict(record)


@given(data=st.data())
@EXAMPLES
def test_history_read_gives_a_history_or_a_covthemes_error(
    data: st.DataObject, folder: Path, themed_summary: ThemesReport
) -> None:
    """`history.read` gives a History, or CovthemesError."""
    valid = History().with_entry(history.HistoryEntry.of(themed_summary)).to_json()
    path = folder / "history.json"
    found = loads(path, data.draw(documents(valid)), lambda: history.read(path), CovthemesError)
    if found is not None:
        assert isinstance(found, History)
        strict(found)


@given(data=st.data())
@EXAMPLES
def test_read_report_gives_a_report_or_a_covthemes_error(
    data: st.DataObject, report_settings: Settings, themed_summary: ThemesReport
) -> None:
    """`loader.read_report` gives a ThemesReport, or CovthemesError."""
    path = report_settings.layout.themes_json
    text = data.draw(documents(themed_summary.to_json()))
    found = loads(path, text, lambda: loader.read_report(report_settings), CovthemesError)
    if found is not None:
        assert isinstance(found, ThemesReport)
        strict(found)


@given(data=st.data())
@EXAMPLES
def test_read_listing_gives_a_listing_or_a_covthemes_error(
    data: st.DataObject, report_settings: Settings
) -> None:
    """`loader.read_listing` gives a LineListing, or CovthemesError."""
    valid = {
        "format": 2,
        "unique_lines": {"alpha": {"pkg/core.py": [2, 3]}},
        "import_only_lines": {"alpha": {"pkg/core.py": [1]}},
        "uncovered_lines": {"pkg/core.py": [4, 12]},
        "measured_files": {"pkg/core.py": "0" * 64},
    }
    path = report_settings.layout.lines_json
    found = loads(
        path, data.draw(documents(valid)), lambda: loader.read_listing(report_settings), CovthemesError
    )
    if found is not None:
        assert isinstance(found, LineListing)
        strict(found)
