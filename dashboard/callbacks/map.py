"""The map page's callbacks: thin glue between the controls, the URL and the pure functions.

One job each, chained through one store (``Ids.STATE``: the canonical query of the state):

1. :func:`read_state` (URL <-> state): reads the URL on load and on back/forward, or the
   controls on any change; writes the controls it had to correct, the address bar, the
   note on a bad link and the state store. Nothing else reads controls.
2. :func:`map_output` (state -> map patch, without the colour scale the map has),
   3. :func:`text_outputs` (state -> headline, details, changes, legend) and
   4. :func:`view_outputs` (state -> which view is shown) listen to the store only, and
   skip what did not change.

They are plain module functions (``register_map_callbacks`` only wires them), so tests can
call them without a Dash app. The play button is a clientside callback
(dashboard/assets/app.js).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, Patch, State, ctx, no_update

from dashboard.callbacks.locale import browser_lang, url_embed, url_lang, url_param
from dashboard.figures.map import (
    AGREEMENTS,
    COUNTRIES,
    INSTALLATIONS,
    figure_patch,
    split_style,
)
from dashboard.figures.map_static import static
from dashboard.ids import Ids
from dashboard.page.changes import changes_body
from dashboard.page.details import details_body, details_key, details_title
from dashboard.page.layout import legend_items, page_class
from dashboard.page.views import views_class
from dashboard.view.codec import decode, from_controls, key_of, notes_of
from dashboard.view.compare import headline
from dashboard.view.i18n import DEFAULT_LANG, LANGS, translate
from dashboard.view.labels import state_context, state_of
from dashboard.view.search import apply_pick
from dashboard.view.state import TABS, ViewState, to_query

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


def notes_text(notes: list[str], lang: str = "en") -> list[Any]:
    """The visible note on a link that could not be followed entirely."""
    if not notes:
        return []
    return [translate(lang, "This link was partly invalid:") + " " + " ".join(notes)]


#: The control values :func:`read_state` writes, in its output order.
CONTROLS: tuple[tuple[str, str], ...] = (
    (Ids.YEAR_SLIDER, "value"), (Ids.POWER_FILTER, "value"), (Ids.METRIC, "value"),
    (Ids.LAYERS, "value"), (Ids.STATUS_FILTER, "value"), (Ids.SHOW_CLOSED, "value"),
    (Ids.COUNTRY_SELECT, "value"), (Ids.COMPARE_YEAR, "value"),
)


def _control_values(ds: Any, state: ViewState) -> list[Any]:
    return [state.year, list(state.power_set(ds.power_codes)), state.metric,
            list(state.layers), list(state.statuses),
            ["closed"] if state.show_closed else [], state.country, state.compare]


def read_state(ds: Any, trigger: str | None, search: str | None, year: Any,
               powers: list[str] | None, metric: str | None, layers: list[str] | None,
               statuses: list[str] | None, closed: list[str] | None, country: str | None,
               click: dict | None, timer_off: bool | None, compare: Any, pick: Any,
               page_lang: Any, shown: str | None) -> tuple:
    """URL <-> state: (8 control values, url, note, state query), ``no_update`` where unchanged.

    ``shown`` is the store's current query: the tab and anything the controls do not hold
    carry over from it.
    """
    playing = timer_off is False
    # The page's own language (it was built in it); a link's lang reloads the page.
    lang = page_lang if page_lang in LANGS else url_lang(search)
    if trigger in (None, Ids.URL):
        state, problems = decode(search, state_context(ds, lang))
        controls: list[Any] = _control_values(ds, state)
        url: Any = no_update
        note: Any = notes_text(notes_of(problems, state), state.lang)
    else:
        if trigger == Ids.MAP:
            country = clicked_country(ds, click) or country
        elif trigger == Ids.DETAILS_CLOSE:
            country = None
        if trigger == Ids.POWERS_ALL:
            powers = list(ds.power_codes)
        elif trigger == Ids.POWERS_NONE:
            powers = []
        before = state_of(ds, shown) if shown else None
        tab = TAB_BY_ID.get(trigger) or (before.tab if before else None)
        context = state_context(ds)
        state = from_controls(
            year=year, powers=powers, metric=metric, layers=layers, statuses=statuses,
            show_closed=closed, country=country, all_powers=ds.power_codes,
            year_range=ds.year_range, default_year=ds.default_year,
            valid_countries=context.countries, tab=tab, compare=compare,
            record=url_param(search, "record"), record_hosts=context.record_hosts,
            lang=lang, embed=url_embed(search),
        )
        controls = [no_update] * len(CONTROLS)
        if trigger == Ids.PICK_STATE:
            kind, _, key = str((pick or {}).get("key", "")).partition(":")
            state = apply_pick(ds, state, kind, key)
            controls = _control_values(ds, state)
        if trigger in (Ids.POWERS_ALL, Ids.POWERS_NONE):
            controls[1] = list(state.power_set(ds.power_codes))
        if trigger in (Ids.MAP, Ids.DETAILS_CLOSE):
            controls[6] = state.country
        if state.compare != compare and trigger != Ids.PICK_STATE:
            controls[7] = state.compare  # dropped: not a year of the range
        query = link_of(state)
        url = no_update if playing or query == search else query
        note = no_update if trigger == Ids.PLAY_TIMER else []
    canonical = to_query(state)
    return (*controls, url, note, no_update if canonical == shown else canonical)


def map_output(ds: Any, query: str | None, shown_style: str | None = None) -> tuple[Any, Any]:
    """State -> map: a ``Patch`` of the figure and the fingerprint of its colour scale.

    The scale is left out when the figure already has it (``shown_style``). A hidden map is
    not patched; switching back to it sends the patch of the moment.
    """
    state = state_of(ds, query)
    if state.tab != "map":
        return no_update, no_update
    style, rest, key = split_style(figure_patch(ds, state))
    if key == shown_style:
        return to_patch(rest), no_update
    return to_patch({**style, **rest}), key


def text_outputs(ds: Any, query: str | None, shown_details: str | None,
                 shown_changes: str | None) -> tuple:
    """State -> texts: headline; details title, body, class, key; changes list, class, key;
    legend. Each prop set re-renders its component, so only what changed is sent (a year
    step used to re-render the whole page through its class, 40 ms of repaint)."""
    state = state_of(ds, query)
    details = details_key(ds, state)
    same_details = details == shown_details
    changes = repr(key_of(state, "changes")) if state.span else "none"
    legend = repr(key_of(state, "legend"))
    shown_list, _, shown_legend = (shown_changes or "").rpartition("#")
    same_changes = changes == shown_list
    same_legend = legend == shown_legend
    skip = no_update
    return (
        headline(ds, state),
        skip if same_details else details_title(ds, state),
        skip if same_details else details_body(ds, state),
        skip if same_details else "details open" if state.country else "details",
        skip if same_details else details,
        skip if same_changes else changes_body(ds, state),
        skip if same_changes else "changes" if state.span else "changes hidden",
        skip if same_changes and same_legend else f"{changes}#{legend}",
        skip if same_legend else legend_items(state),
    )


def view_outputs(ds: Any, query: str | None, shown_tab: str | None,
                 shown_page: str | None) -> tuple:
    """State -> views: the views' class, the tabs' aria-selected, the tab store, the page's
    class and the embed's link to the full dashboard. The chart and the table read the
    state store themselves and do nothing while hidden (callbacks/views.py)."""
    state = state_of(ds, query)
    same_tab = state.tab == shown_tab
    page = page_class(state)
    return (
        no_update if same_tab else views_class(state.tab),
        *(no_update if same_tab else "true" if state.tab == t else "false" for t in TABS),
        no_update if same_tab else state.tab,
        no_update if page == shown_page else page,
        to_query(replace(state, embed=False)) if state.embed else no_update,
    )


def register_map_callbacks(app: Dash, ds: Any) -> None:
    """Wire the map page's callbacks for ``ds`` into ``app``."""

    @app.callback(
        *(Output(cid, prop) for cid, prop in CONTROLS),
        Output(Ids.URL, "search"),
        Output(Ids.URL_NOTE, "children"),
        Output(Ids.STATE, "data"),
        Input(Ids.URL, "search"),
        *(Input(cid, prop) for cid, prop in CONTROLS[:7]),
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
        State(Ids.PAGE_LANG, "data"),
        State(Ids.STATE, "data"),
    )
    def on_state(search: str | None, year: Any, powers: Any, metric: Any, layers: Any,
                 statuses: Any, closed: Any, country: Any, click: Any, _close: Any,
                 _all: Any, _none: Any, timer_off: Any, _m: Any, _c: Any, _t: Any,
                 compare: Any, pick: Any, page_lang: Any, shown: Any) -> tuple:
        return read_state(ds, ctx.triggered_id, search, year, powers, metric, layers,
                          statuses, closed, country, click, timer_off, compare, pick,
                          page_lang, shown)

    @app.callback(Output(Ids.MAP, "figure"), Output(Ids.MAP_STYLE, "data"),
                  Input(Ids.STATE, "data"), State(Ids.MAP_STYLE, "data"))
    def on_map(query: Any, shown_style: Any) -> tuple:
        return map_output(ds, query, shown_style)

    @app.callback(
        Output(Ids.SUMMARY, "children"),
        Output(Ids.DETAILS_TITLE, "children"),
        Output(Ids.DETAILS_BODY, "children"),
        Output(Ids.DETAILS, "className"),
        Output(Ids.DETAILS_KEY, "data"),
        Output(Ids.CHANGES, "children"),
        Output(Ids.CHANGES, "className"),
        Output(Ids.CHANGES_KEY, "data"),
        Output(Ids.LEGEND, "children"),
        Input(Ids.STATE, "data"),
        State(Ids.DETAILS_KEY, "data"),
        State(Ids.CHANGES_KEY, "data"),
    )
    def on_texts(query: Any, shown_details: Any, shown_changes: Any) -> tuple:
        return text_outputs(ds, query, shown_details, shown_changes)

    @app.callback(
        Output(Ids.VIEWS, "className"),
        *(Output(tab_id, "aria-selected") for tab_id in TAB_BY_ID),
        Output(Ids.TAB_STATE, "data"),
        Output(Ids.PAGE, "className"),
        Output(Ids.FULL_LINK, "href"),
        Input(Ids.STATE, "data"),
        State(Ids.TAB_STATE, "data"),
        State(Ids.PAGE, "className"),
    )
    def on_views(query: Any, shown_tab: Any, shown_page: Any) -> tuple:
        return view_outputs(ds, query, shown_tab, shown_page)

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
