"""Joins that turn records into what the map draws for one year: states and per-country figures.

These are the timeline semantics of the README, in one place:

* an installation is *active* from its opening year through its closing year inclusive;
* before it opens it is *planned* from its announcement year;
* a ``planned`` record stays planned from its announcement on;
* an ``abandoned`` or ``refused`` record is planned until the year it was abandoned or
  refused, shows as such in that year only, and is hidden afterwards;
* after its closing year a ``closed`` installation is hidden, unless ``show_closed``
  (then it, and abandoned/refused ones, stay on the map in their final state);
* an agreement counts from the year it was signed through the year it ended;
* an ``active`` installation whose ``last_confirmed`` year is more than
  :data:`~geo.schema.UNCONFIRMED_AFTER_YEARS` years before the year shown is *unconfirmed*:
  it still counts as present (nothing says it closed) but is drawn and listed apart.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.countries import SOMALILAND
from geo.dataset import Dataset
from geo.schema import UNCONFIRMED_AFTER_YEARS

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
    """Installations visible in ``year`` with a ``state`` column (see the module docstring)
    and an ``unconfirmed`` one (see the module docstring)."""
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
    # Active by status and state, yet no source after year - N - 1 shows it in use (a
    # closed site's lifetime is bracketed by its sourced dates; a plan claims no use).
    with np.errstate(invalid="ignore"):
        stale = ((year - a["confirmed"]) > UNCONFIRMED_AFTER_YEARS) & a["open_ended"] & (
            state == "active")
    return df[keep].assign(state=state[keep], unconfirmed=stale[keep])


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
            "open_ended": status == "active",
            "confirmed": df["confirmed_year"].astype("float").to_numpy(),
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

    Columns: ``iso3``, ``name``, ``installations`` (visible ones), ``active``,
    ``unconfirmed`` (active ones not confirmed lately), ``planned``,
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
    return count_by_country(ds, inst, agr)


@dataclass(frozen=True)
class _Codes:
    """Every record's host (row of the country table) and power as small integers."""

    iso3: list[str]
    names: list[str]
    powers: tuple[str, ...]
    inst_host: np.ndarray  # len(iso3) for a host outside the table
    inst_power: np.ndarray
    agr_host: np.ndarray
    agr_power: np.ndarray


def _codes(ds: Dataset) -> _Codes:
    """Build (once per dataset) the integer codes ``_country_table`` counts with."""
    def build() -> _Codes:
        iso3 = list(ds.countries.index)
        row = {code: i for i, code in enumerate(iso3)}
        for alias, target in _SAME_COUNTRY.items():  # Somaliland's records count for Somalia
            row[alias] = row.get(target, len(iso3))
        power = {code: i for i, code in enumerate(ds.power_codes)}

        def ints(values: Sequence[str], index: dict[str, int], missing: int) -> np.ndarray:
            return np.array([index.get(v, missing) for v in values], dtype=np.intp)

        return _Codes(
            iso3=iso3,
            names=ds.countries["name"].tolist(),
            powers=tuple(ds.power_codes),
            inst_host=ints(ds.installations["host_iso3"].tolist(), row, len(iso3)),
            inst_power=ints(ds.installations["power"].tolist(), power, -1),
            agr_host=ints(ds.agreements["host_iso3"].tolist(), row, len(iso3)),
            agr_power=ints(ds.agreements["power"].tolist(), power, -1),
        )
    cached = ds._cache.get("codes")
    if cached is None:
        cached = ds._cache["codes"] = build()
    return cached


def _isin(values: np.ndarray, options: Sequence[str]) -> np.ndarray:
    """np.isin for a few strings: it sorts object arrays, this compares (~10x faster)."""
    mask = np.zeros(len(values), dtype=bool)
    for option in options:
        mask |= values == option
    return mask


def count_by_country(ds: Dataset, inst: pd.DataFrame, agr: pd.DataFrame) -> pd.DataFrame:
    """The per-country table counted from already selected records (see country_table).

    ``inst`` comes from :func:`installation_states` (with its ``state`` column) and ``agr``
    from :func:`agreements_in_year`; a caller that also needs those rows (the dashboard)
    runs each query once and counts here.
    """
    codes = _codes(ds)
    n, n_powers = len(codes.iso3), len(codes.powers)
    inst_rows = ds.installations.index.get_indexer(inst.index)
    agr_rows = ds.agreements.index.get_indexer(agr.index)
    inst_host, agr_host = codes.inst_host[inst_rows], codes.agr_host[agr_rows]
    states_ = inst["state"].to_numpy(dtype=object)

    def count(hosts: np.ndarray) -> np.ndarray:
        return np.bincount(hosts, minlength=n + 1)[:n]

    present_mask = _isin(states_, PRESENT_STATES)
    pair_host = np.concatenate([inst_host[present_mask], agr_host])
    pair_power = np.concatenate([codes.inst_power[inst_rows][present_mask],
                                 codes.agr_power[agr_rows]])
    if (pair_power < 0).any():
        raise KeyError("record with a power missing from powers.csv")
    present_lists: list[list[str]] = [[] for _ in range(n + 1)]
    # Sorted (host, power order) pairs: each country's powers come out in powers.csv order.
    for pair in np.unique(pair_host * n_powers + pair_power).tolist():
        present_lists[pair // n_powers].append(codes.powers[pair % n_powers])
    present = [tuple(p) for p in present_lists[:n]]
    stale = (inst["unconfirmed"].to_numpy(dtype=bool) if "unconfirmed" in inst
             else np.zeros(len(inst), dtype=bool))
    columns: dict[str, list] = {
        "installations": count(inst_host),
        "active": count(inst_host[states_ == "active"]),
        "unconfirmed": count(inst_host[stale]),
        "planned": count(inst_host[states_ == "planned"]),
        "ended": count(inst_host[_isin(states_, ("closed", "abandoned", "refused"))]),
        "agreements": count(agr_host),
        "powers_present": present,
    }
    for alias, target in _SAME_COUNTRY.items():  # Somaliland's row repeats Somalia's
        if alias in codes.iso3 and target in codes.iso3:
            for values in columns.values():
                values[codes.iso3.index(alias)] = values[codes.iso3.index(target)]
    table = pd.DataFrame({"iso3": codes.iso3, "name": codes.names, **columns})
    table["n_powers"] = [len(p) for p in present]
    return table


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
        "unconfirmed": int(table["unconfirmed"].sum()) if "unconfirmed" in table else 0,
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
