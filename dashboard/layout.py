"""The page: static structure plus the two dynamic text blocks (summary line, details panel).

All dataset text goes into Dash components as plain strings (React escapes it); only
http(s) URLs become links. Nothing here uses Markdown or raw HTML.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlparse

import pandas as pd
from dash import dcc, html

from dashboard.export_view import export_panel
from dashboard.figures import STATE_LABELS, base_figure, graph_config, static, year_view
from dashboard.state import LAYERS, METRIC_LABELS, METRICS, STATUS_FILTER, State

PLAY_INTERVAL_MS = 1100
#: Button labels; dashboard/assets/app.js switches between the same two strings.
PLAY_LABEL, PAUSE_LABEL = "▶ Play", "❚❚ Pause"

LAYER_LABELS = {
    "countries": "Countries (colour)",
    "installations": "Installations",
    "agreements": "Agreements",
}

#: Legend entries: CSS class of the symbol, label. The classes draw the same shapes as the
#: plotly marker symbols in figures.STATE_STYLE.
STATE_KEY = (
    ("sym-active", "Active"),
    ("sym-planned", "Planned"),
    ("sym-abandoned", "Abandoned"),
    ("sym-refused", "Refused by host"),
    ("sym-closed", "Closed (if shown)"),
    ("sym-agreement", "Agreement (at country centre)"),
)


def year_marks(lo: int, hi: int) -> dict[int, str]:
    """Slider marks every five years, plus both ends (a 5-year mark crowding an end goes)."""
    marks = {y: str(y) for y in range(lo, hi + 1)
             if y % 5 == 0 and (y == lo or y - lo >= 3) and (y == hi or hi - y >= 3)}
    marks[lo] = str(lo)
    marks[hi] = str(hi)
    return dict(sorted(marks.items()))


def _power_options(ds: Any) -> list[dict[str, Any]]:
    """Power checklist entries whose label doubles as the legend (a colour swatch)."""
    return [
        {
            "label": html.Span([
                html.Span(className="swatch", style={"backgroundColor": color}),
                html.Span(name),
            ], className="power-label"),
            "value": code,
        }
        for code, name, color in zip(ds.powers["code"], ds.powers["name"], ds.powers["color"],
                                     strict=True)
    ]


def _control(title: str, body: Any) -> html.Fieldset:
    """A titled group of controls (a fieldset, so screen readers announce the title)."""
    return html.Fieldset([html.Legend(title), body], className="control")


def build_layout(ds: Any, state: State, *, data_version: str | None = None) -> html.Div:
    """The whole page for a first visit in ``state`` (callbacks then follow the URL)."""
    lo, hi = ds.year_range
    version = data_version or getattr(ds, "version", "") or "unversioned"
    countries = sorted(static(ds).names.items(), key=lambda kv: kv[1])
    figure = base_figure(ds, state)

    timeline = html.Div([
        html.Button(PLAY_LABEL, id="play-button", n_clicks=0, className="play",
                    title="Play the years one by one", **{"aria-pressed": "false"}),
        html.Div([
            dcc.Slider(
                id="year-slider", min=lo, max=hi, step=1, value=state.year,
                marks=year_marks(lo, hi), included=False, updatemode="mouseup",
                tooltip={"placement": "top", "always_visible": False},
                allow_direct_input=False,
            ),
        ], className="slider-wrap"),
        dcc.Interval(id="play-timer", interval=PLAY_INTERVAL_MS, disabled=True, n_intervals=0),
    ], className="timeline", role="group", **{"aria-label": "Timeline"})

    filters = html.Div([
        _control("Colour countries by", dcc.RadioItems(
            id="metric", value=state.metric,
            options=[{"label": METRIC_LABELS[m], "value": m} for m in METRICS],
            className="radio-list",
        )),
        _control("Layers", dcc.Checklist(
            id="layers", value=list(state.layers),
            options=[{"label": LAYER_LABELS[layer], "value": layer} for layer in LAYERS],
            className="check-list",
        )),
        _control("Foreign powers", html.Div([
            html.Div([
                html.Button("All", id="powers-all", n_clicks=0, className="link-button"),
                html.Button("None", id="powers-none", n_clicks=0, className="link-button"),
            ], className="quick"),
            dcc.Checklist(
                id="power-filter", value=list(state.power_set(ds.power_codes)),
                options=_power_options(ds), className="check-list powers",
            ),
        ])),
        _control("Installation status", html.Div([
            dcc.Checklist(
                id="status-filter", value=list(state.statuses),
                options=[{"label": STATE_LABELS[s], "value": s} for s in STATUS_FILTER],
                className="check-list",
            ),
            dcc.Checklist(
                id="show-closed", value=["closed"] if state.show_closed else [],
                options=[{"label": "Show closed sites", "value": "closed"}],
                className="check-list",
            ),
        ])),
    ], className="filters")

    legend = html.Ul([
        html.Li([html.Span(className="sym sym-colours", **{"aria-hidden": "true"}),
                 "Colour = foreign power"]),
        *[html.Li([html.Span(className=f"sym {cls}", **{"aria-hidden": "true"}), label])
          for cls, label in STATE_KEY],
    ], className="legend", **{"aria-label": "Marker legend"})

    details = html.Aside([
        html.Div([
            html.H2("Country details", id="details-title"),
            html.Button("×", id="details-close", n_clicks=0, className="close",
                        title="Close the details", **{"aria-label": "Close the details"}),
        ], className="details-head"),
        dcc.Dropdown(
            id="country-select", value=state.country, clearable=True, searchable=True,
            placeholder="Choose a country…",
            options=[{"label": name, "value": code} for code, name in countries],
        ),
        dcc.Loading(html.Div(id="details-body", className="details-body"),
                    delay_show=400, type="dot"),
    ], className="details", id="details", **{"aria-live": "polite"})

    return html.Div([
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="details-key", storage_type="memory"),
        html.Header([
            html.H1("Foreign military presence in Africa"),
            html.P(
                f"Bases, installations and defence agreements of foreign powers, {lo}–{hi}. "
                "Move the timeline, filter powers, click a country.",
                className="subtitle",
            ),
        ], className="masthead"),
        html.Div(id="url-note", className="url-note", role="status"),
        html.Main([
            html.Section([
                html.P(summary_text(ds, state), id="summary", className="summary",
                       **{"aria-live": "polite"}),
                html.Div(dcc.Loading(
                    dcc.Graph(id="map", figure=figure, config=graph_config(), className="map",
                              responsive=True, style={"height": "100%"}),
                    delay_show=800, type="circle", parent_style={"height": "100%"},
                    overlay_style={"visibility": "visible", "opacity": 0.7},
                ), className="map-frame", **{"data-loading-text": "Loading the map…"}),
                timeline,
                legend,
                html.P([
                    f"Data: africa-presence dataset v{version}, every record sourced "
                    "(click a country for links) · Boundaries: Natural Earth 1:50m, "
                    "public domain · Borders do not imply any position on their status.",
                ], className="credit"),
            ], className="map-column"),
            html.Aside([filters, export_panel(ds)], className="sidebar",
                       **{"aria-label": "Filters"}),
            details,
        ], className="grid"),
    ], className="page")




# --------------------------------------------------------------------------- dynamic text


def summary_text(ds: Any, state: State) -> str:
    """The headline line, e.g. "2019 · 9 powers · 31 installations · 24 agreements · 41 ..."."""
    counts = year_view(ds, state).summary

    def n(k: int, one: str, many: str) -> str:
        return f"{k} {one if k == 1 else many}"

    parts = [str(state.year), n(counts["powers"], "power", "powers")]
    if state.shows("installations"):
        parts.append(n(counts["installations"], "installation", "installations"))
    if state.shows("agreements"):
        parts.append(n(counts["agreements"], "agreement", "agreements"))
    parts.append(n(counts["countries"], "country", "countries"))
    text = " · ".join(parts)
    all_powers = ds.power_codes
    chosen = state.power_set(all_powers)
    if len(chosen) < len(all_powers):
        names = static(ds).power_names
        text += " · " + (", ".join(names[c] for c in chosen) if 0 < len(chosen) <= 3
                         else f"{len(chosen)} of {len(all_powers)} powers selected")
    return text


def safe_link(url: str) -> Any:
    """An http(s) URL becomes a link opening in a new tab; anything else stays plain text."""
    url = (url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme.lower() in ("http", "https") and parsed.netloc:
        host = parsed.netloc.removeprefix("www.")
        return html.A(host, href=url, target="_blank", rel="noopener noreferrer")
    return url


def _sources(values: Any) -> Any:
    urls = values if isinstance(values, list | tuple) else str(values or "").split(" ; ")
    urls = [u for u in (str(v).strip() for v in urls) if u]
    if not urls:
        return None
    items: list[Any] = ["Sources: "]
    for i, u in enumerate(urls):
        if i:
            items.append(" · ")
        items.append(safe_link(u))
    return html.P(items, className="sources")


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _when(label: str, value: Any) -> str:
    return "" if value is None or pd.isna(value) else f"{label} {int(value)}"


def _item(color: str | None, title: str, badge: Any, lines: list[str], notes: str,
          sources: Any) -> html.Li:
    """One record: coloured title, status badge, one line of facts, notes, sources.

    Kept to a handful of components: the panel is resent on every year step while open.
    """
    children: list[Any] = [
        html.Strong(title, className="item-title", style={"borderColor": color}),
        html.P([badge, " ".join(line for line in lines[:1] if line)]),
        html.P(" · ".join(line for line in lines[1:] if line), className="meta"),
    ]
    if notes:
        children.append(html.P(notes, className="notes"))
    if sources is not None:
        children.append(sources)
    return html.Li(children, className="item")


def installation_item(row: Any, power_names: dict[str, str], colors: dict[str, str],
                      year: int) -> html.Li:
    """One installation in the details panel, every field as text."""
    state = row["state"]
    where = _text(row["site"])
    if row["coord_precision"] == "approximate":
        where = (where + " " if where else "") + "(approx. location)"
    power = power_names.get(row["power"], row["power"])
    first = f"{power}" + (f" · {where}" if where else "")
    return _item(
        colors.get(row["power"]),
        _text(row["name"]),
        html.Span(STATE_LABELS.get(state, state), className=f"badge state-{state}",
                  title=f"State in {year}"),
        [first, _text(row["kind"]), _when("announced", row["announced"]),
         _when("opened", row["opened"]), _when("ended", row["closed"]),
         f"record status: {_text(row['status'])}", f"confidence: {_text(row['confidence'])}"],
        _text(row.get("notes")),
        _sources(row.get("source_list", row.get("sources"))),
    )


def agreement_item(row: Any, power_names: dict[str, str], colors: dict[str, str]) -> html.Li:
    """One agreement in the details panel."""
    power = power_names.get(row["power"], row["power"])
    return _item(
        colors.get(row["power"]),
        f"{power}: {_text(row['kind'])}",
        html.Span(f"signed {_text(row['signed'])}", className="badge"),
        [_text(row["summary"]), f"in force: {_text(row['in_force'])}",
         _when("ended", row["ended"]), f"confidence: {_text(row['confidence'])}",
         _text(row["id"])],
        _text(row.get("notes")),
        _sources(row.get("source_list", row.get("sources"))),
    )


def details_records(ds: Any, state: State) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Installations (with their state) and agreements listed for the selected country."""
    view = year_view(ds, state)
    hosts = {"SOM", "SOL"} if state.country in ("SOM", "SOL") else {state.country}
    inst = view.installations[view.installations["host_iso3"].isin(hosts)]
    agr = view.agreements[view.agreements["host_iso3"].isin(hosts)]
    order = {code: i for i, code in enumerate(ds.power_codes)}
    inst = inst.assign(_o=inst["power"].map(order)).sort_values(["_o", "name"])
    agr = agr.assign(_o=agr["power"].map(order)).sort_values(["_o", "signed"])
    return inst, agr


