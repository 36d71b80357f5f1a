#!/usr/bin/env python3
"""`tox`, from a private virtual environment that this script makes on first use.

`python3 scripts/tox.py ARGS` runs `tox ARGS` on a machine that has only
Python 3.11 or later, including one whose system Python refuses pip installs
(PEP 668, "externally-managed-environment"). tox, tox-uv and uv live in
`.tox/bootstrap/` (ignored by git, like the rest of `.tox/`), at the versions
`uv.lock` pins; a change to those pins reinstalls them on the next run. tox
then runs on the Python that started this script, as an installed tox would.

Where Python has no `ensurepip` (Debian and Ubuntu without `python3-venv`),
the environment is made without pip, and pip comes from its wheel on PyPI,
checked against the hash below. The PATH that tox gets also holds the
interpreters of the other tox envs: pyenv's CPython 3.11 and later, and
`/usr/local/bin`, where a Python 3.14 may live.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import subprocess
import sys
import sysconfig
import tempfile
import urllib.request
import venv
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".tox" / "bootstrap"
BIN = VENV / "bin"
STAMP = VENV / "bootstrap-requirements.txt"
TOOLS = ("tox", "tox-uv", "uv")
PIP_WHEEL = (
    "https://files.pythonhosted.org/packages/07/25/ee8c38ae72d66b844ce8eb9711ba905dba21ca1a8a0c960057c41cd23337/"
    "pip-26.3-py3-none-any.whl",
    "f3b60b20ffaadd4415ed7957212a38ac63fa4c5fa375bd0f4a797777940fad13",
)


def fail(message: str) -> NoReturn:
    print(f"scripts/tox.py: {message}", file=sys.stderr)
    sys.exit(2)


def pinned() -> list[str]:
    """`tox==X`, `tox-uv==Y` and `uv==Z`, as uv.lock pins them for the envs that run tox."""
    import tomllib  # after the version check in main: Python 3.11 added it

    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    # A package whose version is dynamic (covthemes, read from its __version__) has none in the lock.
    versions = {package["name"]: package.get("version") for package in lock["package"]}
    return [f"{name}=={versions[name]}" for name in TOOLS]


def create() -> None:
    """The virtual environment, with pip: from ensurepip, or else from PyPI's wheel."""
    # Debian's venv exits, rather than raise, when ensurepip is missing: look first.
    if importlib.util.find_spec("ensurepip"):
        try:
            venv.EnvBuilder(clear=True, with_pip=True).create(VENV)
            return
        except subprocess.CalledProcessError:
            pass
    print("scripts/tox.py: no working ensurepip; fetching pip's wheel from PyPI", file=sys.stderr)
    venv.EnvBuilder(clear=True, with_pip=False).create(VENV)
    url, sha256 = PIP_WHEEL
    with tempfile.TemporaryDirectory() as folder:
        wheel = Path(folder) / url.rsplit("/", 1)[1]
        with urllib.request.urlopen(url, timeout=120) as response:
            wheel.write_bytes(response.read())
        if hashlib.sha256(wheel.read_bytes()).hexdigest() != sha256:
            fail(f"{url} does not match its sha256 {sha256}")
        # A wheel is a zip archive, and pip runs from one: `python pip.whl/pip install ...`.
        pip = [str(BIN / "python"), str(wheel / "pip"), "install", "--quiet", "--no-warn-script-location"]
        subprocess.run([*pip, wheel], check=True)


def interpreters(path: str) -> str:
    """PATH, then pyenv's CPython 3.11 and later (newest first) and /usr/local/bin.

    Appended, so `python3` stays what it was; tox and uv find `python3.12` and
    the others there. pyenv's shims cannot be used: they run only the
    versions pyenv has selected.
    """
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    names = [p.name for p in pyenv.glob("3.*") if re.fullmatch(r"3\.\d+\.\d+", p.name)]
    versions = sorted((tuple(map(int, name.split("."))) for name in names), reverse=True)
    extra = [str(pyenv / ".".join(map(str, v)) / "bin") for v in versions if v >= (3, 11)]
    if Path("/usr/local/bin").is_dir():
        extra.append("/usr/local/bin")
    parts = path.split(os.pathsep) if path else []
    return os.pathsep.join(parts + [p for p in extra if p not in parts])


def main(args: list[str]) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (ruff's target is 3.11; this is what tells an older Python)
        fail(f"needs Python 3.11 or later, and {sys.executable} is {sys.version.split()[0]}")
    requirements = "\n".join(pinned()) + "\n"
    site_packages = Path(sysconfig.get_path("purelib", scheme="venv", vars={"base": str(VENV)}))
    # Never made, half made, its Python gone, or made by another Python version.
    if not STAMP.exists() or not (BIN / "python").exists() or not site_packages.is_dir():
        print(f"scripts/tox.py: making {VENV.relative_to(ROOT)} for tox (once)", file=sys.stderr)
        create()
    if not STAMP.exists() or STAMP.read_text() != requirements:
        print(f"scripts/tox.py: installing {' '.join(requirements.split())}", file=sys.stderr)
        pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, *requirements.split()], check=True)
        STAMP.write_text(requirements)
    os.environ["PATH"] = interpreters(os.environ.get("PATH", ""))
    # uv, which makes every env, trusts the system's certificates as pip and
    # git do, not only its own bundle: behind a TLS-inspecting proxy whose CA
    # the system trusts, it reaches PyPI too. A UV_SYSTEM_CERTS already set wins.
    os.environ.setdefault("UV_SYSTEM_CERTS", "1")
    # tox runs here, on this Python, from the environment's packages (put first,
    # and this script's folder dropped, since this file is also named tox).
    # Started as .tox/bootstrap/bin/tox instead, tox would give uv that
    # environment's interpreter for every env without a py3<minor> factor; uv
    # takes the env it made from it for another interpreter's, and remakes it on
    # every run, emptying the env's temporary folder along the way.
    here = Path(__file__).resolve().parent
    sys.path[:] = [str(site_packages), *(p for p in sys.path if Path(p or ".").resolve() != here)]
    sys.argv = ["tox", *args]
    from tox.run import run

    run(args)


if __name__ == "__main__":
    main(sys.argv[1:])
