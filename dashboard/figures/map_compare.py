"""Compare mode on the map: countries coloured by the change, markers by what happened.

:func:`compare_patch` writes over the single-year patch (same property paths), so the page
switches in and out of compare mode with a patch, never a new figure.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.figures.map_static import esc, static
from dashboard.view.compare import BOTH, CHANGE_LABELS, GONE, LIMIT, NEW, comparison
from dashboard.view.compare import metric_change_text as _metric_change_text
from dashboard.view.i18n import tr
from dashboard.view.state import METRIC_LABELS, ViewState

COUNTRIES, INSTALLATIONS = 0, 2

#: Diverging, colour-blind-safe classes for compare mode (ColorBrewer PuOr, 7 classes):
#: orange for fewer, purple for more, near-white for no change.
DIVERGING: tuple[str, ...] = (
    "#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788",
)
#: Marker look per compare category: symbol, size, outline width.
CHANGE_STYLE: dict[str, tuple[str, int, float]] = {
    NEW: ("triangle-up", 13, 1.0),
    GONE: ("triangle-down-open", 12, 2.5),
    BOTH: ("circle", 7, 1.0),
}


#: Personnel changes are counted in people: the class edges (|change| at least 1, 250,
#: 1,000 people make classes 1, 2, 3 on either side).
PERSONNEL_STEPS: tuple[int, ...] = (1, 250, 1000)


def delta_class(metric: str, d: int | None) -> int | None:
    """The colour class of a change: -LIMIT..LIMIT (None: unknown, drawn blank)."""
    if d is None:
        return None
    if metric == "personnel":
        k = sum(abs(d) >= s for s in PERSONNEL_STEPS)
        return k if d > 0 else -k
    return max(-LIMIT, min(LIMIT, d))


def diverging_scale(metric: str = "powers") -> dict[str, Any]:
    """Colour classes of the change map, -LIMIT (or fewer) to +LIMIT (or more)."""
    n = len(DIVERGING)
    scale = []
    for i, c in enumerate(DIVERGING):
        scale += [[i / n, c], [(i + 1) / n, c]]
    if metric == "personnel":
        steps = ["0", "1", "250", "1k"]
        ticks = [f"−{s}" for s in reversed(steps[1:])] + ["0"] + [f"+{s}" for s in steps[1:]]
    else:
        ticks = [f"+{v}" if v > 0 else f"−{-v}" if v < 0 else "0"
                 for v in range(-LIMIT, LIMIT + 1)]
    ticks[0], ticks[-1] = f"≤{ticks[0]}", f"≥{ticks[-1]}"
    return {"colorscale": scale, "zmin": -LIMIT - 0.5, "zmax": LIMIT + 0.5,
            "tickvals": list(range(-LIMIT, LIMIT + 1)), "ticktext": ticks}


def compare_patch(ds: Any, state: ViewState, year_hover: list[str]
                  ) -> dict[tuple[str | int, ...], Any]:
    """Compare mode over the single-year patch: countries coloured by the change of the
    metric (their hover: the change, then ``year_hover``, the year's own lines), and
    installations of either year marked opened, closed or in both."""
    cmp = comparison(ds, state)
    if cmp is None:
        return {}
    st = static(ds, state.lang)
    t = tr(state.lang)
    changes: dict[tuple[str | int, ...], Any] = {}
    c = ("data", COUNTRIES)
    scale = diverging_scale(state.metric)
    deltas = [cmp.delta(code) for code in st.iso3]
    show_countries = state.shows("countries")
    changes[(*c, "z")] = ([delta_class(state.metric, d) for d in deltas] if show_countries
                          else [0] * len(deltas))
    changes[(*c, "customdata")] = [
        f"{esc(_metric_change_text(state, cmp, code))}<br>{text}"
        for code, text in zip(st.iso3, year_hover, strict=True)]
    for key in ("colorscale", "zmin", "zmax"):
        changes[(*c, key)] = scale[key]
    changes[(*c, "colorbar", "tickvals")] = scale["tickvals"]
    changes[(*c, "colorbar", "ticktext")] = scale["ticktext"]
    changes[(*c, "colorbar", "title", "text")] = (
        f"{t(METRIC_LABELS[state.metric])}<br>"
        + t("change {y0} → {y1}", y0=cmp.before, y1=cmp.after))

    # Installations on either map, by what happened to them between the two years.
    ids = ds.installations["id"].tolist()
    by_id = {}
    for r in cmp.changes[cmp.changes["record"] == "installation"].to_dict("records"):
        by_id[r["id"]] = r
    lat, symbol, size, width, color, label = [], [], [], [], [], []
    for i, rid in enumerate(ids):
        cat = cmp.category(rid) if state.shows("installations") else None
        if cat is None:
            lat.append(None)
            symbol.append("circle")
            size.append(CHANGE_STYLE[BOTH][1])
            width.append(1.0)
            color.append(st.inst_color[i])
            label.append("")
            continue
        style = CHANGE_STYLE[cat]
        lat.append(st.inst_lat[i])
        symbol.append(style[0])
        size.append(style[1])
        width.append(style[2])
        color.append(st.inst_color[i])
        row = by_id.get(rid)
        if row is None:
            label.append(t("On the map in {y0} and {y1}", y0=cmp.before, y1=cmp.after))
        else:
            when = "" if row["year"] is None or pd.isna(row["year"]) else f" {int(row['year'])}"
            label.append(f"{t(CHANGE_LABELS[row['change']])}{when} "
                         f"({cmp.before} → {cmp.after})")
    # Agreement squares keep one size: compare mode marks change, not personnel.
    changes[("data", 1, "marker", "size")] = 7
    d = ("data", INSTALLATIONS)
    changes[(*d, "lat")] = lat
    changes[(*d, "customdata")] = label
    changes[(*d, "hovertemplate")] = "%{text}<br><b>%{customdata}</b><extra></extra>"
    changes[(*d, "marker", "symbol")] = symbol
    changes[(*d, "marker", "size")] = size
    changes[(*d, "marker", "color")] = color
    changes[(*d, "marker", "line", "width")] = width
    return changes
