"""`covthemes.diff_output` and `covthemes.diff_command`: the diff's JSON and markdown, and --fail-under."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest
from helpers import HOSTILE_FOLDER, HOSTILE_PATH

from covthemes.diff import command as diff_command
from covthemes.diff.changed import Base, ChangedLines, ChangedNumbers
from covthemes.diff.delta import Change, Delta, ThemeDelta
from covthemes.diff.output import MARKDOWN_LIMIT, DiffReport, _fit
from covthemes.errors import CovthemesError
from covthemes.settings.config import ALL_THEMES, Settings
from covthemes.settings.layout import page_name

BASE = Base("origin/main", "0123456789abcdef" * 2 + "01234567")
A, B = "pkg/a.py", "pkg/b.py"
# Four changed statements: alpha covers one, beta three; b.py:2 only at import; a.py:9 by no theme.
CHANGED = ChangedLines(
    BASE,
    frozenset({(A, 1), (A, 9), (B, 2), (B, 3)}),
    {"alpha": frozenset({(B, 2)}), "beta": frozenset({(A, 1), (B, 2), (B, 3)})},
    frozenset({(B, 2)}),
)
DELTA = Delta(
    {
        "alpha": ThemeDelta(Change(-1.5, -2), {"pkg": Change(-1.5, -2)}, 1),
        "beta": ThemeDelta(Change(0.25, 1), {"pkg": Change(0.25, 1)}, 0),
        ALL_THEMES: ThemeDelta(Change(0.0, 0), {"pkg": Change(0.0, 0)}, None),
    },
    blind_spots=2,
)


def report(delta: Delta | None = None, changed: ChangedLines = CHANGED) -> DiffReport:
    """The diff report of alpha and beta, published under `coverage`, at precision 1."""
    return DiffReport(changed, ("alpha", "beta"), delta, "coverage", 1)


def entry(path: str, line: int) -> dict[str, object]:
    """A listed line in the JSON, with the link to its themed page."""
    return {"file": path, "line": line, "page": f"coverage/files/{page_name(path)}#L{line}"}


def test_changed_numbers() -> None:
    """Each theme's share of the changed statements; nothing changed counts as all covered."""
    assert CHANGED.numbers("alpha") == ChangedNumbers(4, 1)
    assert CHANGED.numbers("beta").percent == 75.0
    assert CHANGED.numbers(ALL_THEMES) == ChangedNumbers(4, 3)
    assert CHANGED.blind_spots == {(A, 9)}
    assert ChangedNumbers(0, 0).percent == 100.0


def test_json_format_1() -> None:
    """The JSON: format, base, each theme, all themes, and the uncovered and import-only lines with pages."""
    assert report().to_json() == {
        "format": 1,
        "base": {"ref": "origin/main", "commit": BASE.commit},
        "themes": {
            "alpha": {"changed_statements": 4, "covered": 1, "percent": 25.0},
            "beta": {"changed_statements": 4, "covered": 3, "percent": 75.0},
        },
        "all_themes": {"changed_statements": 4, "covered": 3, "percent": 75.0},
        "uncovered": [entry(A, 9)],
        "import_only": [entry(B, 2)],
    }


def test_json_with_a_delta() -> None:
    """With a base report, the JSON has the delta as diff_delta writes it."""
    assert report(DELTA).to_json()["delta"] == DELTA.to_json()


def test_markdown_tables_and_listings() -> None:
    """The markdown has the per-theme table, both listings linked to the themed pages, and the delta."""
    text = report(DELTA).markdown()
    assert "Against `origin/main` (`0123456789ab`): 4 changed statement(s)." in text
    assert "| alpha | 1/4 | 25.0% |\n| beta | 3/4 | 75.0% |\n| **all themes** | 3/4 | 75.0% |" in text
    assert f"**Changed statements no theme runs** (1):\n\n- [`{A}:9`]({entry(A, 9)['page']})" in text
    assert f"**Changed statements only import time runs** (1):\n\n- [`{B}:2`]({entry(B, 2)['page']})" in text
    assert "| alpha | -1.50 | -2 | +1 | **regression** |" in text
    assert "| beta | +0.25 | +1 | +0 |  |" in text
    assert "| **all themes** | +0.00 | +0 |  |  |" in text
    assert "Blind spots (statements no theme runs): +2." in text
    assert "Packages that got worse: alpha `pkg` -1.50%." in text


def test_hostile_names_stay_code_and_link_to_an_encoded_page() -> None:
    """A changed file, package and ref named to inject markup or links show as code spans, and each
    listed line links to its page's percent-encoded path; the JSON keeps the plain path."""
    base = Base("<b>`x`</b>|[y](z)", BASE.commit)
    changed = ChangedLines(base, frozenset({(HOSTILE_PATH, 9)}), {"alpha": frozenset()}, frozenset())
    delta = Delta(
        {"alpha": ThemeDelta(Change(-1.0, -1), {HOSTILE_FOLDER: Change(-1.0, -1)}, 0)}, blind_spots=1
    )
    hostile = DiffReport(changed, ("alpha",), delta, "build/cov erage", 1)
    text = hostile.markdown()
    assert "Against ``<b>`x`</b>|[y](z)`` (`0123456789ab`)" in text
    (item,) = [line for line in text.splitlines() if line.startswith("- ")]
    label, target = item[len("- [") : -1].rsplit("](", 1)
    assert label == f"```{HOSTILE_PATH}:9```"
    assert not set("\"'<>() ") & set(target)
    assert unquote(target) == f"build/cov erage/files/{page_name(HOSTILE_PATH)}#L9"
    assert "Packages that got worse: alpha ``evil`<b>|[x](y)`` -1.00%." in text
    listed = json.loads(json.dumps(hostile.to_json()))["uncovered"]
    assert listed == [
        {"file": HOSTILE_PATH, "line": 9, "page": f"build/cov erage/files/{page_name(HOSTILE_PATH)}#L9"}
    ]


