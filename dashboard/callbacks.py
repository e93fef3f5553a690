"""Callbacks: thin glue between the controls, the URL and the pure functions.

One server callback owns the state: it reads the URL on load (and on back/forward) or the
controls on any change, and answers with the control values, the new URL, a ``Patch`` of the
map and the text blocks, in a single round trip. The play button is a clientside callback
(dashboard/assets/app.js): stepping a year costs no server trip beyond the patch itself.
"""

from __future__ import annotations

from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, Patch, State, ctx, no_update

from dashboard.figures import (
    AGREEMENTS,
    COUNTRIES,
    INSTALLATIONS,
    figure_patch,
    static,
)
from dashboard.layout import details_body, details_key, details_title, summary_text
from dashboard.state import from_controls, parse_query, to_query


def to_patch(changes: dict[tuple[str | int, ...], Any]) -> Patch:
    """Turn figures.figure_patch's {path: value} into a dash.Patch."""
    patch = Patch()
    for path, value in changes.items():
        target: Any = patch
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return patch


def clicked_country(ds: Any, click: dict | None) -> str | None:
    """The country behind a map click: a country shape, an installation or an agreement."""
    try:
        point = (click or {})["points"][0]
    except (KeyError, IndexError, TypeError):
        return None
    curve = point.get("curveNumber")
    index = point.get("pointIndex", point.get("pointNumber"))
    if curve == COUNTRIES:
        location = point.get("location")
        return location if location in static(ds).names else None
    if curve == INSTALLATIONS and isinstance(index, int) and 0 <= index < len(ds.installations):
        return str(ds.installations["host_iso3"].iloc[index])
    pairs = static(ds).pairs
    if curve == AGREEMENTS and isinstance(index, int) and 0 <= index < len(pairs):
        return pairs[index][0]
    return None


def notes_text(notes: list[str]) -> list[Any]:
    """The visible note on a link that could not be followed entirely."""
    if not notes:
        return []
    return ["This link was partly invalid: " + " ".join(notes)]


def register_callbacks(app: Dash, ds: Any) -> None:
    """Wire the callbacks for ``ds`` into ``app``."""
    all_powers = ds.power_codes
    year_range = ds.year_range
    default_year = ds.default_year
    valid_countries = frozenset(static(ds).names)

    @app.callback(
        Output("year-slider", "value"),
        Output("power-filter", "value"),
        Output("metric", "value"),
        Output("layers", "value"),
        Output("status-filter", "value"),
        Output("show-closed", "value"),
        Output("country-select", "value"),
        Output("url", "search"),
        Output("url-note", "children"),
        Output("map", "figure"),
        Output("summary", "children"),
        Output("details-title", "children"),
        Output("details-body", "children"),
        Output("details", "className"),
        Output("details-key", "data"),
        Input("url", "search"),
        Input("year-slider", "value"),
        Input("power-filter", "value"),
        Input("metric", "value"),
        Input("layers", "value"),
        Input("status-filter", "value"),
        Input("show-closed", "value"),
        Input("country-select", "value"),
        Input("map", "clickData"),
        Input("details-close", "n_clicks"),
        Input("powers-all", "n_clicks"),
        Input("powers-none", "n_clicks"),
        Input("play-timer", "disabled"),
        State("details-key", "data"),
    )
    def sync(search: str | None, year: Any, powers: list[str] | None, metric: str | None,
             layers: list[str] | None, statuses: list[str] | None, closed: list[str] | None,
             country: str | None, click: dict | None, _close: Any, _all: Any, _none: Any,
             timer_off: bool | None, shown_key: str | None) -> tuple:
        trigger = ctx.triggered_id
        playing = timer_off is False
        n_out = 7
        if trigger in (None, "url"):
            state, notes = parse_query(search, all_powers, year_range,
                                       default_year=default_year,
                                       valid_countries=valid_countries)
            controls: list[Any] = [
                state.year, list(state.power_set(all_powers)), state.metric,
                list(state.layers), list(state.statuses),
                ["closed"] if state.show_closed else [], state.country,
            ]
            url = no_update
            note: Any = notes_text(notes)
        else:
            if trigger == "map":
                country = clicked_country(ds, click) or country
            elif trigger == "details-close":
                country = None
            if trigger == "powers-all":
                powers = list(all_powers)
            elif trigger == "powers-none":
                powers = []
            state = from_controls(
                year=year, powers=powers, metric=metric, layers=layers, statuses=statuses,
                show_closed=closed, country=country, all_powers=all_powers,
                year_range=year_range, default_year=default_year,
                valid_countries=valid_countries,
            )
            controls = [no_update] * n_out
            if trigger in ("powers-all", "powers-none"):
                controls[1] = list(state.power_set(all_powers))
            if trigger in ("map", "details-close"):
                controls[6] = state.country
            query = to_query(state)
            url = no_update if playing or query == search else query
            note = no_update if trigger == "play-timer" else []
        key = details_key(ds, state)
        return (
            *controls,
            url,
            note,
            to_patch(figure_patch(ds, state)),
            summary_text(ds, state),
            details_title(ds, state),
            no_update if key == shown_key else details_body(ds, state),
            "details open" if state.country else "details",
            key,
        )

    app.clientside_callback(
        ClientsideFunction(namespace="africa_presence", function_name="play"),
        Output("play-timer", "disabled"),
        Output("year-slider", "value", allow_duplicate=True),
        Output("play-button", "children"),
        Output("play-button", "aria-pressed"),
        Input("play-button", "n_clicks"),
        Input("play-timer", "n_intervals"),
        State("year-slider", "value"),
        State("year-slider", "min"),
        State("year-slider", "max"),
        State("play-timer", "disabled"),
        prevent_initial_call=True,
    )

