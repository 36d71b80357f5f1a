"""Publishing a built report with one atomic rename, and clearing what earlier publishes left.

Each publish builds its outputs in a folder of their own, a generation,
`<output>/.reports/<name>/`. The published names are links that never change:
`<output>/index.html` links to `.report/index.html`, and so on for every
output, and `<output>/.report` links to the current generation. Publishing
replaces `.report` with a link to the new generation in one `rename(2)`: at
every instant a reader sees the old report or the new one, whole, whatever
kills the publish, so nothing is ever rolled back. The generations left
behind are deleted by `clean`, which any publish may interrupt and the next
one finishes. Only called with the publish lock held; every filesystem
operation goes through `FileOps`, so the crash tests can stop each one.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from covthemes.errors import CovthemesError, PublishRefused
from covthemes.publish.fsops import FileOps
from covthemes.settings.layout import GENERATIONS, OUTPUTS, REPORT, THEMES_JSON, Layout


def current(output: Layout) -> Path | None:
    """The generation `.report` links to; None before the first publish, or when the link is not ours."""
    link = output.report_link
    if not link.is_symlink():
        return None
    parts = Path(os.readlink(link)).parts
    if len(parts) != 2 or parts[0] != GENERATIONS or parts[1] in (".", ".."):
        return None
    return output.generation(parts[1])


def foreign(output: Layout) -> list[Path]:
    """The entries at covthemes' own names in the output folder that covthemes did not make."""
    found = [
        output.folder / name
        for name in OUTPUTS
        if os.path.lexists(output.folder / name) and not _is_output_link(output, name)
    ]
    if os.path.lexists(output.report_link) and current(output) is None:
        found.append(output.report_link)
    generations = output.generations
    if os.path.lexists(generations) and (generations.is_symlink() or not generations.is_dir()):
        found.append(generations)
    return found


def _is_output_link(output: Layout, name: str) -> bool:
    path = output.folder / name
    return path.is_symlink() and os.readlink(path) == f"{REPORT}/{name}"


def claim(output: Layout, ops: FileOps) -> bool:
    """Make sure covthemes owns its names; True when an earlier covthemes' report was moved behind links.

    A report published by a covthemes that wrote its outputs in place (real
    files, with its `themes.json`), or a report copied with its links followed
    (`cp -rL`, `shutil.copytree`), becomes a generation of its own. Anything
    else at those names is the user's: the publish refuses, naming it.
    """
    found = foreign(output)
    if not found:
        return False
    if not _earlier_report(output, found):
        raise PublishRefused(
            *(
                f"{output.shown(path)} was not made by covthemes, which publishes through links of its own "
                "there: move it out of the output folder, or set `output` in [tool.covthemes] to a folder "
                "of covthemes' own"
                for path in found
            )
        )
    generation = output.generation(f"earlier-{os.getpid()}")
    ops.mkdir(generation)
    for path in found:
        # A copy of a generation (links followed by the copy) is kept as one,
        # for `clean` to delete; the outputs become the published generation.
        target = output.generation(f"copied-{os.getpid()}") if path.name == REPORT else generation / path.name
        ops.replace(path, target)
    _commit(output, generation.name, ops)
    return True


def _earlier_report(output: Layout, found: list[Path]) -> bool:
    names = {path.name for path in found}
    if not names <= {*OUTPUTS, REPORT} or THEMES_JSON not in names or any(p.is_symlink() for p in found):
        return False
    if REPORT in names and not (output.report_link / THEMES_JSON).is_file():
        return False
    try:
        document = json.loads((output.folder / THEMES_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(document, dict) and "themes" in document and "format" in document


def new_generation(output: Layout) -> Path:
    """A new, empty generation folder, named for its time and unique (`mkdtemp`), readable as folders are."""
    output.generations.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%dT%H%M%S-"), dir=output.generations))
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
    return folder


def swap_in(
    output: Layout, generation: Layout, ops: FileOps, midway: Callable[[], None] = lambda: None
) -> None:
    """Make `generation` the published report: flush it to disk, then replace the link in one rename.

    The generation must hold exactly the outputs: a missing one would leave
    a dangling link in the report. `midway` runs just before the rename.
    """
    found = {path.name for path in generation.folder.iterdir()}
    if found != set(OUTPUTS):
        raise RuntimeError(
            f"the generation holds {sorted(found - set(OUTPUTS))} beyond the layout's OUTPUTS "
            f"and lacks {sorted(set(OUTPUTS) - found)}: a writer and the layout disagree"
        )
    ops.sync_tree(generation.folder)
    midway()
    _commit(output, generation.folder.name, ops)


def _commit(output: Layout, name: str, ops: FileOps) -> None:
    for output_name in OUTPUTS:
        if not os.path.lexists(output.folder / output_name):
            ops.symlink(f"{REPORT}/{output_name}", output.folder / output_name)
    pending = output.folder / f"{REPORT}.{os.getpid()}"
    if os.path.lexists(pending):
        ops.unlink(pending)
    ops.symlink(f"{GENERATIONS}/{name}", pending)
    ops.replace(pending, output.report_link)
    try:
        ops.fsync(output.folder)
    except OSError as exc:
        raise CovthemesError(
            f"published {output.shown(output.index_html)}, but flushing {output.shown(output.folder)} "
            f"to disk failed ({exc.strerror}): the new report is in place; a crash of the machine now "
            "could bring back the previous one"
        ) from None


def clean(output: Layout, ops: FileOps) -> None:
    """Delete every generation but the published one, pending links and staging folders."""
    keep = current(output)
    for pending in sorted(output.folder.glob(f"{REPORT}.*")):
        if pending.is_symlink():
            ops.unlink(pending)
    if output.generations.is_dir() and not output.generations.is_symlink():
        for generation in sorted(output.generations.iterdir()):
            if generation != keep:
                ops.rmtree(generation)
    for stale in output.stale_staging():
        ops.rmtree(stale)


def discard(output: Layout, generation: Layout) -> None:
    """Delete a generation that was not published, best effort: `clean` finishes what this cannot."""
    if generation.folder != current(output):
        shutil.rmtree(generation.folder, ignore_errors=True)
