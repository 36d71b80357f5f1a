"""A private copy of the theme data, taken under the publish lock, so the publish checks what it combines.

A run that finishes while a publish works replaces its data and provenance
in the data folder; the publish reads only its snapshot, taken before it
checks anything, so such a run can neither crash it nor slip in data it never
checked. The data folder is only read, through descriptors that refuse to
follow a symbolic link.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

from covthemes.errors import PublishRefused
from covthemes.settings.config import Settings
from covthemes.settings.layout import Layout

# The names a run writes into the data folder; locks and temporary files are left out.
PREFIXES = (".coverage.", "provenance.")


def take(settings: Settings, folder: Path) -> Layout:
    """Copy every theme's data and provenance into `folder`; the returned layout names the copies."""
    snapshot = Layout(folder, settings.root)
    snapshot.data.mkdir(parents=True)
    source = settings.layout.data
    if not source.is_dir():
        return snapshot
    for path in sorted(source.iterdir()):
        if not path.name.startswith(PREFIXES) or path.name.endswith((".tmp", ".lock", ".owner")):
            continue
        try:
            descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise PublishRefused(
                    f"{settings.layout.shown(path)} is a symbolic link, and covthemes reads only the data "
                    "its runs wrote: delete it, then measure its theme again"
                ) from None
            if exc.errno == errno.ENOENT:
                continue
            raise
        with os.fdopen(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                continue
            with (snapshot.data / path.name).open("xb") as copy:
                shutil.copyfileobj(stream, copy)
    return snapshot
