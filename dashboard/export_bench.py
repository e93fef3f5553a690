"""``python -m dashboard.export_bench``: seconds per exported PNG over 12 years, warm.

Not a timed test (timings depend on the machine and its load): a measurement to quote.
It starts one browser, renders one map to warm it, then times each year's export alone
(the dashboard's case) and all years as one batch (``export --years``), writing files
atomically into a temporary folder. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from dashboard.export import ExportError, bench, check_size
from geo.dataset import load_dataset


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.export_bench",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--years", default="2014-2025", help="FROM-TO (default 2014-2025)")
    parser.add_argument("--width", default=None, help="layout width (default 1600)")
    parser.add_argument("--height", default=None, help="layout height (default 1200)")
    parser.add_argument("--scale", default=None, help="scale (default 1)")
    parser.add_argument("--format", default="png", choices=("png", "svg", "pdf"))
    parser.add_argument("--tabs", type=int, default=1, help="browser tabs rendering at once")
    parser.add_argument("--data", type=Path, default=None, help="dataset directory")
    args = parser.parse_args(argv)
    try:
        first, last = (int(y) for y in args.years.split("-"))
        size = check_size(args.width, args.height, args.scale)
        result = bench(load_dataset(args.data), list(range(first, last + 1)), size,
                       fmt=args.format, tabs=max(1, args.tabs))
    except (ValueError, ExportError) as exc:
        print(f"export_bench: error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
