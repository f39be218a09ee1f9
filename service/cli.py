"""The `heat-temporal` command: `heat-temporal run` starts the embedded default."""

from __future__ import annotations

import argparse
import sys

from service import launcher
from service.settings import get_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="heat-temporal")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="start Temporal (embedded), the listings, the worker and the API")
    args = parser.parse_args(argv)
    if args.command == "run":
        sys.exit(launcher.run(get_settings()))


if __name__ == "__main__":
    main()
