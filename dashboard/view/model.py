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

from dashboard.view.i18n import DEFAULT_LANG, N_, place_name, tr
from dashboard.view.memo import memo
from dashboard.view.state import METRIC_LABELS, STATUS_FILTER, ViewState
from geo.personnel import by_country as personnel_by_country
from geo.timeline import agreements_in_year, count_by_country, installation_states, summarise

TITLE = N_("Foreign military presence in Africa")

#: Installation states as readers see them (legend, hover, details, filters).
STATE_LABELS: dict[str, str] = {
    "active": N_("Active"),
    "planned": N_("Planned"),
    "abandoned": N_("Abandoned"),
    "refused": N_("Refused by host"),
    "closed": N_("Closed"),
}

#: The dataset's enumerations as readers see them: the msgid is the value itself, so
#: ``tr(lang)(row["kind"])`` translates a kind; these markers put them in the catalog.
ENUM_LABELS: tuple[str, ...] = (
    N_("air base"), N_("army base"), N_("naval base"), N_("joint base"),
    N_("logistics facility"), N_("drone base"), N_("training mission"), N_("headquarters"),
    N_("communications station"), N_("military cooperation"),
    N_("military-technical cooperation"), N_("basing or access"), N_("deployment"),
    N_("active"), N_("closed"), N_("planned"), N_("abandoned"), N_("refused"),
    N_("high"), N_("medium"), N_("low"), N_("yes"), N_("no"), N_("unknown"),
    N_("troops"), N_("instructors"), N_("contractors"), N_("civilian staff"), N_("mixed"),
    N_("ceiling"), N_("own personnel"), N_("runs it"), N_("plan only"),
)

#: What a marker's point stands for when it is not the site itself (hover, details, legend).
PRECISION_TEXT: dict[str, str] = {
    "exact": "",
    "approximate": N_("approx. location"),
    "town": N_("town only: the point is the town"),
    "region": N_("region only: the point is in the region"),
    "country": N_("country only: the point is in the country"),
}


@dataclass(frozen=True)
class Names:
    """Display names and colours of a dataset's powers and countries."""

    powers: dict[str, str]
    colors: dict[str, str]
    countries: dict[str, str]


