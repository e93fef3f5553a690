"""The ``africa-presence`` command: ``serve``, ``validate`` and ``export``, one module each.

The top layer: nothing in ``dashboard`` or ``geo`` imports it. Every subcommand takes
``--data DIR`` (or $AFRICA_PRESENCE_DATA) so that a corrected copy of the dataset can be
checked and served without touching the bundled one. Each subcommand imports its engine
only when it runs, so ``validate`` never pays for Dash or Kaleido.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dashboard.cli import export, serve, validate
from dashboard.cli.common import add_data_option, load_or_report, summary_line

__all__ = ["build_parser", "load_or_report", "main", "summary_line"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; each subcommand module registers itself."""
    parser = argparse.ArgumentParser(
        prog="africa-presence",
        description="Foreign military presence in Africa, year by year: dashboard and data tools.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (serve, validate, export):
        module.register(sub, add_data_option)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and of ``python -m dashboard``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
