"""The harness's sections: each registers its name, what it measures, what it needs, and how it runs.

The command line (`benchmarks.__main__`) only chooses among them; `resolve`
runs the sections a section `needs` first, whose results reach it in `Context.inputs`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Goal:
    name: str
    met: bool | None  # None: not judged in this run


class Result(Protocol):
    """A section's typed result, which renders its own tables and judges its goals."""

    def render(self) -> str: ...

    def goals(self) -> tuple[Goal, ...]: ...


@dataclass(frozen=True)
class Options:
    quick: bool = False  # fewer rounds and smaller suites: checks the harness, not for figures
    rounds: int | None = None  # overrides each section's own number of rounds
    suites: tuple[str, ...] = ()  # the suites to run on (empty: every suite)
    keep: bool = False  # keep the temporary folder


@dataclass(frozen=True)
class Context:
    snapshot: Path  # a one-commit copy of the working tree (`devtools/worktree.py`)
    work: Path  # the section's own folder
    options: Options
    log: Callable[[str], None]
    inputs: Mapping[str, Result] = field(default_factory=dict)  # the results of the sections it needs


@dataclass(frozen=True)
class Section:
    name: str
    measures: str  # one line, for `--list` and the reports
    run: Callable[[Context], Result]
    needs: tuple[str, ...] = ()


class UnknownSection(ValueError):
    """A section name no module registered."""


class Registry:
    def __init__(self) -> None:
        self._sections: dict[str, Section] = {}

    def register(self, section: Section) -> Section:
        if section.name in self._sections:
            raise ValueError(f"section {section.name!r} is registered twice")
        if missing := [n for n in section.needs if n not in self._sections]:
            raise ValueError(f"section {section.name!r} needs {', '.join(missing)}: register it first")
        self._sections[section.name] = section
        return section

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._sections)

    def resolve(self, names: Iterable[str]) -> list[Section]:
        """The sections `names` asks for and everything they need, each once, needed ones first."""
        pending = list(names)
        if unknown := [n for n in pending if n not in self._sections]:
            choices = ", ".join(self._sections)
            raise UnknownSection(f"unknown section(s) {', '.join(unknown)}: choose from {choices}")
        chosen: set[str] = set()
        while pending:
            chosen.add(name := pending.pop())
            pending += [n for n in self._sections[name].needs if n not in chosen]
        # Registration order puts every section after the ones it needs.
        return [s for s in self._sections.values() if s.name in chosen]


SECTIONS = Registry()