def names(ds: Any, lang: str = DEFAULT_LANG) -> Names:
    """Power and country names of ``ds`` in ``lang`` (CLDR; memoised per language)."""
    return memo(ds, "view.names", ("names", lang), lambda: Names(
        powers={c: place_name(c, n, lang)
                for c, n in zip(ds.powers["code"], ds.powers["name"], strict=True)},
        colors=dict(zip(ds.powers["code"], ds.powers["color"], strict=True)),
        countries={c: place_name(c, n, lang)
                   for c, n in zip(ds.countries["iso3"], ds.countries["name"], strict=True)},
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


def hosts_of(country: str | None) -> set[str | None]:
    """The hosts whose records a country's details list: Somaliland's are filed under
    Somalia, so both list both (geo.timeline counts them the same way)."""
    return {"SOM", "SOL"} if country in ("SOM", "SOL") else {country}


def joins(ds: Any, state: ViewState) -> Joins:
    """Each geo.timeline query once for ``state`` (memoised; country left out of the key)."""
    key = replace(state, country=None, compare=None, record=None, tab="map",
                  lang=DEFAULT_LANG, embed=False)
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


def counts_text(state: ViewState, summary: dict[str, int]) -> str:
    """Headline numbers of the view: powers, installations, agreements, countries."""
    t = tr(state.lang)
    parts = [t.n("{n} power", "{n} powers", summary["powers"])]
    if state.shows("installations"):
        text = t.n("{n} installation", "{n} installations", summary["installations"])
        stale = summary.get("unconfirmed", 0)
        if stale:
            text += " " + t.n("({n} not confirmed in over 3 years)",
                              "({n} not confirmed in over 3 years)", stale)
        parts.append(text)
    if state.shows("agreements"):
        parts.append(t.n("{n} agreement", "{n} agreements", summary["agreements"]))
    parts.append(t.n("{n} country", "{n} countries", summary["countries"]))
    return " · ".join(parts)


def headline_text(ds: Any, state: ViewState, summary: dict[str, int]) -> str:
    """The page's summary line, e.g. "2019 · 9 powers · 31 installations · ...", plus powers."""
    text = f"{state.year} · {counts_text(state, summary)}"
    chosen = chosen_powers_text(ds, state)
    return f"{text} · {chosen}" if chosen else text


def chosen_powers_text(ds: Any, state: ViewState) -> str:
    """The headline's last part when the powers are filtered ("France, Russia" or "5 of 28
    powers selected"); empty when all are shown."""
    all_powers = ds.power_codes
    chosen = state.power_set(all_powers)
    if len(chosen) >= len(all_powers):
        return ""
    if 0 < len(chosen) <= 3:
        power_names = names(ds, state.lang).powers
        return ", ".join(power_names[c] for c in chosen)
    return tr(state.lang)("{k} of {n} powers selected", k=len(chosen), n=len(all_powers))


def _license(ds: Any) -> str | None:
    """The dataset licence's short name from its descriptor, for the credit line."""
    try:
        path = Path(ds.data_dir) / "datapackage.json"
        descriptor = json.loads(path.read_text("utf-8"))
        return str(descriptor["licenses"][0]["name"]).replace("CC-BY-", "CC BY ")
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None


def credit_line(ds: Any, lang: str = DEFAULT_LANG) -> str:
    """The data credit every export carries (the licence asks for attribution).

    Memoised per dataset: it reads the descriptor, and every new view model asks for it.
    """
    return memo(ds, "view.names", ("credit", lang), lambda: _build_credit(ds, lang))


def _build_credit(ds: Any, lang: str) -> str:
    t = tr(lang)
    version = getattr(ds, "version", "") or "unversioned"
    label = f"v{version}" if version[:1].isdigit() else f"({version})"
    text = t("Data: africa-presence dataset {version} (sources per record); borders: "
             "Natural Earth", version=label)
    licence = _license(ds)
    return t("{credit}. Data licence: {licence}", credit=text, licence=licence) if licence \
        else text


def _powers_text(ds: Any, state: ViewState) -> str:
    t = tr(state.lang)
    power_names = names(ds, state.lang).powers
    chosen = state.power_set(ds.power_codes)
    if state.powers is None:
        return t("all {n} foreign powers", n=len(ds.power_codes))
    if not chosen:
        return t("no power selected")
    if len(chosen) <= 4:
        return ", ".join(power_names.get(c, c) for c in chosen)
    return t("{k} of {n} powers ({codes})", k=len(chosen), n=len(ds.power_codes),
             codes=", ".join(chosen))


def filters_text(ds: Any, state: ViewState) -> str:
    """The filters in words, for the title block of an image and the data files' metadata."""
    t = tr(state.lang)
    parts = [t("Powers: {powers}", powers=_powers_text(ds, state))]
    if state.shows("installations"):
        statuses = [t(STATE_LABELS[s]).lower() for s in state.statuses]
        if not statuses:
            text = t("closed only") if state.show_closed else t("no status selected")
        else:
            text = t("all statuses") if state.statuses == STATUS_FILTER else ", ".join(statuses)
            text += t(" incl. closed") if state.show_closed else ""
        parts.append(t("installations: {statuses}", statuses=text))
    else:
        parts.append(t("installations hidden"))
    parts.append(t("agreements in force") if state.shows("agreements")
                 else t("agreements hidden"))
    if state.shows("countries"):
        parts.append(t("countries coloured by {metric}",
                       metric=t(METRIC_LABELS[state.metric]).lower()))
    else:
        parts.append(t("countries not coloured"))
    if state.country:
        countries = names(ds, state.lang).countries
        parts.append(t("outlined: {country}", country=countries.get(state.country,
                                                                    state.country)))
    return " · ".join(parts)
