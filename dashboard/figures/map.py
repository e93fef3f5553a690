"""The map figure, split into a heavy skeleton sent once and light per-state changes.

``base_figure`` carries the country geometry (about half a megabyte) and every record's
static hover text; it reaches the browser once, with the page. ``figure_patch`` returns only
what a year step or a filter change alters (colours, visibility, per-year hover lines), as a
mapping from property path to value that the callback turns into a ``dash.Patch``. Both are
pure functions of (dataset, state), so they are tested without a browser.

Trace order is fixed: 0 = countries (choropleth), 1 = agreements, 2 = installations,
3 = the "?" beside each low-confidence installation shown.
"""

from __future__ import annotations

import hashlib
import json
from itertools import pairwise
from typing import Any

import numpy as np
import plotly.graph_objects as go

from dashboard.figures.map_compare import compare_patch
from dashboard.figures.map_personnel import country_personnel_text, personnel_patch
from dashboard.figures.map_static import (
    country_hover,
    country_name_text,
    static,
)
from dashboard.view.i18n import DEFAULT_LANG, tr
from dashboard.view.labels import STATE_LABELS
from dashboard.view.model import joins, metric_values
from dashboard.view.state import METRIC_LABELS, ViewState

COUNTRIES, AGREEMENTS, INSTALLATIONS, FLAGS = 0, 1, 2, 3

#: Where the app serves plotly's base-map topojson (africa_50m.json ...), so nothing is
#: fetched from plotly's CDN (which would leave the map blank offline).
TOPOJSON_URL = "/assets/topojson/"

#: Sequential, low-saturation ramp for the choropleth: it must not compete with the
#: colour-blind-safe marker palette, whose hues it avoids by staying grey-blue.
RAMP: tuple[str, ...] = (
    "#fbfaf7", "#dde3ec", "#bfcadb", "#9daec8", "#7b8fb1", "#5b6f95", "#3d4f73",
)
#: Counts at or above this share the darkest class ("6+"), so colours mean the same in
#: every year and every metric.
TOP_CLASS = len(RAMP) - 1
NO_COLOUR = "#fbfaf7"
PRESENT_COLOUR = "#3d4f73"
LAND = "#dcdad5"
OCEAN = "#e4edf4"
BORDER = "#aab1bd"
BORDER_WIDTH = 0.5
SELECTED_BORDER = "#111111"
CLOSED_COLOUR = "#8a8a8a"
AGREEMENT_SIZE = 7
COLORBAR_PX = 190

#: Marker look per installation state: symbol, size, outline width.
STATE_STYLE: dict[str, tuple[str, int, float]] = {
    "active": ("circle", 11, 1.0),
    "planned": ("circle-open", 10, 2.0),
    "abandoned": ("diamond-open", 10, 2.0),
    "refused": ("x-thin-open", 10, 2.5),
    "closed": ("circle-x-open", 9, 1.5),
}
#: An active site no source has shown in use for more than 3 years before the year shown:
#: a ring with a dot (neither the solid "confirmed" disc nor the plain "planned" ring).
UNCONFIRMED_STYLE: tuple[str, int, float] = ("circle-open-dot", 11, 2.0)
#: The mark drawn beside a low-confidence installation, whatever its symbol or precision.
LOW_CONFIDENCE_MARK = "?"
FLAG_FONT = {"size": 13, "color": "#1a1a1a", "weight": 700}
#: Lookup tables by state code (0 = hidden, drawn in the "active" style but with no
#: latitude; k = k-th state of ``_STATE_ORDER``), so a patch is a few numpy takes.
_STATE_ORDER: list[str] = list(STATE_LABELS)
def _status_by_code(lang: str) -> np.ndarray:
    """State labels by state code in ``lang`` (0 = hidden: empty)."""
    t = tr(lang)
    return np.array(["", *(t(STATE_LABELS[s]) for s in _STATE_ORDER)], dtype=object)
_SYMBOL_BY_CODE = np.array(
    [STATE_STYLE[s][0] for s in ("active", *_STATE_ORDER)], dtype=object)
_SIZE_BY_CODE = np.array([STATE_STYLE[s][1] for s in ("active", *_STATE_ORDER)], dtype=object)
_WIDTH_BY_CODE = np.array([STATE_STYLE[s][2] for s in ("active", *_STATE_ORDER)], dtype=object)


# --------------------------------------------------------------------------- per state


