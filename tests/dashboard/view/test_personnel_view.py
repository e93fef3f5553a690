"""The personnel metric in the views: map classes and markers, table, chart gaps, exports."""

from __future__ import annotations

import csv
import io
import json

from dashboard.export.records import records_csv, records_geojson
from dashboard.figures.chart import chart_figure
from dashboard.figures.map import AGREEMENTS, COUNTRIES, INSTALLATIONS, figure_patch
from dashboard.figures.map_personnel import UNKNOWN_SIZE, marker_size
from dashboard.figures.map_static import static
from dashboard.view.model import personnel_class, view_model
from dashboard.view.series import series, series_csv
from dashboard.view.state import ViewState
from dashboard.view.table import rows
from geo.personnel import latest

STATE = ViewState(year=2020, metric="personnel")


def test_countries_are_classed_with_not_published_apart_from_zero(ds) -> None:
    patch = figure_patch(ds, STATE)
    st = static(ds)
    z = dict(zip(st.iso3, patch[("data", COUNTRIES, "z")], strict=True))
    table = view_model(ds, STATE).table.set_index("iso3")
    assert z["ERI"] == -1  # records on the map, none with a figure
    assert z["TCD"] <= 2  # Chad's own sites only (about 60), not Barkhane's 5,100
    assert z["DJI"] >= 5  # thousands (France, US, China, Japan...)
    for code, cls in z.items():
        r = table.loc[code]
        assert cls == personnel_class(r["personnel_mid"], r["personnel_records"])
        if r["personnel_records"] == 0:
            assert cls == 0
    hover = dict(zip(st.iso3, patch[("data", COUNTRIES, "customdata")], strict=True))
    assert "Foreign personnel: not published" in hover["ERI"]
    assert "operation total" in hover["TCD"]  # named, not added
    assert "as of" in hover["DJI"]


def test_markers_are_sized_by_their_latest_figure(ds) -> None:
    patch = figure_patch(ds, STATE)
    sizes = dict(zip(ds.installations["id"], patch[("data", INSTALLATIONS, "marker", "size")],
                     strict=True))
    low, high = latest(ds, "US-DJI-1", 2020)[1:3]
    assert sizes["US-DJI-1"] == marker_size((low + high) // 2)
    assert sizes["FR-MLI-2"] == UNKNOWN_SIZE  # no figure published
    assert marker_size(4000) > marker_size(1000) > marker_size(100)
    # Area proportional: four times the people, twice the diameter (away from the clamps).
    assert abs(marker_size(4000) / marker_size(1000) - 2) < 0.05
    assert isinstance(patch[("data", AGREEMENTS, "marker", "size")], list)
    # Other metrics: default sizes come back (the patch always carries them).
    other = figure_patch(ds, ViewState(year=2020))
    assert other[("data", AGREEMENTS, "marker", "size")] == 7


def test_table_says_not_published(ds) -> None:
    by_iso = {r.iso3: r for r in rows(ds, STATE)}
    assert by_iso["ERI"].value is None
    assert by_iso["TCD"].value < 1000  # the operation total filed there is not added
    assert by_iso["DJI"].value > 3000


def test_chart_leaves_gaps_where_nothing_is_published(ds) -> None:
    s = series(ds, STATE)
    russia = dict(zip(s.years, s.values["RUS"], strict=True))
    assert russia[2005] is None  # Russia has records then, no figures: a gap, not 0
    assert russia[2022] > 1000
    fig = chart_figure(ds, STATE)
    trace = next(t for t in fig.data if t.name == "Russia")
    assert trace.connectgaps is False and None in trace.y
    text = series_csv(ds, STATE).decode()
    rows_ = list(csv.DictReader(io.StringIO(text)))
    assert {"value", "range"} <= set(rows_[0])
    gap = next(r for r in rows_ if r["power"] == "RUS" and r["year"] == "2005")
    assert gap["value"] == "" and gap["range"] == ""


def test_exports_carry_the_figures_and_their_years(ds) -> None:
    text = records_csv(ds, STATE).decode()
    rows_ = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    r = rows_["US-DJI-1"]
    e = latest(ds, "US-DJI-1", 2020)
    assert (int(r["personnel_low"]), int(r["personnel_high"]), int(r["personnel_as_of"])) == (
        e[1], e[2], e[0])
    assert rows_["FR-MLI-2"]["personnel_low"] == ""
    doc = json.loads(records_geojson(ds, STATE))
    props = {f["id"]: f["properties"] for f in doc["features"]}
    assert props["US-DJI-1"]["personnel_as_of"] == e[0]
    assert props["FR-MLI-2"]["personnel_low"] is None
