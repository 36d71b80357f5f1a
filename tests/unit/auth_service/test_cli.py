"""The command line and the key-file functions behind it.

The functions are tested directly; two subprocess runs prove the wiring of
`python -m apps.auth_service` itself.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import apps.auth_service as auth
from apps.auth_service import AuthService, AuthSettings, KeyRing
from apps.auth_service.keys import (
    load_keyring_file,
    retire_keyring_file,
    rotate_keyring_file,
    save_keyring_file,
)

from .support import PASSWORD

pytestmark = pytest.mark.architecture

REPO_ROOT = Path(auth.__file__).resolve().parents[2]


def _run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    # A clean environment: inherited coverage variables would make the child
    # write its data into the parent's coverage run.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COVERAGE_", "COV_CORE_"))}
    env["PYTHONPATH"] = str(REPO_ROOT)
    return subprocess.run(
        [sys.executable, "-m", "apps.auth_service", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )


@pytest.fixture
def keys_file(tmp_path: Path) -> Path:
    return tmp_path / "keys.json"


def test_rotate_keyring_file_creates_a_missing_file(keys_file: Path) -> None:
    """Rotating a file that does not exist yet creates a one-key ring."""
    kid = rotate_keyring_file(keys_file)
    assert load_keyring_file(keys_file).kids == [kid]


def test_rotate_keyring_file_appends_a_key(keys_file: Path) -> None:
    """Rotating an existing file keeps old keys and adds the new signing key last."""
    first = rotate_keyring_file(keys_file)
    second = rotate_keyring_file(keys_file)
    ring = load_keyring_file(keys_file)
    assert ring.kids == [first, second] and ring.current_kid == second


def test_retire_keyring_file_removes_a_key(keys_file: Path) -> None:
    """Retiring through the file drops exactly that kid."""
    first = rotate_keyring_file(keys_file)
    second = rotate_keyring_file(keys_file)
    retire_keyring_file(keys_file, first)
    assert load_keyring_file(keys_file).kids == [second]


def test_key_file_is_private_and_written_atomically(keys_file: Path) -> None:
    """The key file is owner-only (0600) and no temporary file is left behind."""
    save_keyring_file(keys_file, KeyRing.generate())
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    assert [p.name for p in keys_file.parent.iterdir()] == ["keys.json"]


def test_broken_key_file_is_not_overwritten(keys_file: Path) -> None:
    """Rotation refuses a malformed file, naming it, and leaves its content for inspection."""
    keys_file.write_text("[oops", encoding="utf-8")
    with pytest.raises(ValueError, match=r"keys\.json"):
        rotate_keyring_file(keys_file)
    assert keys_file.read_text(encoding="utf-8") == "[oops"


def test_unreadable_key_file_names_the_path(tmp_path: Path) -> None:
    """Loading a missing file raises `ValueError` naming it."""
    with pytest.raises(ValueError, match=r"missing\.json"):
        load_keyring_file(tmp_path / "missing.json")


def test_key_file_loads_as_api_settings_would(keys_file: Path) -> None:
    """The file's content is exactly the JSON `KeyRing.from_json` reads (APP_SIGNING_KEYS)."""
    kid = rotate_keyring_file(keys_file)
    assert KeyRing.from_json(keys_file.read_text(encoding="utf-8")).current_kid == kid


def test_cli_create_user_reads_password_from_stdin(tmp_path: Path) -> None:
    """`create-user` registers the account with the piped password and prints it without secrets."""
    db = tmp_path / "cli.db"
    result = _run_cli(
        "create-user", "--db", str(db), "--hash-profile", "test", "Carol", stdin=PASSWORD + "\n"
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["username"] == "carol" and PASSWORD not in result.stdout
    service = AuthService(AuthSettings(db_path=str(db), hash_profile="test"))
    assert service.authenticate("carol", PASSWORD).id == printed["id"]


def test_cli_reports_errors_with_exit_code_1(tmp_path: Path) -> None:
    """A taken name exits 1 with an `error:` line naming the problem."""
    db = str(tmp_path / "cli.db")
    AuthService(AuthSettings(db_path=db, hash_profile="test")).register("carol", PASSWORD)
    result = _run_cli("create-user", "--db", db, "--hash-profile", "test", "carol", stdin=PASSWORD + "\n")
    assert result.returncode == 1
    assert result.stderr.strip() == "error: username 'carol' is already taken"


def test_cli_rotate_key_prints_the_new_kid(keys_file: Path) -> None:
    """`rotate-key` writes the ring and prints the new kid."""
    result = _run_cli("rotate-key", "--keys-file", str(keys_file))
    assert result.returncode == 0, result.stderr
    assert load_keyring_file(keys_file).current_kid == result.stdout.strip()
