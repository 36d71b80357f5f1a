"""`covthemes.render.summary_md` and `table.markdown`: hostile names stay in their code spans and cells."""

from __future__ import annotations

import re

from helpers import HOSTILE_FOLDER

from covthemes.model.themes import ThemesReport
from covthemes.render import summary_md, table
from covthemes.render.safe import code

# A code span: a run of backticks, the shortest text, the same run (CommonMark's rule, minus escapes).
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.*?)(?<!`)\1(?!`)")


def outside_code(text: str) -> str:
    return CODE_SPAN.sub("", text)


def test_table_escapes_pipes_in_cells() -> None:
    """A `|` inside a cell is escaped, so each row keeps as many cells as the heading."""
    lines = table.markdown(["Theme", "Folder"], [False, False], [["alpha", code("a|b")]])
    assert lines[2] == r"| alpha | `a\|b` |"
    assert [len(re.findall(r"(?<!\\)\|", line)) for line in lines] == [3, 3, 3]


def test_summary_shows_a_hostile_package_as_code(hostile_summary: ThemesReport) -> None:
    """A package folder named with backticks, `<b>`, `|` and a link is shown as code, never as markup."""
    text = summary_md.render(hostile_summary)
    heading = next(line for line in text.splitlines() if line.startswith("| Theme | ``"))
    assert heading.startswith(r"| Theme | ``evil`<b>\|[x](y)`` |")
    assert f"{code(HOSTILE_FOLDER)} 2" in text
    assert "<b>" not in outside_code(text) and "](" not in outside_code(text)
    rows = [line for line in text.splitlines() if line.startswith("|")]
    package_rows = rows[rows.index(heading) :]
    assert {len(re.findall(r"(?<!\\)\|", line)) for line in package_rows} == {5}
