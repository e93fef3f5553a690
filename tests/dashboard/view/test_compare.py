"""Compare mode: headline, map colours and markers, table column, chart and URL all agree."""

from __future__ import annotations

import pytest

from dashboard.figures.chart import chart_figure
from dashboard.figures.map import COUNTRIES, INSTALLATIONS, figure_patch
from dashboard.figures.map_compare import CHANGE_STYLE, delta_class
from dashboard.figures.map_static import static
from dashboard.page.changes import changes_body
from dashboard.view.codec import from_controls, parse_query
from dashboard.view.compare import BOTH, GONE, LIMIT, NEW, comparison, headline
from dashboard.view.model import joins, metric_values
from dashboard.view.search import record_hosts
from dashboard.view.state import METRICS, ViewState, to_query
from dashboard.view.table import rows, table_csv

PAIRS = [(2014, 2024), (2024, 2014), (2000, 2026), (2019, 2022)]


def _count(ds, state, year):
    j = joins(ds, ViewState(year=year, powers=state.powers, metric=state.metric))
    return len(j.installations), len(j.agreements), j.table


@pytest.mark.parametrize(("year", "compare"), PAIRS)
@pytest.mark.parametrize("metric", METRICS)
def test_headline_and_map_agree_with_the_two_years(ds, year, compare, metric) -> None:
    state = ViewState(year=year, compare=compare, metric=metric, powers=("FRA", "RUS", "USA"))
    c = comparison(ds, state)
    y0, y1 = sorted((year, compare))
    assert (c.before, c.after) == (y0, y1)
    n0, a0, t0 = _count(ds, state, y0)
    n1, a1, t1 = _count(ds, state, y1)
    k = c.counts
    assert k["installations_added"] - k["installations_removed"] == n1 - n0
    assert k["agreements_added"] - k["agreements_removed"] == a1 - a0
    text = headline(ds, state)
    assert text.startswith(f"{y0} → {y1}: ")
    # The map: every country coloured by the clamped change of the metric.
    v0 = dict(zip(t0["iso3"], metric_values(t0, metric), strict=True))
    v1 = dict(zip(t1["iso3"], metric_values(t1, metric), strict=True))
    patch = figure_patch(ds, state)
    st = static(ds)
    z = patch[("data", COUNTRIES, "z")]
    def delta(code):
        a, b = v1[code], v0[code]
        return None if a is None or b is None else a - b

    for code, value in zip(st.iso3, z, strict=True):
        d = delta(code)
        if metric == "personnel":
            assert value == delta_class(metric, d)
            assert d is None or (value > 0) == (d > 0)
        else:
            assert value == max(-LIMIT, min(LIMIT, d))
    # Table's change column: the same deltas, unclamped.
    for r in rows(ds, state):
        assert r.change == delta(r.iso3)


def test_markers_show_new_gone_and_both(ds) -> None:
    state = ViewState(year=2024, compare=2014)
    c = comparison(ds, state)
    patch = figure_patch(ds, state)
    symbols = patch[("data", INSTALLATIONS, "marker", "symbol")]
    lats = patch[("data", INSTALLATIONS, "lat")]
    by_id = dict(zip(ds.installations["id"], zip(symbols, lats, strict=True), strict=True))
    assert by_id["FR-MLI-1"][0] == CHANGE_STYLE[GONE][0] and by_id["FR-MLI-1"][1] is not None
    assert by_id["CN-DJI-1"][0] == CHANGE_STYLE[NEW][0]
    both = sorted(c.ids_before & c.ids_after - set(c.changes["id"]))
    assert both and by_id[both[0]][0] == CHANGE_STYLE[BOTH][0]
    shown = {rid for rid, (_, lat) in by_id.items() if lat is not None}
    assert shown == set(c.ids_before | c.ids_after)
    for kind in (NEW, GONE, BOTH):
        assert CHANGE_STYLE[kind][0] in symbols


def test_same_year_or_no_compare_is_the_single_year_view(ds) -> None:
    assert comparison(ds, ViewState(year=2019)) is None
    assert figure_patch(ds, ViewState(year=2019, compare=2019)) == figure_patch(
        ds, ViewState(year=2019))


def test_compare_in_the_url(ds) -> None:
    args = (ds.power_codes, ds.year_range)
    hosts = record_hosts(ds)
    state, notes = parse_query("?year=2024&compare=2014", *args, record_hosts=hosts)
    assert (state.year, state.compare, notes) == (2024, 2014, [])
    assert to_query(state) == "?year=2024&compare=2014"
    for bad in ("abc", "1990", "2024", "99999999999999999999"):
        state, notes = parse_query(f"?year=2024&compare={bad}", *args, record_hosts=hosts)
        assert state.compare is None and len(notes) == 1 and "ompare" in notes[0]


def test_record_in_the_url_opens_its_country(ds) -> None:
    args = (ds.power_codes, ds.year_range)
    hosts = record_hosts(ds)
    state, notes = parse_query("?year=2019&record=FR-MLI-1", *args, record_hosts=hosts)
    assert (state.record, state.country, notes) == ("FR-MLI-1", "MLI", [])
    assert "record=FR-MLI-1" in to_query(state)
    state, notes = parse_query("?record=NOPE-1", *args, record_hosts=hosts)
    assert state.record is None and "unknown" in notes[0]
    state, notes = parse_query("?country=DJI&record=FR-MLI-1", *args, record_hosts=hosts)
    assert state.country == "MLI" and notes


def test_controls_keep_a_compare_equal_to_the_year_and_drop_a_foreign_record(ds) -> None:
    common = dict(powers=ds.power_codes, metric="powers", layers=("countries",),
                  statuses=("active",), show_closed=False, all_powers=ds.power_codes,
                  year_range=ds.year_range, default_year=2026, record_hosts=record_hosts(ds))
    # Kept (the control still shows it) but comparing nothing until the year moves on.
    state = from_controls(year=2019, compare=2019, country="MLI", record="FR-MLI-1", **common)
    assert state.compare == 2019 and state.span is None and state.record == "FR-MLI-1"
    assert "compare" not in to_query(state)
    state = from_controls(year=2019, compare="2010", country="NER", record="FR-MLI-1",
                          **common)
    assert state.compare == 2010 and state.record is None


def test_chart_marks_both_years(ds) -> None:
    fig = chart_figure(ds, ViewState(year=2024, compare=2014, tab="chart"))
    xs = sorted(s.x0 for s in fig.layout.shapes)
    assert xs == [2014, 2024]
    assert fig.layout.shapes[0].x0 == 2024  # the year's rule stays first (year_patch)


def test_table_csv_has_the_change_column(ds) -> None:
    state = ViewState(year=2024, compare=2014)
    head = table_csv(ds, state).decode().splitlines()[0]
    assert head.endswith("Change 2014 → 2024")
    assert "Change" not in table_csv(ds, ViewState(year=2024)).decode().splitlines()[0]


def test_changes_list_numbers_match_the_headline(ds) -> None:
    state = ViewState(year=2024, compare=2014)
    c = comparison(ds, state)
    body = changes_body(ds, state)
    assert body[0].children == headline(ds, state)
    ids = []

    def walk(node):
        if isinstance(node, list | tuple):
            for n in node:
                walk(n)
            return
        nid = getattr(node, "id", None)
        if isinstance(nid, dict) and str(nid.get("key", "")).startswith("record:"):
            ids.append(nid["key"].split(":", 1)[1])
        walk(getattr(node, "children", None) or [])
    walk(body)
    assert sorted(ids) == sorted(c.changes["id"])
