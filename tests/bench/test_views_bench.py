"""The chart and table tabs stay within the map's budget per interaction (bytes, not time,
so it holds on a busy machine): the state answer plus the view's, as sent to a browser."""

from __future__ import annotations

import pytest

from bench import views
from bench.report import PAYLOAD_BUDGET

#: Drives 60 interactions through the chart and the table.
pytestmark = pytest.mark.slow


def test_chart_and_table_interactions_fit_the_budget(dataset) -> None:
    from dashboard.app import create_app

    client = create_app(dataset).server.test_client()
    out = views.measure(client, list(dataset.power_codes), dataset.year_range,
                        n_year=8, n_filter=6)
    for tab in ("chart", "table"):
        for kind in ("year_step", "filter_change"):
            row = out[tab][kind]
            assert row["n"] > 0 and 0 < row["wire_bytes_max"] <= PAYLOAD_BUDGET, (tab, kind)
    # A chart year step moves the rule only: far below a redraw of its lines.
    assert out["chart"]["year_step"]["wire_bytes_max"] * 2 < out["chart"]["filter_change"][
        "wire_bytes_median"]
