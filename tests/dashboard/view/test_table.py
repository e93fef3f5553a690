"""The table: 56 rows with the map's numbers, sorted and filtered as the reader asks, and a
CSV holding exactly what is shown."""

from __future__ import annotations

import csv
import io

import pytest

from dashboard.view.model import metric_values, view_model
from dashboard.view.state import METRICS, ViewState
from dashboard.view.table import (
    COLUMNS,
    DEFAULT_SORT,
    caption,
    columns,
    header,
    matches,
    parse_sort,
    rows,
    shown,
    sort_key,
    table_csv,
)


@pytest.mark.parametrize("metric", METRICS)
def test_one_row_per_country_with_the_maps_numbers(ds, metric: str) -> None:
    state = ViewState(year=2019, metric=metric)
    table = view_model(ds, state).table
    by_code = {r.iso3: r for r in rows(ds, state)}
    assert len(by_code) == len(ds.countries) == 56
    for (_, row), value in zip(table.iterrows(), metric_values(table, metric), strict=True):
        r = by_code[row["iso3"]]
        assert (r.active, r.planned, r.agreements, r.value) == (
            row["active"], row["planned"], row["agreements"], value)
        assert r.powers == tuple(row["powers_present"])


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("descending", [False, True])
def test_sorted_by_every_column_both_ways(ds, column: str, descending: bool) -> None:
    out = shown(ds, ViewState(year=2019, compare=2010), (column, descending))
    keys = [sort_key(column)(r) for r in out]
    assert keys == sorted(keys, reverse=descending)
    assert len(out) == 56


def test_the_default_order_is_the_maps_metric_largest_first(ds) -> None:
    out = shown(ds, ViewState(year=2019))
    assert DEFAULT_SORT == ("value", True)
    assert out[0].value == max(r.value for r in out)
    # Ties are broken by name, so the order is the same on every visit.
    tied = [r.name for r in out if r.value == out[-1].value]
    assert tied == sorted(tied, key=str.casefold)


@pytest.mark.parametrize(("query", "expected"), [
    ("cote", {"CIV"}), ("CÔTE", {"CIV"}), ("dji", {"DJI"}), ("mali", {"MLI", "SOM", "SOL"}),
])
def test_typing_finds_countries_without_accents(ds, query: str, expected: set[str]) -> None:
    found = {r.iso3 for r in shown(ds, ViewState(year=2019), query=query)}
    assert expected <= found
    assert all(matches(r, query) for r in shown(ds, ViewState(year=2019), query=query))


def test_typing_a_power_lists_its_host_countries(ds) -> None:
    state = ViewState(year=2019)
    hosts = {r.iso3 for r in rows(ds, state) if "RUS" in r.powers}
    assert {r.iso3 for r in shown(ds, state, query="russia")} == hosts
    assert {r.iso3 for r in shown(ds, state, query="RUS")} >= hosts
    assert shown(ds, state, query="no such place") == []


def test_csv_is_exactly_the_rows_and_columns_shown(ds) -> None:
    state = ViewState(year=2019, metric="installations")
    sort, query = ("active", True), "fr"
    out = shown(ds, state, sort, query)
    lines = list(csv.reader(io.StringIO(table_csv(ds, state, sort, query).decode("utf-8"))))
    assert lines[0] == [header(c, state) for c in columns(state)]
    assert lines[0][-1] == "Installations"
    assert [line[0] for line in lines[1:]] == [r.name for r in out]
    assert [int(line[2]) for line in lines[1:]] == [r.active for r in out]
    assert [line[1] for line in lines[1:]] == ["; ".join(r.power_names) for r in out]


def test_csv_cells_cannot_become_spreadsheet_formulas() -> None:
    from dashboard.view.table import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("-1") == "'-1" and _cell("Mali") == "Mali"


def test_caption_says_year_filters_and_rows(ds) -> None:
    state = ViewState(year=2014, powers=("FRA",), statuses=("active",))
    text = caption(ds, state, 3, "ni")
    assert "2014" in text and "France" in text and "3 of 56" in text and "“ni”" in text
    assert "All 56 countries" in caption(ds, state, 56, "")


@pytest.mark.parametrize("value", [None, "x", {"column": "nope"}, [1], {"column": 3}])
def test_an_odd_stored_sort_falls_back_to_the_default(value) -> None:
    assert parse_sort(value) == DEFAULT_SORT
    assert parse_sort({"column": "name", "descending": 0}) == ("name", False)
