"""covthemes.yml's data branch and pull-request comment: which of the combine job's steps run on which event.

The steps' `if:` conditions and expression-valued env are evaluated for a
push to the default branch, a push elsewhere, a pull request from a branch
of the repository and one from a fork. The evaluator covers what these
conditions use of GitHub's expression syntax: contexts, string literals,
`==`, `!=`, `!`, `&&`, `||`, `always()`, `hashFiles()` and `format()`.
The scripts the steps run are tested in test_history.py, the action's
steps in test_action.py. coverage.yml calls covthemes.yml with the
permissions its combine job asks for. The README's badges, which read the
data branch, are checked against the themes here too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest

from tests.pipeline.helpers import REPO, THEMES
from tests.pipeline.test_workflows import ACTION_USES, load_workflow

pytestmark = pytest.mark.pipeline

REPOSITORY = "owner/repo"


class Null:
    """GitHub's null: falsy, equal only to null, and null again for any of its properties."""

    def __getattr__(self, name: str) -> Null:
        return self

    def __bool__(self) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Null)

    def __hash__(self) -> int:
        return 0


NULL = Null()


class Context(dict):
    """A context object: `a.b` reads key `b`, and a missing property is null, as in GitHub's expressions."""

    def __getattr__(self, name: str) -> Any:
        value = self.get(name, NULL)
        return Context(value) if isinstance(value, Mapping) else value


def evaluate(expression: object, contexts: Mapping[str, Any], files: frozenset[str] = frozenset()) -> Any:
    """A GitHub expression's value (`${{ ... }}` or a bare `if:`), given the contexts and existing files."""
    text = str(expression).strip()
    match = re.fullmatch(r"\$\{\{(.*)\}\}", text, re.S)
    text = match.group(1) if match else text
    assert not re.search(r"\b(and|or|not)\b", text), text
    python = text.replace("&&", " and ").replace("||", " or ")
    python = re.sub(r"!(?!=)", " not ", python)
    names: dict[str, Any] = {name: Context(value) for name, value in contexts.items()}
    names |= {
        "true": True,
        "false": False,
        "null": NULL,
        "always": lambda: True,
        "cancelled": lambda: False,
        "hashFiles": lambda pattern: "hash" if pattern in files else "",
        "format": lambda template, *args: re.sub(
            r"\{(\d+)\}", lambda m: str(args[int(m.group(1))]), template
        ),
    }
    # The text is the workflow's own conditions, with no builtins to reach.
    return eval(python, {"__builtins__": {}}, names)


def event(name: str, *, ref: str = "refs/heads/main", fork: bool = False) -> dict[str, Any]:
    """The contexts of one event on `owner/repo`, whose default branch is main."""
    github: dict[str, Any] = {
        "event_name": name,
        "ref": ref,
        "repository": REPOSITORY,
        "event": {"repository": {"default_branch": "main"}},
    }
    if name == "pull_request":
        head = "someone/repo" if fork else REPOSITORY
        github["event"]["pull_request"] = {"head": {"repo": {"full_name": head}}}
        github["ref"] = "refs/pull/7/merge"
    # What the publish and diff steps (the covthemes action) gave: the output folder, the diff's markdown.
    steps = {
        "publish": {"outputs": {"output": "coverage"}},
        "diff": {"outputs": {"diff": "coverage/diff.md"}},
    }
    return {"github": github, "runner": {"temp": "/tmp/runner"}, "steps": steps, "vars": {}}


EVENTS = {
    "push to main": event("push"),
    "push elsewhere": event("push", ref="refs/heads/release"),
    "dispatch": event("workflow_dispatch"),
    "pull request": event("pull_request"),
    "pull request from a fork": event("pull_request", fork=True),
}
PUBLISHED = frozenset({"coverage/themes.json"})
SCRIPTS = ".covthemes/tools/covthemes/action"


@pytest.fixture(scope="module")
def combine() -> dict[str, Any]:
    return load_workflow("covthemes.yml")["jobs"]["combine"]


