"""Which themes ran each statement, through their tests or only at import.

A context is `<theme>` for lines run at import or collection time, and
`<theme>|tests` (the phases mode) or `<theme>|<test node id>|<phase>`
(the tests mode: pytest-cov's `--cov-context=test` joined to the static
context) for lines run by the tests, so the theme of a context is the text
before its first `|`. From one pass over each file's contexts:

- a statement is *only this theme*'s when that theme, and no other, ran it
  (`unique_lines` in the JSON);
- it is *import-only* for a theme when that theme ran it, but only in the bare
  `<theme>` context: no test of the theme ran it;
- it is a *blind spot* when no theme ran it (`uncovered_lines` in the JSON).

A statement is *partial* when, in all themes, a branch from it was never
taken: coverage's `missing_branches` of the merged report, kept per file for
the themed pages (`covthemes.render.pages`), not in `lines.json`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from covthemes.model.typed import FormatMismatch, read_int, read_listing, read_map

Listing = dict[str, list[int]]
# Format 2 added `measured_files`, the SHA-256 of each measured file as the publish read it.
LINES_FORMAT = 2


def theme_of(context: str) -> str:
    return context.split("|", 1)[0]


@dataclass(frozen=True)
class LineThemes:
    """For one file, the themes that ran each statement, and those whose tests did."""

    statements: tuple[int, ...]
    blind_spots: tuple[int, ...]
    ran: Mapping[int, frozenset[str]]
    tested: Mapping[int, frozenset[str]]
    # Each partial statement's destinations no theme took; a negative one is an exit.
    partial: Mapping[int, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def of(
        cls, entry: Mapping[str, Any], contexts: Mapping[int, Sequence[str]], known: frozenset[str]
    ) -> LineThemes:
        executed, missing = entry["executed_lines"], entry["missing_lines"]
        ran: dict[int, frozenset[str]] = {}
        tested: dict[int, frozenset[str]] = {}
        for line in executed:
            names = contexts.get(line, ())
            themes = frozenset(theme_of(c) for c in names) & known
            if themes:
                ran[line] = themes
                tested[line] = frozenset(theme_of(c) for c in names if "|" in c) & known
        partial: dict[int, list[int]] = {}
        for source, destination in entry.get("missing_branches", ()):
            partial.setdefault(source, []).append(destination)
        return cls(
            tuple(sorted([*executed, *missing])),
            tuple(sorted(missing)),
            ran,
            tested,
            {line: tuple(sorted(ends, key=lambda end: (end < 0, end))) for line, ends in partial.items()},
        )

    def themes_by_tests(self, line: int) -> frozenset[str]:
        return self.tested.get(line, frozenset())

    def themes_at_import_only(self, line: int) -> frozenset[str]:
        return self.ran.get(line, frozenset()) - self.tested.get(line, frozenset())

    def only_this_theme(self, theme: str) -> list[int]:
        """Statements that `theme` ran and no other theme did."""
        return sorted(line for line, themes in self.ran.items() if themes == {theme})

    def import_only(self, theme: str) -> list[int]:
        """Statements `theme` ran only at import: no test of the theme ran them."""
        return sorted(line for line in self.ran if theme in self.themes_at_import_only(line))


@dataclass(frozen=True)
class LineListing:
    """`lines.json`: the file and line listings behind the summary's line counts.

    `files` is what a publish computed per file; `lines.json` does not carry it,
    so a listing read back with `from_json` has none. `measured` is the SHA-256
    of each measured file's source as the publish read it, which
    `covthemes.model.freshness` compares with the checkout's.
    """

    files: dict[str, LineThemes]
    only_this_theme: dict[str, Listing]
    import_only: dict[str, Listing]
    blind_spots: Listing
    measured: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        merged_report: Mapping[str, Any],
        contexts: Mapping[str, Mapping[int, Sequence[str]]],
        themes: Sequence[str],
        measured: Mapping[str, str] | None = None,
    ) -> LineListing:
        known = frozenset(themes)
        files: dict[str, LineThemes] = {}
        only_this_theme: dict[str, Listing] = {theme: {} for theme in themes}
        import_only: dict[str, Listing] = {theme: {} for theme in themes}
        blind_spots: Listing = {}
        for path, entry in merged_report["files"].items():
            lines = files[path] = LineThemes.of(entry, contexts.get(path, {}), known)
            for theme in themes:
                if only := lines.only_this_theme(theme):
                    only_this_theme[theme][path] = only
                if at_import := lines.import_only(theme):
                    import_only[theme][path] = at_import
            if lines.blind_spots:
                blind_spots[path] = list(lines.blind_spots)
        return cls(files, only_this_theme, import_only, blind_spots, dict(measured or {}))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": LINES_FORMAT,
            "unique_lines": self.only_this_theme,
            "import_only_lines": self.import_only,
            "uncovered_lines": self.blind_spots,
            "measured_files": self.measured,
        }

    @classmethod
    def from_json(cls, value: object) -> LineListing:
        """A `lines.json` read back; TypeError says what does not fit its format."""
        document = read_map(value, "the listing")
        if read_int(document, "format") != LINES_FORMAT:
            raise FormatMismatch(document["format"], LINES_FORMAT)
        only = read_map(document.get("unique_lines"), "unique_lines")
        import_only = read_map(document.get("import_only_lines"), "import_only_lines")
        return cls(
            files={},
            only_this_theme={
                theme: read_listing(files, f"unique_lines of {theme!r}") for theme, files in only.items()
            },
            import_only={
                theme: read_listing(files, f"import_only_lines of {theme!r}")
                for theme, files in import_only.items()
            },
            blind_spots=read_listing(document.get("uncovered_lines"), "uncovered_lines"),
            measured=_hashes(document.get("measured_files")),
        )


def _hashes(value: object) -> dict[str, str]:
    found = read_map(value, "measured_files")
    for path, digest in found.items():
        if not isinstance(digest, str):
            raise TypeError(f"measured_files of {path!r} is {type(digest).__name__}, not a string")
    return dict(found)
