"""What a year step or a filter change costs on the chart and table tabs.

On those tabs one interaction is a chain: the state callback, then the callbacks reading the
state store it writes (texts, views, and the shown view's own; the hidden map and the other
view answer nothing). Every answer counts; the bytes are
as sent to a browser that accepts gzip (``bench.dashclient.post``). Only this app has tabs:
the baseline has no such rows.
"""

from __future__ import annotations

import statistics
from typing import Any

from bench.dashclient import Page, cascade, map_page
from bench.interactions import plan
from dashboard.ids import Ids

#: The view callback each tab's interaction ends in (picked by its first output).
VIEW_OUTPUT = {"chart": Ids.CHART, "table": Ids.COUNTRY_TABLE}


def _step(client: Any, page: Page, tab: str, trigger: tuple[str, str], value: Any) -> int:
    """One interaction on ``tab``: the state chain (state, then texts and views) and the
    view's own callback it ends in, as the renderer runs them; wire bytes of all."""
    chain = cascade(client, page, {trigger: value}, follow=map_page)
    if chain.status != 200:
        raise RuntimeError(f"state chain answered {chain.status}")
    return chain.wire_bytes


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
