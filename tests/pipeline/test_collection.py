"""A theme's run collects exactly what plain `pytest` collects from the theme's files: none added, none lost.

`snippets` is built here from text: two themes chosen by path alone, `api`
(its glob also matches a helper module holding a `test_` function, which
pytest's `python_files` leaves out) and `data` (a conftest that collects each
line of a `.txt` file as a test, and a `test_*.txt` file that pytest's doctest
plugin collects too). The node ids come from a `pytest_collection_finish`
hook in the suite's own conftest, not from `--collect-only` output (PITFALLS
28), for plain pytest and for each `covthemes run THEME`.
"""

from __future__ import annotations

import fnmatch
import json
import sys
import textwrap
from pathlib import Path

import pytest

from tests.pipeline.helpers import run

pytestmark = pytest.mark.pipeline

GLOBS = {"api": ["tests/api/*.py"], "data": ["tests/data/*.txt", "tests/data/*.py"]}

FILES = {
    "pyproject.toml": """\
        [tool.pytest.ini_options]
        addopts = "--strict-markers -p no:cacheprovider"
        testpaths = ["tests"]

        [tool.coverage.run]
        source = ["pkg"]
        branch = true
        relative_files = true
        context = "${COVERAGE_CONTEXT-}"

        [tool.coverage.html]
        show_contexts = true

        [tool.coverage.json]
        show_contexts = true

        [tool.covthemes]
        themes = ["api", "data"]

        [tool.covthemes.paths]
        api = ["tests/api/*.py"]
        data = ["tests/data/*.txt", "tests/data/*.py"]
        """,
    "pkg/__init__.py": """\
        def double(x):
            return 2 * x
        """,
    # The recorder: every node id the session keeps, after selection.
    "tests/conftest.py": """\
        import json
        import os


        def pytest_collection_finish(session):
            with open(os.environ["NODEIDS"], "w") as out:
                json.dump([item.nodeid for item in session.items], out)
        """,
    "tests/api/test_api.py": """\
        from pkg import double


        def test_double():
            assert double(2) == 4


        def test_zero():
            assert double(0) == 0
        """,
    # Matched by the api glob, but not a test module by pytest's rules.
    "tests/api/helpers.py": """\
        def test_lookalike():
            raise AssertionError("a helper, never a test")
        """,
    # Each line of a .txt file here is a test: a data-file collector.
    "tests/data/conftest.py": """\
        import pytest


        class Snippet(pytest.Item):
            def runtest(self):
                left, right = self.line.split("=")
                assert eval(left) == eval(right)


        class Snippets(pytest.File):
            def collect(self):
                for number, line in enumerate(self.path.read_text().splitlines(), 1):
                    if "=" in line and not line.startswith(">>>"):
                        item = Snippet.from_parent(self, name=f"line{number}")
                        item.line = line
                        yield item


        def pytest_collect_file(file_path, parent):
            if file_path.suffix == ".txt":
                return Snippets.from_parent(parent, path=file_path)
        """,
    "tests/data/sums.txt": """\
        1 + 1 = 2
        2 * 3 = 6
        """,
    # Looks like a doctest, and is one to pytest (`test*.txt`), besides its snippet.
    "tests/data/test_notes.txt": """\
        >>> 1 + 1
        2

        3 - 1 = 2
        """,
    "tests/data/test_table.py": """\
        def test_table():
            assert sum([1, 2]) == 3
        """,
}


def node_ids(repo: Path, tmp_path: Path, name: str, *args: str) -> list[str]:
    out = tmp_path / f"{name}.json"
    result = run([sys.executable, *args], repo, timeout=300, NODEIDS=str(out))
    assert result.returncode == 0, result.output
    return sorted(json.loads(out.read_text()))


def in_theme(node_id: str, theme: str) -> bool:
    path = node_id.split("::", 1)[0]
    return any(fnmatch.fnmatch(path, glob) for glob in GLOBS[theme])


def test_a_themes_run_collects_what_plain_pytest_collects_from_its_files(tmp_path: Path) -> None:
    """Each theme's node ids are plain pytest's filtered to the theme's files: helpers out, data files in."""
    repo = tmp_path / "snippets"
    for name, text in FILES.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(textwrap.dedent(text))
    plain = node_ids(repo, tmp_path, "plain", "-m", "pytest", "-p", "no:covthemes")
    assert "tests/data/test_notes.txt::test_notes.txt" in plain
    assert not any("helpers.py" in node for node in plain)
    for theme in GLOBS:
        themed = node_ids(repo, tmp_path, theme, "-m", "covthemes", "run", theme)
        assert themed == [node for node in plain if in_theme(node, theme)], theme
    # api 2; sums.txt 2 snippets; test_notes.txt a doctest and a snippet; test_table.py 1.
    assert len(plain) == 2 + 2 + 2 + 1
