"""The section registry, and the command line that chooses among the sections."""

from __future__ import annotations

import pytest

from benchmarks.__main__ import Usage, parse
from benchmarks.sections import Context, Goal, Registry, Section, UnknownSection


class Done:
    def render(self) -> str:
        return "done"

    def goals(self) -> tuple[Goal, ...]:
        return ()


def _run(context: Context) -> Done:
    return Done()


@pytest.fixture
def registry() -> Registry:
    sections = Registry()
    sections.register(Section("suite", "prepares", _run))
    sections.register(Section("matrix", "times the matrix", _run, needs=("suite",)))
    sections.register(Section("publish", "times the publish", _run, needs=("matrix",)))
    sections.register(Section("floor", "times the floor", _run, needs=("suite",)))
    return sections


def test_resolve_adds_what_a_section_needs_first(registry: Registry) -> None:
    """Asking for one section runs the sections it needs, transitively, before it."""
    assert [s.name for s in registry.resolve(["publish"])] == ["suite", "matrix", "publish"]


def test_resolve_runs_each_section_once(registry: Registry) -> None:
    """A section two others need runs once."""
    assert [s.name for s in registry.resolve(["floor", "publish", "floor"])] == [
        "suite",
        "matrix",
        "publish",
        "floor",
    ]


def test_resolve_names_an_unknown_section_and_the_choices(registry: Registry) -> None:
    """An unknown name is an error that lists the sections there are."""
    with pytest.raises(UnknownSection, match=r"p6: choose from suite, matrix, publish, floor"):
        registry.resolve(["p6"])


def test_register_refuses_a_need_registered_later() -> None:
    """A section can only need a section registered before it, so registration order is run order."""
    with pytest.raises(ValueError, match="needs later: register it first"):
        Registry().register(Section("early", "", _run, needs=("later",)))


def test_register_refuses_a_name_twice(registry: Registry) -> None:
    """Two sections cannot share a name."""
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(Section("suite", "", _run))


def test_command_line_runs_every_section_by_default() -> None:
    """Without --only, every registered section runs, needed ones first."""
    plan = parse([])
    assert [s.name for s in plan.sections] == ["at-scale", "publish", "floor"]
    assert not plan.options.quick


def test_command_line_only_publish_brings_at_scale() -> None:
    """`--only publish` also runs at-scale, whose data it publishes."""
    plan = parse(["--only", "publish", "--quick", "--rounds", "2", "--suites", "networkx"])
    assert [s.name for s in plan.sections] == ["at-scale", "publish"]
    assert (plan.options.quick, plan.options.rounds, plan.options.suites) == (True, 2, ("networkx",))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--only", "p6"], "unknown section"),
        (["--suites", "django"], "unknown suite"),
        (["--rounds", "0"], "at least 1"),
    ],
)
def test_command_line_refuses_what_it_cannot_run(argv: list[str], message: str) -> None:
    """A bad section, suite or round count is a usage error, before anything runs."""
    with pytest.raises(Usage, match=message):
        parse(argv)
