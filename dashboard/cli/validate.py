"""``africa-presence validate``: check the dataset and list every problem, one per line."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from dashboard.cli.common import load_or_report, summary_line


def cmd_validate(args: argparse.Namespace) -> int:
    ds = load_or_report(args.data)
    if ds is None:
        return 1
    print(summary_line(ds))
    return 0


def register(subparsers: Any, add_data_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ``validate`` subcommand."""
    validate = subparsers.add_parser("validate", help="check the dataset and list every problem")
    add_data_option(validate)
    validate.set_defaults(func=cmd_validate)
