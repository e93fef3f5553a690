"""The map's callbacks: thin glue between the controls, the URL and the pure functions.

One server callback owns the state: it reads the URL on load (and on back/forward) or the
controls on any change, and answers with the control values, the new URL, a ``Patch`` of the
map and the text blocks, in a single round trip. The play button is a clientside callback
(dashboard/assets/app.js): stepping a year costs no server trip beyond the patch itself.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs

from dash import ClientsideFunction, Dash, Input, Output, Patch, State, ctx, no_update

from dashboard.callbacks.locale import browser_lang, url_embed, url_lang
from dashboard.figures.map import AGREEMENTS, COUNTRIES, INSTALLATIONS, figure_patch
from dashboard.figures.map_static import static
from dashboard.ids import Ids
from dashboard.page.changes import changes_body, changes_key
from dashboard.page.details import details_body, details_key, details_title
from dashboard.page.layout import legend_items, page_class
from dashboard.page.views import views_class
from dashboard.view.compare import headline
from dashboard.view.i18n import DEFAULT_LANG, LANGS, translate
from dashboard.view.model import names
from dashboard.view.search import apply_pick, record_hosts
from dashboard.view.state import TABS, ViewState, from_controls, parse_query, to_query

#: The tab a tab button switches to.
TAB_BY_ID = {Ids.TAB_MAP: "map", Ids.TAB_CHART: "chart", Ids.TAB_TABLE: "table"}


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


def link_of(state: ViewState) -> str:
    """The link the address bar shows: the canonical query, plus ``lang=en`` when a reader
    chose English against a browser that asks for another language (so the link, reloaded
    or shared, stays English)."""
    query = to_query(state)
    if state.lang == DEFAULT_LANG and browser_lang() != DEFAULT_LANG:
        query += f"&lang={DEFAULT_LANG}"
    return query


def current_record(search: str | None) -> str | None:
    """The record the URL names (kept while its country stays open)."""
    values = parse_qs((search or "").lstrip("?"), max_num_fields=50).get("record")
    return values[0] if values else None


def notes_text(notes: list[str], lang: str = "en") -> list[Any]:
    """The visible note on a link that could not be followed entirely."""
    if not notes:
        return []
    return [translate(lang, "This link was partly invalid:") + " " + " ".join(notes)]


def register_map_callbacks(app: Dash, ds: Any) -> None:
    """Wire the callbacks for ``ds`` into ``app``."""
    all_powers = ds.power_codes
    year_range = ds.year_range
    default_year = ds.default_year
    valid_countries = frozenset(names(ds).countries)
    hosts = record_hosts(ds)

    @app.callback(
        Output(Ids.YEAR_SLIDER, "value"),
        Output(Ids.POWER_FILTER, "value"),
        Output(Ids.METRIC, "value"),
        Output(Ids.LAYERS, "value"),
        Output(Ids.STATUS_FILTER, "value"),
        Output(Ids.SHOW_CLOSED, "value"),
        Output(Ids.COUNTRY_SELECT, "value"),
        Output(Ids.COMPARE_YEAR, "value"),
        Output(Ids.URL, "search"),
        Output(Ids.URL_NOTE, "children"),
        Output(Ids.MAP, "figure"),
        Output(Ids.SUMMARY, "children"),
        Output(Ids.DETAILS_TITLE, "children"),
        Output(Ids.DETAILS_BODY, "children"),
        Output(Ids.DETAILS, "className"),
        Output(Ids.DETAILS_KEY, "data"),
        Output(Ids.VIEWS, "className"),
        Output(Ids.TAB_MAP, "aria-selected"),
        Output(Ids.TAB_CHART, "aria-selected"),
        Output(Ids.TAB_TABLE, "aria-selected"),
        Output(Ids.CHART_VIEW, "data"),
        Output(Ids.TABLE_VIEW, "data"),
        Output(Ids.TAB_STATE, "data"),
        Output(Ids.CHANGES, "children"),
        Output(Ids.CHANGES, "className"),
        Output(Ids.CHANGES_KEY, "data"),
        Output(Ids.LEGEND, "children"),
        Output(Ids.PAGE, "className"),
        Output(Ids.FULL_LINK, "href"),
        Input(Ids.URL, "search"),
        Input(Ids.YEAR_SLIDER, "value"),
        Input(Ids.POWER_FILTER, "value"),
        Input(Ids.METRIC, "value"),
        Input(Ids.LAYERS, "value"),
        Input(Ids.STATUS_FILTER, "value"),
        Input(Ids.SHOW_CLOSED, "value"),
        Input(Ids.COUNTRY_SELECT, "value"),
        Input(Ids.MAP, "clickData"),
        Input(Ids.DETAILS_CLOSE, "n_clicks"),
        Input(Ids.POWERS_ALL, "n_clicks"),
        Input(Ids.POWERS_NONE, "n_clicks"),
        Input(Ids.PLAY_TIMER, "disabled"),
        Input(Ids.TAB_MAP, "n_clicks"),
        Input(Ids.TAB_CHART, "n_clicks"),
        Input(Ids.TAB_TABLE, "n_clicks"),
        Input(Ids.COMPARE_YEAR, "value"),
        Input(Ids.PICK_STATE, "data"),
        State(Ids.DETAILS_KEY, "data"),
        State(Ids.TAB_STATE, "data"),
        State(Ids.CHANGES_KEY, "data"),
        State(Ids.PAGE_LANG, "data"),
    )
    def sync(search: str | None, year: Any, powers: list[str] | None, metric: str | None,
             layers: list[str] | None, statuses: list[str] | None, closed: list[str] | None,
             country: str | None, click: dict | None, _close: Any, _all: Any, _none: Any,
             timer_off: bool | None, _tab_map: Any, _tab_chart: Any, _tab_table: Any,
             compare: Any, pick: Any, shown_key: str | None, shown_tab: str | None,
             shown_changes: str | None, page_lang: Any) -> tuple:
        trigger = ctx.triggered_id
        playing = timer_off is False
        n_out = 8
        # The page's own language (it was built in it); a link's lang reloads the page.
        lang = page_lang if page_lang in LANGS else url_lang(search)

        def all_controls(state: ViewState) -> list[Any]:
            return [
                state.year, list(state.power_set(all_powers)), state.metric,
                list(state.layers), list(state.statuses),
                ["closed"] if state.show_closed else [], state.country, state.compare,
            ]

        if trigger in (None, Ids.URL):
            state, notes = parse_query(search, all_powers, year_range,
                                       default_year=default_year,
                                       valid_countries=valid_countries,
                                       record_hosts=hosts, default_lang=lang)
            controls: list[Any] = all_controls(state)
            url = no_update
            note: Any = notes_text(notes, state.lang)
        else:
            if trigger == Ids.MAP:
                country = clicked_country(ds, click) or country
            elif trigger == Ids.DETAILS_CLOSE:
                country = None
            if trigger == Ids.POWERS_ALL:
                powers = list(all_powers)
            elif trigger == Ids.POWERS_NONE:
                powers = []
            tab = TAB_BY_ID.get(trigger) or shown_tab
            state = from_controls(
                year=year, powers=powers, metric=metric, layers=layers, statuses=statuses,
                show_closed=closed, country=country, all_powers=all_powers,
                year_range=year_range, default_year=default_year,
                valid_countries=valid_countries, tab=tab, compare=compare,
                record=current_record(search), record_hosts=hosts,
                lang=lang, embed=url_embed(search),
            )
            controls = [no_update] * n_out
            if trigger == Ids.PICK_STATE:
                kind, _, key = str((pick or {}).get("key", "")).partition(":")
                state = apply_pick(ds, state, kind, key)
                controls = all_controls(state)
            if trigger in (Ids.POWERS_ALL, Ids.POWERS_NONE):
                controls[1] = list(state.power_set(all_powers))
            if trigger in (Ids.MAP, Ids.DETAILS_CLOSE):
                controls[6] = state.country
            if state.compare != compare and trigger != Ids.PICK_STATE:
                controls[7] = state.compare  # dropped: not a year of the range
            query = link_of(state)
            url = no_update if playing or query == search else query
            note = no_update if trigger == Ids.PLAY_TIMER else []
        key = details_key(ds, state)
        changes = changes_key(state)
        legend = f"{state.span}|{state.metric == 'personnel'}"
        shown_list, _, shown_legend = (shown_changes or "").rpartition("#")
        same_changes = changes == shown_list
        same_legend = legend == shown_legend
        # A hidden map is not patched; switching back to it sends the patch of the moment.
        figure = to_patch(figure_patch(ds, state)) if state.tab == "map" else no_update
        return (
            *controls,
            url,
            note,
            figure,
            headline(ds, state),
            details_title(ds, state),
            no_update if key == shown_key else details_body(ds, state),
            "details open" if state.country else "details",
            key,
            views_class(state.tab),
            *("true" if state.tab == t else "false" for t in TABS),
            # Only the shown view hears of the new state; the others catch up when shown.
            to_query(state) if state.tab == "chart" else no_update,
            to_query(state) if state.tab == "table" else no_update,
            state.tab if state.tab != shown_tab else no_update,
            no_update if same_changes else changes_body(ds, state),
            # Each prop set re-renders its component: only when it changes (a year step
            # used to re-render the whole page through its class, 40 ms of repaint).
            no_update if same_changes else "changes" if state.span else "changes hidden",
            no_update if same_changes and same_legend else f"{changes}#{legend}",
            no_update if same_legend else legend_items(state),
            page_class(state) if trigger in (None, Ids.URL) else no_update,
            to_query(replace(state, embed=False)) if state.embed else no_update,
        )

    app.clientside_callback(
        ClientsideFunction(namespace="africa_presence", function_name="play"),
        Output(Ids.PLAY_TIMER, "disabled"),
        Output(Ids.YEAR_SLIDER, "value", allow_duplicate=True),
        Output(Ids.PLAY_BUTTON, "children"),
        Output(Ids.PLAY_BUTTON, "aria-pressed"),
        Input(Ids.PLAY_BUTTON, "n_clicks"),
        Input(Ids.PLAY_TIMER, "n_intervals"),
        State(Ids.YEAR_SLIDER, "value"),
        State(Ids.YEAR_SLIDER, "min"),
        State(Ids.YEAR_SLIDER, "max"),
        State(Ids.PLAY_TIMER, "disabled"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        ClientsideFunction(namespace="africa_presence", function_name="toggleFilters"),
        Output(Ids.SIDEBAR, "className"),
        Output(Ids.FILTERS_TOGGLE, "aria-expanded"),
        Output(Ids.FILTERS_TOGGLE, "children"),
        Input(Ids.FILTERS_TOGGLE, "n_clicks"),
        State(Ids.SIDEBAR, "className"),
        prevent_initial_call=True,
    )
