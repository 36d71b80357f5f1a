"""`covthemes diff` on a real change: which themes cover the changed lines, and what moved.

A clone starts from the matrix's published report (the base commit), then
commits a change that adds a function only a security test calls, with a
branch no test takes, adds a module-level line, and edits a line only import
time runs. The matrix runs and publishes again, and every number of
`tox -e cov-diff -- --format json` is checked against a recount from
`git diff` and `baseline.json`'s contexts.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from devtools.worktree import commit
from tests.pipeline.helpers import THEMES, load_json, summary_table, tox

pytestmark = pytest.mark.pipeline

TOKENS = Path("apps/auth_service/tokens.py")
IMPORT_ONLY_LINE = 'ALGORITHM = "HS256"'


def changed_lines(clone: Path, base: str) -> set[tuple[str, int]]:
    """The added or changed lines of .py files between `base` and the working tree, from `git diff -U0`."""
    diff = subprocess.run(
        ["git", "diff", "-U0", "--no-color", base, "--", "*.py"],
        cwd=clone,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines: set[tuple[str, int]] = set()
    path = ""
    for row in diff.splitlines():
        if row.startswith("+++ "):
            path = row[len("+++ b/") :] if row != "+++ /dev/null" else ""
        elif row.startswith("@@") and path:
            match = re.match(r"@@ -\S+ \+(\d+)(?:,(\d+))? @@", row)
            assert match, row
            start, count = int(match.group(1)), int(match.group(2) or "1")
            lines.update((path, n) for n in range(start, start + count))
    return lines


class Recount:
    """Per changed statement: the themes that ran it, and whether only import time did."""

    def __init__(self, baseline: dict, changed: set[tuple[str, int]]) -> None:
        self.statements = {
            (path, line)
            for path, entry in baseline["files"].items()
            for line in [*entry["executed_lines"], *entry["missing_lines"]]
            if (path, line) in changed
        }
        self.ran: dict[tuple[str, int], set[str]] = {}
        self.by_tests: dict[tuple[str, int], set[str]] = {}
        for path, line in self.statements:
            contexts = baseline["files"][path]["contexts"].get(str(line), [])
            self.ran[(path, line)] = {c.split("|", 1)[0] for c in contexts} & set(THEMES)
            self.by_tests[(path, line)] = {c.split("|", 1)[0] for c in contexts if "|" in c} & set(THEMES)

    def covered(self, theme: str) -> int:
        return sum(1 for s in self.statements if theme in self.ran[s])

    @property
    def uncovered(self) -> set[tuple[str, int]]:
        return {s for s in self.statements if not self.ran[s]}

    @property
    def import_only(self) -> set[tuple[str, int]]:
        return {s for s in self.statements if self.ran[s] and not self.by_tests[s]}


@pytest.fixture(scope="module")
def changed(tmp_path_factory, make_clone, matrix) -> tuple[Path, Path]:
    """A clone published at the base and at a commit that changes measured code; the base themes.json."""
    clone = make_clone(tmp_path_factory.mktemp("diff") / "repo")
    shutil.copytree(matrix / "coverage", clone / "coverage", symlinks=True, dirs_exist_ok=True)
    base_report = clone.parent / "base-themes.json"
    shutil.copy2(clone / "coverage" / "themes.json", base_report)
    source = clone / TOKENS
    text = source.read_text()
    assert f"\n{IMPORT_ONLY_LINE}\n" in text
    text = text.replace(f"\n{IMPORT_ONLY_LINE}\n", f"\n{IMPORT_ONLY_LINE}  # RFC 7518\n")
    text += textwrap.dedent(
        '''

        TOKEN_KIND = "jwt"


        def fingerprint(token: str, *, short: bool = False) -> str:
            """A stable fingerprint of a token, for logs."""
            digest = hashlib.sha256(token.encode()).hexdigest()
            if short:
                return digest[:8]
            return digest
        '''
    )
    source.write_text(text)
    (clone / "tests" / "unit" / "auth_service" / "test_fingerprint.py").write_text(
        textwrap.dedent(
            '''
            import pytest

            from apps.auth_service.tokens import fingerprint

            pytestmark = pytest.mark.security


            def test_fingerprint_is_stable():
                """A token's fingerprint is the same on every call."""
                assert fingerprint("abc") == fingerprint("abc")
            '''
        )
    )
    commit(clone, "fingerprint tokens")
    result = tox(clone, "-p", "-m", "coverage")
    assert result.returncode == 0, result.output
    return clone, base_report


def diff_json(clone: Path, *args: str) -> dict:
    out = clone.parent / "diff.json"
    result = tox(clone, "-e", "cov-diff", "--", "--format", "json", "-o", str(out), *args)
    assert result.returncode == 0, result.output
    return load_json(out)


def test_changed_statements_per_theme_equal_the_recount(changed):
    """Each theme's changed statements and covered count equal a recount from git diff and baseline.json."""
    clone, _ = changed
    report = diff_json(clone, "--base", "HEAD~1")
    recount = Recount(load_json(clone / "coverage" / "baseline.json"), changed_lines(clone, "HEAD~1"))
    assert len(recount.statements) >= 6
    for theme in THEMES:
        assert report["themes"][theme]["changed_statements"] == len(recount.statements)
        assert report["themes"][theme]["covered"] == recount.covered(theme)
    everyone = len(recount.statements) - len(recount.uncovered)
    assert report["all_themes"] == {
        "changed_statements": len(recount.statements),
        "covered": everyone,
        "percent": round(100 * everyone / len(recount.statements), 2),
    }
    # The new function is the security tests' alone; its untaken branch is no theme's.
    assert report["themes"]["security"]["covered"] > report["themes"]["architecture"]["covered"]
    uncovered = {(item["file"], item["line"]) for item in report["uncovered"]}
    assert uncovered == recount.uncovered
    assert uncovered and all(path == TOKENS.as_posix() for path, _ in uncovered)
    import_only = {(item["file"], item["line"]) for item in report["import_only"]}
    assert import_only == recount.import_only
    edited = next(
        n for n, row in enumerate((clone / TOKENS).read_text().splitlines(), 1) if IMPORT_ONLY_LINE in row
    )
    assert (TOKENS.as_posix(), edited) in import_only
    for item in report["uncovered"]:
        page, anchor = item["page"].split("#")
        assert (clone / page).is_file()
        assert f'id="{anchor}"' in (clone / page).read_text()


def test_delta_against_the_base_report_is_the_difference_of_percents(changed):
    """With --base-report, each theme's delta is the difference of the two reports' figures by its tests."""
    clone, base_report = changed
    report = diff_json(clone, "--base", "HEAD~1", "--base-report", str(base_report))
    base, head = load_json(base_report), load_json(clone / "coverage" / "themes.json")
    for theme in THEMES:
        then, now = base["themes"][theme]["by_tests"], head["themes"][theme]["by_tests"]
        delta = report["delta"][theme]
        assert delta["percent"] == round(now["percent_covered"] - then["percent_covered"], 2)
        assert delta["covered_lines"] == now["covered_lines"] - then["covered_lines"]
    blind = head["uncovered_lines"]["total"] - base["uncovered_lines"]["total"]
    assert report["delta"]["blind_spots"] == blind > 0
    assert report["delta"]["regression"] is True


def test_markdown_fits_a_step_summary(changed):
    """The default markdown names every theme and the uncovered lines, well under GitHub's limit."""
    clone, _ = changed
    result = tox(clone, "-e", "cov-diff", "--", "--base", "HEAD~1")
    assert result.returncode == 0, result.output
    text = result.stdout
    for theme in THEMES:
        assert re.search(rf"^\| {theme} \| \d+/\d+ \| [\d.]+% \|$", text, re.M), theme
    assert "Changed statements no theme runs" in text
    assert len(text) < 65_000


def test_fail_under_exits_1_only_when_missed(changed):
    """--fail-under is opt-in: a missed minimum exits 1, a met one 0."""
    clone, _ = changed
    missed = tox(clone, "-e", "cov-diff", "--", "--base", "HEAD~1", "--fail-under", "architecture=100")
    assert missed.returncode == 1
    assert "architecture covers" in missed.output
    met = tox(clone, "-e", "cov-diff", "--", "--base", "HEAD~1", "--fail-under", "all_themes=50")
    assert met.returncode == 0, met.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base", "no-such-branch"], "unknown git ref 'no-such-branch'"),
        (["--base", "HEAD~1", "--fail-under", "speed=80"], "--fail-under 'speed=80' names no theme"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(changed, args, message):
    """An unknown ref or a bad option exits 2 with one line naming it, and no traceback."""
    clone, _ = changed
    result = tox(clone, "-e", "cov-diff", "--", *args)
    assert result.returncode == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_base_report_of_another_format_is_refused(changed, tmp_path):
    """A base report that is not themes.json format 3 exits 2, naming the format."""
    clone, base_report = changed
    old = load_json(base_report)
    old["format"] = 1
    (tmp_path / "old.json").write_text(json.dumps(old))
    result = tox(
        clone, "-e", "cov-diff", "--", "--base", "HEAD~1", "--base-report", str(tmp_path / "old.json")
    )
    assert result.returncode == 2
    assert "is themes.json format 1, not 4" in result.output
    assert "Traceback" not in result.output


def test_no_published_report_is_refused(clone):
    """Without a published report, diff exits 2 and says to publish first."""
    result = tox(clone, "-e", "cov-diff", "--", "--base", "HEAD")
    assert result.returncode == 2
    assert "no published report" in result.output
    assert "tox -e cov-combine" in result.output
    assert "Traceback" not in result.output


def test_badges_match_the_summary(changed):
    """Each theme and the total have a shields.io badge whose message is summary.md's first percent."""
    clone, _ = changed
    table = summary_table((clone / "coverage" / "summary.md").read_text())
    for name in [*THEMES, "total"]:
        badge = load_json(clone / "coverage" / "badges" / f"{name}.json")
        assert set(badge) == {"schemaVersion", "label", "message", "color"}
        assert badge["schemaVersion"] == 1
        label = "**all themes**" if name == "total" else name
        # A theme's is by its tests; all themes' is coverage's own, marked † in the table.
        assert badge["message"] == table[label]["By its tests"].removesuffix("†"), name
