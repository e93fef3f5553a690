"""Compare mode: the change between two years, from the two single-year views.

Every number here is read from :func:`dashboard.view.model.joins` for each of the two years
(same filters), and the record-level changes from :mod:`geo.changes` over the same frames, so
"2014 → 2024: +12 installations" always equals the 2024 map's count minus the 2014 map's.
The map, its legend, the list of changes, the details panel, the chart, the table and the
exports all read :func:`comparison`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import pandas as pd

from dashboard.view.codec import key_of
from dashboard.view.i18n import DEFAULT_LANG, N_, tr
from dashboard.view.labels import names
from dashboard.view.memo import memo
from dashboard.view.model import hosts_of, joins, metric_values, view_model
from dashboard.view.state import METRIC_LABELS, ViewState
from dashboard.view.texts import chosen_powers_text
from geo.changes import change_counts, changes

#: How a change reads in a list ("Opened 2018").
CHANGE_LABELS: dict[str, str] = {
    "opened": N_("Opened"),
    "announced": N_("Announced"),
    "closed": N_("Closed"),
    "abandoned": N_("Abandoned"),
    "refused": N_("Refused by host"),
    "signed": N_("Signed"),
    "ended": N_("Ended"),
}
#: Symbols of the changes on the map and in lists: new on the map, gone, in both years.
NEW, GONE, BOTH = "new", "gone", "both"
CATEGORY_LABELS: dict[str, str] = {
    NEW: N_("Opened or announced"),
    GONE: N_("Closed, abandoned or refused"),
    BOTH: N_("On the map in both years"),
}
#: Colour classes of the change choropleth run from -LIMIT to +LIMIT.
LIMIT = 3


@dataclass(frozen=True)
class Comparison:
    """The change from ``before`` to ``after`` under one state's filters."""

    before: int
    after: int
    changes: pd.DataFrame  # geo.changes.changes(): one row per record that changed
    counts: dict[str, int]  # geo.changes.change_counts()
    values_before: dict[str, int | None]  # per country (iso3): the metric's number in each
    values_after: dict[str, int | None]  # year (personnel: None = not published)
    ids_before: frozenset[str]  # installations on the map in each year
    ids_after: frozenset[str]

    def delta(self, iso3: str) -> int | None:
        """The metric's change in a country (after minus before); None when either year's
        figure is not published (an unknown is not a zero)."""
        a, b = self.values_after.get(iso3, 0), self.values_before.get(iso3, 0)
        return None if a is None or b is None else a - b

    def category(self, record_id: str) -> str | None:
        """NEW, GONE or BOTH for an installation on either map, else None."""
        return self._categories.get(record_id)

    @cached_property
    def _categories(self) -> dict[str, str]:
        cats = {i: BOTH for i in self.ids_before & self.ids_after}
        inst = self.changes[self.changes["record"] == "installation"]
        for rid, change in zip(inst["id"], inst["change"], strict=True):
            cats[rid] = NEW if change in ("opened", "announced") else GONE
        return cats


def year_state(state: ViewState, year: int) -> ViewState:
    """The single-year view of ``state`` in ``year`` (what the map shows without compare)."""
    return replace(state, year=year, compare=None, record=None)


def comparison(ds: Any, state: ViewState) -> Comparison | None:
    """The comparison ``state`` asks for, or None when it compares nothing (memoised)."""
    span = state.span
    if span is None:
        return None
    key = key_of(replace(state, year=span[1], compare=span[0]), "compare")
    return memo(ds, "view.compare", key, lambda: _build(ds, key, *span), size=64)


def _build(ds: Any, state: ViewState, y0: int, y1: int) -> Comparison:
    j0, j1 = joins(ds, year_state(state, y0)), joins(ds, year_state(state, y1))
    table = changes(j0.installations, j1.installations, j0.agreements, j1.agreements)
    return Comparison(
        before=y0, after=y1, changes=table, counts=change_counts(table),
        values_before=dict(zip(j0.table["iso3"], metric_values(j0.table, state.metric),
                               strict=True)),
        values_after=dict(zip(j1.table["iso3"], metric_values(j1.table, state.metric),
                              strict=True)),
        ids_before=frozenset(j0.installations["id"]),
        ids_after=frozenset(j1.installations["id"]),
    )