def details_key(ds: Any, state: State) -> str:
    """A short fingerprint of the details body: equal keys mean an identical panel.

    The callback keeps the last key in the browser and skips resending a panel that did not
    change (playing through the years with a country open would otherwise resend tens of KB
    of notes and sources on every step).
    """
    if not state.country:
        return "none"
    inst, agr = details_records(ds, state)
    raw = repr((state.country, state.layers, state.year if len(inst) else None,
                list(zip(inst["id"], inst["state"], strict=True)), list(agr["id"])))
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def details_title(ds: Any, state: State) -> str:
    """Panel heading: the selected country, or a prompt."""
    if not state.country:
        return "Country details"
    return f"{static(ds).names.get(state.country, state.country)}, {state.year}"


def details_body(ds: Any, state: State) -> list[Any]:
    """Everything recorded for the selected country under the current filters and year."""
    if not state.country:
        return [html.P("Click a country on the map (or choose one above) to list its "
                       "installations and agreements, with dates, status and sources.",
                       className="hint")]
    st = static(ds)
    inst, agr = details_records(ds, state)
    power_names, colors = st.power_names, st.power_colors
    body: list[Any] = []
    if state.country == "SOL":
        body.append(html.P("Records file Somaliland under Somalia; both are listed.",
                           className="hint"))
    if state.shows("installations"):
        body.append(html.H3(f"Installations ({len(inst)})"))
        body.append(html.Ul([installation_item(r, power_names, colors, state.year)
                             for r in inst.to_dict("records")], className="items")
                    if len(inst) else html.P("None under the current filters.", className="hint"))
    if state.shows("agreements"):
        body.append(html.H3(f"Agreements in force ({len(agr)})"))
        body.append(html.Ul([agreement_item(r, power_names, colors)
                             for r in agr.to_dict("records")], className="items")
                    if len(agr) else html.P("None under the current filters.", className="hint"))
    if not body:
        body.append(html.P("Switch on the installations or agreements layer to list records.",
                           className="hint"))
    return body