def colour_scale(metric: str, colour: str = PRESENT_COLOUR,
                 lang: str = DEFAULT_LANG) -> dict[str, Any]:
    """Discrete colour classes for the metric, with colorbar ticks to match."""
    if metric == "presence":
        t = tr(lang)
        scale = [[0, NO_COLOUR], [0.5, NO_COLOUR], [0.5, colour], [1, colour]]
        return {"colorscale": scale, "zmin": -0.5, "zmax": 1.5,
                "tickvals": [0, 1], "ticktext": [t("no"), t("yes")]}
    n = len(RAMP)
    scale = []
    for i, c in enumerate(RAMP):
        scale += [[i / n, c], [(i + 1) / n, c]]
    ticks = [str(i) for i in range(n)]
    ticks[-1] += "+"
    return {"colorscale": scale, "zmin": -0.5, "zmax": n - 0.5,
            "tickvals": list(range(n)), "ticktext": ticks}


def figure_patch(ds: Any, state: ViewState) -> dict[tuple[str | int, ...], Any]:
    """Every property a state change can alter, as {path in the figure: new value}.

    Paths look like ``("data", 0, "z")``. Geometry and static hover text are never included:
    that is what keeps an interaction to a few kilobytes.
    """
    st = static(ds, state.lang)
    t = tr(state.lang)
    view = joins(ds, state)
    table = view.table.set_index("iso3").reindex(list(st.iso3))
    table["iso3"] = table.index
    changes: dict[tuple[str | int, ...], Any] = {}

    # Countries.
    show_countries = state.shows("countries")
    powers = state.power_set(ds.power_codes)
    colour = st.power_colors.get(powers[0], PRESENT_COLOUR) if len(powers) == 1 else (
        PRESENT_COLOUR)
    scale = colour_scale(state.metric, colour, state.lang)
    raw = metric_values(table, state.metric)
    z = [min(v or 0, TOP_CLASS) for v in raw] if show_countries else [0] * len(raw)
    c = ("data", COUNTRIES)
    changes[(*c, "z")] = z
    changes[(*c, "customdata")] = [
        country_hover(r, st, state.shows("agreements"), state.lang)
        + (f"<br>{country_personnel_text(r, state.lang)}" if state.metric == "personnel"
           else "")
        for r in table.to_dict("records")
    ]
    changes[(*c, "colorscale")] = scale["colorscale"]
    changes[(*c, "zmin")] = scale["zmin"]
    changes[(*c, "zmax")] = scale["zmax"]
    changes[(*c, "showscale")] = show_countries
    changes[(*c, "colorbar", "tickvals")] = scale["tickvals"]
    changes[(*c, "colorbar", "ticktext")] = scale["ticktext"]
    changes[(*c, "colorbar", "title", "text")] = t(METRIC_LABELS[state.metric])
    # Personnel has eight classes: a longer bar keeps its labels level on a phone.
    changes[(*c, "colorbar", "len")] = 270 if state.metric == "personnel" else COLORBAR_PX
    # Outline the selected country; scalars (not 56-long arrays) when there is none.
    selected = state.country if state.country in st.names else None
    changes[(*c, "marker", "line", "width")] = [
        2.5 if code == selected else BORDER_WIDTH for code in st.iso3
    ] if selected else BORDER_WIDTH
    changes[(*c, "marker", "line", "color")] = [
        SELECTED_BORDER if code == selected else BORDER for code in st.iso3
    ] if selected else BORDER

    # Installations: hidden ones get a null latitude (not drawn, not hoverable).
    inst = view.installations
    positions = ds.installations.index.get_indexer(inst.index)
    visible_states = inst["state"].to_numpy(dtype=object)
    code = np.zeros(len(st.inst_color), dtype=np.intp)  # 0 = hidden
    for k, name in enumerate(_STATE_ORDER, start=1):
        code[positions[visible_states == name]] = k
    shown = code > 0
    stale = np.zeros(len(code), dtype=bool)
    stale[positions[inst["unconfirmed"].to_numpy(dtype=bool)]] = True
    lat = np.full(len(code), None, dtype=object)
    lat[shown] = st.inst_lat_obj[shown]
    color = st.inst_color.copy()
    color[code == _STATE_ORDER.index("closed") + 1] = CLOSED_COLOUR
    labels = _status_by_code(state.lang)[code]
    symbols, sizes, widths = _SYMBOL_BY_CODE[code], _SIZE_BY_CODE[code], _WIDTH_BY_CODE[code]
    if stale.any():
        labels, symbols, widths = labels.copy(), symbols.copy(), widths.copy()
        confirmed = ds.installations["confirmed_year"]
        for i in np.flatnonzero(stale).tolist():
            labels[i] = t("{state}, not confirmed since {year}", state=labels[i],
                          year=int(confirmed.iat[i]))
        symbols[stale], widths[stale] = UNCONFIRMED_STYLE[0], UNCONFIRMED_STYLE[2]
    d = ("data", INSTALLATIONS)
    changes[(*d, "visible")] = state.shows("installations")
    changes[(*d, "lat")] = lat.tolist()
    changes[(*d, "customdata")] = labels.tolist()
    changes[(*d, "hovertemplate")] = (
        "%{text}<br><b>" + t("{state} in {year}", state="%{customdata}", year=state.year)
        + "</b><extra></extra>"
    )
    changes[(*d, "marker", "symbol")] = symbols.tolist()
    changes[(*d, "marker", "size")] = sizes.tolist()
    changes[(*d, "marker", "color")] = color.tolist()
    changes[(*d, "marker", "line", "width")] = widths.tolist()

    # Agreements: one marker per (host, power) with the deals in force listed in the hover.
    # Same order as sorting the frame by "signed" (pandas sorts the column alike), then
    # grouped by pair with a stable sort, so each hover lists its deals by signing date.
    by_date = ds.agreements.index.get_indexer(view.agreements["signed"].sort_values().index)
    pair_of = st.agr_pair[by_date]
    grouped = np.argsort(pair_of, kind="stable")
    pair_of, lines = pair_of[grouped], st.agr_line[by_date][grouped].tolist()
    edges = [*np.flatnonzero(np.diff(pair_of, prepend=-1)).tolist(), len(lines)]
    in_force = {int(pair_of[a]): lines[a:b] for a, b in pairwise(edges)}
    a = ("data", AGREEMENTS)
    changes[(*a, "visible")] = state.shows("agreements")
    changes[(*a, "lat")] = [
        st.pair_lat[i] if i in in_force else None for i in range(len(st.pairs))
    ]
    changes[(*a, "customdata")] = [
        "<br>".join(in_force[i]) if i in in_force else "" for i in range(len(st.pairs))
    ]
    changes[(*a, "hovertemplate")] = (
        "%{text}<br>" + t("In force in {year}:", year=state.year)
        + "<br>%{customdata}<extra></extra>"
    )
    changes[(*a, "marker", "size")] = AGREEMENT_SIZE
    if state.metric == "personnel":
        changes.update(personnel_patch(ds, state, table, view, RAMP))
    if state.span is not None:
        changes.update(compare_patch(ds, state, changes[(*c, "customdata")]))
    # The "?" of low-confidence records follows their markers (compare mode moves them).
    marker_lat = changes[(*d, "lat")]
    f = ("data", FLAGS)
    changes[(*f, "visible")] = state.shows("installations")
    changes[(*f, "lat")] = [marker_lat[i] for i in st.low_rows]
    return changes


