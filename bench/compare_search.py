"""What compare mode and the search box cost: bytes of a compare toggle, time per keystroke.

- Compare toggle: picking a compare year in the control (one state-callback answer: the map
  patch, the headline, the list of changes, the legend), and switching it off again; wire
  bytes as a gzip-accepting browser receives them, for several year pairs.
- Search keystroke: the search callback's round trip on loopback (the server's time, the
  network being local), typing queries letter by letter as a reader does.

Only this app has these features: the baseline has no such rows.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from bench.dashclient import Page, callback_request, cascade, map_page, post
from bench.interactions import percentile
from dashboard.ids import Ids

#: What a reader types, one letter at a time (names, sites, accents dropped, a power).
QUERIES = ("Camp Lemonnier", "Agalega", "Menaka", "Russia", "Djibouti", "naval base",
           "Berengo", "Wagner Mali", "Turkey Somalia", "Gao")


def measure(client: Any, year_range: tuple[int, int]) -> dict[str, Any]:
    """Compare toggle bytes (median, max) and search keystroke time (median, p95)."""
    lo, hi = year_range
    page = Page.load(client)
    toggles, offs = [], []
    for year, compare in ((hi, hi - 10), (hi - 2, lo), (hi, hi - 1), (lo + 14, hi - 2),
                          (hi - 6, hi - 16)):
        compare = max(lo, compare)
        page.values[(Ids.YEAR_SLIDER, "value")] = year
        # A toggle is the chain it starts: state, then map patch, texts and views.
        chain = cascade(client, page, {(Ids.COMPARE_YEAR, "value"): compare},
                        first=page.server_callback(Ids.COMPARE_YEAR, "value"),
                        follow=map_page)
        if chain.status != 200:
            raise RuntimeError(f"compare toggle answered {chain.status}")
        toggles.append(chain.wire_bytes)
        chain = cascade(client, page, {(Ids.COMPARE_YEAR, "value"): None},
                        first=page.server_callback(Ids.COMPARE_YEAR, "value"),
                        follow=map_page)
        offs.append(chain.wire_bytes)
    times, sizes = [], []
    for query in QUERIES:
        for n in range(1, len(query) + 1):
            body = callback_request(page, (Ids.SEARCH, "value"), query[:n],
                                    output=Ids.SEARCH_RESULTS)
            started = time.perf_counter()
            reply = post(client, body)
            times.append((time.perf_counter() - started) * 1000)
            sizes.append(reply.wire_bytes)
            if reply.status != 200:
                raise RuntimeError(f"search answered {reply.status}")
    return {
        "compare_toggle": {"wire_bytes_median": statistics.median(toggles),
                           "wire_bytes_max": max(toggles), "n": len(toggles),
                           "off_wire_bytes_median": statistics.median(offs)},
        "search": {"ms_median": round(statistics.median(times), 2),
                   "ms_p95": round(percentile(times, 95), 2),
                   "wire_bytes_median": statistics.median(sizes), "n": len(times)},
    }