def step(combine: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [s for s in combine["steps"] if s.get("name") == name]
    return found


def runs_on(
    combine: dict[str, Any], name: str, files: frozenset[str] = PUBLISHED, diff: str = "coverage/diff.md"
) -> set[str]:
    """The events of EVENTS on which the named step runs, given the files published and the diff's output."""
    condition = step(combine, name).get("if", "true")
    found = set()
    for label, contexts in EVENTS.items():
        steps = {**contexts["steps"], "diff": {"outputs": {"diff": diff}}}
        if evaluate(condition, {**contexts, "steps": steps}, files):
            found.add(label)
    return found


def order(combine: dict[str, Any], *names: str) -> list[int]:
    return [[s.get("name") for s in combine["steps"]].index(name) for name in names]


def test_the_data_branch_is_pushed_only_on_a_push_to_the_default_branch(combine):
    """The record step runs on a push to main alone, after the publish, and only once a report exists."""
    assert runs_on(combine, "record the report on the data branch") == {"push to main"}
    assert runs_on(combine, "record the report on the data branch", frozenset()) == set()
    record = step(combine, "record the report on the data branch")
    assert record["run"] == f'{SCRIPTS}/push-data-branch.sh "$RUNNER_TEMP/covthemes-data" "$OUTPUT"'
    assert set(record["env"]) == {
        f"GIT_{who}_{what}" for who in ("AUTHOR", "COMMITTER") for what in ("NAME", "EMAIL")
    } | {"OUTPUT", "COVTHEMES_DATA_BRANCH"}
    assert record["env"]["OUTPUT"] == "${{ steps.publish.outputs.output }}"
    assert order(combine, "publish", "record the report on the data branch") == sorted(
        order(combine, "publish", "record the report on the data branch")
    )
    pushing = [s for s in combine["steps"] if "push-data-branch" in s.get("run", "")]
    assert pushing == [record]
    assert combine["permissions"]["contents"] == "write"


def test_pushes_publish_with_the_data_branchs_history(combine):
    """On a push, the publish draws the data branch's history.json; elsewhere it is given none."""
    data = step(combine, "data branch")
    assert (
        data["run"] == f'{SCRIPTS}/checkout-data-branch.sh "$RUNNER_TEMP/covthemes-data" >> "$GITHUB_OUTPUT"'
    )
    assert data["continue-on-error"] is True
    publish = step(combine, "publish")
    assert publish["uses"] == ACTION_USES
    assert publish["with"]["verb"] == "publish"
    history = publish["with"]["history"]
    values = {label: evaluate(history, contexts) for label, contexts in EVENTS.items()}
    assert values["push to main"] == "/tmp/runner/covthemes-data/history.json"
    assert values["pull request"] == values["pull request from a fork"] == ""
    assert order(combine, "data branch", "publish") == sorted(order(combine, "data branch", "publish"))


def test_pull_requests_read_the_base_report_from_the_data_branch_first(combine):
    """The base report comes from covthemes-data when it exists and the base is the default branch."""
    base = step(combine, "base branch's report")
    assert runs_on(combine, "base branch's report") == {"pull request", "pull request from a fork"}
    assert runs_on(combine, "base branch's report", frozenset()) == set()
    assert base["run"] == f'{SCRIPTS}/base-report.sh "$RUNNER_TEMP/base-report" >> "$GITHUB_OUTPUT"'
    script = (REPO / "tools" / "covthemes" / "action" / "base-report.sh").read_text()
    assert script.index('git show "refs/remotes/origin/$branch:themes.json"') < script.index("gh run list")
    assert '[ "$GITHUB_BASE_REF" = "${DEFAULT_BRANCH:-}" ]' in script
    assert base["env"]["DATA_BRANCH_FOUND"] == "${{ steps.data.outputs.found }}"
    assert base["env"]["DEFAULT_BRANCH"] == "${{ github.event.repository.default_branch }}"
    diff = step(combine, "themes of the changed lines")
    found = "steps.base-report.outputs.found == 'true'"
    report = "format('{0}/base-report/themes.json', runner.temp)"
    assert diff["with"]["base-report"] == f"${{{{ {found} && {report} || '' }}}}"


def test_a_pull_request_gets_one_sticky_comment_with_the_diff(combine):
    """A pull request from the repository gets the diff's markdown as a comment, found again by header."""
    comment = step(combine, "sticky comment")
    assert runs_on(combine, "sticky comment") == {"pull request"}
    assert runs_on(combine, "sticky comment", diff="") == set()
    assert runs_on(combine, "themes of the changed lines") == {"pull request", "pull request from a fork"}
    assert runs_on(combine, "themes of the changed lines", frozenset()) == set()
    assert comment["uses"] == "marocchino/sticky-pull-request-comment@v2"
    assert comment["with"] == {"header": "covthemes-diff", "path": "${{ steps.diff.outputs.diff }}"}
    assert comment["continue-on-error"] is True
    assert order(combine, "themes of the changed lines", "sticky comment") == sorted(
        order(combine, "themes of the changed lines", "sticky comment")
    )
    assert combine["permissions"]["pull-requests"] == "write"


def test_a_fork_keeps_the_step_summary_without_a_comment(combine):
    """A fork's pull request skips the comment and notes why in the job summary, without failing."""
    assert runs_on(combine, "no comment from a fork") == {"pull request from a fork"}
    note = step(combine, "no comment from a fork")
    assert '>> "$GITHUB_STEP_SUMMARY"' in note["run"]
    assert "exit" not in note["run"]


def test_coverage_workflow_grants_what_the_combine_job_asks(combine):
    """coverage.yml calls covthemes.yml with each permission its combine job asks (a caller's are the cap)."""
    caller = load_workflow("coverage.yml")["jobs"]["themes"]
    assert caller["uses"] == "./.github/workflows/covthemes.yml"
    assert combine["permissions"] == {"contents": "write", "actions": "read", "pull-requests": "write"}
    assert caller["permissions"] == combine["permissions"]


def test_the_evaluator_follows_github_semantics():
    """`&&` and `||` give an operand's value, a missing property is null, and `!` negates."""
    contexts = event("push")
    assert evaluate("github.event_name == 'push' && 'yes' || 'no'", contexts) == "yes"
    assert evaluate("${{ github.event.pull_request.head.repo.full_name }}", contexts) is NULL
    assert evaluate("github.event.pull_request.head.repo.full_name != github.repository", contexts) is True
    assert evaluate("!cancelled() && github.ref != 'refs/heads/x'", contexts) is True


def test_the_readme_shows_a_badge_per_theme_from_the_data_branch():
    """README.md's badges are one per configured theme and one for all themes, read from covthemes-data."""
    readme = (REPO / "README.md").read_text()
    urls = re.findall(r"!\[[^\]]*\]\((https://img\.shields\.io/endpoint\?url=[^)]+)\)", readme)
    base = "https://img.shields.io/endpoint?url=https://raw.githubusercontent.com/OWNER/REPO/covthemes-data/badges"
    assert urls == [f"{base}/{name}.json" for name in (*THEMES, "total")]
