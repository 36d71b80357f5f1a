"""`covthemes.publish.reports`: reports sharing one parse of each file equal the reports coverage makes."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import measure

from covthemes.publish import reports
from covthemes.settings.config import Settings
from covthemes.settings.coverage_config import open_coverage


def theme_reports(settings: Settings, out: Path, *, shared: bool) -> dict[str, str]:
    """alpha's JSON, LCOV and Cobertura reports, made as a publish worker makes them."""
    own = open_coverage(settings, settings.layout.data_file("alpha"))
    own.load()
    rooted = open_coverage(settings, settings.layout.data_file("alpha"), source=["."])
    rooted.load()
    if shared:
        reports.share_parses(own, rooted)
    out.mkdir()
    own.json_report(outfile=str(out / "a.json"), show_contexts=False)
    own.lcov_report(outfile=str(out / "a.lcov"))
    rooted.xml_report(outfile=str(out / "a.xml"))
    stamp = re.compile(r'"timestamp": "[^"]*"|timestamp="\d+"')
    return {path.name: stamp.sub("", path.read_text()) for path in sorted(out.iterdir())}


def test_shared_parses_change_no_report(settings: Settings, tmp_path: Path) -> None:
    """With each file parsed once for all three reports, they are byte for byte coverage's own."""
    measure(settings, "alpha")
    shared = theme_reports(settings, tmp_path / "shared", shared=True)
    plain = theme_reports(settings, tmp_path / "plain", shared=False)
    assert shared == plain
    assert "pkg/core.py" in shared["a.lcov"] and 'filename="pkg/core.py"' in shared["a.xml"]


def test_without_the_private_hook_nothing_is_shared() -> None:
    """An object without coverage's `_get_file_reporter` is left alone."""

    class Bare:
        pass

    bare = Bare()
    reports.share_parses(bare)  # type: ignore[arg-type]
    assert not hasattr(bare, "_get_file_reporter")


class Measured:
    """A stand-in for a loaded Coverage: only its measured files."""

    def __init__(self, *files: str) -> None:
        self.files = set(files)

    def get_data(self) -> Measured:
        return self

    def measured_files(self) -> set[str]:
        return self.files


def test_coverage_html_leaves_out_files_it_cannot_name() -> None:
    """coverage's HTML gets every measured file (None) unless one's page name is too long, then the rest."""
    ordinary, long = "pkg/core.py", "pkg/" + "a" * 237 + ".py"
    assert reports._with_coverage_pages(Measured(ordinary, "b.py")) is None  # type: ignore[arg-type]
    assert reports._with_coverage_pages(Measured(ordinary, long, "b.py")) == ["b.py", ordinary]  # type: ignore[arg-type]


MULTILINE = """\
def check(a, b):
    if (
        a
        and b
    ):
        return 1
    return 0
"""


def test_contexts_are_gathered_on_their_statements_first_line(settings: Settings) -> None:
    """A context a core recorded on a multi-line condition's inner line is the statement's, as coverage
    reports it; a line no statement spans stays where it is."""
    (settings.root / "pkg" / "multi.py").write_text(MULTILINE)
    cov = open_coverage(settings, settings.root / "scratch")
    cov.load()
    contexts = {"pkg/multi.py": {1: ["alpha"], 3: ["alpha|tests"], 4: ["beta|tests"], 6: ["beta|tests"]}}
    folded = reports.by_statement(cov, contexts)
    assert folded == {"pkg/multi.py": {1: ["alpha"], 2: ["alpha|tests", "beta|tests"], 6: ["beta|tests"]}}
