"""What every subcommand shares: the ``--data`` option, loading with a report, the summary line.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from geo import schema
from geo.dataset import Dataset, DatasetError, default_data_dir, load_dataset


def add_data_option(parser: argparse.ArgumentParser) -> None:
    """``--data DIR``: a corrected copy of the dataset is checked or served in place."""
    parser.add_argument(
        "--data", type=Path, metavar="DIR", default=None,
        help=f"dataset directory (default: ${schema.DATA_ENV} or the bundled data)",
    )


def load_or_report(data_dir: Path | None) -> Dataset | None:
    """Load the dataset, or print the validation report to stderr and return None."""
    try:
        return load_dataset(data_dir)
    except DatasetError as exc:
        where = data_dir or default_data_dir()
        print(f"africa-presence: the dataset in {where} is invalid "
              f"({len(exc.problems)} problem(s)):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return None


def summary_line(ds: Dataset) -> str:
    """One line: records by table and by power, for ``validate`` and the server log."""
    def by_power(df) -> str:
        counts = Counter(df["power"])
        return ", ".join(f"{code} {counts[code]}" for code in ds.power_codes if counts[code])

    return (
        f"OK: dataset {ds.version} in {ds.data_dir}: "
        f"{len(ds.installations)} installations ({by_power(ds.installations)}); "
        f"{len(ds.agreements)} agreements ({by_power(ds.agreements)}); "
        f"{len(ds.powers)} powers; {len(ds.countries)} countries; "
        f"{len(ds.personnel)} personnel rows ({int(ds.personnel['low'].notna().sum())} "
        "with a figure)"
    )