def test_markdown_delta_without_worse_packages() -> None:
    """A delta with no package worse has no list of worse packages."""
    better = Delta({"alpha": ThemeDelta(Change(1.0, 1), {"pkg": Change(1.0, 1)}, 0)}, blind_spots=0)
    text = report(better).markdown()
    assert "| alpha | +1.00 | +1 | +0 |  |" in text
    assert "Blind spots (statements no theme runs): +0." in text
    assert "Packages that got worse" not in text


def test_markdown_without_findings_says_none() -> None:
    """With every changed statement covered by tests, both listings say none; no delta, no delta section."""
    covered = ChangedLines(
        BASE, frozenset({(A, 1)}), {"alpha": frozenset({(A, 1)}), "beta": frozenset()}, frozenset()
    )
    text = report(changed=covered).markdown()
    assert "**Changed statements no theme runs:** none." in text
    assert "**Changed statements only import time runs:** none." in text
    assert "Against the base branch" not in text


def test_long_markdown_is_cut_at_a_line_with_a_note() -> None:
    """Markdown longer than the limit is cut at a line end, with a note pointing to the JSON."""
    many = frozenset((f"pkg/module_{n:05}.py", n) for n in range(2_000))
    long = ChangedLines(BASE, many, {"alpha": frozenset(), "beta": frozenset()}, frozenset())
    text = report(changed=long).markdown()
    note = "\n\n*Cut to fit a GitHub summary: the JSON output (`--format json`) has every line.*\n"
    assert len(text) <= MARKDOWN_LIMIT
    assert text.endswith(note)
    kept = text.removesuffix(note)
    assert kept.splitlines()[-1].startswith("- [`pkg/module_")
    assert kept.splitlines()[-1].endswith(")")


def test_fit_keeps_short_text_and_cuts_long_text_at_a_newline() -> None:
    """_fit returns text within the limit unchanged; longer text keeps only whole lines."""
    assert _fit("short\n") == "short\n"
    exact = "x" * MARKDOWN_LIMIT
    assert _fit(exact) == exact
    lines = [f"line {n:06}" for n in range(MARKDOWN_LIMIT // 10)]
    cut = _fit("\n".join(lines) + "\n")
    kept = cut.split("\n\n*Cut", 1)[0]
    assert len(cut) <= MARKDOWN_LIMIT
    assert kept.split("\n") == lines[: len(kept.split("\n"))]
    assert len(kept.split("\n")) < len(lines)


@pytest.fixture
def three_themes(tmp_path: Path) -> Settings:
    """Settings with the themes alpha, beta and gamma."""
    return Settings(root=tmp_path, themes=("alpha", "beta", "gamma"))


def test_fail_under_parses_theme_percent_pairs(three_themes: Settings) -> None:
    """THEME=PCT pairs, all themes as `total` or `all_themes`, become minimums; a repeat keeps the last."""
    values = ["alpha=80", "all_themes=62.5", "beta=0", "alpha=90"]
    assert diff_command.parse_fail_under(three_themes, values) == {
        "alpha": 90.0,
        ALL_THEMES: 62.5,
        "beta": 0.0,
    }
    assert diff_command.parse_fail_under(three_themes, ["total=0", "total=100"]) == {ALL_THEMES: 100.0}
    assert diff_command.parse_fail_under(three_themes, []) == {}


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("delta=50", "--fail-under 'delta=50' names no theme: write THEME=PCT with one of "),
        ("everything=50", "--fail-under 'everything=50' names no theme: write THEME=PCT with one of "),
        ("security=250", "--fail-under 'security=250' names no theme: write THEME=PCT with one of "),
        ("alpha=250", "--fail-under 'alpha=250': 250 is not a percent: write a number from 0 to 100"),
        ("alpha=-1", "--fail-under 'alpha=-1': -1 is not a percent: write a number from 0 to 100"),
        ("total=nan", "--fail-under 'total=nan': nan is not a percent: write a number from 0 to 100"),
        ("=50", "--fail-under '=50' names no theme: write THEME=PCT with one of "),
        ("alpha", "--fail-under 'alpha': '' is not a number: write THEME=PCT"),
        ("alpha=most", "--fail-under 'alpha=most': 'most' is not a number: write THEME=PCT"),
    ],
)
def test_fail_under_refuses_in_one_line(three_themes: Settings, value: str, problem: str) -> None:
    """An unknown theme or a percent that is no number is one expected error naming the value."""
    with pytest.raises(CovthemesError) as raised:
        diff_command.parse_fail_under(three_themes, ["alpha=1", value])
    (message,) = raised.value.problems
    assert message.startswith(problem)
    if "names no theme" in problem:
        assert message.endswith("alpha, beta, gamma, total, all_themes")
