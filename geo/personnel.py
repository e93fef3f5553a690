"""How many foreign personnel: the latest sourced estimate of each record, summed with care.

Reading rules (data/README.md says the same for readers):

* a record's figure in year Y is its latest row *as of* Y (the greatest ``year <= Y``); a
  figure stands until a newer row replaces it. A row without a figure ("no published
  figure", or "counted in an operation total from now on") makes the record unknown from
  its year on. Missing means unknown, never zero;
* per power and host country, a ``country``-scope estimate (all of that power's personnel
  there) replaces the power's ``site`` estimates in that country unless a site estimate is
  newer; otherwise the site estimates add up. When newer site figures add up to less than
  the older country figure, the total is the range from the one to the other and names the
  older figure (``Total.superseded``): a partial new count never silently hides a larger
  one;
* a ``ceiling`` row (an authorised maximum) is never a headcount: it is not a record's
  figure, is never added to anything, and is shown apart as "up to N" (:func:`ceiling`);
* an ``operation``-scope estimate (a several-country operation total filed under its
  headquarters, e.g. Barkhane under N'Djamena) is never added to its host country: it counts
  in the power's continental total only, and the host's hover names it;
* low and high add up separately, so a sum of ranges stays a range;
* only active installations and agreements in force count: a closed base shown with
  "show closed" keeps its marker, not its people.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.dataset import Dataset


@dataclass(frozen=True)
class Estimate:
    """One record's figure as of a year."""

    record: str
    power: str
    host: str
    year: int  # the year the figure is "as of"
    low: int
    high: int
    what: str
    scope: str
    confidence: str


@dataclass(frozen=True)
class Total:
    """A sum of estimates: a range, the years it draws on, and how many records it covers."""

    low: int
    high: int
    first_year: int
    last_year: int
    records: int
    #: an older, larger country figure that newer site figures do not reach (see the rules)
    superseded: Estimate | None = None

    @property
    def mid(self) -> int:
        """The middle of the range (what a marker size or a colour class is drawn from)."""
        return (self.low + self.high) // 2


Row = tuple[int, int | None, int | None, str, str, str]


def _index(ds: Dataset) -> dict[str, tuple[list[int], list[Row]]]:
    """record -> (years, [(year, low, high, what, scope, confidence)]) by year (cached)."""
    cached = ds._cache.get("personnel_index")
    if cached is None:
        cached = {}
        p = ds.personnel
        if len(p):
            p = p[p["what"] != "ceiling"]
            for r in p.sort_values(["record", "year"]).itertuples(index=False):
                known = not (pd.isna(r.low) or pd.isna(r.high))
                years, rows = cached.setdefault(r.record, ([], []))
                years.append(int(r.year))
                rows.append((int(r.year), int(r.low) if known else None,
                             int(r.high) if known else None, r.what, r.scope, r.confidence))
        ds._cache["personnel_index"] = cached
    return cached


def latest(ds: Dataset, record: str, year: int) -> Row | None:
    """The record's figure as of ``year`` (module rules), or None when unknown."""
    found = _index(ds).get(record)
    if not found:
        return None
    years, rows = found
    i = int(np.searchsorted(years, year, side="right")) - 1
    if i < 0 or rows[i][1] is None:
        return None
    return rows[i]


def ceiling(ds: Dataset, record: str, year: int) -> tuple[int, int] | None:
    """The record's latest authorised ceiling as of ``year``: (as-of year, maximum)."""
    p = ds.personnel
    if not len(p):
        return None
    rows = p[(p["record"] == record) & (p["what"] == "ceiling") & (p["year"] <= year)
             & p["high"].notna()]
    if not len(rows):
        return None
    last = rows.sort_values("year").iloc[-1]
    return int(last["year"]), int(last["high"])


def estimates(ds: Dataset, records: Iterable[tuple[str, str, str]], year: int
              ) -> list[Estimate]:
    """The latest figure as of ``year`` of each (record id, power, host) that has one."""
    out = []
    for rid, power, host in records:
        e = latest(ds, rid, year)
        if e is not None:
            out.append(Estimate(rid, power, host, e[0], e[1], e[2], e[3], e[4], e[5]))
    return out


def _total(items: list[Estimate]) -> Total:
    return Total(low=sum(e.low for e in items), high=sum(e.high for e in items),
                 first_year=min(e.year for e in items), last_year=max(e.year for e in items),
                 records=len(items))


def power_country_totals(found: list[Estimate]) -> dict[tuple[str, str], Total]:
    """Per (power, host): the country figure, or the sum of site figures (module rules)."""
    groups: dict[tuple[str, str], list[Estimate]] = {}
    for e in found:
        if e.scope != "operation":
            groups.setdefault((e.power, e.host), []).append(e)
    out = {}
    for key, items in groups.items():
        country = [e for e in items if e.scope == "country"]
        sites = [e for e in items if e.scope == "site"]
        best = max(country, key=lambda e: e.year) if country else None
        if best is not None and best.year >= max((e.year for e in sites), default=best.year):
            out[key] = _total([best])
            continue
        total = _total(sites)
        if best is not None and total.high < best.low:
            # Newer site figures that fall short of the older country figure: they may count
            # only part of the presence. Keep both ends, and say which figure is older.
            total = Total(low=total.low, high=best.high,
                          first_year=min(total.first_year, best.year),
                          last_year=total.last_year, records=total.records + 1,
                          superseded=best)
        out[key] = total
    return out


