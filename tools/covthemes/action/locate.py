"""The paths the covthemes action works on, and the matrix, as `name=value` lines for $GITHUB_OUTPUT.

    python -S locate.py        (with INPUT_VERB, INPUT_THEME, INPUT_SHARD set)

The action's inputs arrive as environment variables, never in the script's
text, and are checked here before any step uses them: the verb is one the
action knows, the theme is one of `[tool.covthemes] themes`, and the shard
(`K/N`, or empty) is one of that theme's, as `covthemes matrix` lists them.
Every path comes from covthemes' own layout (`covthemes.settings.layout`), so
the artifacts carry exactly the files `covthemes run` writes and
`covthemes publish` reads. For `matrix`, `matrix=` is `covthemes matrix
--format github`'s JSON. Needs the standard library and covthemes' source on
PYTHONPATH only (the matrix job installs nothing), so it imports the modules
it uses, not the command line, which loads every verb. A wrong input is one
line on stderr and exit 2.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from covthemes.errors import CovthemesError
from covthemes.run import matrix
from covthemes.settings import config
from covthemes.settings.shards import Shard

VERBS = ("run", "publish", "diff", "matrix")
# What the theme jobs' artifacts are named: `<prefix><theme>` or `<prefix><theme>-K-of-N`,
# which the publish downloads by the pattern `<prefix>*`.
ARTIFACT_PREFIX = "coverage-data-"


def outputs(verb: str, theme: str, shard_text: str) -> dict[str, str]:
    if verb not in VERBS:
        raise CovthemesError(f"verb {verb!r} is not one of {', '.join(VERBS)}: set the action's `verb` input")
    root = config.find_root(Path.cwd())
    if root is None:
        raise CovthemesError(
            f"no pyproject.toml with [tool.covthemes] at or above {Path.cwd()}: "
            "check out the repository first"
        )
    settings = config.load(root)
    layout = settings.layout
    found = {
        "output": layout.relative(layout.folder).as_posix(),
        "data": layout.relative(layout.data).as_posix(),
        "artifact-pattern": ARTIFACT_PREFIX + "*",
    }
    if verb == "matrix":
        return found | {"matrix": matrix.render(settings, "github")}
    if verb != "run":
        return found
    if theme not in settings.themes:
        raise CovthemesError(
            f"theme {theme!r} is not one of [tool.covthemes] themes ({', '.join(settings.themes)}): "
            "set the action's `theme` input"
        )
    shard = Shard.parse(shard_text, "shard") if shard_text.strip() else None
    label = "" if shard is None or shard.count == 1 else shard.label
    jobs = [job for job in matrix.jobs(settings) if job.theme == theme and job.shard == label]
    if not jobs:
        raise CovthemesError(
            f"shard {shard_text!r} is not a shard of theme {theme!r} in [tool.covthemes.shards]: "
            "use a shard `covthemes matrix` lists"
        )
    unit = shard if label else None
    return found | {
        "artifact": ARTIFACT_PREFIX + jobs[0].name,
        "data-file": layout.relative(layout.data_file(theme, unit)).as_posix(),
        "provenance": layout.relative(layout.provenance_file(theme, unit)).as_posix(),
    }


def main() -> int:
    env = os.environ
    try:
        found = outputs(env.get("INPUT_VERB", ""), env.get("INPUT_THEME", ""), env.get("INPUT_SHARD", ""))
    except CovthemesError as error:
        print(f"covthemes action: {error}", file=sys.stderr)
        return 2
    for name, value in found.items():
        print(f"{name}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
