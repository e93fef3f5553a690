"""Joins that turn records into what the map draws for one year: states and per-country figures.

These are the timeline semantics of the README, in one place:

* an installation is *active* from its opening year through its closing year inclusive;
* before it opens it is *planned* from its announcement year;
* a ``planned`` record stays planned from its announcement on;
* an ``abandoned`` or ``refused`` record is planned until the year it was abandoned or
  refused, shows as such in that year only, and is hidden afterwards;
* after its closing year a ``closed`` installation is hidden, unless ``show_closed``
  (then it, and abandoned/refused ones, stay on the map in their final state);
* an agreement counts from the year it was signed through the year it ended.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from geo.countries import SOMALILAND
from geo.dataset import Dataset

#: Presence in Somaliland is recorded under Somalia (SOM), as the records say.
_SAME_COUNTRY = {SOMALILAND: "SOM"}

#: States that mean a power is on the ground (or has a deal) in a country that year.
PRESENT_STATES = ("active",)


def installation_states(
    ds: Dataset,
    year: int,
    *,
    show_closed: bool = False,
    powers: Collection[str] | None = None,
    states: Collection[str] | None = None,
) -> pd.DataFrame:
    """Installations visible in ``year`` with a ``state`` column (see the module docstring)."""
    df = ds.installations
    if powers is not None:
        df = df[df["power"].isin(list(powers))]
    status = df["status"].to_numpy()
    announced = df["announced"].astype("float").to_numpy()
    opened = df["opened"].astype("float").to_numpy()
    closed = df["closed"].astype("float").to_numpy()
    with np.errstate(invalid="ignore"):
        started = opened <= year  # NaN compares False: never opened
        not_over = np.isnan(closed) | (closed >= year)
        operating = started & not_over & np.isin(status, ["active", "closed"])
        ends_in_status = np.isin(status, ["abandoned", "refused"])
        operating |= started & ends_in_status & (closed > year)
        announced_by = np.where(np.isnan(announced), opened, announced) <= year
        before_open = np.isnan(opened) | (year < opened)
        planned = announced_by & before_open & (
            (status == "planned")
            | (np.isin(status, ["active", "closed"]))
            | (ends_in_status & (closed > year))
        )
        ends_now = ends_in_status & (closed == year)
        ended = ~np.isnan(closed) & (closed < year) & (status != "planned")
    state = np.select(
        [operating, planned, ends_now, ended & show_closed],
        ["active", "planned", status, status],
        default="",
    )
    out = df.assign(state=state)
    out = out[out["state"] != ""]
    if states is not None:
        out = out[out["state"].isin(list(states))]
    return out


def agreements_in_year(
    ds: Dataset, year: int, *, powers: Collection[str] | None = None
) -> pd.DataFrame:
    """Agreements signed in or before ``year`` and not ended before it."""
    df = ds.agreements
    if powers is not None:
        df = df[df["power"].isin(list(powers))]
    signed = df["signed_year"].astype("float")
    ended = df["ended"].astype("float")
    mask = (signed <= year) & (ended.isna() | (ended >= year))
    return df[mask.to_numpy()]


def country_table(
    ds: Dataset,
    year: int,
    powers: Collection[str] | None = None,
    *,
    states: Collection[str] | None = None,
    show_closed: bool = False,
    include_installations: bool = True,
    include_agreements: bool = True,
) -> pd.DataFrame:
    """One row per African country: what the choropleth and its hover show for ``year``.

    Columns: ``iso3``, ``name``, ``installations`` (visible ones), ``active``, ``planned``,
    ``ended`` (closed, abandoned or refused, shown), ``agreements`` (in force),
    ``powers_present`` (sorted codes with an active installation or an agreement),
    ``n_powers``. Somaliland's row repeats Somalia's, because records say SOM for both.
    """
    inst = installation_states(ds, year, show_closed=show_closed, powers=powers, states=states)
    agr = agreements_in_year(ds, year, powers=powers)
    if not include_installations:
        inst = inst.iloc[0:0]
    if not include_agreements:
        agr = agr.iloc[0:0]
    inst = inst.assign(host=inst["host_iso3"].replace(_SAME_COUNTRY))
    agr = agr.assign(host=agr["host_iso3"].replace(_SAME_COUNTRY))

    by_state = pd.crosstab(inst["host"], inst["state"])
    counts = pd.DataFrame(index=pd.Index(ds.countries.index, name="iso3"))
    counts["installations"] = inst.groupby("host").size()
    counts["active"] = by_state.get("active", 0)
    counts["planned"] = by_state.get("planned", 0)
    ended_cols = [c for c in ("closed", "abandoned", "refused") if c in by_state]
    counts["ended"] = by_state[ended_cols].sum(axis=1) if ended_cols else 0
    counts["agreements"] = agr.groupby("host").size()
    counts = counts.fillna(0).astype(int)

    present = pd.concat([
        inst.loc[inst["state"].isin(PRESENT_STATES), ["host", "power"]],
        agr[["host", "power"]],
    ])
    order = {code: i for i, code in enumerate(ds.power_codes)}
    groups = present.drop_duplicates().groupby("host")["power"]
    powers_present = groups.agg(lambda s: tuple(sorted(s, key=order.get)))
    counts["powers_present"] = [powers_present.get(c, ()) for c in counts.index]
    for alias, target in _SAME_COUNTRY.items():
        if alias in counts.index and target in counts.index:
            counts.loc[alias] = counts.loc[target]
    counts["n_powers"] = counts["powers_present"].map(len)
    counts.insert(0, "name", ds.countries.loc[counts.index, "name"])
    return counts.reset_index()


def summary_counts(
    ds: Dataset,
    year: int,
    powers: Collection[str] | None = None,
    *,
    states: Collection[str] | None = None,
    show_closed: bool = False,
    include_installations: bool = True,
    include_agreements: bool = True,
) -> dict[str, int]:
    """Headline numbers for ``year``: powers present, installations, agreements, countries.

    Countries are counted once (Somaliland within Somalia), unlike the table's rows.
    """
    table = country_table(
        ds, year, powers, states=states, show_closed=show_closed,
        include_installations=include_installations, include_agreements=include_agreements,
    )
    table = table[table["iso3"] != SOMALILAND]
    touched = table[(table["installations"] > 0) | (table["agreements"] > 0)]
    powers_present = {p for codes in table["powers_present"] for p in codes}
    return {
        "year": year,
        "powers": len(powers_present),
        "installations": int(table["installations"].sum()),
        "agreements": int(table["agreements"].sum()),
        "countries": len(touched),
    }