def is_style_path(path: tuple[str | int, ...]) -> bool:
    """Whether a patch path is the colour scale and its bar: they change with the metric,
    the compare span, the language or a single power's colour, not with the year."""
    return path[:2] == ("data", COUNTRIES) and (
        path[2] in ("colorscale", "zmin", "zmax", "showscale") or path[2] == "colorbar")


def split_style(changes: dict[tuple[str | int, ...], Any]
                ) -> tuple[dict[tuple[str | int, ...], Any], dict[tuple[str | int, ...], Any],
                           str]:
    """``changes`` as (style, the rest, a fingerprint of the style): a caller that knows the
    figure already has that style sends only the rest (a year step then leaves out the
    colour scale, about 230 bytes gzipped of every step)."""
    style = {k: v for k, v in changes.items() if is_style_path(k)}
    rest = {k: v for k, v in changes.items() if not is_style_path(k)}
    text = json.dumps(sorted((repr(k), v) for k, v in style.items()), default=str)
    return style, rest, hashlib.sha1(text.encode()).hexdigest()[:12]


def apply_changes(figure: dict, changes: dict[tuple[str | int, ...], Any]) -> dict:
    """Write ``changes`` into a plain figure dict in place (what Patch does in the browser)."""
    for path, value in changes.items():
        target: Any = figure
        for key in path[:-1]:
            target = target[key] if isinstance(key, int) else target.setdefault(key, {})
        target[path[-1]] = value
    return figure


#: Marker opacity by coord_precision: a point that stands for a town, region or country is
#: drawn faded, so it reads as "somewhere here", not as the site.
SITE_OPACITY, STAND_IN_OPACITY = 0.95, 0.5
STAND_IN_PRECISIONS = frozenset({"town", "region", "country"})


def marker_opacity(precision: str) -> float:
    """How solid a marker is drawn for a record of this ``coord_precision``."""
    return STAND_IN_OPACITY if precision in STAND_IN_PRECISIONS else SITE_OPACITY


