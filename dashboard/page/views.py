"""Map, Chart and Table: three views of one state, switched by tabs.

The tab bar follows the WAI-ARIA tabs pattern (``role=tablist``/``tab``/``tabpanel``,
``aria-selected``, arrow keys move between tabs: ``assets/app.js``). The table is a real
HTML table (caption, header cells with ``scope`` and ``aria-sort``), built from
:mod:`dashboard.view.table`; every dataset string goes in as plain text.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.ids import ROW_OPEN, SORT_BY, Ids
from dashboard.view.compare import signed
from dashboard.view.i18n import DEFAULT_LANG, tr, translate
from dashboard.view.labels import names
from dashboard.view.state import TAB_LABELS, TABS, ViewState
from dashboard.view.table import NUMERIC, Row, caption, columns, header, shown, value_text

TAB_IDS = {"map": Ids.TAB_MAP, "chart": Ids.TAB_CHART, "table": Ids.TAB_TABLE}
PANEL_IDS = {"map": Ids.PANEL_MAP, "chart": Ids.PANEL_CHART, "table": Ids.PANEL_TABLE}


def views_class(tab: str) -> str:
    """The views container's class: CSS shows the panel of the selected tab only."""
    return f"views view-{tab}"


def tab_bar(state: ViewState) -> html.Div:
    """The three tabs as buttons; the selected one is ``aria-selected``."""
    return html.Div([
        html.Button(tr(state.lang)(TAB_LABELS[t]), id=TAB_IDS[t], n_clicks=0, role="tab",
                    className="tab",
                    **{"aria-selected": "true" if t == state.tab else "false",
                       "aria-controls": PANEL_IDS[t]})
        for t in TABS
    ], id=Ids.VIEW_TABS, role="tablist", className="tabs",
        **{"aria-label": translate(state.lang, "View")})


def chart_panel(lang: str = DEFAULT_LANG) -> html.Div:
    """The chart tab: a scope switch (shown when a country is open) and the graph."""
    t = tr(lang)
    return html.Div([
        html.Div(dcc.RadioItems(id=Ids.CHART_SCOPE, value="africa", inline=True,
                                options=[{"label": t("All Africa"), "value": "africa"}],
                                className="radio-list inline"),
                 className="chart-scope hidden", id=f"{Ids.CHART_SCOPE}-wrap"),
        html.Div(dcc.Graph(id=Ids.CHART, config={"displaylogo": False,
                                                 "displayModeBar": False,
                                                 "responsive": True},
                           className="chart", style={"height": "100%"}),
                 className="chart-frame"),
        html.P(id=Ids.CHART_NOTE, className="chart-note",
               children=t("Click a point to move the timeline to its year.")),
    ], id=Ids.PANEL_CHART, role="tabpanel", className="panel panel-chart",
        **{"aria-labelledby": Ids.TAB_CHART})


def table_panel(lang: str = DEFAULT_LANG) -> html.Div:
    """The table tab: a filter box, the table (filled by its callback), a CSV download."""
    t = tr(lang)
    return html.Div([
        html.Div([
            html.Label(t("Find a country or a power"), htmlFor=Ids.TABLE_FILTER),
            dcc.Input(id=Ids.TABLE_FILTER, type="search", debounce=0.3, value="",
                      placeholder=t("e.g. Mali, Russia, DJI"), autoComplete="off",
                      maxLength=60),
            html.Button(t("Download CSV"), id=Ids.TABLE_DOWNLOAD_BUTTON, n_clicks=0,
                        className="secondary"),
            dcc.Download(id=Ids.TABLE_DOWNLOAD),
        ], className="table-tools"),
        dcc.Store(id=Ids.TABLE_SORT, data=None),
        html.Div(id=Ids.COUNTRY_TABLE, className="table-scroll", tabIndex="0",
                 role="region", **{"aria-label": t("Countries table")}),
    ], id=Ids.PANEL_TABLE, role="tabpanel", className="panel panel-table",
        **{"aria-labelledby": Ids.TAB_TABLE})


def _sort_button(column: str, state: ViewState, sort: tuple[str, bool]) -> html.Th:
    active = sort[0] == column
    direction = ("descending" if sort[1] else "ascending") if active else "none"
    arrow = ("▼" if sort[1] else "▲") if active else "↕"
    return html.Th(
        html.Button([header(column, state), html.Span(arrow, className="sort-arrow",
                                                      **{"aria-hidden": "true"})],
                    id={"type": SORT_BY, "column": column}, n_clicks=0, className="sort",
                    title=translate(state.lang, "Sort by {column}",
                                         column=header(column, state).lower())),
        scope="col", className="num" if column in NUMERIC - {"powers"} else None,
        **{"aria-sort": direction},
    )


def _powers_cell(row: Row, colours: dict[str, str]) -> html.Td:
    if not row.powers:
        return html.Td("—", className="none")
    return html.Td([
        html.Span([html.Span(className="swatch", style={"backgroundColor": colours.get(p)}),
                   name], className="power-tag")
        for p, name in zip(row.powers, row.power_names, strict=True)
    ])


def country_table(ds: Any, state: ViewState, sort: tuple[str, bool], query: str) -> list[Any]:
    """The table's children: a caption in words, sortable headers, one row per country.

    A row's country name is a button (keyboard-reachable); CSS stretches its click area over
    the whole row, so a click anywhere on the row opens the country's details.
    """
    t = tr(state.lang)
    rows = shown(ds, state, sort, query)
    colours = names(ds).colors
    body = [
        html.Tr([
            html.Th(html.Button(r.name, id={"type": ROW_OPEN, "iso3": r.iso3}, n_clicks=0,
                                className="row-open",
                                title=t("Open the details of {country}", country=r.name)),
                    scope="row"),
            _powers_cell(r, colours),
            html.Td(r.active, className="num"),
            html.Td(r.unconfirmed, className="num"),
            html.Td(r.planned, className="num"),
            html.Td(r.agreements, className="num"),
            html.Td(value_text(r.value, state.lang), className="num"),
            *([html.Td(signed(r.change, state.lang), className="num change-cell")]
              if state.span is not None else []),
        ], className="selected" if r.iso3 == state.country else None)
        for r in rows
    ]
    if not rows:
        body = [html.Tr(html.Td(t("No country or power matches what you typed."),
                                colSpan=len(columns(state))))]
    return [html.Table([
        html.Caption(caption(ds, state, len(rows), query)),
        html.Thead(html.Tr([_sort_button(c, state, sort) for c in columns(state)])),
        html.Tbody(body),
    ], className="country-table")]
