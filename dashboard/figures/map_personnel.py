"""The personnel metric on the map: countries by summed estimates, markers by size.

Written over the single-year patch (same property paths), like compare mode: countries are
coloured in classes of foreign personnel with "not published" its own grey (an unknown is
not a zero); installation and agreement markers get an area proportional to their latest
estimate, a default size when none is published; hovers give the range, what it counts and
the year it is as of.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from dashboard.figures.map_static import esc, static
from dashboard.view.i18n import DEFAULT_LANG, tr, translate
from dashboard.view.labels import STATE_LABELS
from dashboard.view.model import PERSONNEL_BINS, personnel_class
from dashboard.view.state import ViewState
from geo.personnel import estimates, latest, power_country_totals, records_of

COUNTRIES, AGREEMENTS, INSTALLATIONS = 0, 1, 2
NOT_PUBLISHED = "#c9c4bb"  # warm grey: unlike every class of the ramp
#: Marker diameter in px for n people: area proportional (diameter ~ sqrt(n)).
SIZE_PER_ROOT = 0.6
MIN_SIZE, MAX_SIZE = 6.0, 60.0
UNKNOWN_SIZE = 8  # records without a published figure
#: The size legend's examples.
LEGEND_PEOPLE: tuple[int, ...] = (100, 1000, 5000)


def marker_size(people: int) -> float:
    """Diameter (px) of a marker standing for ``people``: area proportional, clamped."""
    return round(min(MAX_SIZE, max(MIN_SIZE, SIZE_PER_ROOT * math.sqrt(max(people, 0)))), 1)


def personnel_scale(ramp: tuple[str, ...], lang: str = DEFAULT_LANG) -> dict[str, Any]:
    """Colour classes -1 (not published), 0 (no record), 1..6 (PERSONNEL_BINS)."""
    colours = [NOT_PUBLISHED, *ramp]
    n = len(colours)
    scale = []
    for i, c in enumerate(colours):
        scale += [[i / n, c], [(i + 1) / n, c]]
    # "n.p." = not published (the hover and the legend say it in words)
    ticks = [translate(lang, "n.p."), "0", *(_short(b) for b in PERSONNEL_BINS[1:])]
    ticks = [*ticks[:2], "<100", *[f"{t}" for t in ticks[2:]]]
    ticks[-1] += "+"
    return {"colorscale": scale, "zmin": -1.5, "zmax": n - 1.5,
            "tickvals": list(range(-1, n - 1)), "ticktext": ticks}


def _short(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else (
        f"{n / 1000:g}k" if n >= 1000 else str(n))


def range_text(low: int, high: int, lang: str = DEFAULT_LANG) -> str:
    """"1,000–1,500" or "1,200" (French: "1 000–1 500")."""
    num = tr(lang).num
    return num(low) if low == high else f"{num(low)}–{num(high)}"


def country_personnel_text(row: dict, lang: str = DEFAULT_LANG) -> str:
    """A country's hover line for the personnel metric (escaped)."""
    t = tr(lang)
    n, k = int(row["personnel_records"]), int(row["personnel_with_figure"])
    lines = []
    if n == 0:
        lines.append(t("Foreign personnel: no record on the map"))
    elif row["personnel_mid"] is None:
        lines.append(t.n("Foreign personnel: not published ({n} record)",
                         "Foreign personnel: not published ({n} records)", n))
    else:
        lines.append(t("Foreign personnel: {range} (as of {years}; {k} of {n} records with a "
                       "figure)", range=range_text(row["personnel_low"],
                                                   row["personnel_high"], lang),
                       years=row["personnel_as_of"], k=k, n=n))
    older = row.get("personnel_superseded")
    if older is not None:
        lines.append(t("Range up to the {year} country figure ({range}): newer site figures "
                       "may count only part", year=older.year,
                       range=range_text(older.low, older.high, lang)))
    for e in row["personnel_operations"] or ():
        lines.append(t("Filed here, not added: {record} operation total {range} {what} (as of "
                       "{year}, several countries)", record=e.record,
                       range=range_text(e.low, e.high, lang), what=t(e.what), year=e.year))
    return "<br>".join(esc(line) for line in lines)


def personnel_patch(ds: Any, state: ViewState, table: pd.DataFrame, view: Any,
                    ramp: tuple[str, ...]) -> dict[tuple[str | int, ...], Any]:
    """The personnel metric's changes over the single-year patch."""
    st = static(ds, state.lang)
    t = tr(state.lang)
    changes: dict[tuple[str | int, ...], Any] = {}
    c = ("data", COUNTRIES)
    scale = personnel_scale(ramp, state.lang)
    records = table.to_dict("records")
    if state.shows("countries"):
        changes[(*c, "z")] = [personnel_class(r["personnel_mid"], r["personnel_records"])
                              for r in records]
    for key in ("colorscale", "zmin", "zmax"):
        changes[(*c, key)] = scale[key]
    changes[(*c, "colorbar", "tickvals")] = scale["tickvals"]
    changes[(*c, "colorbar", "ticktext")] = scale["ticktext"]
    changes[(*c, "colorbar", "title", "text")] = t("Foreign personnel (estimates)")

    # Installations: size by the record's latest figure as of the year.
    inst = view.installations
    positions = ds.installations.index.get_indexer(inst.index)
    sizes: list[Any] = [UNKNOWN_SIZE] * len(ds.installations)
    labels: list[str] = [""] * len(ds.installations)
    for pos, rid, state_name in zip(positions, inst["id"], inst["state"], strict=True):
        e = latest(ds, rid, state.year) if state_name == "active" else None
        label = t(STATE_LABELS.get(state_name, state_name))
        status = esc(t("{state} in {year}", state=label, year=state.year))
        if state_name != "active":  # nobody counted at a closed or planned site
            labels[pos] = status
        elif e is None:
            not_published = t("Personnel: not published")
            labels[pos] = f"{status}<br>{esc(not_published)}"
        else:
            sizes[pos] = marker_size((e[1] + e[2]) // 2)
            scope = {"country": t(", whole country"), "operation": t(", whole operation")}.get(
                e[4], "")
            labels[pos] = f"{status}<br>" + esc(t(
                "Personnel: {range} {what} (as of {year}{scope})",
                range=range_text(e[1], e[2], state.lang), what=t(e[3]), year=e[0],
                scope=scope))
    d = ("data", INSTALLATIONS)
    changes[(*d, "marker", "size")] = sizes
    changes[(*d, "customdata")] = labels
    changes[(*d, "hovertemplate")] = "%{text}<br><b>%{customdata}</b><extra></extra>"

    # Agreements: one marker per (host, power), sized by the pair's figure read with the
    # no-double-counting rules (two whole-country figures of one power are not added up).
    pair_index = {pair: i for i, pair in enumerate(st.pairs)}
    found = estimates(ds, records_of(view.installations.iloc[0:0], view.agreements),
                      state.year)
    people = {pair_index[(host, power)]: total.mid
              for (power, host), total in power_country_totals(found).items()}
    changes[("data", AGREEMENTS, "marker", "size")] = [
        marker_size(people[i]) if i in people else UNKNOWN_SIZE for i in range(len(st.pairs))]
    return changes
