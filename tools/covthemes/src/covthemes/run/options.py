"""`covthemes run`'s own options, taken out of the arguments meant for pytest.

    covthemes run THEME [--shard K/N] [--store-durations] [--] [PYTEST_ARG ...]

tox passes its posargs straight on (`tox -e cov-fuzz -- -n 2 --shard 1/3`
runs `covthemes run fuzz -n 2 --shard 1/3`), so covthemes' options are
found anywhere before a `--`; everything else, and all after it, is pytest's.
pytest and its plugins have no option of these names. Without `--shard`,
COVTHEMES_SHARD=K/N (as a CI matrix sets it) chooses the shard.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from covthemes.settings.shards import Shard

SHARD = "--shard"
STORE_DURATIONS = "--store-durations"
VARIABLE = "COVTHEMES_SHARD"


@dataclass(frozen=True)
class RunOptions:
    """`--shard K/N` runs one of N duration-balanced groups; `--store-durations` records the durations."""

    shard: Shard | None = None
    store_durations: bool = False


def split(args: Sequence[str]) -> tuple[RunOptions, list[str]]:
    """covthemes' options, and the arguments for pytest."""
    shard: Shard | None = None
    store = False
    rest: list[str] = []
    items = list(args)
    index = 0
    while index < len(items):
        arg = items[index]
        if arg == "--":
            rest += items[index + 1 :]
            break
        if arg == SHARD and index + 1 < len(items):
            shard = Shard.parse(items[index + 1], SHARD)
            index += 2
            continue
        if arg.startswith(SHARD + "="):
            shard = Shard.parse(arg.split("=", 1)[1], SHARD)
        elif arg == STORE_DURATIONS:
            store = True
        else:
            rest.append(arg)
        index += 1
    if shard is None and os.environ.get(VARIABLE, "").strip():
        shard = Shard.parse(os.environ[VARIABLE], VARIABLE)
    if shard is not None and shard.count == 1:
        shard = None
    return RunOptions(shard, store), rest