def signed(n: int | None, lang: str = DEFAULT_LANG) -> str:
    """+3, −2 (a real minus sign), 0; "?" for an unknown change. Thousands separated."""
    if n is None:
        return "?"
    num = tr(lang).num
    return f"+{num(n)}" if n > 0 else f"−{num(-n)}" if n < 0 else "0"


def span_text(c: Comparison) -> str:
    """"2014 → 2024"."""
    return f"{c.before} → {c.after}"


def counts_text(state: ViewState, c: Comparison) -> str:
    """"+12 installations, −15 · +31 agreements, −4": what came and went, under the layers."""
    k, t, lang = c.counts, tr(state.lang), state.lang
    parts = []
    if state.shows("installations"):
        parts.append(t("{added} installations, {removed}",
                       added=signed(k["installations_added"], lang),
                       removed=signed(-k["installations_removed"], lang)))
    if state.shows("agreements"):
        parts.append(t("{added} agreements, {removed}",
                       added=signed(k["agreements_added"], lang),
                       removed=signed(-k["agreements_removed"], lang)))
    return " · ".join(parts) or t("no records shown")


def headline(ds: Any, state: ViewState) -> str:
    """The page's summary line: the year's, or "2014 → 2024: +12 installations, −15 · ..."."""
    c = comparison(ds, state)
    if c is None:
        return view_model(ds, state).headline
    text = f"{span_text(c)}: {counts_text(state, c)}"
    chosen = chosen_powers_text(ds, state)
    return f"{text} · {chosen}" if chosen else text


def metric_change_text(state: ViewState, c: Comparison, iso3: str) -> str:
    """A country's hover line: "Foreign powers present: 2 in 2014 → 4 in 2024 (+2)"."""
    t = tr(state.lang)
    v0, v1 = c.values_before.get(iso3, 0), c.values_after.get(iso3, 0)
    d = c.delta(iso3)

    def value(v: int | None) -> str:
        return t("not published") if v is None else t.num(v)

    return t("{metric}: {before} in {y0} → {after} in {y1} ({change})",
             metric=t(METRIC_LABELS[state.metric]), before=value(v0), y0=c.before,
             after=value(v1), y1=c.after,
             change=t("change unknown") if d is None else signed(d, state.lang))


@dataclass(frozen=True)
class ChangeItem:
    """One line of the list of changes."""

    record_id: str
    record: str  # installation | agreement
    change: str
    year: int | None
    direction: int
    title: str  # the installation's name, or "<kind>: <summary>" of the agreement


@dataclass(frozen=True)
class ChangeGroup:
    """The changes of one power in one country."""

    power: str
    country: str
    items: tuple[ChangeItem, ...]


def _cut(text: str, limit: int = 80) -> str:
    """A summary cut for a one-line list (the details panel has it whole)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def change_groups(ds: Any, state: ViewState, country: str | None = None
                  ) -> tuple[ChangeGroup, ...]:
    """The list of changes grouped by power (powers.csv order) then country (by name)."""
    c = comparison(ds, state)
    if c is None:
        return ()
    table = c.changes
    if country is not None:
        table = table[table["host_iso3"].isin(hosts_of(country))]
    inst_names = dict(zip(ds.installations["id"], ds.installations["name"], strict=True))
    agr = ds.agreements
    agr_titles = dict(zip(agr["id"], [f"{k}: {_cut(str(s))}" for k, s in zip(
        agr["kind"], agr["summary"], strict=True)], strict=True))
    n = names(ds, state.lang)
    order = {code: i for i, code in enumerate(ds.power_codes)}
    groups: dict[tuple[str, str], list[ChangeItem]] = {}
    for r in table.to_dict("records"):
        title = (inst_names if r["record"] == "installation" else agr_titles).get(r["id"], "")
        year = None if r["year"] is None or pd.isna(r["year"]) else int(r["year"])
        groups.setdefault((r["power"], r["host_iso3"]), []).append(ChangeItem(
            record_id=r["id"], record=r["record"], change=r["change"], year=year,
            direction=int(r["direction"]), title=str(title)))
    keys = sorted(groups, key=lambda k: (order.get(k[0], 99),
                                         n.countries.get(k[1], k[1])))
    return tuple(ChangeGroup(power=p, country=h, items=tuple(groups[(p, h)]))
                 for p, h in keys)
