"""`python -m apps.api`: serve the API with uvicorn.

Only the command line lives here (coverage omits CLI modules); the app is
built by `apps.api.create_app` from the environment, see apps/api/settings.py.
"""

from __future__ import annotations

import argparse
import sys

from apps.api.app import create_app
from apps.api.settings import SettingsError
from logging_lib import configure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m apps.api", description="Serve the HTTP API.")
    parser.add_argument("--host", default="127.0.0.1", help="interface (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    parser.add_argument("--log-level", default="INFO", help="root log level (default: %(default)s)")
    args = parser.parse_args(argv)

    configure(args.log_level.upper())
    try:
        app = create_app()
    except SettingsError as exc:
        print(f"apps.api: {exc}", file=sys.stderr)
        return 2

    # Imported here: uvicorn is only needed to serve, not to build or test the app.
    import uvicorn

    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        # Keep logging_lib's JSON handler: uvicorn's own config would replace it,
        # and its access log would duplicate the middleware's.
        log_config=None,
        access_log=False,
        server_header=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
