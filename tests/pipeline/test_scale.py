"""Scale within a theme: xdist workers and pytest-split shards give the serial run's report.

Both run in a fresh clone holding the matrix clone's published report and
theme data; one theme is measured again, with `-n 2` or in three shards, and
the publish is compared with the matrix's own, number for number.
"""

from __future__ import annotations

import pytest

from tests.pipeline.helpers import load_json, run, tox

pytestmark = pytest.mark.pipeline

THEME = "security"
# What a theme's report must keep, whatever ran it: everything but the times and the interpreter.
KEPT = ("status", "tests", "outcomes", "total", "packages", "unique_lines", "import_only_lines", "threshold")


def numbers(report: dict) -> dict:
    """themes.json less what differs between two runs of the same tests: times and revisions."""
    return {
        "themes": {name: {key: theme[key] for key in KEPT} for name, theme in report["themes"].items()},
        "total": report["total"],
        "uncovered_lines": report["uncovered_lines"],
        "threshold": report["threshold"],
    }


def publish(clone, matrix, **env):
    python = matrix / ".tox" / "cov-combine" / "bin" / "python"
    return run([str(python), "-m", "covthemes", "publish"], clone, **env)


def drop_theme_data(clone, theme: str) -> None:
    """Delete one theme's data file and record by their exact names."""
    for name in (f".coverage.{theme}", f"provenance.{theme}.json"):
        (clone / "coverage" / "data" / name).unlink()


def test_xdist_run_of_a_theme_publishes_the_serial_numbers(published, matrix):
    """`tox -e cov-security -- -n 2`, then the publish, gives the serial matrix's numbers, tests included."""
    result = tox(published, "-e", f"cov-{THEME}", "--", "-n", "2")
    assert result.returncode == 0, result.output
    assert "2 workers [" in result.output
    record = load_json(published / "coverage" / "data" / f"provenance.{THEME}.json")
    serial = load_json(matrix / "coverage" / "themes.json")
    assert record["tests"] == serial["themes"][THEME]["tests"] > 0
    assert publish(published, matrix).returncode == 0
    ours = load_json(published / "coverage" / "themes.json")
    assert numbers(ours) == numbers(serial)
    assert load_json(published / "coverage" / "lines.json") == load_json(matrix / "coverage" / "lines.json")


def test_three_shards_publish_as_the_unsharded_theme(published, matrix):
    """The theme measured as shards 1/3, 2/3 and 3/3 publishes the unsharded numbers, tests and lines."""
    drop_theme_data(published, THEME)
    tests = []
    for index in (1, 2, 3):
        result = tox(published, "-e", f"cov-{THEME}", "--", "--shard", f"{index}/3")
        assert result.returncode == 0, result.output
        assert f"[pytest-split] Running group {index}/3" in result.output
        record = load_json(published / "coverage" / "data" / f"provenance.{THEME}.{index}-of-3.json")
        assert record["shard"] == f"{index}/3"
        tests.append(record["tests"])
    serial = load_json(matrix / "coverage" / "themes.json")
    assert all(tests) and sum(tests) == serial["themes"][THEME]["tests"]
    result = publish(published, matrix)
    assert result.returncode == 0, result.output
    assert numbers(load_json(published / "coverage" / "themes.json")) == numbers(serial)
    assert load_json(published / "coverage" / "lines.json") == load_json(matrix / "coverage" / "lines.json")

    (published / "coverage" / "data" / f".coverage.{THEME}.2-of-3").unlink()
    refused = publish(published, matrix)
    assert refused.returncode == 2
    assert (
        f"missing coverage data for shard 2/3 of theme '{THEME}' (coverage/data/.coverage.{THEME}.2-of-3): "
        f"run `tox -e cov-{THEME} -- --shard 2/3` first"
    ) in refused.stderr
    assert "Traceback" not in refused.output


def test_a_sysmon_run_is_refused_before_pytest(published, matrix):
    """`COVERAGE_CORE=sysmon covthemes run THEME` exits 2 with one line, and measures nothing."""
    python = matrix / ".tox" / f"cov-{THEME}" / "bin" / "python"
    before = (published / "coverage" / "data" / f".coverage.{THEME}").read_bytes()
    result = run([str(python), "-m", "covthemes", "run", THEME], published, COVERAGE_CORE="sysmon")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "COVERAGE_CORE=sysmon selects coverage's sysmon core" in result.stderr
    assert result.stdout == ""
    assert (published / "coverage" / "data" / f".coverage.{THEME}").read_bytes() == before