def base_figure(ds: Any, state: ViewState, *, geometry_url: str | None = None) -> go.Figure:
    """The full figure for ``state``: geometry, static hover texts and the first patch.

    ``geometry_url``: the page passes the fingerprinted URL the app serves the countries at
    (plotly.js fetches it, the browser caches it for a year), so the geometry leaves the
    layout JSON of every visit; exports keep it inline (Kaleido and offline HTML files).
    Built as plain dicts with the patch written in, then validated once by go.Figure
    (validating every array twice was most of the start-up at 100x data).
    """
    st = static(ds, state.lang)
    t = tr(state.lang)
    n = len(st.iso3)
    countries = dict(
        type="choropleth",
        geojson=geometry_url or st.geojson,
        featureidkey="id",
        locations=list(st.iso3),
        z=[0] * n,
        text=[country_name_text(code, st.names[code], state.lang) for code in st.iso3],
        customdata=[""] * n,
        hovertemplate="%{text}<br>%{customdata}<br><i>" + t("Click for details")
                      + "</i><extra></extra>",
        marker={"line": {"color": BORDER, "width": BORDER_WIDTH}},
        colorbar={
            "orientation": "h", "x": 0.02, "xanchor": "left", "y": 0.03, "yanchor": "bottom",
            # In pixels, wide enough for its title at any width (a share of a 360 px phone
            # map clipped "Foreign powers present").
            "lenmode": "pixels", "len": COLORBAR_PX, "thickness": 10, "outlinewidth": 0,
            "title": {"side": "top", "font": {"size": 12}},
            "tickfont": {"size": 11}, "bgcolor": "rgba(255,255,255,0.75)", "ticks": "",
        },
        name="Countries",
        showlegend=False,
    )
    agreements = dict(
        type="scattergeo",
        lat=list(st.pair_lat),
        lon=list(st.pair_lon),
        text=list(st.pair_text),
        customdata=[""] * len(st.pairs),
        hovertemplate="%{text}<br>%{customdata}<extra></extra>",
        mode="markers",
        marker={
            "symbol": "square",
            "size": AGREEMENT_SIZE,
            "color": [st.power_colors.get(p, "#444") for _, p in st.pairs],
            "line": {"color": "#ffffff", "width": 1},
        },
        hoverlabel={"bordercolor": [st.power_colors.get(p, "#444") for _, p in st.pairs]},
        name="Agreements",
        showlegend=False,
    )
    installations = dict(
        type="scattergeo",
        lat=list(st.inst_lat),
        lon=list(st.inst_lon),
        text=list(st.inst_text),
        customdata=[""] * len(st.inst_lat),
        hovertemplate="%{text}<br><b>%{customdata}</b><extra></extra>",
        mode="markers",
        # Faded when the point only stands for a town, region or country: static per record,
        # so it costs nothing per year step.
        marker={"line": {"color": "#ffffff"},
                "opacity": [marker_opacity(p) for p in ds.installations["coord_precision"]]},
        hoverlabel={"bordercolor": [st.power_colors.get(p, "#444")
                                    for p in ds.installations["power"]]},
        name="Installations",
        showlegend=False,
    )
    flags = dict(
        type="scattergeo",
        lat=[st.inst_lat[i] for i in st.low_rows],
        lon=[st.inst_lon[i] for i in st.low_rows],
        text=[LOW_CONFIDENCE_MARK] * len(st.low_rows),
        mode="text",
        textposition="top right",
        textfont=FLAG_FONT,
        hoverinfo="skip",
        name="Low confidence",
        showlegend=False,
    )
    layout = dict(
        # No template: every style is set here, and plotly's default template would add
        # 7 KB (1.1 KB gzipped) to the first visit's layout and to every export.
        template="none",
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        paper_bgcolor="rgba(0,0,0,0)",
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
              "color": "#222"},
        hoverlabel={"bgcolor": "#ffffff", "font": {"size": 13}, "align": "left"},
        uirevision="map",
        dragmode="pan",
        geo={
            "scope": "africa",
            "resolution": 50,
            "projection": {"type": "mercator"},
            # Only the ocean is drawn from the base map: the choropleth covers Africa's land,
            # its lakes and borders, and plotly redraws every base layer at each year step
            # (land, lakes and borders cost 20 of 50 ms per step, unseen).
            "showland": False,
            "showocean": True,
            "oceancolor": OCEAN,
            "showlakes": False,
            "showcountries": False,
            "showcoastlines": False,
            "showframe": False,
            "bgcolor": LAND,  # the africa base map has no land outside Africa: fill it
            "lataxis": {"range": [-36, 38.5]},
            "lonaxis": {"range": [-26, 60]},
        },
    )
    figure = {"data": [countries, agreements, installations, flags], "layout": layout}
    return go.Figure(apply_changes(figure, figure_patch(ds, state)))


def graph_config(topojson_url: str = TOPOJSON_URL) -> dict[str, Any]:
    """dcc.Graph config: local base maps (offline), no plotly logo, a sane mode bar.

    The "Share chart" button would upload the figure to Plotly Cloud: it goes, so nothing
    the app shows can leave the machine by one stray click.
    """
    return {
        "topojsonURL": topojson_url,
        "displaylogo": False,
        "showSendToCloud": False,
        "plotlyServerURL": "",
        "scrollZoom": True,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "sendChartToCloud"],
        "toImageButtonOptions": {"filename": "africa-presence", "scale": 2},
    }
