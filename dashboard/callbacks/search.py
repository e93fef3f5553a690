"""The search box and the pick buttons: thin glue to :mod:`dashboard.view.search`.

Typing answers with the ranked results (the index is built once per dataset). Picking a
result, or a record in the list of changes, writes ``{"key": "record:ID", "n": ...}`` to the
pick store; the map callback, which owns the state, turns it into the next view.
"""

from __future__ import annotations

from typing import Any

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx
from dash.exceptions import PreventUpdate

from dashboard.ids import PICK, Ids
from dashboard.page.search import results
from dashboard.view.i18n import DEFAULT_LANG, LANGS
from dashboard.view.search import search


def register_search_callbacks(app: Dash, ds: Any) -> None:
    """Wire the search and pick callbacks for ``ds`` into ``app``."""

    @app.callback(
        Output(Ids.SEARCH_RESULTS, "children"),
        Input(Ids.SEARCH, "value"),
        State(Ids.PAGE_LANG, "data"),
        prevent_initial_call=True,
    )
    def find(query: Any, page_lang: Any) -> list[Any]:
        text = query if isinstance(query, str) else ""
        lang = page_lang if page_lang in LANGS else DEFAULT_LANG
        return results(search(ds, text, lang=lang), text, lang)

    @app.callback(
        Output(Ids.PICK_STATE, "data"),
        Output(Ids.SEARCH, "value"),
        Input({"type": PICK, "key": ALL}, "n_clicks"),
        State(Ids.PICK_STATE, "data"),
        prevent_initial_call=True,
    )
    def pick(clicks: list[Any], last: Any) -> tuple[dict[str, Any], str]:
        trigger = ctx.triggered_id
        # New buttons (a fresh list of results) fire with no click: not a pick.
        if not isinstance(trigger, dict) or not ctx.triggered[0].get("value"):
            raise PreventUpdate
        n = last.get("n") if isinstance(last, dict) else 0
        n = n if isinstance(n, int) and 0 <= n < 10**9 else 0  # a store is client data
        return {"key": str(trigger.get("key", ""))[:200], "n": n + 1}, ""

    # The details panel scrolls to the picked record and focuses it.
    app.clientside_callback(
        ClientsideFunction(namespace="africa_presence", function_name="scrollToPicked"),
        Output(Ids.SCROLLED, "data"),
        Input(Ids.DETAILS_BODY, "children"),
        prevent_initial_call=True,
    )
