"""``python -m bench.export_engine``: seconds per exported PNG over 12 years, warm.

Not a timed test (timings depend on the machine and its load): a measurement to quote.
It starts one browser, renders one map to warm it, then times each year's export alone
(the dashboard's case) and all years as one batch (``export --years``), writing files
atomically into a temporary folder. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dashboard.export import (
    ExportError,
    Renderer,
    Size,
    atomic_write,
    check_size,
    export_batch,
    export_bytes,
    write_all,
)
from dashboard.view.state import ViewState
from geo.dataset import load_dataset


def bench(ds: Any, years: Sequence[int], size: Size | None = None, *, fmt: str = "png",
          tabs: int = 1) -> dict[str, Any]:
    """Time exports with one browser: its start, then each year alone, then one batch.

    "Warm" means the browser is already running, as in the dashboard after its first export
    or in a CLI batch after the first file. Each timing covers building the print figure,
    rendering and an atomic write to a temporary folder.
    """
    size = size or Size()
    engine = Renderer(tabs=tabs)
    try:
        t0 = time.perf_counter()
        engine.start()
        browser_start = time.perf_counter() - t0
        t0 = time.perf_counter()
        export_bytes(ds, ViewState(year=years[0]), fmt, size, engine=engine)  # first render
        first = time.perf_counter() - t0
        per_file: list[float] = []
        with tempfile.TemporaryDirectory() as tmp:
            for y in years:
                t0 = time.perf_counter()
                blob = export_bytes(ds, ViewState(year=y), fmt, size, engine=engine)
                atomic_write(Path(tmp) / f"map-{y}.{fmt}", blob)
                per_file.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            blobs = export_batch(ds, [ViewState(year=y) for y in years], fmt, size, engine=engine)
            write_all([(Path(tmp) / f"batch-{y}.{fmt}", b)
                       for y, b in zip(years, blobs, strict=True)])
            batch = time.perf_counter() - t0
    finally:
        engine.close()
    return {
        "format": fmt, "pixels": "x".join(map(str, size.pixels)), "files": len(years),
        "tabs": tabs, "browser_start_s": round(browser_start, 2),
        "first_render_s": round(first, 2),
        "warm_s_per_file_median": round(statistics.median(per_file), 3),
        "warm_s_per_file_mean": round(statistics.fmean(per_file), 3),
        "warm_per_file_s": [round(t, 2) for t in per_file],
        "batch_total_s": round(batch, 2), "batch_s_per_file": round(batch / len(years), 3),
        "cpus": os.cpu_count(),
        "load_avg_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }



def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export_engine",
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
        print(f"bench.export_engine: error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
