"""The view model: everything one (dataset, view state) shows, computed once and memoised.

The page (map patch, headline, details), the exports (print figure, CSV, GeoJSON) and the
coming chart and table views all read :func:`view_model`, so there is one join path and a
number can never differ between the map and a file exported from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.view.codec import key_of
from dashboard.view.memo import memo
from dashboard.view.state import ViewState
from dashboard.view.texts import counts_text, credit_line, filters_text, headline_text
from geo.personnel import by_country as personnel_by_country
from geo.timeline import agreements_in_year, count_by_country, installation_states, summarise


@dataclass(frozen=True)
class Joins:
    """The geo.timeline queries for one state (the selected country does not change them)."""

    table: pd.DataFrame  # per-country counts (geo.timeline.count_by_country)
    installations: pd.DataFrame  # installation_states, layers and filters applied
    agreements: pd.DataFrame  # agreements_in_year, layers and filters applied
    summary: dict[str, int]  # powers, installations, agreements, countries


@dataclass(frozen=True)
class ViewModel:
    """What a view shows: records on the map, per-country counts and the texts around them."""

    state: ViewState
    table: pd.DataFrame
    installations: pd.DataFrame
    agreements: pd.DataFrame
    summary: dict[str, int]
    headline: str  # "2019 · 9 powers · 31 installations · ..." (the page's summary line)
    counts: str  # the same numbers without the year (an image's subtitle)
    filters: str  # the filters in words
    credit: str  # the data credit every export carries


def hosts_of(country: str | None) -> set[str | None]:
    """The hosts whose records a country's details list: Somaliland's are filed under
    Somalia, so both list both (geo.timeline counts them the same way)."""
    return {"SOM", "SOL"} if country in ("SOM", "SOL") else {country}


def joins(ds: Any, state: ViewState) -> Joins:
    """Each geo.timeline query once for ``state`` (memoised; country left out of the key)."""
    key = key_of(state, "joins")
    return memo(ds, "view.joins", key, lambda: _build_joins(ds, key))


def _build_joins(ds: Any, state: ViewState) -> Joins:
    powers: Sequence[str] | None = state.power_set(ds.power_codes)
    if powers is not None and set(powers) >= set(ds.power_codes):
        # load_dataset refuses records of powers missing from powers.csv, so "all ticked"
        # filters nothing: skip the filter (an isin over object arrays, the slowest step).
        powers = None
    inst = installation_states(
        ds, state.year, show_closed=state.show_closed, powers=powers,
        states=state.visible_states(),
    )
    agr = agreements_in_year(ds, state.year, powers=powers)
    inst = inst if state.shows("installations") else inst.iloc[0:0]
    agr = agr if state.shows("agreements") else agr.iloc[0:0]
    table = count_by_country(ds, inst, agr)
    table = with_personnel(ds, table, inst, agr, state.year)
    return Joins(table=table, installations=inst, agreements=agr,
                 summary=summarise(table, state.year))


def view_model(ds: Any, state: ViewState) -> ViewModel:
    """The view model of ``state`` (memoised per dataset)."""
    return memo(ds, "view.model", state, lambda: _build_view_model(ds, state), size=128)


def _build_view_model(ds: Any, state: ViewState) -> ViewModel:
    j = joins(ds, state)
    counts = counts_text(state, j.summary)
    return ViewModel(
        state=state, table=j.table, installations=j.installations, agreements=j.agreements,
        summary=j.summary, headline=headline_text(ds, state, j.summary), counts=counts,
        filters=filters_text(ds, state), credit=credit_line(ds, state.lang),
    )


#: Personnel colour classes: class k for a figure of at least PERSONNEL_BINS[k-1] people.
PERSONNEL_BINS: tuple[int, ...] = (1, 100, 500, 1000, 2500, 5000)


def with_personnel(ds: Any, table: pd.DataFrame, inst: pd.DataFrame, agr: pd.DataFrame,
                   year: int) -> pd.DataFrame:
    """The per-country table plus personnel columns (geo.personnel rules).

    ``personnel_low``/``_high``/``_mid``: the sum (None: not published), ``personnel_as_of``
    ("2019–2024"), ``personnel_records``/``_with_figure``, ``personnel_operations`` (operation
    totals filed there, not added), ``personnel_superseded`` (an older, larger country
    figure the range reaches up to).
    """
    found = personnel_by_country(ds, inst, agr, year)
    hosts = ["SOM" if c == "SOL" else c for c in table["iso3"]]  # Somaliland repeats Somalia
    low, high, mid, as_of, n, k, ops, older = [], [], [], [], [], [], [], []
    for host in hosts:
        cp = found.get(host)
        t = cp.total if cp else None
        low.append(t.low if t else None)
        high.append(t.high if t else None)
        mid.append(t.mid if t else None)
        as_of.append("" if t is None else str(t.first_year) if t.first_year == t.last_year
                     else f"{t.first_year}–{t.last_year}")
        n.append(cp.records if cp else 0)
        k.append(cp.with_figure if cp else 0)
        ops.append(cp.operations if cp else ())
        older.append(t.superseded if t else None)
    def objects(values: list) -> pd.Series:  # keeps None as None (not NaN)
        return pd.Series(values, index=table.index, dtype=object)

    return table.assign(personnel_low=objects(low), personnel_high=objects(high),
                        personnel_mid=objects(mid), personnel_as_of=as_of,
                        personnel_records=n, personnel_with_figure=k,
                        personnel_operations=objects(ops),
                        personnel_superseded=objects(older))


def personnel_class(mid: int | None, records: int) -> int:
    """Colour class of a country's personnel: -1 not published, 0 nothing on the map."""
    if records == 0:
        return 0
    if mid is None:
        return -1
    return sum(mid >= b for b in PERSONNEL_BINS)


def metric_values(table: pd.DataFrame, metric: str) -> list[int | None]:
    """The raw number per country for a metric (before binning into colour classes).

    Personnel: the middle of the summed range, None where the records on the map have no
    published figure, 0 where there is no record.
    """
    if metric == "personnel":
        return [None if n and m is None else int(m or 0)
                for m, n in zip(table["personnel_mid"], table["personnel_records"],
                                strict=True)]
    if metric == "presence":
        return [int(n > 0) for n in table["n_powers"]]
    column = {"powers": "n_powers", "installations": "installations",
              "agreements": "agreements"}.get(metric, "n_powers")  # personnel: above
    return [int(v) for v in table[column]]