_KEYS = ("id", "power", "host_iso3")


def _counted(inst: pd.DataFrame, agr: pd.DataFrame) -> tuple[list[np.ndarray],
                                                               list[np.ndarray]]:
    """The id, power and host columns (numpy) of the records whose people count in the
    view's year: active installations (a closed, abandoned, refused or planned one shown on
    the map has nobody there, whatever its last figure) and agreements in force. Columns,
    not frame slices: this runs on every view, and slicing wide frames cost most of it."""
    cols = [inst[c].to_numpy(dtype=object) for c in _KEYS]
    if "state" in inst:
        active = inst["state"].to_numpy(dtype=object) == "active"
        cols = [c[active] for c in cols]
    return cols, [agr[c].to_numpy(dtype=object) for c in _KEYS]


def records_of(inst: pd.DataFrame, agr: pd.DataFrame, known: Collection[str] | None = None
               ) -> list[tuple[str, str, str]]:
    """(id, power, host) of the records whose people count in the view's year (see
    :func:`_counted`); with ``known``, only the records among those ids (the ones
    personnel.csv has rows for), cut before the Python loop."""
    out = []
    for cols in _counted(inst, agr):
        if known is not None:
            keep = np.fromiter((i in known for i in cols[0]), dtype=bool, count=len(cols[0]))
            cols = [c[keep] for c in cols]
        out += list(zip(*cols, strict=True))
    return out


def _combine(parts: list[Total]) -> Total:
    """Totals added up: lows and highs apart, the widest span of as-of years."""
    older = [t.superseded for t in parts if t.superseded is not None]
    return Total(low=sum(t.low for t in parts), high=sum(t.high for t in parts),
                 first_year=min(t.first_year for t in parts),
                 last_year=max(t.last_year for t in parts),
                 records=sum(t.records for t in parts),
                 superseded=older[0] if len(older) == 1 else None)


@dataclass(frozen=True)
class CountryPersonnel:
    """What the personnel map shows for one country."""

    total: Total | None  # None: no record on the map there has a published figure
    records: int  # records of the view in the country
    with_figure: int  # of which have a figure (site, country or operation)
    operations: tuple[Estimate, ...]  # operation totals filed here (not added to total)


def by_country(ds: Dataset, inst: pd.DataFrame, agr: pd.DataFrame, year: int
               ) -> dict[str, CountryPersonnel]:
    """Per host country of the view's records: its personnel as of ``year``.

    Only the records personnel.csv knows are looked up one by one; the others are counted
    by host in one vectorised step (this runs on every view of the map).
    """
    found = estimates(ds, records_of(inst, agr, _index(ds)), year)
    totals = power_country_totals(found)
    inst_cols, agr_cols = _counted(inst, agr)
    n_records = dict(Counter(inst_cols[2].tolist() + agr_cols[2].tolist()))
    n_found: dict[str, int] = {}
    ops: dict[str, list[Estimate]] = {}
    for e in found:
        n_found[e.host] = n_found.get(e.host, 0) + 1
        if e.scope == "operation":
            ops.setdefault(e.host, []).append(e)
    per_host: dict[str, list[Total]] = {}
    for (_, host), t in totals.items():
        per_host.setdefault(host, []).append(t)
    out = {}
    for host, n in n_records.items():
        parts = per_host.get(host)
        total = _combine(parts) if parts else None
        out[host] = CountryPersonnel(total=total, records=n, with_figure=n_found.get(host, 0),
                                     operations=tuple(ops.get(host, ())))
    return out


def by_power(ds: Dataset, inst: pd.DataFrame, agr: pd.DataFrame, year: int, *,
             operations: bool = True) -> dict[str, Total]:
    """Per power, its continental total as of ``year`` (countries plus operation totals).

    A power with records on the map but no figure for any of them is absent (a gap on the
    chart, not a zero).
    """
    found = estimates(ds, records_of(inst, agr, _index(ds)), year)
    parts: dict[str, list[Total]] = {}
    for (power, _), t in power_country_totals(found).items():
        parts.setdefault(power, []).append(t)
    for e in found:
        if e.scope == "operation" and operations:
            parts.setdefault(e.power, []).append(_total([e]))
    return {p: _combine(ts) for p, ts in parts.items()}


def series(ds: Dataset, record: str) -> pd.DataFrame:
    """Every row of a record (figures and "none published" notes), by year."""
    p = ds.personnel
    if not len(p):
        return p
    return p[p["record"] == record].sort_values("year")
