"""The chart's numbers are the map's numbers: for every year, every power, both scopes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dashboard.view.model import metric_values, view_model
from dashboard.view.series import measure_of, series
from dashboard.view.state import ViewState
from geo.countries import SOMALILAND

POWERS = ("RUS", "FRA", "USA", "CHN", "TUR", "ARE")


def map_number(ds, state: ViewState, power: str, measure: str, country: str | None) -> int:
    """What the map shows with only ``power`` selected: its headline, or a country's row."""
    alone = view_model(ds, replace(state, powers=(power,)))
    if country is None:
        if measure == "countries":  # countries coloured by "powers present" > 0
            table = alone.table[alone.table["iso3"] != SOMALILAND]
            return sum(v > 0 for v in metric_values(table, "powers"))
        return alone.summary[measure]
    row = alone.table[alone.table["iso3"] == country].iloc[0]
    return {"countries": int(row["n_powers"] > 0), "installations": int(row["installations"]),
            "agreements": int(row["agreements"])}[measure]


@pytest.mark.parametrize("metric", ["powers", "installations", "agreements"])
@pytest.mark.parametrize("country", [None, "MLI", "SOL"])
def test_every_point_matches_the_map(ds, metric: str, country: str | None) -> None:
    state = ViewState(year=2019, metric=metric, show_closed=False)
    s = series(ds, state, country=country)
    assert s.years == tuple(range(ds.year_range[0], ds.year_range[1] + 1))
    assert s.measure == measure_of(state)
    # Every sixth year and both ends: each point is built the same way from the same
    # joins, so checking the other years repeats the same check at several times the cost.
    for year in sorted({*s.years[::6], s.years[-1]}):
        at = s.at(year)
        for power in POWERS:
            expected = map_number(ds, replace(state, year=year), power, s.measure, country)
            assert at[power] == expected, (year, power, metric, country)


def test_filters_change_the_series_as_they_change_the_map(ds) -> None:
    everything = series(ds, ViewState(year=2019, metric="installations"))
    active_only = series(ds, ViewState(year=2019, metric="installations",
                                       statuses=("active",)))
    assert all(a <= b for p in everything.powers
               for a, b in zip(active_only.values[p], everything.values[p], strict=True))
    assert active_only.values != everything.values
    picked = series(ds, ViewState(year=2019, powers=("RUS", "FRA")))
    assert set(picked.powers) == {"FRA", "RUS"}
    assert series(ds, ViewState(year=2019, powers=())).powers == ()


def test_the_year_does_not_matter_and_results_are_shared(ds) -> None:
    a = series(ds, ViewState(year=2005))
    b = series(ds, ViewState(year=2024, country="MLI"))  # the open country is not the scope
    assert a is b


def test_russia_grows_from_2015_on(ds) -> None:
    """A fact the data carries (Wagner, then Africa Corps): a guard against a flat series."""
    s = series(ds, ViewState(year=2019))
    assert s.at(2024)["RUS"] > 2 * s.at(2015)["RUS"] > 0
