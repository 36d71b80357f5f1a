"""`covthemes.model.loader`: the published themes.json and lines.json read back typed, or one clear line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from covthemes.errors import CovthemesError
from covthemes.model import loader
from covthemes.model.lines import LineListing
from covthemes.model.themes import ThemesReport
from covthemes.settings.config import Settings

LISTING = LineListing(
    files={},
    only_this_theme={"alpha": {"pkg/core.py": [2, 3]}},
    import_only={"alpha": {"pkg/core.py": [1]}},
    blind_spots={"pkg/core.py": [4]},
)
REMAKE = "run `covthemes publish` to publish it again with this covthemes"


@pytest.fixture
def report(settings: Settings, themed_summary: ThemesReport) -> Path:
    """The published folder holding a themes.json and a lines.json."""
    folder = settings.layout.folder
    folder.mkdir()
    (folder / "themes.json").write_text(json.dumps(themed_summary.to_json(), indent=2) + "\n")
    (folder / "lines.json").write_text(json.dumps(LISTING.to_json(), indent=1) + "\n")
    return folder


def problem(read: Callable[[], object]) -> str:
    with pytest.raises(CovthemesError) as raised:
        read()
    (message,) = raised.value.problems
    assert "\n" not in message
    return message


def test_reads_back_what_the_publish_wrote(
    report: Path, settings: Settings, themed_summary: ThemesReport
) -> None:
    """Both files read back to the values they were written from."""
    assert loader.read_report(settings).to_json() == themed_summary.to_json()
    assert loader.read_listing(settings) == LISTING


@pytest.mark.parametrize("name", ["themes.json", "lines.json"])
@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda path: path.unlink(), "coverage/{name} is missing: "),
        (
            lambda path: path.write_text(path.read_text()[:40]),
            "coverage/{name} is not valid JSON, perhaps cut short (",
        ),
        (lambda path: path.write_text("[]"), "coverage/{name} is not a covthemes {name} ("),
        (lambda path: path.write_bytes(b"\xff\xfe"), "coverage/{name} cannot be read ("),
    ],
)
def test_a_bad_published_file_is_one_line_naming_it_and_the_fix(
    report: Path, settings: Settings, name: str, damage: Callable[[Path], object], says: str
) -> None:
    """Missing, cut short, another shape or unreadable: one line naming the file and the publish command."""
    damage(report / name)
    read = loader.read_report if name == "themes.json" else loader.read_listing
    message = problem(lambda: read(settings))
    if name == "themes.json" and "missing" in says:
        assert (
            message == "no published report (coverage/themes.json is missing): run `covthemes publish` first"
        )
        return
    assert message.startswith(says.format(name=name))
    assert message.endswith(REMAKE)


@pytest.mark.parametrize(
    ("name", "edit", "says"),
    [
        (
            "themes.json",
            lambda d: d.update(format=1),
            "coverage/themes.json is themes.json format 1, not 4: ",
        ),
        # Format 2 had no figures by its tests: refused, with the command to publish again.
        (
            "themes.json",
            lambda d: d.update(format=2),
            "coverage/themes.json is themes.json format 2, not 4: ",
        ),
        ("lines.json", lambda d: d.update(format=7), "coverage/lines.json is lines.json format 7, not 2: "),
        (
            "themes.json",
            lambda d: d["themes"]["alpha"].update(tests=None),
            "'tests' is None, not a whole number",
        ),
        (
            "lines.json",
            lambda d: d["unique_lines"].update(alpha={"a.py": ["2"]}),
            "is not a list of line numbers",
        ),
        ("lines.json", lambda d: d.pop("uncovered_lines"), "uncovered_lines is NoneType, not an object"),
    ],
)
def test_another_format_or_a_wrong_type_inside_is_named(
    report: Path, settings: Settings, name: str, edit: Callable[[dict], object], says: str
) -> None:
    """A file of another format, or with a value of the wrong type inside, says which."""
    document = json.loads((report / name).read_text())
    edit(document)
    (report / name).write_text(json.dumps(document))
    read = loader.read_report if name == "themes.json" else loader.read_listing
    message = problem(lambda: read(settings))
    assert message.startswith(f"coverage/{name} ")
    assert says in message
    assert message.endswith(REMAKE)


def test_a_base_report_is_read_typed_or_refused_by_its_option(
    tmp_path: Path, themed_summary: ThemesReport
) -> None:
    """`--base-report PATH` reads a themes.json of this format; a bad one names the option and the fix."""
    path = tmp_path / "base.json"
    path.write_text(json.dumps(themed_summary.to_json()))
    assert loader.read_base_report(str(path)).to_json() == themed_summary.to_json()
    path.write_text('{"format": 1}')
    message = problem(lambda: loader.read_base_report(str(path)))
    assert message == (
        f"--base-report {path} is themes.json format 1, not 4: pass the base branch's themes.json, "
        "published with this covthemes, or leave --base-report out"
    )
    assert problem(lambda: loader.read_base_report(str(tmp_path / "none.json"))).startswith(
        f"--base-report {tmp_path / 'none.json'} is missing: "
    )
