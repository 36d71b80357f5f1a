"""Command line: `python -m apps.auth_service {create-user,rotate-key,retire-key} ...`.

Only argument parsing and terminal I/O live here (coverage omits this file);
the work is done by `AuthService` and the key-file helpers in `keys.py`,
which the unit tests call directly.

    python -m apps.auth_service create-user --db app.db alice   # password from stdin or a prompt
    python -m apps.auth_service rotate-key --keys-file keys.json
    python -m apps.auth_service retire-key --keys-file keys.json KID
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import asdict

from .errors import AuthError, StorageError
from .keys import retire_keyring_file, rotate_keyring_file
from .service import AuthService
from .settings import HASH_PROFILES, AuthSettings


def _read_password() -> str:
    if not sys.stdin.isatty():
        # Piped input: one line, without its line ending (spaces are kept).
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise AuthError("the two passwords differ; run the command again")
    return first


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m apps.auth_service", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    create = commands.add_parser("create-user", help="create an account (password from stdin or a prompt)")
    create.add_argument("--db", required=True, help="SQLite file of the auth service")
    create.add_argument("--hash-profile", choices=HASH_PROFILES, default="prod", help="argon2 cost profile")
    create.add_argument("username")

    rotate = commands.add_parser("rotate-key", help="add a new signing key (creates the file if absent)")
    rotate.add_argument("--keys-file", required=True, help="KeyRing JSON file")

    retire = commands.add_parser("retire-key", help="remove a signing key; its tokens stop verifying")
    retire.add_argument("--keys-file", required=True, help="KeyRing JSON file")
    retire.add_argument("kid")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "create-user":
            service = AuthService(AuthSettings(db_path=args.db, hash_profile=args.hash_profile))
            user = service.register(args.username, _read_password())
            print(json.dumps(asdict(user)))
        elif args.command == "rotate-key":
            print(rotate_keyring_file(args.keys_file))
        else:
            retire_keyring_file(args.keys_file, args.kid)
            print(f"retired {args.kid}")
    except (AuthError, StorageError, ValueError, KeyError, OSError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"error: {message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
