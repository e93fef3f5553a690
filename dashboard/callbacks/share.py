"""The language switch and the share panel: both run in the browser (assets/app.js).

Switching the language reloads the page with ``lang`` set (the whole page is built in one
language); the share panel's link and iframe snippet are written from the page's own
address, which only the browser knows for sure (behind a proxy, under a prefix).
"""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State

from dashboard.ids import Ids


def register_share_callbacks(app: Dash) -> None:
    """Wire the language switch and the share panel's fields into ``app``."""
    app.clientside_callback(
        ClientsideFunction(namespace="africa_presence", function_name="switchLanguage"),
        Output(Ids.LANG_SELECT, "className"),
        Input(Ids.LANG_SELECT, "value"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="africa_presence", function_name="shareTexts"),
        Output(Ids.SHARE_LINK, "value"),
        Output(Ids.SHARE_SNIPPET, "value"),
        Input(Ids.URL, "href"),
        State(Ids.SHARE_META, "data"),
    )
