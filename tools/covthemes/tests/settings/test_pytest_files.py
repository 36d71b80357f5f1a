"""`covthemes.settings.pytest_files`: the test modules pytest would collect, from its config alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from covthemes.settings import pytest_files
from covthemes.settings.pytest_files import DEFAULT_PYTHON_FILES, PytestFiles


def touch(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pytest.ini", "[pytest]\ntestpaths = t u\npython_files = check_*.py\n"),
        (
            "pyproject.toml",
            '[tool.pytest.ini_options]\ntestpaths = ["t", "u"]\npython_files = ["check_*.py"]\n',
        ),
        ("tox.ini", "[pytest]\ntestpaths = t u\npython_files = check_*.py\n"),
        ("setup.cfg", "[tool:pytest]\ntestpaths = t u\npython_files = check_*.py\n"),
    ],
)
def test_reads_each_config_file(tmp_path: Path, name: str, text: str) -> None:
    """testpaths and python_files come from whichever file holds pytest's section."""
    (tmp_path / name).write_text(text)
    assert pytest_files.read(tmp_path) == PytestFiles(("t", "u"), ("check_*.py",))


def test_pytest_ini_wins_even_without_settings(tmp_path: Path) -> None:
    """pytest.ini is pytest's config even when empty, as pytest reads it; then the defaults apply."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "pyproject.toml").write_text('[tool.pytest.ini_options]\ntestpaths = ["t"]\n')
    assert pytest_files.read(tmp_path) == PytestFiles()


def test_a_file_without_pytests_section_is_skipped(tmp_path: Path) -> None:
    """A tox.ini without [pytest] is passed over for setup.cfg's [tool:pytest]."""
    (tmp_path / "tox.ini").write_text("[tox]\n")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "setup.cfg").write_text("[tool:pytest]\ntestpaths = t\n")
    assert pytest_files.read(tmp_path).testpaths == ("t",)


def test_lists_the_test_modules_under_the_testpaths(tmp_path: Path) -> None:
    """Modules matching python_files under testpaths, outside hidden, venv and cache folders."""
    touch(
        tmp_path,
        "tests/test_a.py",
        "tests/sub/b_test.py",
        "tests/helpers.py",
        "tests/conftest.py",
        "tests/.hidden/test_h.py",
        "tests/env/pyvenv.cfg",
        "tests/env/test_v.py",
        "tests/data/test_d.txt",
        "tests/data/notes.txt",
        "other/test_o.py",
    )
    found = PytestFiles(testpaths=("tests",)).files(tmp_path)
    # test_d.txt: pytest's doctest plugin collects `test*.txt` by default.
    assert found == [Path("tests/data/test_d.txt"), Path("tests/sub/b_test.py"), Path("tests/test_a.py")]
    assert Path("other/test_o.py") in PytestFiles().files(tmp_path)
    assert PytestFiles().python_files == DEFAULT_PYTHON_FILES
