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
    a = _installation_arrays(ds)
    status, opened, closed = a["status"], a["opened"], a["closed"]
    with np.errstate(invalid="ignore"):
        started = opened <= year  # NaN compares False: never opened
        not_over = np.isnan(closed) | (closed >= year)
        operating = started & not_over & a["runs"]
        ends_in_status = a["ends_in_status"]
        operating |= started & ends_in_status & (closed > year)
        announced_by = a["first_year"] <= year
        before_open = np.isnan(opened) | (year < opened)
        planned = announced_by & before_open & (
            (status == "planned") | a["runs"] | (ends_in_status & (closed > year))
        )
        ends_now = ends_in_status & (closed == year)
        ended = ~np.isnan(closed) & (closed < year) & (status != "planned")
    state = np.select(
        [operating, planned, ends_now, ended & show_closed],
        ["active", "planned", status, status],
        default="",
    )
    keep = state != ""
    if powers is not None:
        keep &= np.isin(a["power"], list(powers))
    if states is not None:
        keep &= np.isin(state, list(states))
    return df[keep].assign(state=state[keep])


def _installation_arrays(ds: Dataset) -> dict[str, np.ndarray]:
    """Year and status columns as float/object arrays, computed once per dataset."""
    cached = ds._cache.get("installation_arrays")
    if cached is None:
        df = ds.installations
        status = df["status"].to_numpy(dtype=object)
        announced = df["announced"].astype("float").to_numpy()
        opened = df["opened"].astype("float").to_numpy()
        cached = {
            "status": status,
            "power": df["power"].to_numpy(dtype=object),
            "opened": opened,
            "closed": df["closed"].astype("float").to_numpy(),
            "first_year": np.where(np.isnan(announced), opened, announced),
            "runs": np.isin(status, ["active", "closed"]),
            "ends_in_status": np.isin(status, ["abandoned", "refused"]),
        }
        ds._cache["installation_arrays"] = cached
    return cached


def agreements_in_year(
    ds: Dataset, year: int, *, powers: Collection[str] | None = None
) -> pd.DataFrame:
    """Agreements signed in or before ``year`` and not ended before it."""
    df = ds.agreements
    cached = ds._cache.get("agreement_arrays")
    if cached is None:
        cached = (df["signed_year"].astype("float").to_numpy(),
                  df["ended"].astype("float").to_numpy(), df["power"].to_numpy(dtype=object))
        ds._cache["agreement_arrays"] = cached
    signed, ended, power = cached
    with np.errstate(invalid="ignore"):
        keep = (signed <= year) & (np.isnan(ended) | (ended >= year))
    if powers is not None:
        keep &= np.isin(power, list(powers))
    return df[keep]


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
    iso3 = list(ds.countries.index)
    inst_host = _hosts(inst["host_iso3"])
    agr_host = _hosts(agr["host_iso3"])
    states_ = inst["state"].to_numpy()
    ended_mask = np.isin(states_, ["closed", "abandoned", "refused"])

    def count(hosts: np.ndarray) -> list[int]:
        values, n = np.unique(hosts, return_counts=True)
        found = dict(zip(values.tolist(), n.tolist(), strict=True))
        return [found.get(c, 0) for c in iso3]

    # Distinct (host, power) pairs: at most countries x powers, so a Python pass is cheap.
    pairs: dict[str, set[str]] = {}
    present_mask = np.isin(states_, PRESENT_STATES)
    for host, power in zip(
        np.concatenate([inst_host[present_mask], agr_host]).tolist(),
        np.concatenate([inst["power"].to_numpy()[present_mask], agr["power"].to_numpy()]).tolist(),
        strict=True,
    ):
        pairs.setdefault(host, set()).add(power)
    order = {code: i for i, code in enumerate(ds.power_codes)}
    present = [tuple(sorted(pairs.get(c, ()), key=order.__getitem__)) for c in iso3]

    columns: dict[str, list] = {
        "installations": count(inst_host),
        "active": count(inst_host[states_ == "active"]),
        "planned": count(inst_host[states_ == "planned"]),
        "ended": count(inst_host[ended_mask]),
        "agreements": count(agr_host),
        "powers_present": present,
    }
    # Somaliland's row repeats Somalia's figures (records say SOM for sites there).
    for alias, target in _SAME_COUNTRY.items():
        if alias in iso3 and target in iso3:
            for values in columns.values():
                values[iso3.index(alias)] = values[iso3.index(target)]
    counts = pd.DataFrame({"iso3": iso3, "name": ds.countries["name"].tolist(), **columns})
    counts["n_powers"] = [len(p) for p in columns["powers_present"]]
    return counts


def _hosts(codes: pd.Series) -> np.ndarray:
    """Host codes with Somaliland folded into Somalia, as a plain array."""
    hosts = codes.to_numpy(dtype=object).copy()
    for alias, target in _SAME_COUNTRY.items():
        hosts[hosts == alias] = target
    return hosts


def summarise(table: pd.DataFrame, year: int) -> dict[str, int]:
    """Headline numbers from a :func:`country_table` already computed for ``year``.

    Countries are counted once (Somaliland's row repeats Somalia's, so it is skipped), which
    is why this reads the table rather than summing it blindly.
    """
    table = table[table["iso3"] != SOMALILAND]
    touched = (table["installations"] > 0) | (table["agreements"] > 0)
    return {
        "year": year,
        "powers": len({p for codes in table["powers_present"] for p in codes}),
        "installations": int(table["installations"].sum()),
        "agreements": int(table["agreements"].sum()),
        "countries": int(touched.sum()),
    }


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
    """Headline numbers for ``year``: powers present, installations, agreements, countries."""
    table = country_table(
        ds, year, powers, states=states, show_closed=show_closed,
        include_installations=include_installations, include_agreements=include_agreements,
    )
    return summarise(table, year)
