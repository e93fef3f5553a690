"""The page skeleton: masthead, map, timeline, legend, filters, details panel.

Feature panels (the export panel, later the share panel...) are built by the composition
root and passed in, so the skeleton never imports a feature. All dataset text goes into
components as plain strings (React escapes it). No callbacks are registered here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from dash import dcc, html

from dashboard.figures.map import base_figure, graph_config
from dashboard.figures.map_personnel import LEGEND_PEOPLE, UNKNOWN_SIZE, marker_size
from dashboard.ids import Ids
from dashboard.page.changes import changes_section, compare_legend
from dashboard.page.search import search_box
from dashboard.page.views import chart_panel, tab_bar, table_panel, views_class
from dashboard.view.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, N_, tr, translate
from dashboard.view.labels import STATE_LABELS, TITLE, names
from dashboard.view.model import view_model
from dashboard.view.search import fold
from dashboard.view.state import LAYERS, METRIC_LABELS, METRICS, STATUS_FILTER, ViewState, to_query

PLAY_INTERVAL_MS = 1100
#: Button labels; dashboard/assets/app.js switches between the same two strings.
PLAY_LABEL, PAUSE_LABEL = N_("▶ Play"), N_("❚❚ Pause")

LAYER_LABELS = {
    "countries": N_("Countries (colour)"),
    "installations": N_("Installations"),
    "agreements": N_("Agreements"),
}

#: Legend entries: CSS class of the symbol, label. The classes draw the same shapes as the
#: plotly marker symbols in figures.STATE_STYLE.
STATE_KEY = (
    ("sym-active", N_("Active")),
    ("sym-planned", N_("Planned")),
    ("sym-abandoned", N_("Abandoned")),
    ("sym-refused", N_("Refused by host")),
    ("sym-closed", N_("Closed (if shown)")),
    ("sym-unconfirmed", N_("Not confirmed in use for 3+ years")),
    ("sym-low", N_("Low confidence (unverified report)")),
    ("sym-stand-in", N_("Faded: only the town or region is known")),
    ("sym-agreement", N_("Agreement (at country centre)")),
)


def year_marks(lo: int, hi: int) -> dict[int, str]:
    """Slider marks every five years, plus both ends (a 5-year mark crowding an end goes)."""
    marks = {y: str(y) for y in range(lo, hi + 1)
             if y % 5 == 0 and (y == lo or y - lo >= 3) and (y == hi or hi - y >= 3)}
    marks[lo] = str(lo)
    marks[hi] = str(hi)
    return dict(sorted(marks.items()))


def legend_items(state: ViewState) -> list[Any]:
    """The marker legend: installation states, or in compare mode the change markers."""
    t = tr(state.lang)
    head = html.Li([html.Span(className="sym sym-colours", **{"aria-hidden": "true"}),
                    t("Colour = foreign power")])
    sizes = size_legend(state.lang) if state.metric == "personnel" else []
    if state.span is not None:
        return [head, *compare_legend(state), *sizes]
    # The embed view fits 600 px: it leaves out the rare end states unless closed are shown.
    skip = ({"sym-abandoned", "sym-refused", "sym-closed"} if state.embed and
            not state.show_closed else set())
    return [head, *[html.Li([html.Span("?" if cls == "sym-low" else None,
                                       className=f"sym {cls}", **{"aria-hidden": "true"}),
                             t(label)]) for cls, label in STATE_KEY if cls not in skip],
            *sizes]


def size_legend(lang: str = DEFAULT_LANG) -> list[Any]:
    """Personnel metric: marker area stands for people (the sizes of figures.map_personnel)."""
    t = tr(lang)
    items: list[Any] = [html.Li(t("Marker area = personnel:"), className="size-title")]
    for n in LEGEND_PEOPLE:
        d = marker_size(n)
        items.append(html.Li([html.Span(className="sym-size", style={
            "width": f"{d}px", "height": f"{d}px"}, **{"aria-hidden": "true"}), t.num(n)]))
    items.append(html.Li([html.Span(className="sym-size unknown", style={
        "width": f"{UNKNOWN_SIZE}px", "height": f"{UNKNOWN_SIZE}px"},
        **{"aria-hidden": "true"}), t("not published")]))
    return items


def _power_options(ds: Any, lang: str) -> list[dict[str, Any]]:
    """Power checklist entries whose label doubles as the legend (a colour swatch)."""
    return [
        {
            "label": html.Span([
                html.Span(className="swatch", style={"backgroundColor": color}),
                html.Span(name),
            ], className="power-label"),
            "value": code,
        }
        for code, name, color in zip(ds.powers["code"],
                                     [names(ds, lang).powers[c] for c in ds.powers["code"]],
                                     ds.powers["color"], strict=True)
    ]


def _control(title: str, body: Any) -> html.Fieldset:
    """A titled group of controls (a fieldset, so screen readers announce the title)."""
    return html.Fieldset([html.Legend(title), body], className="control")


def build_layout(ds: Any, state: ViewState, *, panels: Sequence[Any] = (),
                 data_version: str | None = None, geometry_url: str | None = None,
                 topojson_url: str | None = None) -> html.Div:
    """The whole page for a first visit in ``state`` (callbacks then follow the URL).

    ``panels`` go in the sidebar below the filters (the export panel, ...);
    ``geometry_url`` is where the app serves the country geometry (else it is inline),
    ``topojson_url`` the folder of plotly's base maps (else the plain assets folder).
    """
    lo, hi = ds.year_range
    t = tr(state.lang)
    version = data_version or getattr(ds, "version", "") or "unversioned"
    countries = sorted(names(ds, state.lang).countries.items(), key=lambda kv: fold(kv[1]))
    figure = base_figure(ds, state, geometry_url=geometry_url)
    config = graph_config(topojson_url) if topojson_url else graph_config()

    timeline = html.Div([
        # app.js switches between the two labels it reads from the button's data attributes.
        html.Button(t(PLAY_LABEL), id=Ids.PLAY_BUTTON, n_clicks=0, className="play",
                    title=t("Play the years one by one"),
                    **{"aria-pressed": "false", "data-play": t(PLAY_LABEL),
                       "data-pause": t(PAUSE_LABEL)}),
        html.Div([
            dcc.Slider(
                id=Ids.YEAR_SLIDER, min=lo, max=hi, step=1, value=state.year,
                marks=year_marks(lo, hi), included=False, updatemode="mouseup",
                tooltip={"placement": "top", "always_visible": False},
                allow_direct_input=False,
            ),
        ], className="slider-wrap"),
        dcc.Interval(id=Ids.PLAY_TIMER, interval=PLAY_INTERVAL_MS, disabled=True, n_intervals=0),
        html.Div([
            html.Label(t("Compare with"), htmlFor=Ids.COMPARE_YEAR),
            dcc.Dropdown(
                id=Ids.COMPARE_YEAR, value=state.compare, clearable=True, searchable=False,
                placeholder=t("no year"), className="compare-select",
                options=[{"label": str(y), "value": y} for y in range(hi, lo - 1, -1)],
            ),
        ], className="compare", title=t("Show the change between this year and the "
                                        "timeline's")),
    ], className="timeline", role="group", **{"aria-label": t("Timeline")})

    filters = html.Div([
        _control(t("Colour countries by"), dcc.RadioItems(
            id=Ids.METRIC, value=state.metric,
            options=[{"label": t(METRIC_LABELS[m]), "value": m} for m in METRICS],
            className="radio-list",
        )),
        _control(t("Layers"), dcc.Checklist(
            id=Ids.LAYERS, value=list(state.layers),
            options=[{"label": t(LAYER_LABELS[layer]), "value": layer} for layer in LAYERS],
            className="check-list",
        )),
        _control(t("Foreign powers"), html.Div([
            html.Div([
                html.Button(t("All"), id=Ids.POWERS_ALL, n_clicks=0, className="link-button"),
                html.Button(t("None"), id=Ids.POWERS_NONE, n_clicks=0,
                            className="link-button"),
            ], className="quick"),
            dcc.Checklist(
                id=Ids.POWER_FILTER, value=list(state.power_set(ds.power_codes)),
                options=_power_options(ds, state.lang), className="check-list powers",
            ),
        ])),
        _control(t("Installation status"), html.Div([
            dcc.Checklist(
                id=Ids.STATUS_FILTER, value=list(state.statuses),
                options=[{"label": t(STATE_LABELS[s]), "value": s} for s in STATUS_FILTER],
                className="check-list",
            ),
            dcc.Checklist(
                id=Ids.SHOW_CLOSED, value=["closed"] if state.show_closed else [],
                options=[{"label": t("Show closed sites"), "value": "closed"}],
                className="check-list",
            ),
        ])),
    ], className="filters")

    legend = html.Ul(legend_items(state), id=Ids.LEGEND, className="legend",
                     **{"aria-label": t("Marker legend")})

    details = html.Aside([
        html.Div([
            html.H2(t("Country details"), id=Ids.DETAILS_TITLE),
            html.Button("×", id=Ids.DETAILS_CLOSE, n_clicks=0, className="close",
                        title=t("Close the details"),
                        **{"aria-label": t("Close the details")}),
        ], className="details-head"),
        dcc.Dropdown(
            id=Ids.COUNTRY_SELECT, value=state.country, clearable=True, searchable=True,
            placeholder=t("Choose a country…"),
            options=[{"label": name, "value": code} for code, name in countries],
        ),
        dcc.Loading(html.Div(id=Ids.DETAILS_BODY, className="details-body"),
                    delay_show=400, type="dot"),
    ], className="details", id=Ids.DETAILS, **{"aria-live": "polite"})

    return html.Div([
        dcc.Location(id=Ids.URL, refresh=False),
        dcc.Store(id=Ids.STATE, storage_type="memory"),
        dcc.Store(id=Ids.MAP_STYLE, storage_type="memory"),
        dcc.Store(id=Ids.DETAILS_KEY, storage_type="memory"),
        dcc.Store(id=Ids.TAB_STATE, storage_type="memory"),
        dcc.Store(id=Ids.CHART_KEY, storage_type="memory"),
        dcc.Store(id=Ids.SCREEN, storage_type="memory"),
        dcc.Store(id=Ids.CHANGES_KEY, storage_type="memory"),
        dcc.Store(id=Ids.PICK_STATE, storage_type="memory"),
        dcc.Store(id=Ids.SCROLLED, storage_type="memory"),
        dcc.Store(id=Ids.PAGE_LANG, storage_type="memory", data=state.lang),
        html.Header([
            html.Div([
                html.H1(t(TITLE)),
                lang_switch(state.lang),
            ], className="masthead-top"),
            html.P(
                t("Bases, installations and defence agreements of foreign powers, {lo}–{hi}. "
                  "Move the timeline, filter powers, click a country.", lo=lo, hi=hi),
                className="subtitle",
            ),
            search_box(state.lang),
        ], className="masthead"),
        html.Div(id=Ids.URL_NOTE, className="url-note", role="status"),
        html.Main([
            html.Section([
                html.Div([
                    html.P(view_model(ds, state).headline, id=Ids.SUMMARY,
                           className="summary", **{"aria-live": "polite"}),
                    tab_bar(state),
                ], className="view-head"),
                html.Div([
                    html.Div(html.Div(dcc.Loading(
                        dcc.Graph(id=Ids.MAP, figure=figure, config=config, className="map",
                                  responsive=True, style={"height": "100%"}),
                        delay_show=800, type="circle", parent_style={"height": "100%"},
                        overlay_style={"visibility": "visible", "opacity": 0.7},
                    ), className="map-frame",
                        **{"data-loading-text": t("Loading the map…")}),
                        id=Ids.PANEL_MAP, role="tabpanel", className="panel panel-map",
                        **{"aria-labelledby": Ids.TAB_MAP}),
                    chart_panel(state.lang),
                    table_panel(state.lang),
                ], id=Ids.VIEWS, className=views_class(state.tab)),
                timeline,
                legend,
                changes_section(state.lang),
                html.P([
                    t("Data: africa-presence dataset v{version}, every record sourced (click a "
                      "country for links) · Boundaries: Natural Earth 1:50m, public domain · "
                      "Borders do not imply any position on their status.", version=version),
                ], className="credit"),
                # The embed view's way out: the same view, full dashboard, new tab.
                html.A(t("Open the full dashboard ↗"), id=Ids.FULL_LINK, className="full-link",
                       href=to_query(replace(state, embed=False)), target="_blank",
                       rel="noopener"),
            ], className="map-column"),
            html.Aside([
                # Only shown on a phone, where the filters start folded so the map and the
                # timeline fill the first screen (dashboard/assets/style.css).
                html.Button(t("Filters and export ▾"), id=Ids.FILTERS_TOGGLE, n_clicks=0,
                            className="filters-toggle",
                            **{"aria-expanded": "false", "aria-controls": Ids.SIDEBAR,
                               "data-show": t("Filters and export ▾"),
                               "data-hide": t("Hide filters ▴")}),
                filters, *panels,
            ], id=Ids.SIDEBAR, className="sidebar folded",
                       **{"aria-label": t("Filters")}),
            details,
        ], className="grid"),
    ], id=Ids.PAGE, className=page_class(state))


def page_class(state: ViewState) -> str:
    """The page's class: ``embed`` hides everything but the map, timeline, legend, headline."""
    return "page embed" if state.embed else "page"


def lang_switch(lang: str) -> html.Div:
    """The interface language (the page reloads in it, same view: assets/app.js)."""
    return html.Div([
        html.Label(translate(lang, "Language"), htmlFor=Ids.LANG_SELECT,
                   className="visually-hidden"),
        # Short labels (EN, FR) keep the switch beside the title on a phone; each says its
        # language in full to screen readers and on hover, in that language.
        dcc.RadioItems(id=Ids.LANG_SELECT, value=lang, inline=True, className="lang-select",
                       options=[{"label": html.Abbr(code.upper(), title=LANG_NAMES[code],
                                                    lang=code),
                                 "value": code} for code in LANGS]),
    ], className="lang")
