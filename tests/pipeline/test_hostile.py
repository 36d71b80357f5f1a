"""A report of hostile file names and test ids, opened in Chromium from file://: no script runs.

The adopting repository of test_adoption.py, with modules named to break out
of HTML, attributes, URLs and Markdown (quotes, angle brackets, `</script>`
across a folder, unicode, a 240-character name) that a unit test runs, and
test ids carrying the same payloads. Every payload sets `window.__xss` or
opens a dialog; the test opens index.html, every themed page and coverage's
own pages, and checks that none did, that no element was injected, and that
the Content-Security-Policy blocks an inline script the test adds itself.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from devtools import worktree
from tests.pipeline.helpers import load_json, tox
from tests.pipeline.test_adoption import Adopted, tool_snapshot, write_inventory

pytestmark = pytest.mark.pipeline

LONG = "a" * 237 + ".py"
# Module files under src/inventory; `</script>` needs a folder, as `/` ends a file name.
MODULES = (
    '"><img src=x onerror=window.__xss=1>.py',
    "'><svg onload=alert(2)>.py",
    "a</script><img src=x onerror=window.__xss=3>.py",
    "ünïcødé ✓ #frag?q=1 %41.py",
    "[x](javascript:alert(4)) | `tick`.py",
    LONG,
)
TEST_IDS = (
    "</script><script>window.__xss=5</script>",
    '"><img src=x onerror=alert(6)>',
    "'onmouseover='alert(7)",
    "ünï<b>cødé</b>",
)
MODULE_TEXT = "VALUE = 1\nif VALUE:\n    VALUE += 1\n"
HOSTILE_TEST = f"""\
    import runpy
    from pathlib import Path

    import pytest

    from inventory.stock import Stock

    pytestmark = pytest.mark.unit
    SRC = Path(__file__).resolve().parents[2] / "src" / "inventory"
    MODULES = {MODULES!r}


    @pytest.mark.parametrize("name", MODULES)
    def test_hostile_module_runs(name):
        # A module name in the package: coverage measures `source = ["inventory"]` by it.
        assert runpy.run_path(str(SRC / name), run_name="inventory.hostile")["VALUE"] == 2


    @pytest.mark.parametrize("payload", {TEST_IDS!r}, ids={TEST_IDS!r})
    def test_hostile_id(payload):
        # Runs measured code, so the id is one of its contexts in coverage's HTML and baseline.json.
        assert Stock().level(payload) == 0
    """
# Run inside each page: the payloads' sentinel, and what a payload could have added.
INJECTED = """() => ({
    xss: window.__xss ?? null,
    img: document.querySelectorAll("img").length,
    svg_onload: document.querySelectorAll("svg[onload], [onerror], [onmouseover]").length,
    scripts: [...document.scripts].map(s => s.getAttribute("src")),
})"""
# An inline script the test adds: the policy must refuse it.
INLINE = """() => {
    const script = document.createElement("script");
    script.textContent = "window.__inline = 1";
    document.head.append(script);
    return window.__inline ?? null;
}"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Adopted:
    """The adopting repository with the hostile modules and test ids, measured and published (about 2 min)."""
    folder = tmp_path_factory.mktemp("hostile")
    root = write_inventory(folder / "inventory", tool_snapshot(folder / "covthemes"))
    for name in MODULES:
        (root / "src" / "inventory" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "src" / "inventory" / name).write_text(MODULE_TEXT)
    (root / "tests" / "unit" / "test_hostile.py").write_text(textwrap.dedent(HOSTILE_TEST))
    worktree.commit(root, "hostile names", init=True)
    return Adopted(root, tox(root, "-p", "-m", "coverage"))


def test_every_hostile_name_publishes(hostile):
    """The report publishes, with a themed page for each hostile module, the 240-character one too."""
    assert hostile.matrix.returncode == 0, hostile.matrix.output
    assert load_json(hostile.output / "themes.json")["status"] == "passed"
    baseline = load_json(hostile.output / "baseline.json")["files"]
    assert {f"src/inventory/{name}" for name in MODULES} <= set(baseline)
    contexts = {c for entry in baseline.values() for cs in entry["contexts"].values() for c in cs}
    assert any(TEST_IDS[0] in c for c in contexts), sorted(contexts)


