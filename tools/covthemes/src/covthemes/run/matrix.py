"""`covthemes matrix`: the CI jobs of the themed matrix, one per theme and shard.

`--format github` prints `{"include": [...]}` for a GitHub Actions
`strategy.matrix` through `fromJSON`: each entry has `theme`, `shard` (`K/N`,
or empty for an unsharded theme), `args` (what to pass to `covthemes run`,
`--shard K/N` or empty) and `name` (`THEME` or `THEME-K-of-N`, unique, for
artifact names). The shard counts come from `[tool.covthemes.shards]`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from covthemes.settings import shards
from covthemes.settings.config import Settings


@dataclass(frozen=True)
class Job:
    theme: str
    shard: str
    args: str
    name: str


def jobs(settings: Settings) -> list[Job]:
    found: list[Job] = []
    for theme in settings.themes:
        count = settings.shards.get(theme, 1)
        if count == 1:
            found.append(Job(theme, "", "", theme))
            continue
        for shard in shards.of_theme(count):
            found.append(Job(theme, shard.label, f"--shard {shard.label}", f"{theme}-{shard.name}"))
    return found


def render(settings: Settings, output_format: str) -> str:
    """The matrix as GitHub's JSON, or as lines of `THEME [--shard K/N]`."""
    if output_format == "github":
        return json.dumps({"include": [asdict(job) for job in jobs(settings)]})
    return "\n".join(f"{job.theme} {job.args}".rstrip() for job in jobs(settings))
