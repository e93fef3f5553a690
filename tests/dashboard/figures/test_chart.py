"""The chart figure: a line per selected power in its map colour, the year rule, and the
image version with title, filters and credit."""

from __future__ import annotations

import datetime as dt

from dashboard.figures.chart import EMPTY_TEXT, chart_figure, print_chart, year_patch
from dashboard.view.labels import names
from dashboard.view.series import series
from dashboard.view.state import ViewState


def test_one_line_per_power_in_its_colour_with_the_series_numbers(ds) -> None:
    state = ViewState(year=2015, powers=("FRA", "RUS", "TUR"))
    fig = chart_figure(ds, state)
    s = series(ds, state)
    by_name = {t.name: t for t in fig.data}
    for code in ("FRA", "RUS", "TUR"):
        trace = by_name[names(ds).powers[code]]
        assert trace.line.color == names(ds).colors[code]
        assert list(trace.y) == list(s.values[code]) and list(trace.x) == list(s.years)
    # The legend ranks powers by their largest footprint.
    peaks = [max(t.y) for t in fig.data]
    assert peaks == sorted(peaks, reverse=True)
    assert fig.layout.shapes[0].x0 == 2015 and fig.layout.annotations[0].text == "2015"
    assert "%{x}" in fig.data[0].hovertemplate and "%{y}" in fig.data[0].hovertemplate


def test_year_patch_moves_the_rule_only() -> None:
    patch = year_patch(2011)
    assert set(patch) == {("layout", "shapes", 0, "x0"), ("layout", "shapes", 0, "x1"),
                          ("layout", "annotations", 0, "x"),
                          ("layout", "annotations", 0, "text")}
    assert patch[("layout", "annotations", 0, "text")] == "2011"


def test_no_power_selected_says_so(ds) -> None:
    fig = chart_figure(ds, ViewState(year=2015, powers=()))
    assert len(fig.data) == 0
    assert any(a.text == EMPTY_TEXT for a in fig.layout.annotations)


def test_print_chart_carries_title_filters_and_credit(ds) -> None:
    state = ViewState(year=2016, powers=("CHN",), metric="installations", country="DJI")
    fig = print_chart(ds, state, 1600, 900, exported=dt.date(2026, 12, 2), by_country=True)
    assert "Installations on the map in Djibouti" in fig.layout.title.text
    assert "China" in fig.layout.title.text
    footer = fig.layout.annotations[-1].text
    assert "2026-12-02" in footer and "v" + ds.version in footer
    assert fig.layout.width == 1600 and fig.layout.height == 900