def themed_pages(hostile: Adopted) -> list[Path]:
    return sorted((hostile.output / "files").glob("*.html"))


def test_no_script_runs_and_nothing_is_injected(hostile, watched):
    """index.html, every themed page and coverage's pages run no payload, open no dialog, hold no <img>,
    and run no script but report.js; each of ours refuses an inline script by its CSP."""
    ours = [hostile.output / "index.html", *themed_pages(hostile)]
    assert len(ours) == 1 + len(load_json(hostile.output / "baseline.json")["files"])
    for path in ours:
        page = watched.open(path)
        found = page.evaluate(INJECTED)
        assert found["xss"] is None and found["img"] == 0 and found["svg_onload"] == 0, (path.name, found)
        assert found["scripts"] in (["report.js"], ["files/report.js"]), (path.name, found)
        assert page.evaluate(INLINE) is None, path.name
        refused = [e for e in watched.errors if "Content Security Policy" in e]
        assert refused, (path.name, watched.errors)
        assert len(refused) == len(watched.errors), watched.errors
        watched.errors.clear()
    theirs = sorted((hostile.output / "html").glob("*.html"))
    for path in theirs:
        found = watched.open(path, ready=False).evaluate(INJECTED)
        assert found["xss"] is None and found["svg_onload"] == 0, (path.name, found)
    assert watched.dialogs == []
    assert watched.remote == []


def test_index_links_reach_every_page_and_still_filter_and_sort(hostile, watched):
    """Each file link of the index opens an existing themed page; filtering and sorting work under the CSP."""
    page = watched.open(hostile.output / "index.html")
    links = page.locator("table.files a").evaluate_all("links => links.map(a => a.href)")
    targets = {Path(unquote(urlparse(link).path)) for link in links}
    assert targets == set(themed_pages(hostile))
    page.fill('input[name="file-filter"]', "onerror=window.__xss=1")
    visible = page.locator("table.files tbody tr:visible").evaluate_all(
        "rows => rows.map(r => r.dataset.file)"
    )
    assert visible == [f"src/inventory/{MODULES[0]}"]
    page.fill('input[name="file-filter"]', "")
    page.locator("table.files thead th", has_text="File").click()
    names = page.locator("table.files tbody tr").evaluate_all("rows => rows.map(r => r.dataset.file)")
    assert names == sorted(names, key=str.lower) and len(names) > len(MODULES)
    assert watched.errors == [] and watched.dialogs == []


def test_themed_pages_filter_and_link_to_coverage_where_its_page_exists(hostile, watched):
    """On each hostile module's page the theme filter works, and its coverage.py link opens coverage's page;
    the 240-character module, which coverage cannot name, has no such link."""
    by_path = {}
    for themed in themed_pages(hostile):
        by_path[watched.open(themed).inner_text("header strong")] = themed
    for name in MODULES:
        page = watched.open(by_path[f"src/inventory/{name}"])
        page.select_option('select[name="theme"]', "only:unit")
        assert page.locator("tr.line:visible").count() == 3, name
        page.select_option('select[name="theme"]', "none")
        # The blind spots and the lines with a branch no theme took, and nothing else but their context.
        shown = page.locator("tr.line:visible:not(.context)")
        assert shown.count() == page.locator("tr.line[data-blind], tr.line[data-partial]").count(), name
        links = page.locator('a[href^="../html/"]').evaluate_all("links => links.map(a => a.href)")
        if name == LONG:
            assert links == [], name
            assert "coverage.py has no page for this file" in page.inner_text("header")
        else:
            assert links and all(Path(unquote(urlparse(link).path)).is_file() for link in links), name
    assert watched.errors == [] and watched.dialogs == []
