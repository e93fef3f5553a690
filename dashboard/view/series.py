"""Presence over time: per power and year, the numbers the map shows, for the chart tab.

A reader asks "how has each power's footprint grown since 2000?". The answer must agree with
the map in every year, so each year's numbers are read from the same memoised joins the map
uses (:func:`dashboard.view.model.joins`, with the state's filters and that year), never
from a second query path:

- ``countries``: African countries where the power is present that year (an active
  installation or an agreement in force), the count the map's "powers present" colours add;
- ``installations``: the power's installations the map draws that year (the status filter
  and the closed toggle applied, as on the map);
- ``agreements``: the power's agreements in force that year.

With a country open, the same numbers for that country alone (``countries`` is then 1 or 0:
present or not).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from typing import Any

from dashboard.view.codec import key_of
from dashboard.view.i18n import N_, tr
from dashboard.view.labels import names
from dashboard.view.memo import memo
from dashboard.view.model import joins
from dashboard.view.state import ViewState
from geo.countries import SOMALILAND
from geo.personnel import Total
from geo.personnel import by_power as personnel_by_power

#: What the chart's y axis counts, by the map metric chosen.
CHART_MEASURES: dict[str, str] = {
    "powers": "countries", "presence": "countries",
    "installations": "installations", "agreements": "agreements", "personnel": "personnel",
}
MEASURE_LABELS: dict[str, str] = {
    "countries": N_("African countries where present"),
    "installations": N_("Installations on the map"),
    "agreements": N_("Agreements in force"),
    "personnel": N_("Foreign personnel (middle of the estimates)"),
}
COUNTRY_MEASURE_LABELS: dict[str, str] = {
    "countries": N_("Present (1) or not (0)"),
    "installations": N_("Installations on the map"),
    "agreements": N_("Agreements in force"),
    "personnel": N_("Foreign personnel (middle of the estimates)"),
}


@dataclass(frozen=True)
class Series:
    """One line per selected power: ``values[power][i]`` is the number in ``years[i]``."""

    measure: str  # countries | installations | agreements
    country: str | None  # None: the whole continent
    years: tuple[int, ...]
    powers: tuple[str, ...]  # selected, in powers.csv order
    values: dict[str, tuple[int | None, ...]]  # personnel: None = nothing published (a gap)
    #: personnel only: the summed (low, high) per point, None where unknown
    ranges: dict[str, tuple[tuple[int, int] | None, ...]] | None = None

    def range_text(self, power: str, i: int, lang: str = "en") -> str:
        """A point's range in the reader's number format ("1 000–1 500"), "" if unknown."""
        r = self.ranges[power][i] if self.ranges else None
        if r is None:
            return ""
        num = tr(lang).num
        return num(r[0]) if r[0] == r[1] else f"{num(r[0])}–{num(r[1])}"

    def at(self, year: int) -> dict[str, int | None]:
        """Every power's number in ``year``."""
        i = self.years.index(year)
        return {p: v[i] for p, v in self.values.items()}


def measure_of(state: ViewState) -> str:
    """The chart's measure for the state's map metric."""
    return CHART_MEASURES.get(state.metric, "countries")


def series(ds: Any, state: ViewState, *, country: str | None = None) -> Series:
    """Per power and year for ``state``'s filters (memoised; the year does not matter).

    ``country``: that country's numbers only (None: the continent).
    """
    key = (key_of(state, "series"), country)
    return memo(ds, "view.series", key, lambda: _build(ds, key[0], country), size=64)


def _year_personnel(ds: Any, state: ViewState, year: int, country: str | None
                    ) -> dict[str, Total]:
    j = joins(ds, replace(state, year=year))
    inst, agr = j.installations, j.agreements
    if country is not None:
        inst = inst[inst["host_iso3"] == _host(country)]
        agr = agr[agr["host_iso3"] == _host(country)]
        # One country: an operation total filed there is not that country's figure.
        return {p: t for p, t in personnel_by_power(ds, inst, agr, year,
                                                    operations=False).items()}
    return personnel_by_power(ds, inst, agr, year)


def _year_counts(ds: Any, state: ViewState, year: int, country: str | None,
                 measure: str) -> dict[str, int]:
    j = joins(ds, replace(state, year=year))
    if measure == "installations":
        inst = j.installations
        if country is not None:
            inst = inst[inst["host_iso3"] == _host(country)]
        return {str(k): int(v) for k, v in inst["power"].value_counts().items()}
    if measure == "agreements":
        agr = j.agreements
        if country is not None:
            agr = agr[agr["host_iso3"] == _host(country)]
        return {str(k): int(v) for k, v in agr["power"].value_counts().items()}
    table = j.table
    rows = table[table["iso3"] == country] if country is not None else (
        table[table["iso3"] != SOMALILAND])  # Somaliland's row repeats Somalia's
    counts: dict[str, int] = {}
    for present in rows["powers_present"]:
        for power in present:
            counts[power] = counts.get(power, 0) + 1
    return counts


def _host(country: str) -> str:
    """Records of Somaliland are filed under Somalia, whose row Somaliland's repeats."""
    return "SOM" if country == SOMALILAND else country


def _build(ds: Any, state: ViewState, country: str | None) -> Series:
    lo, hi = ds.year_range
    years = tuple(range(lo, hi + 1))
    powers = tuple(state.power_set(ds.power_codes))
    measure = measure_of(state)
    if measure == "personnel":
        totals = [_year_personnel(ds, state, y, country) for y in years]
        return Series(
            measure=measure, country=country, years=years, powers=powers,
            values={p: tuple(t[p].mid if p in t else None for t in totals) for p in powers},
            ranges={p: tuple((t[p].low, t[p].high) if p in t else None for t in totals)
                    for p in powers})
    per_year = [_year_counts(ds, state, y, country, measure) for y in years]
    values = {p: tuple(c.get(p, 0) for c in per_year) for p in powers}
    return Series(measure=measure, country=country, years=years, powers=powers, values=values)


def series_csv(ds: Any, state: ViewState, *, by_country: bool = False) -> bytes:
    """The chart's numbers as UTF-8 CSV: one row per year and power."""
    country = state.country if by_country and state.country else None
    s = series(ds, state, country=country)
    t = tr(state.lang)
    power_names = names(ds, state.lang).powers
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    head = ["year", "power", "power_name", "scope", "measure", "value"]
    writer.writerow([*head, "range"] if s.ranges else head)
    for power in s.powers:
        for i, (year, value) in enumerate(zip(s.years, s.values[power], strict=True)):
            row = [year, power, power_names.get(power, power), country or t("Africa"),
                   t((COUNTRY_MEASURE_LABELS if country else MEASURE_LABELS)[s.measure]),
                   "" if value is None else value]
            r = s.ranges[power][i] if s.ranges else None
            writer.writerow([*row, "" if r is None else f"{r[0]}–{r[1]}"] if s.ranges
                            else row)
    return buffer.getvalue().encode("utf-8")
