"""First visit, return visit and the slow link: what a reader on a phone over 3G pays.

``python -m bench.first_visit --url http://127.0.0.1:8050/ [--url BASELINE]`` loads each
page in headless Chromium and reports, per URL (medians of ``--reps`` loads):

- ``first_visit_bytes``: bytes on the wire with an empty cache (Resource Timing
  ``transferSize`` of the page and every resource, as Chromium counts them);
- ``return_visit_bytes``: the same page loaded again with the cache kept (a fresh tab);
- ``slow_map_ms``: navigation start to the map drawn, cold cache, on a link emulated with
  CDP ``Network.emulateNetworkConditions``: 1.6 Mbit/s down, 750 kbit/s up, 150 ms RTT.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from typing import Any

from bench.browser import Browser

#: The slow mobile link of the issue: 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trips.
SLOW_LINK = {"offline": False, "latency": 150,
             "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
FAST_LINK = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


def _network(browser: Browser, conditions: dict[str, Any], cache: bool) -> None:
    d = browser.driver
    d.execute_cdp_cmd("Network.emulateNetworkConditions", conditions)
    d.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": not cache})


def _clear(browser: Browser) -> None:
    browser.driver.execute_cdp_cmd("Network.clearBrowserCache", {})


def measure(url: str, reps: int = 3) -> dict[str, Any]:
    """The three numbers for ``url`` (see the module docstring), in a browser of its own."""
    with Browser() as browser:
        return measure_in(browser, url, reps)


def measure_in(browser: Browser, url: str, reps: int = 3) -> dict[str, Any]:
    """The three numbers for ``url`` in ``browser``, left as found: fast link, no cache."""
    try:
        _network(browser, FAST_LINK, cache=False)
        browser.load(url)  # the browser's own start-up, not a visitor's
        first = [browser.load(url)["bytes"] for _ in range(reps)]
        returns = []
        for _ in range(reps):
            _network(browser, FAST_LINK, cache=True)
            _clear(browser)
            browser.load(url)  # fills the cache
            returns.append(browser.load(url)["bytes"])
        slow = []
        for _ in range(reps):
            _network(browser, SLOW_LINK, cache=False)
            _clear(browser)
            marks = browser.load(url, timeout=120)
            slow.append(marks["frame"])
    finally:
        _network(browser, FAST_LINK, cache=False)
    return {
        "url": url,
        "first_visit_bytes": int(statistics.median(first)),
        "return_visit_bytes": int(statistics.median(returns)),
        "slow_map_ms": round(statistics.median(slow)),
        "slow_map_runs_ms": [round(s) for s in slow],
        "reps": reps,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.first_visit",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", required=True, help="page to load (repeat)")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = [measure(u, args.reps) for u in args.url]
    print(json.dumps({"results": results, "seconds": round(time.perf_counter() - started, 1)},
                     indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
