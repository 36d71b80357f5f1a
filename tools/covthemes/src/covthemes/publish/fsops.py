"""Every filesystem operation of the swap and its cleanup, counted, so a test can fail or kill at each one.

`COVTHEMES_FAULT=fsop:N:error` makes the Nth operation of a publish's swap
and cleanup raise EIO; `fsop:N:kill` kills the process there with SIGKILL.
`COVTHEMES_FSOPS_LOG=PATH` appends each operation's number and name to PATH,
so a crash test can enumerate them. Nothing here follows a link it did not
make: links are read with `readlink` and removed with `unlink`.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
from pathlib import Path

from covthemes import atomic
from covthemes.publish.faults import VARIABLE

LOG = "COVTHEMES_FSOPS_LOG"


class FileOps:
    """The operations, each a numbered point where a fault can be injected."""

    def __init__(self) -> None:
        self.count = 0
        fault = os.environ.get(VARIABLE, "")
        kind, _, rest = fault.partition(":")
        number, _, self._mode = rest.partition(":")
        self._at = int(number) if kind == "fsop" and number.isdigit() else 0
        self._log = os.environ.get(LOG)

    def _point(self, what: str) -> None:
        self.count += 1
        if self._log:
            with open(self._log, "a", encoding="utf-8") as log:
                log.write(f"{self.count} {what}\n")
        if self.count != self._at:
            return
        if self._mode == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        raise OSError(errno.EIO, f"injected failure at filesystem operation {self.count} ({what})")

    def fsync(self, path: Path) -> None:
        self._point(f"fsync {path.name}")
        atomic.sync(path)

    def sync_tree(self, folder: Path) -> None:
        """Flush every file and folder under `folder` to disk: one operation, as none of it is visible yet."""
        self._point(f"sync {folder.name}")
        for path in sorted(folder.rglob("*")):
            atomic.sync(path)
        atomic.sync(folder)

    def symlink(self, target: str, link: Path) -> None:
        self._point(f"symlink {link.name}")
        os.symlink(target, link)

    def replace(self, source: Path, target: Path) -> None:
        self._point(f"rename {source.name} {target.name}")
        os.replace(source, target)

    def unlink(self, path: Path) -> None:
        self._point(f"unlink {path.name}")
        path.unlink(missing_ok=True)

    def rmtree(self, path: Path) -> None:
        self._point(f"rmtree {path.name}")
        if path.is_symlink() or not path.is_dir():
            path.unlink(missing_ok=True)
        else:
            shutil.rmtree(path)

    def mkdir(self, path: Path) -> None:
        self._point(f"mkdir {path.name}")
        path.mkdir(parents=True)
