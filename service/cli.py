"""The `heat-temporal` command: `run` (the embedded default), `migrate`, `watch STACK`."""

from __future__ import annotations

import argparse
import sys

from service import watch


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="heat-temporal")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="start Temporal (embedded), the listings, the worker and the API")
    sub.add_parser("migrate", help="upgrade the listings database schema to the latest revision")
    watch.add_arguments(sub.add_parser("watch", help="show a stack's operation live to its end"))
    args = parser.parse_args(argv)
    if args.command == "watch":
        sys.exit(watch.run(args))
    # Imported here: they pull in Temporal, SQLAlchemy and Alembic, which `watch` (a client
    # someone starts by hand, wanting the view at once) does not need.
    from service import launcher
    from service.migrate import migrate
    from service.startup import load_settings

    settings = load_settings()
    if args.command == "run":
        sys.exit(launcher.run(settings))
    if args.command == "migrate":
        sys.exit(migrate(settings))


if __name__ == "__main__":
    main()
