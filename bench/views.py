"""What a year step or a filter change costs on the chart and table tabs.

On those tabs one interaction is two round trips: the state callback (its answer now
without a map patch, the map being hidden) and then the view's own callback, triggered by
the state it published. Both answers count; the bytes are as sent to a browser that accepts
gzip (``bench.dashclient.post``). Only this app has tabs: the baseline has no such rows.
"""

from __future__ import annotations

import json
import statistics
from typing import Any

from bench.dashclient import Page, callback_request, post
from bench.interactions import plan
from dashboard.ids import Ids

#: The view callback each tab's interaction ends in (picked by its first output).
VIEW_OUTPUT = {"chart": Ids.CHART, "table": Ids.COUNTRY_TABLE}
#: Where the state callback publishes the state for each view.
VIEW_STORE = {"chart": Ids.CHART_VIEW, "table": Ids.TABLE_VIEW}


def _step(client: Any, page: Page, tab: str, trigger: tuple[str, str], value: Any) -> int:
    """One interaction on ``tab``: the state callback, then the view's; wire bytes of both."""
    first = post(client, callback_request(page, trigger, value))
    if first.status != 200:
        raise RuntimeError(f"state callback answered {first.status}")
    page.apply(json.loads(first.body))
    store = (VIEW_STORE[tab], "data")
    view = page.values[store]
    second = post(client, callback_request(page, store, view,
                                           output=VIEW_OUTPUT[tab]))
    if second.status == 200:
        page.apply(json.loads(second.body), skip=())
    elif second.status != 204:
        raise RuntimeError(f"{tab} callback answered {second.status}")
    return first.wire_bytes + second.wire_bytes


def measure(client: Any, codes: list[str], year_range: tuple[int, int], *, n_year: int = 20,
            n_filter: int = 10) -> dict[str, Any]:
    """Median and largest bytes per year step and per filter change, on each tab."""
    out: dict[str, Any] = {}
    lo, hi = year_range
    for tab in VIEW_OUTPUT:
        page = Page.load(client)
        page.values[(Ids.URL, "search")] = ""
        _step(client, page, tab, (Ids.URL, "search"), f"?year={hi}&tab={tab}")  # open it
        years = list(range(lo, hi + 1))
        year_states, filter_states = plan(years, codes, (hi, tuple(codes)), n_year, n_filter)
        steps = []
        for year, powers in year_states:
            page.values[(Ids.POWER_FILTER, "value")] = list(powers)
            steps.append(_step(client, page, tab, (Ids.YEAR_SLIDER, "value"), year))
        filters = []
        for year, powers in filter_states:
            page.values[(Ids.YEAR_SLIDER, "value")] = year
            filters.append(_step(client, page, tab, (Ids.POWER_FILTER, "value"), list(powers)))
        out[tab] = {
            "year_step": {"wire_bytes_median": statistics.median(steps),
                          "wire_bytes_max": max(steps), "n": len(steps)},
            "filter_change": {"wire_bytes_median": statistics.median(filters),
                              "wire_bytes_max": max(filters), "n": len(filters)},
        }
    return out
