"""The chart and table tabs' callbacks: they read the one state store (``Ids.STATE``).

The state callback (callbacks/map.py) writes the canonical query of the state there; the
chart and the table read it like the map does, so the three views can never disagree. A
hidden tab answers nothing (204, no body); a shown one is one step of the chain after the
state, not two. On the chart, a year step sends only the moved year rule (a Patch); the
table is resent whole (56 rows, a few KB compressed).
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, dcc, no_update
from dash.exceptions import PreventUpdate

from dashboard.callbacks.map import to_patch
from dashboard.figures.chart import NARROW_PX, chart_figure, year_patch
from dashboard.ids import ROW_OPEN, SORT_BY, Ids
from dashboard.page.views import country_table
from dashboard.view.i18n import tr
from dashboard.view.labels import names, state_of
from dashboard.view.state import to_query
from dashboard.view.table import COLUMNS, clean_query, parse_sort, table_csv


def register_view_callbacks(app: Dash, ds: Any) -> None:
    """Wire the chart and table callbacks for ``ds`` into ``app``."""
    countries = names(ds).countries

    @app.callback(
        Output(Ids.CHART, "figure"),
        Output(Ids.CHART_KEY, "data"),
        Output(Ids.CHART_SCOPE, "options"),
        Output(f"{Ids.CHART_SCOPE}-wrap", "className"),
        Input(Ids.STATE, "data"),
        Input(Ids.CHART_SCOPE, "value"),
        State(Ids.CHART_KEY, "data"),
        State(Ids.SCREEN, "data"),
    )
    def chart(view: str | None, scope: str | None, shown: str | None,
              screen: Any) -> tuple:
        state = state_of(ds, view)
        if state.tab != "chart":
            raise PreventUpdate
        by_country = scope == "country" and state.country is not None
        key = json.dumps([to_query(replace(state, year=ds.year_range[0])), by_country])
        t = tr(state.lang)
        options = [{"label": t("All Africa"), "value": "africa"}]
        if state.country:
            place = names(ds, state.lang).countries.get(state.country, state.country)
            options.append({"label": t("Only {country}", country=place), "value": "country"})
        wrap = "chart-scope" if state.country else "chart-scope hidden"
        if key == shown:
            return to_patch(year_patch(state.year)), no_update, no_update, no_update
        narrow = isinstance(screen, int | float) and screen < NARROW_PX
        return (chart_figure(ds, state, by_country=by_country, narrow=narrow), key, options,
                wrap)

    # The screen's width, once: a phone's chart puts its legend under the plot.
    app.clientside_callback(
        ClientsideFunction(namespace="africa_presence", function_name="screenWidth"),
        Output(Ids.SCREEN, "data"),
        Input(Ids.URL, "pathname"),
    )

    # A click on a point moves the timeline to its year (the map and the table follow).
    app.clientside_callback(
        ClientsideFunction(namespace="africa_presence", function_name="chartYear"),
        Output(Ids.YEAR_SLIDER, "value", allow_duplicate=True),
        Input(Ids.CHART, "clickData"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(Ids.COUNTRY_TABLE, "children"),
        Output(Ids.TABLE_SORT, "data"),
        Input(Ids.STATE, "data"),
        Input(Ids.TABLE_FILTER, "value"),
        Input({"type": SORT_BY, "column": ALL}, "n_clicks"),
        State(Ids.TABLE_SORT, "data"),
    )
    def table(view: str | None, query: Any, _sorts: Any, sort_data: Any) -> tuple:
        state = state_of(ds, view)
        if state.tab != "table":
            raise PreventUpdate
        sort = parse_sort(sort_data)
        trigger = ctx.triggered_id
        if isinstance(trigger, dict) and trigger.get("type") == SORT_BY:
            column = trigger.get("column")
            if column in COLUMNS:
                # The same column again flips the order; a new one starts with the natural
                # order (names A-Z, numbers largest first).
                sort = (column, not sort[1]) if column == sort[0] else (column, column != "name")
        return (country_table(ds, state, sort, clean_query(query)),
                {"column": sort[0], "descending": sort[1]})

    # A row's button opens that country's details (the map callback follows the dropdown).
    @app.callback(
        Output(Ids.COUNTRY_SELECT, "value", allow_duplicate=True),
        Input({"type": ROW_OPEN, "iso3": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def open_row(clicks: list[Any]) -> Any:
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(clicks or []):
            raise PreventUpdate
        code = trigger.get("iso3")
        if code not in countries or not ctx.triggered[0].get("value"):
            raise PreventUpdate
        return code

    @app.callback(
        Output(Ids.TABLE_DOWNLOAD, "data"),
        Input(Ids.TABLE_DOWNLOAD_BUTTON, "n_clicks"),
        State(Ids.STATE, "data"),
        State(Ids.TABLE_FILTER, "value"),
        State(Ids.TABLE_SORT, "data"),
        prevent_initial_call=True,
    )
    def download(n: Any, view: str | None, query: Any, sort_data: Any) -> Any:
        if not n:
            raise PreventUpdate
        state = state_of(ds, view)
        body = table_csv(ds, state, parse_sort(sort_data), clean_query(query))
        span = f"{state.span[0]}-{state.span[1]}" if state.span else str(state.year)
        return dcc.send_bytes(body, f"africa-presence-countries-{span}.csv",
                              type="text/csv")
