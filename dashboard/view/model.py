"""The view model: everything one (dataset, view state) shows, computed once and memoised.

The page (map patch, headline, details), the exports (print figure, CSV, GeoJSON) and the
coming chart and table views all read :func:`view_model`, so there is one join path and a
number can never differ between the map and a file exported from it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.view.memo import memo
from dashboard.view.state import METRIC_LABELS, STATUS_FILTER, ViewState
from geo.personnel import by_country as personnel_by_country
from geo.timeline import agreements_in_year, count_by_country, installation_states, summarise

TITLE = "Foreign military presence in Africa"

#: Installation states as readers see them (legend, hover, details, filters).
STATE_LABELS: dict[str, str] = {
    "active": "Active",
    "planned": "Planned",
    "abandoned": "Abandoned",
    "refused": "Refused by host",
    "closed": "Closed",
}

#: What a marker's point stands for when it is not the site itself (hover, details, legend).
PRECISION_TEXT: dict[str, str] = {
    "exact": "",
    "approximate": "approx. location",
    "town": "town only: the point is the town",
    "region": "region only: the point is in the region",
    "country": "country only: the point is in the country",
}


@dataclass(frozen=True)
class Names:
    """Display names and colours of a dataset's powers and countries."""

    powers: dict[str, str]
    colors: dict[str, str]
    countries: dict[str, str]


def names(ds: Any) -> Names:
    """Power and country names of ``ds`` (memoised)."""
    return memo(ds, "view.names", "names", lambda: Names(
        powers=dict(zip(ds.powers["code"], ds.powers["name"], strict=True)),
        colors=dict(zip(ds.powers["code"], ds.powers["color"], strict=True)),
        countries=dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True)),
    ))


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


def joins(ds: Any, state: ViewState) -> Joins:
    """Each geo.timeline query once for ``state`` (memoised; country left out of the key)."""
    key = replace(state, country=None, compare=None, record=None, tab="map")
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
        filters=filters_text(ds, state), credit=credit_line(ds),
    )


#: Personnel colour classes: class k for a figure of at least PERSONNEL_BINS[k-1] people.
PERSONNEL_BINS: tuple[int, ...] = (1, 100, 500, 1000, 2500, 5000)


def with_personnel(ds: Any, table: pd.DataFrame, inst: pd.DataFrame, agr: pd.DataFrame,
                   year: int) -> pd.DataFrame:
    """The per-country table plus personnel columns (geo.personnel rules).

    ``personnel_low``/``_high``/``_mid``: the sum (None: not published), ``personnel_as_of``
    ("2019–2024"), ``personnel_records``/``_with_figure``, ``personnel_operations`` (operation
    totals filed there, not added).
    """
    found = personnel_by_country(ds, inst, agr, year)
    hosts = ["SOM" if c == "SOL" else c for c in table["iso3"]]  # Somaliland repeats Somalia
    low, high, mid, as_of, n, k, ops = [], [], [], [], [], [], []
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
    def objects(values: list) -> pd.Series:  # keeps None as None (not NaN)
        return pd.Series(values, index=table.index, dtype=object)

    return table.assign(personnel_low=objects(low), personnel_high=objects(high),
                        personnel_mid=objects(mid), personnel_as_of=as_of,
                        personnel_records=n, personnel_with_figure=k,
                        personnel_operations=objects(ops))


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


def _n(k: int, one: str, many: str) -> str:
    return f"{k} {one if k == 1 else many}"


def counts_text(state: ViewState, summary: dict[str, int]) -> str:
    """Headline numbers of the view: powers, installations, agreements, countries."""
    parts = [_n(summary["powers"], "power", "powers")]
    if state.shows("installations"):
        parts.append(_n(summary["installations"], "installation", "installations"))
    if state.shows("agreements"):
        parts.append(_n(summary["agreements"], "agreement", "agreements"))
    parts.append(_n(summary["countries"], "country", "countries"))
    return " · ".join(parts)


def headline_text(ds: Any, state: ViewState, summary: dict[str, int]) -> str:
    """The page's summary line, e.g. "2019 · 9 powers · 31 installations · ...", plus powers."""
    text = f"{state.year} · {counts_text(state, summary)}"
    all_powers = ds.power_codes
    chosen = state.power_set(all_powers)
    if len(chosen) < len(all_powers):
        power_names = names(ds).powers
        text += " · " + (", ".join(power_names[c] for c in chosen) if 0 < len(chosen) <= 3
                         else f"{len(chosen)} of {len(all_powers)} powers selected")
    return text


def _license(ds: Any) -> str | None:
    """The dataset licence's short name from its descriptor, for the credit line."""
    try:
        path = Path(ds.data_dir) / "datapackage.json"
        descriptor = json.loads(path.read_text("utf-8"))
        return str(descriptor["licenses"][0]["name"]).replace("CC-BY-", "CC BY ")
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None


def credit_line(ds: Any) -> str:
    """The data credit every export carries (the licence asks for attribution).

    Memoised per dataset: it reads the descriptor, and every new view model asks for it.
    """
    return memo(ds, "view.names", "credit", lambda: _build_credit(ds))


def _build_credit(ds: Any) -> str:
    version = getattr(ds, "version", "") or "unversioned"
    label = f"v{version}" if version[:1].isdigit() else f"({version})"
    text = f"Data: africa-presence dataset {label} (sources per record); borders: Natural Earth"
    licence = _license(ds)
    return f"{text}. Data licence: {licence}" if licence else text


def _powers_text(ds: Any, state: ViewState) -> str:
    power_names = names(ds).powers
    chosen = state.power_set(ds.power_codes)
    if state.powers is None:
        return f"all {len(ds.power_codes)} foreign powers"
    if not chosen:
        return "no power selected"
    if len(chosen) <= 4:
        return ", ".join(power_names.get(c, c) for c in chosen)
    return f"{len(chosen)} of {len(ds.power_codes)} powers ({', '.join(chosen)})"


def filters_text(ds: Any, state: ViewState) -> str:
    """The filters in words, for the title block of an image and the data files' metadata."""
    parts = [f"Powers: {_powers_text(ds, state)}"]
    if state.shows("installations"):
        statuses = [STATE_LABELS[s].lower() for s in state.statuses]
        if not statuses:
            text = "closed only" if state.show_closed else "no status selected"
        else:
            text = "all statuses" if state.statuses == STATUS_FILTER else ", ".join(statuses)
            text += " incl. closed" if state.show_closed else ""
        parts.append(f"installations: {text}")
    else:
        parts.append("installations hidden")
    parts.append("agreements in force" if state.shows("agreements") else "agreements hidden")
    if state.shows("countries"):
        parts.append(f"countries coloured by {METRIC_LABELS[state.metric].lower()}")
    else:
        parts.append("countries not coloured")
    if state.country:
        countries = names(ds).countries
        parts.append(f"outlined: {countries.get(state.country, state.country)}")
    return " · ".join(parts)
